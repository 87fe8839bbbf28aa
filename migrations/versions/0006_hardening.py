"""hardening: previewed import files kept on the server

Revision ID: 0006_hardening
Revises: 0005_review_log_covering
Create Date: 2026-11-23 10:00:00

The import preview stores the uploaded file under a random token; the confirm form sends
only the token (before, it sent the file again as base64, and a 1.6 MB file that previewed
could never be committed: 413). Rows expire after QUIZAPP_IMPORT_TTL_SECONDS.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_hardening"
down_revision = "0005_review_log_covering"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_upload",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("approve", sa.Boolean(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_import_upload_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_import_upload")),
    )
    with op.batch_alter_table("import_upload") as batch:
        batch.create_index("ix_import_upload_expires_at", ["expires_at"])


def downgrade():
    with op.batch_alter_table("import_upload") as batch:
        batch.drop_index("ix_import_upload_expires_at")
    op.drop_table("import_upload")
