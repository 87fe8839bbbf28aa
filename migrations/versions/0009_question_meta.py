"""question meta: a teacher's name, ID number, tags and text formats of a question

Revision ID: 0009_question_meta
Revises: 0007_facts
Create Date: 2026-12-12 09:00:00

Moodle files carry more than the content of a question: its name, an ID number (``[id:]``),
tags (``[tag:]``) and the text format of question, answers and feedback (``[html]``,
``[markdown]``, ...). Imports keep them, exports write them back, and teachers filter their
question list by tag (one row per tag, indexed).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_question_meta"
down_revision = "0007_facts"
branch_labels = None
depends_on = None

FORMATS = "text_format IN ('moodle', 'html', 'plain', 'markdown')"


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("idnumber", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("text_format", sa.String(length=10), nullable=False, server_default="moodle")
        )
        batch_op.add_column(sa.Column("explanation_format", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(op.f("ck_question_text_format"), FORMATS)

    with op.batch_alter_table("choice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_format", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("feedback_format", sa.String(length=10), nullable=True))

    op.create_table(
        "question_tag",
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_question_tag_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("question_id", "tag", name=op.f("pk_question_tag")),
    )
    with op.batch_alter_table("question_tag", schema=None) as batch_op:
        batch_op.create_index("ix_question_tag_tag", ["tag"], unique=False)


def downgrade():
    with op.batch_alter_table("question_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_question_tag_tag")
    op.drop_table("question_tag")

    with op.batch_alter_table("choice", schema=None) as batch_op:
        batch_op.drop_column("feedback_format")
        batch_op.drop_column("text_format")

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_question_text_format"), type_="check")
        batch_op.drop_column("explanation_format")
        batch_op.drop_column("text_format")
        batch_op.drop_column("idnumber")
        batch_op.drop_column("name")
