"""A quiz start draws from a pool each process keeps while the bank's revision stays the
same; database triggers count the revision up on every change to the bank, so no change a
teacher (or `flask bank load`, or SQL by hand) makes is ever drawn around."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from quizapp.bank.leaks import Candidate, draw_compatible
from quizapp.database import begin_write
from quizapp.extensions import db
from quizapp.models import AttemptItem, BankRevision, Choice, Document, Question, Topic
from quizapp.services import quiz as quizzes
from tests.cards.test_round_trips import selects, statements
from tests.conftest import run_sql
from tests.helpers import login_as, make_user, start_quiz


def _revision(app) -> int:
    with app.app_context():
        return db.session.scalar(select(BankRevision.revision))


def _biggest_document(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Question.document_id)
            .where(Question.status == "approved", Question.document_id.is_not(None))
            .group_by(Question.document_id)
            .order_by(func.count().desc())
            .limit(1)
        )


def _drawn(app, attempt_id: int) -> set[str]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)
            )
        )


def test_a_kept_pool_makes_a_start_read_one_row_of_the_bank(loaded_app, loaded_client) -> None:
    make_user(loaded_app, "mira")
    login_as(loaded_client, "mira")
    document = str(_biggest_document(loaded_app))
    start_quiz(loaded_client, "document", document)  # the pool is read and kept
    with statements(loaded_app) as sent:
        attempt = start_quiz(loaded_client, "document", document)
    reads = selects(sent)
    # The user and the bank's revision; neither questions, options nor the document.
    assert len(reads) == 2, reads
    assert any("bank_revision" in s for s in reads)
    assert not any(" question" in s or " choice" in s or " document" in s for s in reads)
    assert len(_drawn(loaded_app, attempt)) == 10


def test_every_change_to_the_bank_counts_the_revision_up(loaded_app) -> None:
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    with loaded_app.app_context():
        question = db.session.scalar(select(Question).where(Question.status == "approved"))
        choice_id = db.session.scalar(select(Choice.id))
        document_id = db.session.scalar(select(Document.id))
        topic_id = db.session.scalar(select(Topic.id))
        question_id, question_topic = question.id, question.topic_id

    def through_the_orm(change) -> None:
        with loaded_app.app_context():
            change(db.session)
            db.session.commit()

    def new_question(session) -> None:
        session.add(
            Question(
                id="neu-1", kind="typed", prompt="Wann?", answer="1905", topic_id=question_topic,
                origin="teacher", status="draft",
            )
        )  # fmt: skip

    def new_choice(session) -> None:
        session.add(Choice(question_id="neu-1", position=0, text="1905", correct=True))

    def new_document(session) -> None:
        session.add(
            Document(name="neu.txt", title="Neu", raw_text="Text.", text="Text.", sha256="0" * 64)
        )

    changes = [
        ("UPDATE question SET prompt = prompt || '?' WHERE id = :id", {"id": question_id}),
        ("UPDATE choice SET text = text || '!' WHERE id = :id", {"id": choice_id}),
        ("UPDATE document SET title = title || '.' WHERE id = :id", {"id": document_id}),
        ("UPDATE topic SET name = name || '.' WHERE id = :id", {"id": topic_id}),
        ("DELETE FROM choice WHERE id = :id", {"id": choice_id}),
        ("INSERT INTO topic (slug, name) VALUES ('neu', 'Neues Thema')", {}),
        ("DELETE FROM topic WHERE slug = 'neu'", {}),
        (new_question, None),
        (new_choice, None),
        (new_document, None),
        ("DELETE FROM question WHERE id = 'neu-1'", {}),  # its options go with it
        ("DELETE FROM document WHERE name = 'neu.txt'", {}),
    ]
    for change, params in changes:
        before = _revision(loaded_app)
        if callable(change):
            through_the_orm(change)
        else:
            run_sql(url, change, params)
        assert _revision(loaded_app) > before, change
    if url.startswith("postgresql"):
        before = _revision(loaded_app)
        run_sql(url, "TRUNCATE choice")
        assert _revision(loaded_app) > before, "TRUNCATE"
    # Reading, and writing anything else (a learner's attempt), leaves it as it is.
    before = _revision(loaded_app)
    run_sql(url, "SELECT count(*) FROM question")
    run_sql(url, "UPDATE attempt SET title = title")
    assert _revision(loaded_app) == before


def test_a_change_rolled_back_leaves_the_revision(loaded_app) -> None:
    with loaded_app.app_context():
        before = db.session.scalar(select(BankRevision.revision))
        db.session.execute(text("UPDATE question SET prompt = prompt || '?'"))
        db.session.rollback()
        assert db.session.scalar(select(BankRevision.revision)) == before


def test_a_question_a_teacher_retires_is_not_drawn_from_the_next_start(
    loaded_app, loaded_client
) -> None:
    make_user(loaded_app, "mira")
    make_user(loaded_app, "frau-meier", role="teacher")
    teacher = loaded_app.test_client()
    login_as(teacher, "frau-meier")
    login_as(loaded_client, "mira")
    document = _biggest_document(loaded_app)
    with loaded_app.app_context():
        approved = list(
            db.session.scalars(
                select(Question.id).where(
                    Question.document_id == document, Question.status == "approved"
                )
            )
        )
    first = _drawn(loaded_app, start_quiz(loaded_client, "document", str(document), 50))
    assert first <= set(approved) and _pool_ids(loaded_app, document) == set(approved)
    retired = sorted(first)[:3]
    for question_id in retired:
        answer = teacher.post(
            f"/teach/questions/{question_id}/status", data={"status": "retired", "reason": "x"}
        )
        assert answer.status_code in (302, 303)
    second = _drawn(loaded_app, start_quiz(loaded_client, "document", str(document), 50))
    assert not second & set(retired)
    assert _pool_ids(loaded_app, document) == set(approved) - set(retired)
    # By hand, past the app: a question approved in SQL is in the pool from the next start on.
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    run_sql(url, "UPDATE question SET status = 'approved' WHERE id = :id", {"id": retired[0]})
    assert _pool_ids(loaded_app, document) == set(approved) - set(retired[1:])


def _pool_ids(app, document: int) -> set[str]:
    """The questions the document's pool holds as a start would find it (kept or read)."""
    with app.app_context():
        pool = quizzes._kept_pool(db.session, "document", str(document))
        return {c.id for c in pool.candidates}


def test_pools_of_two_databases_are_kept_apart(make_db, tmp_path) -> None:
    from tests.conftest import _dispose, _make_app

    first = _make_app(make_db("loaded"), tmp_path / "a")
    second = _make_app(make_db("loaded"), tmp_path / "b")
    try:
        run_sql(second.config["SQLALCHEMY_DATABASE_URI"], "UPDATE question SET status = 'draft'")
        # Same revision number on both? Make it so: the pools must still differ.
        for app in (first, second):
            run_sql(app.config["SQLALCHEMY_DATABASE_URI"], "UPDATE bank_revision SET revision=7")
        with first.app_context():
            draw = quizzes.draw_questions(db.session, None, "mixed", "", 10, random.Random(1))
            assert len(draw.items) == 10
        with second.app_context(), pytest.raises(quizzes.QuizUnavailable):
            quizzes.draw_questions(db.session, None, "mixed", "", 10, random.Random(1))
    finally:
        _dispose(first)
        _dispose(second)


def test_without_the_revision_row_nothing_is_kept_and_the_draw_still_works(loaded_app) -> None:
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    run_sql(url, "DELETE FROM bank_revision")
    with loaded_app.app_context():
        draw = quizzes.draw_questions(db.session, None, "mixed", "", 5, random.Random(2))
        assert len(draw.items) == 5
        run_sql(url, "UPDATE question SET status = 'draft'")
        db.session.rollback()  # a new transaction sees the change
        with pytest.raises(quizzes.QuizUnavailable):
            quizzes.draw_questions(db.session, None, "mixed", "", 5, random.Random(2))


def test_keys_of_no_document_or_topic_are_not_kept(loaded_app) -> None:
    with loaded_app.app_context():
        for mode, key in [("document", "999999"), ("topic", "gibt-es-nicht"), ("document", "x")]:
            with pytest.raises(quizzes.QuizUnavailable):
                quizzes.draw_questions(db.session, None, mode, key, 5, random.Random(3))
        engine = db.engine
        kept = quizzes.POOLS._kept.get(engine)
        assert kept is None or not any(
            key in kept[1] for key in [("document", 999999), ("topic", "gibt-es-nicht")]
        )


def test_a_draw_from_a_kept_pool_is_the_draw_from_the_database(loaded_app) -> None:
    """Same seed, same questions and option orders, kept or freshly read."""
    with loaded_app.app_context():
        document = str(_biggest_document(loaded_app))
        session = db.session
        fresh = quizzes.draw_questions(session, None, "document", document, 10, random.Random(5))
        kept = quizzes.draw_questions(session, None, "document", document, 10, random.Random(5))
        assert kept == fresh
        run_sql(loaded_app.config["SQLALCHEMY_DATABASE_URI"], "DELETE FROM bank_revision")
        session.rollback()
        uncached = quizzes.draw_questions(session, None, "document", document, 10, random.Random(5))
        assert uncached == fresh
        assert session.execute(text("SELECT count(*) FROM bank_revision")).scalar() == 0


def _old_draw(session, user_id, mode: str, key: str, length: int, rng) -> quizzes.Draw:
    """The draw as it was before pools (commit 41f5fa1): every statement each time."""
    length = max(1, min(length, quizzes.MAX_LENGTH))
    query = select(
        Question.id, Question.kind, Question.char_start, Question.prompt, Question.answer,
        Question.accepted,
    ).where(Question.status == "approved")  # fmt: skip
    document_id = topic_id = None
    if mode == "document":
        found = session.execute(select(Document.id, Document.title).where(Document.id == int(key)))
        document_id, title = found.first()
        query = query.where(Question.document_id == document_id)
    elif mode == "topic":
        topic_id, title = session.execute(
            select(Topic.id, Topic.name).where(Topic.slug == key)
        ).first()
        query = query.where(Question.topic_id == topic_id)
    elif mode == "mixed":
        title = "Gemischtes Quiz"
    elif mode == "weak":
        title = "Schwachstellen"
        weak = quizzes.weak_question_ids(session, user_id, quizzes.MAX_LENGTH)
        query = query.where(Question.id.in_(weak))
    else:
        selection = quizzes.timeline_selection(session, key)
        title, document_id, topic_id = selection.title, selection.document_id, selection.topic_id
        query = query.where(
            Question.fact_id.in_(selection.event_ids),
            Question.kind.in_(quizzes.TIMELINE_KINDS),
        )
    rows = session.execute(query.order_by(Question.id)).all()
    candidates = [
        Candidate(r.id, r.kind, r.prompt, r.answer, tuple(r.accepted or ())) for r in rows
    ]
    start = {r.id: r.char_start for r in rows}
    kinds = {r.id: r.kind for r in rows}
    chosen = [c.id for c in draw_compatible(candidates, length, rng)]
    if mode not in ("mixed", "timeline"):
        chosen.sort(key=lambda i: (start[i] if start[i] is not None else 1 << 30, i))
    items = quizzes.with_choices(session, chosen, kinds, rng)
    return quizzes.Draw(mode, title, document_id, topic_id, items)


def test_every_kind_of_quiz_draws_what_it_drew_before_the_pools(loaded_app) -> None:
    """Same seed, same draw as the code before pools: questions, their order, the options'
    order, title, document and topic; for a document, a topic, the mixed quiz, weak spots
    and the timeline (all events, one document's), kept or freshly read."""
    user_id = make_user(loaded_app, "mira")
    url = loaded_app.config["SQLALCHEMY_DATABASE_URI"]
    with loaded_app.app_context():
        session = db.session
        document = _biggest_document(loaded_app)
        topic = session.scalar(
            select(Topic.slug)
            .join(Question, Question.topic_id == Topic.id)
            .where(Question.status == "approved")
            .group_by(Topic.slug)
            .order_by(func.count().desc())
            .limit(1)
        )
        # Weak spots: a finished quiz of 20 questions, every answer wrong.
        draw = quizzes.draw_questions(session, user_id, "mixed", "", 20, random.Random(9))
        begin_write(session)
        attempt = quizzes.start_attempt(session, user_id, draw, datetime.now(UTC))
        session.commit()
    run_sql(
        url,
        "UPDATE attempt_item SET score = 0, correct = :no, answered_at = :now "
        "WHERE attempt_id = :attempt",
        {"no": False, "now": datetime.now(UTC), "attempt": attempt},
    )
    quizzes_to_compare = [
        ("document", str(document)), ("topic", topic), ("mixed", ""), ("weak", ""),
        ("timeline", ""), ("timeline", f"document:{document}"),
    ]  # fmt: skip
    for mode, key in quizzes_to_compare:
        for length in (5, 10, 50):
            for seed in (1, 2):
                with loaded_app.app_context():
                    before = _old_draw(db.session, user_id, mode, key, length, random.Random(seed))
                    now = quizzes.draw_questions(
                        db.session, user_id, mode, key, length, random.Random(seed)
                    )
                    again = quizzes.draw_questions(
                        db.session, user_id, mode, key, length, random.Random(seed)
                    )
                assert now == before, (mode, key, length, seed)
                assert again == before, (mode, key, length, seed)
                assert now.items, (mode, key)
