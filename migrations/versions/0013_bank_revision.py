"""bank revision: a number database triggers count up with every change to the bank

Revision ID: 0013_bank_revision
Revises: 0012_analysis_snapshot
Create Date: 2026-12-05 17:30:00

Starting a quiz read the pool it draws from (the approved questions of a document or topic,
their options, the document's title) on every start. Each process now keeps the pool while
this number stays the same; triggers on question, choice, document and topic count it up
whoever writes (the app, `flask bank load`, SQL by hand), so a teacher's change is drawn
from the next start on. SQLite has one writer at a time: row triggers. PostgreSQL: row
triggers deferred to the commit (and one for TRUNCATE).

A later migration that rebuilds one of these tables on SQLite (Alembic's batch mode copies
the table and drops the old one, with its triggers) must create its triggers again;
tests/quiz/test_pools.py::test_every_change_to_the_bank_counts_the_revision_up finds out.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_bank_revision"
down_revision = "0012_analysis_snapshot"
branch_labels = None
depends_on = None

TABLES = ("question", "choice", "document", "topic")
EVENTS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE bank_revision SET revision = revision + 1 WHERE id = 1"


def upgrade():
    op.create_table(
        "bank_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_revision")),
    )
    op.execute("INSERT INTO bank_revision (id, revision) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_bank_revision() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            # Deferred to the commit: the one revision row is locked only while a
            # transaction commits, never while it still waits for other rows (a teacher's
            # edit and a bank load would otherwise deadlock, each holding what the other
            # needs), and the new number becomes visible together with the change.
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {table}_bank_revision AFTER INSERT OR UPDATE "
                f"OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                "EXECUTE FUNCTION bump_bank_revision()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_bank_revision_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_bank_revision()"
            )
    else:  # SQLite: row-level triggers only
        for table in TABLES:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER {table}_bank_revision_{event.lower()} AFTER {event} "
                    f"ON {table} BEGIN {BUMP}; END"
                )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_bank_revision ON {table}")
            op.execute(f"DROP TRIGGER {table}_bank_revision_truncate ON {table}")
        op.execute("DROP FUNCTION bump_bank_revision()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER {table}_bank_revision_{event.lower()}")
    op.drop_table("bank_revision")
