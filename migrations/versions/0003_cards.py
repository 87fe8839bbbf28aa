"""flashcards: settings, card states, review logs

Revision ID: 0003_cards
Revises: 0002_quiz
Create Date: 2026-11-22 00:05:03.568881

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003_cards"
down_revision = "0002_quiz"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "card_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("desired_retention", sa.Double(), nullable=False),
        sa.Column("new_per_day", sa.Integer(), nullable=False),
        sa.Column("reviews_per_day", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("typed_answers", sa.Boolean(), nullable=False),
        sa.Column("decks", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "desired_retention BETWEEN 0.8 AND 0.97", name=op.f("ck_card_settings_retention")
        ),
        sa.CheckConstraint(
            "new_per_day BETWEEN 0 AND 1000", name=op.f("ck_card_settings_new_per_day")
        ),
        sa.CheckConstraint(
            "reviews_per_day BETWEEN 0 AND 10000", name=op.f("ck_card_settings_reviews_per_day")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_card_settings_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_card_settings")),
    )
    op.create_table(
        "card_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Double(), nullable=True),
        sa.Column("difficulty", sa.Double(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('new', 'learning', 'review', 'relearning')", name=op.f("ck_card_state_state")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_card_state_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_card_state_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_state")),
        sa.UniqueConstraint(
            "user_id", "question_id", name=op.f("uq_card_state_user_id_question_id")
        ),
    )
    with op.batch_alter_table("card_state", schema=None) as batch_op:
        batch_op.create_index("ix_card_state_question_id", ["question_id"], unique=False)
        batch_op.create_index(
            "ix_card_state_user_id_suspended_due", ["user_id", "suspended", "due"], unique=False
        )

    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("card_state_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("attempt_item_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state_before", sa.String(length=20), nullable=False),
        sa.Column("due_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scheduled_days", sa.Double(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.CheckConstraint("source IN ('card', 'quiz')", name=op.f("ck_review_log_source")),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name=op.f("ck_review_log_rating")),
        sa.ForeignKeyConstraint(
            ["attempt_item_id"],
            ["attempt_item.id"],
            name=op.f("fk_review_log_attempt_item_id_attempt_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["card_state_id"],
            ["card_state.id"],
            name=op.f("fk_review_log_card_state_id_card_state"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_review_log_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_review_log_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_log")),
        sa.UniqueConstraint("attempt_item_id", name=op.f("uq_review_log_attempt_item_id")),
    )
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.create_index("ix_review_log_card_state_id", ["card_state_id"], unique=False)
        batch_op.create_index(
            "ix_review_log_user_id_reviewed_at", ["user_id", "reviewed_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.drop_index("ix_review_log_user_id_reviewed_at")
        batch_op.drop_index("ix_review_log_card_state_id")

    op.drop_table("review_log")
    with op.batch_alter_table("card_state", schema=None) as batch_op:
        batch_op.drop_index("ix_card_state_user_id_suspended_due")
        batch_op.drop_index("ix_card_state_question_id")

    op.drop_table("card_state")
    op.drop_table("card_settings")
