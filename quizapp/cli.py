"""Command-line interface: `flask bank ...` and `flask documents ...`."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from quizapp.extensions import db
from quizapp.services.bank import (
    BankError,
    SourceText,
    add_document,
    bank_stats,
    build_bank,
    read_seeds,
    read_source_file,
    store_bank,
    uploaded_sources,
)

bank_cli = AppGroup("bank", help="Generate, load, inspect and export the question bank.")
documents_cli = AppGroup("documents", help="Manage the source documents.")
users_cli = AppGroup("users", help="Manage accounts.")


def _fail(errors: list[str]) -> None:
    for line in errors:
        click.echo(line, err=True)
    click.echo(f"{len(errors)} error(s); nothing was changed.", err=True)
    sys.exit(1)


def _sources() -> list[SourceText]:
    return read_seeds(Path(current_app.config["SEEDS_DIR"]))


@bank_cli.command("generate")
@click.option("--verbose", "-v", is_flag=True, help="Also print every proposed fact and question.")
def generate_command(verbose: bool) -> None:
    """Propose facts from the seed documents and print what they would give.

    The extraction drafts events and actors from every sentence that states something
    datable; a draft that states what a curated fact states counts as covered. Nothing is
    written to the database.
    """
    from quizapp.bank.clean import clean_document
    from quizapp.bank.facts import FACTS_DIR, FactError, load_fact_files
    from quizapp.bank.propose import draft_questions, propose

    try:
        sources = _sources()
    except BankError as exc:
        _fail(exc.errors)
    documents = {s.name: clean_document(s.name, s.raw) for s in sources}
    try:
        known = load_fact_files(Path(current_app.config["QUESTIONS_DIR"]) / FACTS_DIR, documents)
    except FactError as exc:
        _fail(exc.errors)
    columns = ("events", "actors", "covered", "open", "blocked", "questions")
    click.echo(f"{'document':<28} " + " ".join(f"{c:>9}" for c in columns))
    totals: Counter[str] = Counter()
    for name, document in documents.items():
        proposals = propose(document, known)
        open_drafts = [p for p in proposals if not p.covered_by]
        questions = draft_questions(open_drafts, documents, known)
        row = Counter(
            events=sum(p.kind == "event" for p in proposals),
            actors=sum(p.kind == "actor" for p in proposals),
            covered=len(proposals) - len(open_drafts),
            open=len(open_drafts),
            blocked=sum(bool(p.problem) for p in open_drafts),
            questions=len(questions),
        )
        totals.update(row)
        click.echo(f"{name:<28} " + " ".join(f"{row[c]:>9}" for c in columns))
        if verbose:
            for p in proposals:
                state = f"covered by {p.covered_by}" if p.covered_by else (p.problem or "open")
                click.echo(f"  [{p.id}] {p.kind} #{p.sentence_index}: {state}")
                click.echo(f"      {_short(p.data)}")
            for q in questions:
                click.echo(f"  ? [{q.id}] {q.kind}: {q.prompt} = {q.answer}")
    click.echo(f"{'total':<28} " + " ".join(f"{totals[c]:>9}" for c in columns))


def _short(data: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in data.items() if k not in ("id", "source"))


@bank_cli.command("load")
def load_command() -> None:
    """Upsert the seed documents, curated and generated questions by their stable ids.

    Running it twice changes nothing. A file with an error stops the load before anything
    is written.
    """
    try:
        sources = _sources() + uploaded_sources(db.session)
        bank = build_bank(sources, Path(current_app.config["QUESTIONS_DIR"]))
        report = store_bank(db.session, bank, datetime.now(UTC))
    except BankError as exc:
        db.session.rollback()
        _fail(exc.errors)
    db.session.commit()
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    facts = report.facts
    click.echo(
        f"documents: {report.documents_created} new, {report.documents_updated} updated; "
        f"facts: {facts.created} new, {facts.updated} updated, {facts.retired} retired "
        f"({facts.proposals} proposed by the extraction, {facts.covered} covered by curated "
        f"facts); questions: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.retired} retired"
    )


@bank_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "gift", "csv", "apkg"]),
              default="json", show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output; required for apkg).")  # fmt: skip
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["draft", "approved", "rejected", "retired"]),
              help="Only questions with this status (repeatable). Default: approved for "
                   "gift, csv and apkg; every status for json.")  # fmt: skip
@click.option(
    "--all-statuses",
    is_flag=True,
    help="Every question whatever its status, also in gift, csv and apkg.",
)
def export_command(
    fmt: str, output: Path | None, statuses: tuple[str, ...], all_statuses: bool
) -> None:
    """Export the questions as JSON, GIFT (Moodle), CSV or an Anki deck (.apkg).

    GIFT, CSV and Anki decks are made for learners: by default they hold only the approved
    questions, as the teacher area's export page does (drafts, rejected and retired
    questions stay out). JSON is the backup format and holds every question. Choose other
    statuses with --status, or everything with --all-statuses.
    """
    from quizapp.services.transfer import ALL_STATUSES, export

    if fmt == "apkg" and output is None:
        _fail(["an .apkg deck is binary: name a file with -o"])
    if all_statuses and statuses:
        _fail(["give either --status or --all-statuses, not both"])
    chosen = ALL_STATUSES if all_statuses else statuses
    result = export(db.session, fmt, chosen)
    if output is None:
        click.echo(result.data.decode("utf-8-sig"), nl=False)
        return
    output.write_bytes(result.data)
    click.echo(f"{fmt} export written to {output}", err=True)


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["gift", "csv", "json", "aiken", "moodlexml"]),
              default=None,
              help="Default: from the file name (.gift/.txt, .csv, .json, .xml; a .txt file "
                   "with ANSWER: lines and no braces is Aiken).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Only show what would be added or changed.")
@click.option("--approve", is_flag=True, help="Approve the imported questions at once.")
def import_command(file: Path, fmt: str | None, dry_run: bool, approve: bool) -> None:
    """Import questions from GIFT, Moodle XML, Aiken, CSV or JSON.

    All or nothing: an error (it names the file and line) stops the import before anything
    is written. Questions of kinds quizapp has none of (essay, description, ...) are skipped
    and named; a question repeated in the file is imported once, or under its own id when
    it differs.
    """
    from quizapp.services.imports import run_import
    from quizapp.services.teach import plan_import
    from quizapp.services.transfer import ImportFailed, guess_format, parse_import

    try:
        data = file.read_bytes()
        parsed = parse_import(data, guess_format(file.name, fmt, data), str(file))
    except ImportFailed as exc:
        _fail(exc.errors)
    for warning in parsed.warnings:
        click.echo(f"warning: {warning}", err=True)
    plan = plan_import(db.session, parsed.questions)
    for draft in plan.added:
        click.echo(f"+ {draft.id} {draft.kind}: {draft.prompt[:70]}")
    for draft, changes in plan.changed:
        click.echo(f"~ {draft.id} {draft.kind}: {', '.join(changes)}")
    summary = f"{len(plan.added)} new, {len(plan.changed)} changed, {len(plan.unchanged)} unchanged"
    if parsed.skipped:
        summary += f", {len(parsed.skipped)} skipped"
    merged = sum(r.merged for r in parsed.repeats)
    if merged:
        summary += f", {merged} repeated (imported once)"
    if dry_run:
        click.echo(f"dry run: {summary}; nothing was written")
        return
    # In batches, like the web import: learners keep answering while a large file goes in.
    run_import(
        db.session,
        parsed.questions,
        None,
        datetime.now(UTC),
        approve=approve,
        batch_size=current_app.config["IMPORT_BATCH_SIZE"],
        batch_seconds=current_app.config["IMPORT_BATCH_SECONDS"],
        pause_seconds=current_app.config["IMPORT_PAUSE_SECONDS"],
    )
    click.echo(f"imported: {summary}")


@bank_cli.command("stats")
def stats_command() -> None:
    """Count the questions by kind, origin, status and document, and the facts."""
    stats = bank_stats(db.session)
    click.echo(f"questions: {stats.total}")
    for title, counts in (
        ("by kind", stats.by_kind),
        ("by origin", stats.by_origin),
        ("by status", stats.by_status),
    ):
        click.echo(f"\n{title}:")
        for key, n in counts.items():
            click.echo(f"  {key:<16} {n:>5}")
    click.echo("\nby document:")
    for name, counts in stats.by_document.items():
        detail = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
        click.echo(f"  {name:<32} {sum(counts.values()):>5}  ({detail})")
    click.echo("\napproved questions by kind and origin:")
    for kind, counts in stats.by_kind_and_origin.items():
        detail = ", ".join(f"{origin} {n}" for origin, n in sorted(counts.items()))
        click.echo(f"  {kind:<16} {sum(counts.values()):>5}  ({detail})")
    click.echo("\napproved facts by document:")
    for name, counts in stats.facts.items():
        click.echo(
            f"  {name or '(shared actors)':<32} {counts['events']:>4} events "
            f"{counts['actors']:>4} actors {counts['terms']:>4} terms"
        )
    detail = ", ".join(f"{status} {n}" for status, n in stats.fact_statuses.items())
    click.echo(f"facts by status: {detail}")


@documents_cli.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def add_document_command(file: Path) -> None:
    """Store a new German text (UTF-8 .txt) and print the facts and questions it drafted.

    The facts are drafts a teacher approves in the review queue; until then their questions
    are drafts too, never shown to learners.
    """
    try:
        source = read_source_file(file, origin="upload")
        drafted = add_document(
            db.session, source, Path(current_app.config["QUESTIONS_DIR"]), datetime.now(UTC)
        )
    except BankError as exc:
        db.session.rollback()
        _fail(exc.errors)
    db.session.commit()
    click.echo(
        f"{file.name}: stored; {len(drafted.facts)} fact drafts and "
        f"{len(drafted.questions)} draft questions await review"
    )
    for fact in drafted.facts:
        state = f" ({fact.problem})" if fact.problem else ""
        click.echo(f"fact [{fact.id}] {fact.kind}: {_short(fact.data)}{state}")
    for question in drafted.questions:
        click.echo(
            f"question [{question.id}] {question.kind}: {question.prompt} = {question.answer}"
        )


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["learner", "teacher"]), default="learner",
              show_default=True, help="Teachers may curate the bank.")  # fmt: skip
@click.password_option("--password", prompt="Password", confirmation_prompt="Repeat password",
                       help="Asked for interactively when not given.")  # fmt: skip
def create_user_command(username: str, role: str, password: str) -> None:
    """Create an account; the password is asked for (there are no default credentials)."""
    from quizapp.services.users import UserError, create_user

    try:
        create_user(db.session, username, password, role)
    except UserError as exc:
        db.session.rollback()
        _fail([str(exc)])
    db.session.commit()
    click.echo(f"{role} {username} created")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(["learner", "teacher"]))
def set_role_command(username: str, role: str) -> None:
    """Make an existing account a teacher or a learner."""
    from quizapp.services.users import UserError, set_role

    try:
        set_role(db.session, username, role)
    except UserError as exc:
        _fail([str(exc)])
    db.session.commit()
    click.echo(f"{username} is now {role}")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option("--password", prompt="New password", confirmation_prompt="Repeat password",
                       help="Asked for interactively when not given.")  # fmt: skip
def set_password_command(username: str, password: str) -> None:
    """Reset an account's password; every session of the account is logged out."""
    from quizapp.database import begin_write
    from quizapp.services.users import UserError, set_password

    begin_write(db.session)
    try:
        set_password(db.session, username, password)
    except UserError as exc:
        db.session.rollback()
        _fail([str(exc)])
    db.session.commit()
    click.echo(f"{username}: new password set; all sessions logged out")


@users_cli.command("reset-password")
@click.argument("username")
def reset_password_command(username: str) -> None:
    """Print a one-time code with which NAME sets a new password at /auth/reset.

    The code works once and expires after QUIZAPP_RESET_CODE_HOURS (48 by default); a new
    code replaces the previous one. The old password keeps working until the code is used.
    """
    from datetime import timedelta

    from quizapp.database import begin_write
    from quizapp.services.account import AccountError, issue_reset_code
    from quizapp.services.users import find_user

    begin_write(db.session)
    user = find_user(db.session, username)
    if user is None or user.is_guest:
        db.session.rollback()
        _fail([f"{username}: no such user"])
    hours = current_app.config["RESET_CODE_HOURS"]
    try:
        code, expires = issue_reset_code(
            db.session, user, None, datetime.now(UTC), timedelta(hours=hours)
        )
    except AccountError as exc:
        db.session.rollback()
        _fail([str(exc)])
    db.session.commit()
    click.echo(f"reset code for {user.username}: {code}")
    click.echo(f"valid once until {expires:%Y-%m-%d %H:%M} UTC; enter it at /auth/reset")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the live SQLite database to FILE (the server may keep running)."""
    from quizapp.backup import BackupError, backup

    try:
        size = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as exc:
        _fail([str(exc)])
    click.echo(f"backup written to {file} ({size} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the database with this backup? Stop the server first.")
def restore_command(file: Path) -> None:
    """Replace the SQLite database with a backup made by `flask db backup`."""
    from quizapp.backup import BackupError, restore

    try:
        size = restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupError as exc:
        _fail([str(exc)])
    click.echo(f"database restored from {file} ({size} bytes)")


def register_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    from flask_migrate.cli import db as migrate_cli

    # `flask db backup` and `flask db restore` live beside Flask-Migrate's `flask db upgrade`.
    migrate_cli.add_command(backup_command)
    migrate_cli.add_command(restore_command)
    app.cli.add_command(bank_cli)
    app.cli.add_command(documents_cli)
    app.cli.add_command(users_cli)
