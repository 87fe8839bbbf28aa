"""Item analysis and class overview on the real bank, with a class whose answers are known."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.bank.leaks import Candidate, draw_compatible
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Choice, Document, Question, User
from quizapp.services import cards
from quizapp.services.analysis import (
    CLAIM_TIMEOUT,
    OptionPick,
    claim_refresh,
    class_overview,
    item_analysis,
    load_snapshot,
    store_snapshot,
)
from quizapp.services.quiz import topic_mastery
from tests.helpers import answer_data, current_item, login_as, make_user, start_quiz

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
LEARNERS = ("anna", "bert", "clara", "dora", "emil", "fritz", "greta", "hans")
# Scores per learner on the five questions A (single choice), B (true/false), C (ordering,
# partial credit), D (typed), E (cloze). Means: anna, bert 0.8; clara..fritz 0.7; greta 0.4;
# hans 0.5 (he answers A again, right, in a second attempt). So with 8 learners the upper
# 27 % (2) are anna and bert, the lower 27 % greta and hans.
SCORES = {
    "anna": (1, 0, 1.0, 1, 1),
    "bert": (1, 0, 1.0, 1, 1),
    "clara": (1, 1, 0.5, 0, 1),
    "dora": (1, 1, 0.5, 0, 1),
    "emil": (1, 1, 0.5, 0, 1),
    "fritz": (1, 1, 0.5, 0, 1),
    "greta": (0, 1, 0.0, 0, 1),
    "hans": (0, 1, 0.0, 0, 1),
}


@dataclass
class Klass:
    """The class built for a test: users by name and the questions they answered."""

    users: dict[str, int]
    a: Question
    b: Question
    c: Question
    d: Question
    e: Question
    rejected: Question

    @property
    def right_choice(self) -> Choice:
        return next(c for c in self.a.choices if c.correct)

    @property
    def wrong_choices(self) -> list[Choice]:
        return [c for c in self.a.choices if not c.correct]

    def tf(self, right: bool) -> str:
        """Return the true/false response that is right (or wrong) for question B."""
        return self.b.answer if right else {"wahr": "falsch", "falsch": "wahr"}[self.b.answer]


def _first(kind: str, status: str = "approved") -> Question:
    return db.session.scalar(
        select(Question)
        .where(Question.status == status, Question.kind == kind)
        .order_by(Question.id)
        .limit(1)
    )


def _attempt(
    user_id: int,
    start: datetime,
    answers: list[tuple[Question, float, object]],
    unanswered: tuple[Question, ...] = (),
) -> None:
    """Store an attempt whose n-th answer was given n minutes after ``start``."""
    attempt = Attempt(
        user_id=user_id,
        mode="mixed",
        title="Gemischtes Quiz",
        started_at=start,
        state="in_progress" if unanswered else "finished",
        finished_at=None if unanswered else start + timedelta(minutes=len(answers)),
    )
    for position, (question, score, response) in enumerate(answers):
        attempt.items.append(
            AttemptItem(
                position=position,
                question_id=question.id,
                choice_order=[],
                response=response,
                response_text=str(response),
                score=score,
                correct=score == 1,
                answered_at=start + timedelta(minutes=position + 1),
            )
        )
    for offset, question in enumerate(unanswered, start=len(answers)):
        attempt.items.append(AttemptItem(position=offset, question_id=question.id, choice_order=[]))
    db.session.add(attempt)


def _with_options(kind: str, count: int) -> Question:
    """Return the first approved question of ``kind`` with at least ``count`` options."""
    return next(
        q
        for q in db.session.scalars(
            select(Question)
            .where(Question.status == "approved", Question.kind == kind)
            .order_by(Question.id)
        )
        if len(q.choices) >= count
    )


def _rejected() -> Question:
    """Return a single choice a teacher rejected (the bank ships none: reject one here)."""
    question = db.session.scalars(
        select(Question)
        .where(Question.status == "approved", Question.kind == "single_choice")
        .order_by(Question.id.desc())
        .limit(1)
    ).one()
    question.status, question.review_reason = "rejected", "Im Test abgelehnt"
    db.session.flush()
    return question


def _start(index: int) -> datetime:
    """Return when the index-th learner (0-based) started the class quiz."""
    return T0 + timedelta(hours=index + 1)


@pytest.fixture
def klass(loaded_app):
    users = {name: make_user(loaded_app, name) for name in LEARNERS}
    users["lehrer"] = make_user(loaded_app, "lehrer", role="teacher")
    users["nora"] = make_user(loaded_app, "nora")  # registered, never active
    with loaded_app.app_context():
        k = Klass(
            users,
            _with_options("single_choice", 4),
            _first("true_false"),
            _first("ordering"),
            _first("typed"),
            _first("cloze"),
            _rejected(),
        )
        assert len(k.wrong_choices) >= 3
        ordering = [c.id for c in k.c.choices]
        for index, name in enumerate(LEARNERS):
            a, b, c, d, e = SCORES[name]
            # Greta and Hans (first try) pick different wrong options.
            wrong = k.wrong_choices[0 if name == "greta" else 1]
            picked = k.right_choice.id if a else wrong.id
            answers = [
                (k.a, a, picked),
                (k.b, b, k.tf(bool(b))),
                (k.c, c, ordering if c == 1 else ordering[::-1]),
                (k.d, d, k.d.answer if d else "Timbuktu"),
                (k.e, e, k.e.answer),
            ]
            if name == "anna":  # a rejected question does not count, not even in her mean
                answers.append((k.rejected, 0.0, k.rejected.choices[0].id))
            _attempt(users[name], _start(index), answers, (k.d,) if name == "greta" else ())
        # Hans tries again later and gets A right.
        _attempt(users["hans"], T0 + timedelta(hours=10), [(k.a, 1, k.right_choice.id)])
        # Clara starts a quiz she never answers.
        _attempt(users["clara"], T0 + timedelta(hours=40), [], (k.a,))
        # A teacher trying the quiz out answers everything wrong: never counted.
        _attempt(
            users["lehrer"],
            T0 + timedelta(hours=11),
            [
                (k.a, 0, k.wrong_choices[2].id),
                (k.b, 0, k.tf(False)),
                (k.c, 0, ordering[::-1]),
                (k.d, 0, "x"),
                (k.e, 0, "x"),
            ],
        )
        db.session.commit()
        # Anna reviews a flashcard after her quiz: her latest activity.
        cards.rate(db.session, users["anna"], k.e.id, 3, 0, T0 + timedelta(hours=30))
        db.session.commit()
        yield k


def _by_id(stats: list) -> dict:
    return {s.question_id: s for s in stats}


def test_item_analysis_gives_facility_discrimination_picks_and_flags(klass) -> None:
    stats = item_analysis(db.session)
    k = klass
    assert [s.question_id for s in stats] == sorted([k.a.id, k.b.id, k.c.id, k.d.id, k.e.id])
    by_id = _by_id(stats)

    a = by_id[k.a.id]
    assert (a.kind, a.prompt, a.topic) == ("single_choice", k.a.prompt, k.a.topic.name)
    assert a.answers == 9  # 8 learners and Hans's second try; the teacher is not counted
    assert a.facility == pytest.approx(7 / 9)
    # Upper group all right (1.0); lower group: Greta 0, Hans 0 then 1 -> 1/3.
    assert a.discrimination == pytest.approx(1 - 1 / 3)
    assert a.flags == ()
    expected = []
    for choice in k.a.choices:
        if choice.correct:
            picks = 7
        elif choice.id in (k.wrong_choices[0].id, k.wrong_choices[1].id):
            picks = 1
        else:
            picks = 0  # the teacher's pick does not count
        expected.append(OptionPick(choice.text, choice.correct, picks, 100.0 * choice.correct))
    assert list(a.option_picks) == expected
    assert sum(p.picks for p in a.option_picks) == a.answers

    b = by_id[k.b.id]
    assert b.answers == 8
    assert b.facility == pytest.approx(0.75)
    assert b.discrimination == pytest.approx(-1.0)  # the best learners get it wrong
    assert b.flags == ("negative_discrimination",)
    right = k.b.answer
    assert list(b.option_picks) == [
        OptionPick("wahr", right == "wahr", 6 if right == "wahr" else 2),
        OptionPick("falsch", right == "falsch", 6 if right == "falsch" else 2),
    ]

    c = by_id[k.c.id]
    assert c.answers == 8
    assert c.facility == pytest.approx(0.5)  # partial credit counts with its fraction
    assert c.discrimination == pytest.approx(1.0)
    assert c.flags == () and c.option_picks == ()

    d = by_id[k.d.id]
    assert d.answers == 8  # Greta's unanswered item is not an answer
    assert d.facility == pytest.approx(0.25)
    assert d.discrimination == pytest.approx(1.0)
    assert d.flags == ("too_hard",)

    e = by_id[k.e.id]
    assert e.answers == 8
    assert e.facility == pytest.approx(1.0)
    assert e.discrimination == pytest.approx(0.0)
    assert e.flags == ("too_easy",)


def test_min_answers_leaves_out_rarely_answered_questions(klass) -> None:
    assert [s.question_id for s in item_analysis(db.session, min_answers=9)] == [klass.a.id]
    assert item_analysis(db.session, min_answers=10) == []


def test_now_leaves_out_later_answers(klass) -> None:
    before_retry = T0 + timedelta(hours=9, minutes=30)
    a = _by_id(item_analysis(db.session, now=before_retry))[klass.a.id]
    assert a.answers == 8
    assert a.facility == pytest.approx(0.75)
    assert a.discrimination == pytest.approx(1.0)  # Hans has only his wrong answer yet
    assert [p.picks for p in a.option_picks if p.correct] == [6]


def test_discrimination_needs_four_learners(klass) -> None:
    # By then only Anna, Bert and Clara had answered.
    stats = item_analysis(db.session, now=_start(2) + timedelta(minutes=30))
    assert len(stats) == 5
    assert all(s.answers == 3 and s.discrimination is None for s in stats)
    b = _by_id(stats)[klass.b.id]
    assert b.facility == pytest.approx(1 / 3)
    assert b.flags == ()  # no discrimination, and too few answers for easy/hard
    d = _by_id(stats)[klass.d.id]
    assert d.facility == pytest.approx(2 / 3) and d.flags == ()


def test_guests_count_as_learners_unless_left_out(klass) -> None:
    guest = User(is_guest=True, role="learner")
    db.session.add(guest)
    db.session.flush()
    _attempt(guest.id, T0 + timedelta(hours=12), [(klass.a, 0, klass.wrong_choices[2].id)])
    db.session.commit()

    a = _by_id(item_analysis(db.session))[klass.a.id]
    assert a.answers == 10
    assert a.facility == pytest.approx(0.7)
    # 9 learners: groups of round(2.43) = 2; the guest (0.0) and Greta (0.4) are the lower.
    assert a.discrimination == pytest.approx(1.0)
    assert [p.picks for p in a.option_picks if p.text == klass.wrong_choices[2].text] == [1]

    a = _by_id(item_analysis(db.session, include_guests=False))[klass.a.id]
    assert a.answers == 9
    assert a.discrimination == pytest.approx(2 / 3)
    assert [p.picks for p in a.option_picks if p.text == klass.wrong_choices[2].text] == [0]

    assert guest.id not in {row.user_id for row in class_overview(db.session)}


def test_class_overview_lists_learners_with_activity_attempts_and_mastery(klass) -> None:
    k = klass
    rows = class_overview(db.session)
    assert [row.username for row in rows] == [*LEARNERS, "nora"]  # no teacher, no guest
    by_name = {row.username: row for row in rows}

    assert by_name["anna"].last_activity == T0 + timedelta(hours=30)  # the flashcard review
    assert by_name["bert"].last_activity == _start(1) + timedelta(minutes=5)
    assert by_name["clara"].last_activity == _start(2) + timedelta(minutes=5)
    assert by_name["greta"].last_activity == _start(6) + timedelta(minutes=5)
    assert by_name["hans"].last_activity == T0 + timedelta(hours=10, minutes=1)
    assert {n: by_name[n].attempts for n in LEARNERS} == {
        **dict.fromkeys(LEARNERS, 1),
        "clara": 2,
        "hans": 2,
    }
    nora = by_name["nora"]
    assert (nora.last_activity, nora.attempts, nora.mastery) == (None, 0, {})

    for name in LEARNERS:
        # Latest score per question (Hans: his retry of A), then the mean per topic.
        latest = dict(zip((k.a, k.b, k.c, k.d, k.e), SCORES[name], strict=True))
        if name == "hans":
            latest[k.a] = 1
        if name == "anna":
            latest[k.rejected] = 0.0
        per_topic: defaultdict[str, list[float]] = defaultdict(list)
        for question, score in latest.items():
            per_topic[question.topic.name].append(score)
        expected = {topic: sum(s) / len(s) for topic, s in per_topic.items()}
        row = by_name[name]
        assert row.mastery == pytest.approx(expected), name
        assert list(row.mastery) == sorted(expected)  # topics in name order, for display
        assert row.mastery == pytest.approx(
            {m.topic: m.mean_score for m in topic_mastery(db.session, row.user_id)}
        )


def test_answers_given_through_the_quiz_pages(loaded_app) -> None:
    with loaded_app.app_context():
        # The smallest document quiz (every question of it, in one attempt).
        document_id = db.session.scalar(
            select(Document.id)
            .join(Question, Question.document_id == Document.id)
            .where(Question.status == "approved")
            .group_by(Document.id)
            .order_by(func.count(Question.id), Document.id)
            .limit(1)
        )
        # A quiz leaves out a question whose answer another one's prompt gives away: keep a
        # set without such pairs, so that every learner gets every question of the document.
        of_document = db.session.scalars(
            select(Question).where(
                Question.document_id == document_id, Question.status == "approved"
            )
        ).all()
        candidates = [
            Candidate(q.id, q.kind, q.prompt, q.answer, tuple(q.accepted)) for q in of_document
        ]
        expected_ids = {
            c.id for c in draw_compatible(candidates, len(candidates), random.Random(0))
        }
        for question in of_document:
            if question.id not in expected_ids:
                question.status = "retired"
        db.session.commit()
    right = {"ida": True, "jan": True, "kai": False, "lea": False}
    for name, good in right.items():
        make_user(loaded_app, name)
        client = loaded_app.test_client()
        login_as(client, name)
        attempt_id = start_quiz(client, "document", str(document_id), 50)
        while (item := current_item(loaded_app, attempt_id)) is not None:
            response = client.post(
                f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, good)
            )
            assert response.status_code == 303, response.get_data(as_text=True)

    with loaded_app.app_context():
        stats = item_analysis(db.session)
        assert {s.question_id for s in stats} == expected_ids
        kinds = set()
        for s in stats:
            assert s.answers == 4
            # 4 learners: one right learner is the upper group, one wrong learner the lower.
            assert s.discrimination is not None and s.discrimination > 0
            if s.kind in ("single_choice", "true_false"):
                kinds.add(s.kind)
                assert s.facility == pytest.approx(0.5)
                assert s.discrimination == pytest.approx(1.0)
                assert sum(p.picks for p in s.option_picks if p.correct) == 2
                assert sum(p.picks for p in s.option_picks if not p.correct) == 2
        assert kinds == {"single_choice", "true_false"}

        rows = class_overview(db.session)
        assert [row.username for row in rows] == list(right)
        for row in rows:
            last = db.session.scalar(
                select(func.max(AttemptItem.answered_at))
                .join(Attempt, Attempt.id == AttemptItem.attempt_id)
                .where(Attempt.user_id == row.user_id)
            )
            assert row.last_activity == last and row.attempts == 1
            assert row.mastery == pytest.approx(
                {m.topic: m.mean_score for m in topic_mastery(db.session, row.user_id)}
            )
            if right[row.username]:
                assert set(row.mastery.values()) == {1.0}


# ----------------------------------------------------------------------------- snapshot

LATER = T0 + timedelta(days=3)  # after every answer of the class
MINUTE = timedelta(minutes=1)


def test_the_snapshot_gives_back_the_analysis_it_stored(klass) -> None:
    assert load_snapshot(db.session) is None
    stats = item_analysis(db.session, now=LATER)
    assert any(s.option_picks for s in stats) and any(s.flags for s in stats)
    store_snapshot(db.session, LATER, stats)
    db.session.commit()
    db.session.expire_all()
    assert load_snapshot(db.session) == (LATER, stats)


def test_the_snapshot_counts_the_answers_until_it_was_computed(klass) -> None:
    before_hans_retried = T0 + timedelta(hours=9)
    store_snapshot(
        db.session, before_hans_retried, item_analysis(db.session, now=before_hans_retried)
    )
    db.session.commit()
    _, stored = load_snapshot(db.session)
    assert _by_id(stored)[klass.a.id].answers == 8  # not Hans's second try
    assert _by_id(item_analysis(db.session))[klass.a.id].answers == 9


def test_a_stale_snapshot_is_claimed_by_one_caller_only(klass) -> None:
    store_snapshot(db.session, LATER, item_analysis(db.session, now=LATER))
    db.session.commit()
    # Fresh: nobody refreshes it.
    assert not claim_refresh(db.session, LATER + 30 * timedelta(seconds=1), MINUTE)
    # Stale: the first caller gets it, everyone else keeps reading the stored figures.
    stale = LATER + 2 * MINUTE
    assert claim_refresh(db.session, stale, MINUTE)
    assert not claim_refresh(db.session, stale, MINUTE)
    assert not claim_refresh(db.session, stale + CLAIM_TIMEOUT - MINUTE, MINUTE)
    # A claim whose process died is taken over.
    assert claim_refresh(db.session, stale + CLAIM_TIMEOUT + MINUTE, MINUTE)
    # Storing the refreshed figures releases the claim; they are fresh again.
    refreshed = stale + CLAIM_TIMEOUT + 2 * MINUTE
    store_snapshot(db.session, refreshed, item_analysis(db.session, now=refreshed))
    db.session.commit()
    assert not claim_refresh(db.session, refreshed + 30 * timedelta(seconds=1), MINUTE)
    assert claim_refresh(db.session, refreshed + 2 * MINUTE, MINUTE)


def test_a_late_refresh_does_not_overwrite_newer_figures(klass) -> None:
    newer = item_analysis(db.session, now=LATER)
    store_snapshot(db.session, LATER, newer)
    older_time = T0 + timedelta(hours=9)
    store_snapshot(db.session, older_time, item_analysis(db.session, now=older_time))
    db.session.commit()
    db.session.expire_all()
    assert load_snapshot(db.session) == (LATER, newer)
