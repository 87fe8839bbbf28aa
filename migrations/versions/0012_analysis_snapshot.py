"""analysis snapshot: the class-wide item analysis as last computed, one row per scope

Revision ID: 0012_analysis_snapshot
Revises: 0011_classes
Create Date: 2026-12-05 12:00:00

The teachers' item analysis read every answer ever given on each refresh, inside a request;
its figures now live in one row that is refreshed off the request path.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_analysis_snapshot"
down_revision = "0011_classes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "analysis_snapshot",
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("refresh_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_analysis_snapshot")),
    )


def downgrade():
    op.drop_table("analysis_snapshot")
