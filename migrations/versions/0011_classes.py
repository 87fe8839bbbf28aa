"""classes and assignments: classes with join codes, their teachers and learners, assignments

Revision ID: 0011_classes
Revises: 0007_facts
Create Date: 2026-12-05 10:00:00

A teacher runs classes (shared with other teachers), learners join with a class's code; a
class gets assignments (a quiz or a flashcard deck with its window and rules). An attempt at
an assignment names it and may end at a fixed moment (time limit, deadline); attempts stay
as the learners' history when their assignment or class is deleted.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_classes"
down_revision = "0010_day"
branch_labels = None
depends_on = None

OLD_MODES = ("document", "topic", "mixed", "weak", "timeline")
MODES = (*OLD_MODES, "assignment")


def _modes(modes: tuple[str, ...]) -> str:
    return "mode IN (" + ", ".join(f"'{m}'" for m in modes) + ")"


def upgrade():
    op.create_table(
        "school_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("school_year", sa.String(length=20), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("join_open", sa.Boolean(), nullable=False),
        sa.Column("join_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_class")),
        sa.UniqueConstraint("join_code", name=op.f("uq_school_class_join_code")),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=True),
        sa.Column("shuffle", sa.Boolean(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("max_attempts", sa.Integer(), nullable=True),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=True),
        sa.Column("feedback", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "feedback IN ('immediate', 'after_due')", name=op.f("ck_assignment_feedback")
        ),
        sa.CheckConstraint("kind IN ('quiz', 'deck')", name=op.f("ck_assignment_kind")),
        sa.CheckConstraint(
            "source IN ('questions', 'topic', 'document', 'random')",
            name=op.f("ck_assignment_source"),
        ),
        sa.CheckConstraint(
            "max_attempts IS NULL OR max_attempts >= 1", name=op.f("ck_assignment_max_attempts")
        ),
        sa.CheckConstraint(
            "question_count IS NULL OR question_count BETWEEN 1 AND 50",
            name=op.f("ck_assignment_question_count"),
        ),
        sa.CheckConstraint(
            "time_limit_minutes IS NULL OR time_limit_minutes BETWEEN 1 AND 600",
            name=op.f("ck_assignment_time_limit_minutes"),
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["school_class.id"],
            name=op.f("fk_assignment_class_id_school_class"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
            name=op.f("fk_assignment_created_by_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_assignment_document_id_document"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topic.id"],
            name=op.f("fk_assignment_topic_id_topic"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_class_id_due_at", ["class_id", "due_at"], unique=False)

    for table, column in (("class_member", "joined_at"), ("class_teacher", "added_at")):
        op.create_table(
            table,
            sa.Column("class_id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(
                ["class_id"],
                ["school_class.id"],
                name=op.f(f"fk_{table}_class_id_school_class"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["user_id"], ["user.id"], name=op.f(f"fk_{table}_user_id_user"), ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint("class_id", "user_id", name=op.f(f"pk_{table}")),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_user_id", ["user_id"], unique=False)

    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_attempt_assignment_id_user_id", ["assignment_id", "user_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_attempt_assignment_id_assignment"),
            "assignment",
            ["assignment_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(op.f("ck_attempt_mode"), type_="check")
        batch_op.create_check_constraint(op.f("ck_attempt_mode"), _modes(MODES))


def downgrade():
    # Learners keep their attempts at assignments, as plain quizzes of chosen questions.
    op.execute("UPDATE attempt SET mode = 'mixed' WHERE mode = 'assignment'")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_attempt_mode"), type_="check")
        batch_op.create_check_constraint(op.f("ck_attempt_mode"), _modes(OLD_MODES))
        batch_op.drop_constraint(
            batch_op.f("fk_attempt_assignment_id_assignment"), type_="foreignkey"
        )
        batch_op.drop_index("ix_attempt_assignment_id_user_id")
        batch_op.drop_column("ends_at")
        batch_op.drop_column("assignment_id")

    for table in ("class_teacher", "class_member"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_user_id")
        op.drop_table(table)

    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_class_id_due_at")
    op.drop_table("assignment")
    op.drop_table("school_class")
