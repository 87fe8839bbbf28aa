"""fact base: events and actors, their history, questions built from them, timeline quizzes

Revision ID: 0007_facts
Revises: 0005_review_log_covering
Create Date: 2026-12-05 09:00:00

Questions are now built from facts by templates; ``question.fact_id`` names the fact, so that
editing a fact updates its questions in place. Quizzes started from the timeline get their
own attempt mode.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_facts"
down_revision = "0006_hardening"
branch_labels = None
depends_on = None

OLD_MODES = ("document", "topic", "mixed", "weak")
MODES = (*OLD_MODES, "timeline")


def _modes(modes: tuple[str, ...]) -> str:
    return "mode IN (" + ", ".join(f"'{m}'" for m in modes) + ")"


def upgrade():
    op.create_table(
        "fact",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("sentence_id", sa.Integer(), nullable=True),
        sa.Column("char_start", sa.Integer(), nullable=True),
        sa.Column("char_end", sa.Integer(), nullable=True),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("sort_key", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('event', 'actor')", name=op.f("ck_fact_kind")),
        sa.CheckConstraint(
            "origin IN ('curated', 'generated', 'teacher')", name=op.f("ck_fact_origin")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'approved', 'rejected', 'retired')", name=op.f("ck_fact_status")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_fact_document_id_document"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sentence_id"],
            ["sentence.id"],
            name=op.f("fk_fact_sentence_id_sentence"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_fact_topic_id_topic"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact")),
    )
    with op.batch_alter_table("fact", schema=None) as batch_op:
        batch_op.create_index("ix_fact_document_id", ["document_id"], unique=False)
        batch_op.create_index("ix_fact_status_sort_key", ["status", "sort_key"], unique=False)

    op.create_table(
        "fact_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "action IN ('create', 'edit', 'approve', 'reject')",
            name=op.f("ck_fact_revision_action"),
        ),
        sa.ForeignKeyConstraint(
            ["fact_id"],
            ["fact.id"],
            name=op.f("fk_fact_revision_fact_id_fact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_fact_revision_user_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_revision")),
    )
    with op.batch_alter_table("fact_revision", schema=None) as batch_op:
        batch_op.create_index("ix_fact_revision_fact_id_at", ["fact_id", "at"], unique=False)

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fact_id", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_question_fact_id", ["fact_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_question_fact_id_fact"), "fact", ["fact_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attempt_mode"), type_="check")
        batch_op.create_check_constraint(op.f("ck_attempt_mode"), _modes(MODES))


def downgrade():
    op.execute("DELETE FROM attempt WHERE mode = 'timeline'")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attempt_mode"), type_="check")
        batch_op.create_check_constraint(op.f("ck_attempt_mode"), _modes(OLD_MODES))

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_question_fact_id_fact"), type_="foreignkey")
        batch_op.drop_index("ix_question_fact_id")
        batch_op.drop_column("fact_id")

    with op.batch_alter_table("fact_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_fact_revision_fact_id_at")
    op.drop_table("fact_revision")

    with op.batch_alter_table("fact", schema=None) as batch_op:
        batch_op.drop_index("ix_fact_status_sort_key")
        batch_op.drop_index("ix_fact_document_id")
    op.drop_table("fact")
