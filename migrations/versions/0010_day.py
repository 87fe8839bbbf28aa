"""day: learners' error reports, teachers' one-time reset codes, skipping a quiz question

Revision ID: 0010_day
Revises: 0007_facts
Create Date: 2026-12-05 09:38:19

error_report: a learner reports an error in a question (from the quiz feedback or a card's
back); a teacher fixes the question, rejects it or dismisses the report, and the learner sees
the outcome. reset_code: a teacher issues a one-time code that expires (only its hash is
stored). attempt_item.deferred: a skipped question comes back after the others.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_day"
down_revision = "0009_question_meta"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reset_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
            name=op.f("fk_reset_code_created_by_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_reset_code_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reset_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_reset_code_code_hash")),
    )
    with op.batch_alter_table("reset_code", schema=None) as batch_op:
        batch_op.create_index("ix_reset_code_user_id", ["user_id"], unique=False)

    op.create_table(
        "error_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("attempt_item_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "reason IN ('wrong_answer', 'wrong_fact', 'unclear', 'typo', 'other')",
            name=op.f("ck_error_report_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'fixed', 'rejected', 'dismissed')",
            name=op.f("ck_error_report_status"),
        ),
        sa.ForeignKeyConstraint(
            ["attempt_item_id"],
            ["attempt_item.id"],
            name=op.f("fk_error_report_attempt_item_id_attempt_item"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_error_report_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["user.id"],
            name=op.f("fk_error_report_resolved_by_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_error_report_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_report")),
    )
    with op.batch_alter_table("error_report", schema=None) as batch_op:
        batch_op.create_index("ix_error_report_question_id", ["question_id"], unique=False)
        batch_op.create_index(
            "ix_error_report_status_created_at", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_error_report_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    with op.batch_alter_table("attempt_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deferred", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("attempt_item", schema=None) as batch_op:
        batch_op.drop_column("deferred")

    with op.batch_alter_table("error_report", schema=None) as batch_op:
        batch_op.drop_index("ix_error_report_user_id_created_at")
        batch_op.drop_index("ix_error_report_status_created_at")
        batch_op.drop_index("ix_error_report_question_id")

    op.drop_table("error_report")
    with op.batch_alter_table("reset_code", schema=None) as batch_op:
        batch_op.drop_index("ix_reset_code_user_id")

    op.drop_table("reset_code")
