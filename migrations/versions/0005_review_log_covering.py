"""review log: today's counts read from the index alone

Revision ID: 0005_review_log_covering
Revises: 0004_teach
Create Date: 2026-11-22 03:55:00

The review page counts the learner's reviews of today (for the daily limits) by source and
state before; with these columns in the index, that count no longer reads the table rows.
The index replaces ix_review_log_user_id_reviewed_at, whose queries use its first columns.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0005_review_log_covering"
down_revision = "0004_teach"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_log") as batch:
        batch.drop_index("ix_review_log_user_id_reviewed_at")
        batch.create_index(
            "ix_review_log_user_id_reviewed_at_source_state_before",
            ["user_id", "reviewed_at", "source", "state_before"],
        )


def downgrade():
    with op.batch_alter_table("review_log") as batch:
        batch.drop_index("ix_review_log_user_id_reviewed_at_source_state_before")
        batch.create_index("ix_review_log_user_id_reviewed_at", ["user_id", "reviewed_at"])
