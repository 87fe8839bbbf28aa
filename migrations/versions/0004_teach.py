"""teacher area: question history, option weights, question extras, new kinds

Revision ID: 0004_teach
Revises: 0003_cards
Create Date: 2026-11-22 00:09:33.802615

"""

from alembic import op
import sqlalchemy as sa


OLD_KINDS = ("single_choice", "true_false", "typed", "cloze", "date", "ordering", "matching")
KINDS = (*OLD_KINDS, "multiple_choice", "numerical")


def _kinds(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


# revision identifiers, used by Alembic.
revision = "0004_teach"
down_revision = "0003_cards"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "question_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('create', 'edit', 'approve', 'reject', 'retire', 'import', 'restore')",
            name=op.f("ck_question_revision_action"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_question_revision_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_question_revision_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_revision")),
    )
    with op.batch_alter_table("question_revision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_revision_question_id_at", ["question_id", "at"], unique=False
        )

    with op.batch_alter_table("choice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("feedback", sa.Text(), nullable=True))

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.drop_constraint(op.f("ck_question_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_question_kind"), _kinds(KINDS))


def downgrade():
    op.execute("DELETE FROM question WHERE kind IN ('multiple_choice', 'numerical')")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_question_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_question_kind"), _kinds(OLD_KINDS))
        batch_op.drop_column("extra")

    with op.batch_alter_table("choice", schema=None) as batch_op:
        batch_op.drop_column("feedback")
        batch_op.drop_column("weight")

    with op.batch_alter_table("question_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_question_revision_question_id_at")

    op.drop_table("question_revision")
