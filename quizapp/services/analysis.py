"""Item analysis and a class overview for teachers, after Moodle's quiz statistics report.

Which answers count
    Answered items only (``AttemptItem.answered_at`` set and, when ``now`` is given, not later
    than ``now``) of *approved* questions, in attempts by users with role "learner". Guests are
    learners too and count unless ``include_guests=False``; teachers' trial runs never count.
    Every answer counts, repeats from later attempts included: Moodle's "all attempts" choice,
    better suited to small classes than its default of first attempts only. A class's or an
    assignment's analysis (``where``) counts only the answers in its attempts.

Formulas (``s`` is an item score in 0..1; partial credit counts with its fraction)
    Facility index of question q (Moodle: "Facility index", the mean score as a share of the
    maximum score; ours is 1)::

        F(q) = sum of s over the answers to q / number of answers to q

    Learner total, the basis for ranking: the mean item score over all of the learner's
    counted answers, to any question::

        T(u) = sum of s over u's answers / number of u's answers

    Upper and lower groups (Kelley's 27 %): with N >= 4 distinct learners, rank them by T(u)
    (best first; ties by user id, so the result is stable) and take ``k = max(1, round(0.27 N))``
    (halves round up) from each end. Fewer than 4 learners: no groups, no discrimination.

    Discrimination index of q::

        D(q) = F_upper(q) - F_lower(q)

    where ``F_G(q)`` is the facility over the answers to q given by members of group G. It
    lies in -1..1 and is None when either group gave no answer to q. Positive: the stronger
    learners do better on the question, as they should; negative: something is wrong with it
    (a misleading prompt, a wrong key).

    Moodle documents both figures in "Quiz statistics calculations"
    (https://docs.moodle.org/dev/Quiz_statistics_calculations). Its facility index is the one
    above, in percent. Its current report computes the discrimination index as the correlation
    of item score with rest-of-test score; the upper-minus-lower-27 % index used here is the
    classical hand-computable variant with the same sign and reading.

Flags
    ``too_easy``: F > 0.9 with at least 5 answers; ``too_hard``: F < 0.3 with at least 5
    answers; ``negative_discrimination``: D < 0.

Option picks
    Single and multiple choice: every option of the question (in its stored order) with its
    credit (``quizapp.credit``) and how often it was chosen; a multiple-choice answer picks
    each of its options once, so the counts add up to more than the answers. Picks of an
    option the question no longer has are not listed. True/false: "wahr" and "falsch" with
    their counts. Other kinds: none.

Stored snapshot
    Computing the school's analysis reads every answer ever given (seconds at a million
    answers), so its result is stored in one row (``AnalysisSnapshot``) that the teachers'
    pages read: ``store_snapshot`` writes it, ``load_snapshot`` reads it, ``claim_refresh``
    lets exactly one of many callers refresh a stale one. The web layer runs the refresh off
    the request path (``quizapp.teach.snapshot``). A class's or an assignment's analysis
    counts only its own attempts and is computed when asked.

Class overview
    Every learner who is not a guest: the latest activity (last quiz answer or flashcard
    rating), number of attempts started, and mastery per topic exactly as
    ``quizapp.services.quiz.topic_mastery`` defines it (mean of the latest score per question),
    for all learners in one grouped query.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Text, case, cast, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from quizapp.credit import credits
from quizapp.models import (
    AnalysisSnapshot,
    Attempt,
    AttemptItem,
    Choice,
    Question,
    ReviewLog,
    Topic,
    User,
)

#: Share of learners in each of the upper and lower groups.
GROUP_SHARE = 0.27
#: Fewest distinct learners for which groups, and so discrimination, are computed.
MIN_LEARNERS = 4
#: Fewest answers before a question is flagged as too easy or too hard.
FLAG_MIN_ANSWERS = 5
TOO_EASY = 0.9
TOO_HARD = 0.3
#: Kinds whose answers are broken down by option.
PICK_KINDS = ("single_choice", "multiple_choice", "true_false")
#: Tolerance below zero before a discrimination counts as negative (float noise).
_EPSILON = 1e-9


@dataclass(frozen=True)
class OptionPick:
    """An option of a question and how often learners chose it."""

    text: str
    correct: bool
    picks: int
    credit: float | None = None  # choice kinds: the option's credit in per cent


@dataclass(frozen=True)
class ItemStats:
    """Statistics of one question over the counted learner answers."""

    question_id: str
    kind: str
    prompt: str
    topic: str
    answers: int
    facility: float  # mean score, 0..1
    discrimination: float | None  # -1..1; None without groups or group answers
    option_picks: tuple[OptionPick, ...]  # single/multiple choice, true/false; else empty
    flags: tuple[str, ...]  # "too_easy", "too_hard", "negative_discrimination"


@dataclass(frozen=True)
class LearnerRow:
    """One learner in the class overview."""

    user_id: int
    username: str
    last_activity: datetime | None  # latest quiz answer or flashcard rating
    attempts: int
    mastery: dict[str, float]  # topic name (sorted) -> mean of the latest score per question


def item_analysis(
    session: Session,
    *,
    min_answers: int = 1,
    now: datetime | None = None,
    include_guests: bool = True,
    where: Any = None,
) -> list[ItemStats]:
    """Return statistics of the approved questions with at least ``min_answers`` answers.

    Answers given after ``now`` (when given) are left out. ``where`` narrows the answers
    counted with one more condition on their Attempt, AttemptItem or User (a class's or an
    assignment's attempts: ``quizapp.services.classes``); the upper and lower groups are then
    formed within those answers. Sorted by question id.
    """
    conditions = _counted_answers(now, include_guests)
    if where is not None:
        conditions.append(where)
    tallies = _tallies(session, conditions, _groups(session, conditions))
    wanted = sorted(qid for qid, t in tallies.items() if t.answers >= max(1, min_answers))
    if not wanted:
        return []
    meta = {
        qid: (kind, prompt, answer, topic)
        for qid, kind, prompt, answer, topic in session.execute(
            select(Question.id, Question.kind, Question.prompt, Question.answer, Topic.name)
            .join(Topic, Topic.id == Question.topic_id)
            .where(Question.id.in_(wanted))
        )
    }
    picks = _option_picks(session, conditions, meta)
    result = []
    for qid in wanted:
        kind, prompt, _, topic = meta[qid]
        tally = tallies[qid]
        facility = tally.total / tally.answers
        discrimination = None
        if tally.upper_answers and tally.lower_answers:
            top = tally.upper_total / tally.upper_answers
            discrimination = top - tally.lower_total / tally.lower_answers
        result.append(
            ItemStats(
                question_id=qid,
                kind=kind,
                prompt=prompt,
                topic=topic,
                answers=tally.answers,
                facility=facility,
                discrimination=discrimination,
                option_picks=picks.get(qid, ()),
                flags=_flags(facility, tally.answers, discrimination),
            )
        )
    return result


def class_overview(session: Session) -> list[LearnerRow]:
    """Return every learner who is not a guest, with activity, attempts and mastery by topic.

    Sorted by user name (case-insensitive).
    """
    attempts = select(Attempt.user_id, func.count().label("n")).group_by(Attempt.user_id).subquery()
    answered = (
        select(Attempt.user_id, func.max(AttemptItem.answered_at).label("at"))
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .group_by(Attempt.user_id)
        .subquery()
    )
    reviewed = (
        select(ReviewLog.user_id, func.max(ReviewLog.reviewed_at).label("at"))
        .group_by(ReviewLog.user_id)
        .subquery()
    )
    rows = session.execute(
        select(User.id, User.username, attempts.c.n, answered.c.at, reviewed.c.at)
        .outerjoin(attempts, attempts.c.user_id == User.id)
        .outerjoin(answered, answered.c.user_id == User.id)
        .outerjoin(reviewed, reviewed.c.user_id == User.id)
        .where(_class_member())
        .order_by(User.username_key, User.id)
    ).all()
    mastery = _mastery_by_learner(session)
    return [
        LearnerRow(
            user_id=user_id,
            username=username or "",
            last_activity=_latest(last_answer, last_review),
            attempts=n or 0,
            mastery=mastery.get(user_id, {}),
        )
        for user_id, username, n, last_answer, last_review in rows
    ]


def _latest(*times: datetime | None) -> datetime | None:
    """Return the latest of ``times`` that is set, or None."""
    return max((t for t in times if t is not None), default=None)


def _class_member() -> Any:
    """Return the condition for a learner with an account (not a guest)."""
    return (User.role == "learner") & User.is_guest.is_(False)


def _counted_answers(now: datetime | None, include_guests: bool) -> list[Any]:
    """Return the WHERE conditions of the answers item analysis counts."""
    conditions = [
        AttemptItem.answered_at.is_not(None),
        AttemptItem.score.is_not(None),  # a skipped (unaskable) question has no score
        Question.status == "approved",
        User.role == "learner",
    ]
    if now is not None:
        conditions.append(AttemptItem.answered_at <= now)
    if not include_guests:
        conditions.append(User.is_guest.is_(False))
    return conditions


def _answers_query(*columns: Any) -> Any:
    """Return a SELECT of ``columns`` over answers joined to their attempt, user and question."""
    return (
        select(*columns)
        .select_from(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Question, Question.id == AttemptItem.question_id)
    )


@dataclass
class _Tally:
    """A question's answers and summed score: all, and those of the upper and lower group."""

    answers: int = 0
    total: float = 0.0
    upper_answers: int = 0
    upper_total: float = 0.0
    lower_answers: int = 0
    lower_total: float = 0.0


def _groups(session: Session, conditions: list[Any]) -> tuple[list[int], list[int]] | None:
    """Return the upper and lower 27 % of learners by mean item score, or None if too few.

    One grouped query (a row per learner): the answers are summed in the database, however
    many there are.
    """
    score = func.coalesce(AttemptItem.score, 0.0)
    means = {
        user_id: float(total or 0.0) / count
        for user_id, count, total in session.execute(
            _answers_query(Attempt.user_id, func.count(), func.sum(score))
            .where(*conditions)
            .group_by(Attempt.user_id)
        )
    }
    if len(means) < MIN_LEARNERS:
        return None
    size = max(1, math.floor(GROUP_SHARE * len(means) + 0.5))
    ranked = sorted(means, key=lambda u: (-means[u], u))
    return ranked[:size], ranked[-size:]


def _tallies(
    session: Session, conditions: list[Any], groups: tuple[list[int], list[int]] | None
) -> dict[str, _Tally]:
    """Return question id -> its tally (one query grouped by question and learner group)."""
    upper, lower = groups or ([], [])
    group = case((Attempt.user_id.in_(upper), 1), (Attempt.user_id.in_(lower), -1), else_=0).label(
        "learner_group"
    )
    score = func.coalesce(AttemptItem.score, 0.0)
    tallies: defaultdict[str, _Tally] = defaultdict(_Tally)
    for question_id, in_group, count, total in session.execute(
        _answers_query(AttemptItem.question_id, group, func.count(), func.sum(score))
        .where(*conditions)
        .group_by(AttemptItem.question_id, group)
    ):
        tally, total = tallies[question_id], float(total or 0.0)
        tally.answers += count
        tally.total += total
        if in_group == 1:
            tally.upper_answers, tally.upper_total = count, total
        elif in_group == -1:
            tally.lower_answers, tally.lower_total = count, total
    return tallies


def _flags(facility: float, answers: int, discrimination: float | None) -> tuple[str, ...]:
    """Return the warnings a question earns."""
    flags = []
    if answers >= FLAG_MIN_ANSWERS and facility > TOO_EASY:
        flags.append("too_easy")
    if answers >= FLAG_MIN_ANSWERS and facility < TOO_HARD:
        flags.append("too_hard")
    if discrimination is not None and discrimination < -_EPSILON:
        flags.append("negative_discrimination")
    return tuple(flags)


def _option_picks(
    session: Session, conditions: list[Any], meta: dict[str, tuple[str, str, str, str]]
) -> dict[str, tuple[OptionPick, ...]]:
    """Return option pick counts of the choice and true/false questions in ``meta``."""
    ids = [qid for qid, (kind, *_) in meta.items() if kind in PICK_KINDS]
    if not ids:
        return {}
    # JSON has no equality on PostgreSQL, so group by its text; parsing it evens out spelling.
    response = cast(AttemptItem.response, Text)
    counted: defaultdict[str, defaultdict[Any, int]] = defaultdict(lambda: defaultdict(int))
    for question_id, raw, n in session.execute(
        _answers_query(AttemptItem.question_id, response, func.count())
        .where(*conditions, AttemptItem.question_id.in_(ids))
        .group_by(AttemptItem.question_id, response)
    ):
        value = _parse(raw)
        # A multiple-choice answer is a list of option ids: each of them was picked.
        for picked in set(value) if isinstance(value, list) else [value]:
            if isinstance(picked, int | str):
                counted[question_id][picked] += n
    rows: defaultdict[str, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(Choice.question_id, Choice.id, Choice.text, Choice.correct, Choice.weight)
        .where(Choice.question_id.in_(ids))
        .order_by(Choice.question_id, Choice.position)
    ):
        rows[row.question_id].append(row)
    options: defaultdict[str, list[OptionPick]] = defaultdict(list)
    for qid in ids:
        kind, _, answer, _ = meta[qid]
        if kind == "true_false":
            options[qid] = [
                OptionPick(value, answer == value, counted[qid].get(value, 0))
                for value in ("wahr", "falsch")
            ]
            continue
        choices = rows.get(qid, [])
        for row, credit in zip(choices, credits(kind, choices), strict=True):
            picks = counted[qid].get(row.id, 0)
            options[qid].append(OptionPick(row.text, credit > 0, picks, credit))
    return {qid: tuple(options[qid]) for qid in ids}


def _parse(raw: str | None) -> Any:
    """Return a stored JSON response as a Python value (None if unreadable)."""
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _mastery_by_learner(session: Session) -> dict[int, dict[str, float]]:
    """Return learner id -> topic name -> mean latest score per question (one grouped query)."""
    latest = (
        select(
            Attempt.user_id,
            AttemptItem.question_id,
            AttemptItem.score,
            func.row_number()
            .over(
                partition_by=(Attempt.user_id, AttemptItem.question_id),
                order_by=AttemptItem.answered_at.desc(),
            )
            .label("rn"),
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .where(AttemptItem.answered_at.is_not(None), AttemptItem.score.is_not(None))
        .where(_class_member())
        .subquery()
    )
    rows = session.execute(
        select(latest.c.user_id, Topic.name, func.avg(latest.c.score))
        .join(Question, Question.id == latest.c.question_id)
        .join(Topic, Topic.id == Question.topic_id)
        .where(latest.c.rn == 1)
        .group_by(latest.c.user_id, Topic.name)
        .order_by(latest.c.user_id, Topic.name)
    )
    mastery: defaultdict[int, dict[str, float]] = defaultdict(dict)
    for user_id, topic, mean in rows:
        mastery[user_id][topic] = float(mean or 0.0)
    return dict(mastery)


#: The one scope of the stored analysis: every counted answer in the school.
SCHOOL = "school"
#: A refresh claimed longer ago than this is taken over (its process died while computing).
CLAIM_TIMEOUT = timedelta(minutes=5)


def snapshot_time(session: Session) -> datetime | None:
    """Return when the stored snapshot was computed, or None before the first."""
    return session.scalar(
        select(AnalysisSnapshot.computed_at).where(AnalysisSnapshot.scope == SCHOOL)
    )


def load_snapshot(session: Session) -> tuple[datetime, list[ItemStats]] | None:
    """Return (when computed, item statistics) as last stored, or None before the first."""
    row = session.execute(
        select(AnalysisSnapshot.computed_at, AnalysisSnapshot.items).where(
            AnalysisSnapshot.scope == SCHOOL
        )
    ).first()
    if row is None:
        return None
    return row.computed_at, [_item_from_json(item) for item in row.items]


def claim_refresh(session: Session, now: datetime, max_age: timedelta) -> bool:
    """Claim the refresh of a snapshot older than ``max_age``: True for the one claimant.

    One conditional UPDATE, so of many processes asking at once exactly one gets it; a
    claim older than ``CLAIM_TIMEOUT`` counts as abandoned.
    """
    claim = (
        update(AnalysisSnapshot)
        .where(
            AnalysisSnapshot.scope == SCHOOL,
            AnalysisSnapshot.computed_at < now - max_age,
            or_(
                AnalysisSnapshot.refresh_started_at.is_(None),
                AnalysisSnapshot.refresh_started_at < now - CLAIM_TIMEOUT,
            ),
        )
        .values(refresh_started_at=now)
        .execution_options(synchronize_session=False)
    )
    return session.execute(claim).rowcount == 1


def store_snapshot(session: Session, now: datetime, items: list[ItemStats]) -> None:
    """Store ``items``, computed from the answers given until ``now``, and release the claim.

    A refresh that finishes after a later one leaves the later figures in place.
    """
    values = {
        "computed_at": now,
        "items": [asdict(item) for item in items],
        "refresh_started_at": None,
    }
    dialect = session.get_bind().dialect.name
    insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert_(AnalysisSnapshot).values(scope=SCHOOL, **values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["scope"],
            set_=values,
            where=AnalysisSnapshot.computed_at <= now,
        )
    )


def _item_from_json(data: dict[str, Any]) -> ItemStats:
    """Return the ItemStats that ``asdict`` turned into ``data`` (and JSON kept)."""
    return ItemStats(
        **{
            **data,
            "option_picks": tuple(OptionPick(**pick) for pick in data["option_picks"]),
            "flags": tuple(data["flags"]),
        }
    )
