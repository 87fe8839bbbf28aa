"""Assignments over HTTP: what they hold, their window, attempts, time limits and feedback."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, AttemptItem, CardSettings, Question, Topic
from tests.classes.kit import (
    approved_ids,
    assignment_form,
    attempts_of,
    code_of,
    create_assignment,
    create_class,
    join,
    local,
    logged_in,
    start,
)
from tests.helpers import answer_data, current_item

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def school(loaded_app: Flask) -> tuple[FlaskClient, int, FlaskClient]:
    """A teacher with a class that anna is in; returns (teacher, class id, anna)."""
    teacher = logged_in(loaded_app, "frau-meier", "teacher")
    class_id = create_class(teacher, "10b")
    anna = logged_in(loaded_app, "anna")
    assert join(anna, code_of(loaded_app, class_id)) == 302
    return teacher, class_id, anna


def _items(app: Flask, attempt_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AttemptItem.question_id)
                .where(AttemptItem.attempt_id == attempt_id)
                .order_by(AttemptItem.position)
            )
        )


def _answer(client: FlaskClient, app: Flask, attempt_id: int, right: bool = True) -> int:
    item = current_item(app, attempt_id)
    url = f"/quiz/{attempt_id}/{item.position}"
    return client.post(url, data=answer_data(item, right)).status_code


def _new(teacher: FlaskClient, class_id: int, **changes: object) -> tuple[int, str]:
    response = teacher.post(
        f"/teach/classes/{class_id}/assignments/new", data=assignment_form(**changes)
    )
    return response.status_code, response.get_data(as_text=True)


# --------------------------------------------------------------------------- content


def test_chosen_questions_in_the_teachers_order(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = list(reversed(approved_ids(loaded_app, 4)))
    assignment_id = create_assignment(teacher, class_id, question_ids=", ".join(ids))
    status, attempt_id = start(anna, assignment_id)
    assert status == 303
    assert _items(loaded_app, attempt_id) == ids
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.mode, attempt.title) == ("assignment", "Hausaufgabe Portsmouth")


def test_shuffled_order_differs_between_attempts(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = approved_ids(loaded_app, 10, kinds=("single_choice", "true_false"))
    assignment_id = create_assignment(teacher, class_id, question_ids="\n".join(ids), shuffle="y")
    orders = []
    for _ in range(2):
        _, attempt_id = start(anna, assignment_id)
        orders.append(_items(loaded_app, attempt_id))
        for _ in ids:
            assert _answer(anna, loaded_app, attempt_id) == 303
    assert all(sorted(order) == sorted(ids) for order in orders)
    assert any(order != ids for order in orders)


def test_a_topic_a_document_and_random_questions(loaded_app, school) -> None:
    teacher, class_id, anna = school
    with loaded_app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.slug == "japan-russland-heute"))
        topic_id = topic.id
        document_id = db.session.scalar(
            select(Question.document_id).where(Question.status == "approved").limit(1)
        )
    by_topic = create_assignment(teacher, class_id, source="topic", topic=str(topic_id))
    by_document = create_assignment(teacher, class_id, source="document", document=str(document_id))
    random_ten = create_assignment(
        teacher, class_id, source="random", question_count="10", topic=str(topic_id)
    )
    random_all = create_assignment(teacher, class_id, source="random", question_count="7")
    with loaded_app.app_context():
        for assignment_id, field, value in (
            (by_topic, Question.topic_id, topic_id),
            (by_document, Question.document_id, document_id),
            (random_ten, Question.topic_id, topic_id),
        ):
            _, attempt_id = start(anna, assignment_id)
            ids = _items(loaded_app, attempt_id)
            assert ids
            values = set(db.session.scalars(select(field).where(Question.id.in_(ids))))
            assert values == {value}
        # No question drawn gives away another's answer: a small topic may give fewer.
        assert 5 <= len(_items(loaded_app, start(anna, random_ten)[1])) <= 10
        assert len(_items(loaded_app, start(anna, random_all)[1])) == 7


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"question_ids": "gibt-es-nicht, auch-nicht"}, "gibt-es-nicht, auch-nicht"),
        ({"question_ids": ""}, "keine freigegebenen Fragen"),
        ({"source": "topic", "topic": ""}, "Bitte wähle ein Thema."),
        ({"source": "topic", "topic": "abc"}, "Bitte wähle ein Thema."),
        ({"source": "topic", "topic": "99999999999999999999"}, "Bitte wähle ein Thema."),
        ({"source": "document", "document": "2147483647"}, "Bitte wähle ein Dokument."),
        ({"source": "random", "question_count": "0"}, "Bitte eine Zahl von 1 bis 50."),
        ({"source": "random", "question_count": "51"}, "Bitte eine Zahl von 1 bis 50."),
        ({"due_at": "morgen"}, "Bitte gib Datum und Uhrzeit an"),
        ({"due_at": "2020-01-01T10:00"}, "Der Abgabetermin liegt in der Vergangenheit."),
        ({"max_attempts": "0"}, "Bitte eine Zahl von 1 bis 20"),
        ({"max_attempts": "zwei"}, "Bitte eine Zahl von 1 bis 20"),
        ({"time_limit": "601"}, "Bitte eine Zahl von 1 bis 600 Minuten"),
        ({"feedback": "after_due", "due_at": ""}, "braucht es einen Termin"),
        ({"kind": "deck", "source": "questions"}, "Ein Stapel ist ein Thema oder ein Dokument."),
        ({"kind": "deck", "source": "topic", "topic": "1", "due_at": ""}, "Ein Stapel braucht"),
        ({"kind": "quiz-ohne-art"}, "Keine gültige Auswahl."),
        ({"title": ""}, "Bitte gib der Aufgabe einen Titel."),
    ],
)
def test_bad_assignments_are_refused_with_a_german_message(
    loaded_app, school, changes: dict, message: str
) -> None:
    teacher, class_id, _ = school
    changes.setdefault("question_ids", "\n".join(approved_ids(loaded_app, 2)))
    status, page = _new(teacher, class_id, **changes)
    assert status == 400
    assert message in page
    with loaded_app.app_context():
        assert db.session.scalar(select(Assignment.id)) is None


def test_opening_must_come_before_the_deadline(loaded_app, school) -> None:
    teacher, class_id, _ = school
    due = datetime.now(UTC) + timedelta(days=2)
    status, page = _new(
        teacher,
        class_id,
        question_ids=approved_ids(loaded_app, 1)[0],
        opens_at=local(due + timedelta(hours=1)),
        due_at=local(due),
    )
    assert status == 400 and "Der Beginn muss vor dem Abgabetermin liegen." in page


# --------------------------------------------------------------------------- rules


def test_no_start_before_the_window_opens_or_after_the_deadline(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = "\n".join(approved_ids(loaded_app, 2))
    with time_machine.travel(T0, tick=False) as clock:
        assignment_id = create_assignment(
            teacher,
            class_id,
            question_ids=ids,
            opens_at=local(T0 + timedelta(days=1)),
            due_at=local(T0 + timedelta(days=2)),
        )
        status, attempt_id = start(anna, assignment_id)
        assert (status, attempt_id) == (400, None)
        home = anna.get("/").get_data(as_text=True)
        assert "ab 24. November 2026, 09:00 Uhr" in home
        clock.move_to(T0 + timedelta(days=1))
        status, attempt_id = start(anna, assignment_id)
        assert status == 303 and attempt_id
        for _ in range(2):
            _answer(anna, loaded_app, attempt_id)
        clock.move_to(T0 + timedelta(days=2))
        response = anna.post(f"/classes/assignments/{assignment_id}/start")
        assert response.status_code == 400
        assert "ist vorbei; diese Aufgabe kann nicht mehr gestartet werden" in response.get_data(
            as_text=True
        )
    assert len(attempts_of(loaded_app, assignment_id)) == 1


def test_the_number_of_attempts_is_kept(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = approved_ids(loaded_app, 2)
    assignment_id = create_assignment(
        teacher, class_id, question_ids="\n".join(ids), max_attempts="2"
    )
    first = start(anna, assignment_id)[1]
    # Starting again while an attempt runs resumes it: one click, no new attempt.
    assert start(anna, assignment_id) == (303, first)
    for _ in ids:
        _answer(anna, loaded_app, first)
    second = start(anna, assignment_id)[1]
    assert second != first
    for _ in ids:
        _answer(anna, loaded_app, second, right=False)
    response = anna.post(f"/classes/assignments/{assignment_id}/start")
    assert response.status_code == 400
    assert "Du hast alle erlaubten Versuche dieser Aufgabe genutzt (2 von 2)." in (
        response.get_data(as_text=True)
    )
    assert len(attempts_of(loaded_app, assignment_id)) == 2


def test_a_learner_outside_the_class_sees_nothing_of_it(loaded_app, school) -> None:
    teacher, class_id, anna = school
    assignment_id = create_assignment(
        teacher, class_id, question_ids=approved_ids(loaded_app, 1)[0]
    )
    _, attempt_id = start(anna, assignment_id)
    outsider = logged_in(loaded_app, "olga")
    assert outsider.get(f"/classes/assignments/{assignment_id}").status_code == 404
    assert outsider.post(f"/classes/assignments/{assignment_id}/start").status_code == 404
    assert outsider.get(f"/quiz/{attempt_id}").status_code == 404
    assert outsider.get(f"/quiz/{attempt_id}/results").status_code == 404
    assert "Hausaufgabe" not in outsider.get("/").get_data(as_text=True)
    assert "Hausaufgabe" not in outsider.get("/classes/").get_data(as_text=True)
    assert attempts_of(loaded_app, assignment_id)[0].user_id != 0  # only anna's


def test_the_time_limit_is_kept_by_the_server(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = approved_ids(loaded_app, 3)
    with time_machine.travel(T0, tick=False) as clock:
        assignment_id = create_assignment(
            teacher, class_id, question_ids="\n".join(ids), time_limit="10"
        )
        _, attempt_id = start(anna, assignment_id)
        page = anna.get(f"/quiz/{attempt_id}").get_data(as_text=True)
        assert 'data-seconds="600"' in page and "Verbleibende Zeit" in page
        clock.shift(timedelta(minutes=4))
        assert _answer(anna, loaded_app, attempt_id) == 303
        # The page stayed open past the limit: the answer arrives too late and is not counted.
        item = current_item(loaded_app, attempt_id)
        clock.shift(timedelta(minutes=6))
        response = anna.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item))
        assert response.status_code == 400
        assert "diese Antwort zählt nicht mehr" in response.get_data(as_text=True)
    with loaded_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state == "finished"
        assert attempt.finished_at == T0 + timedelta(minutes=10)
        assert attempt.score == 1.0
        notes = [(i.note, i.score) for i in attempt.items]
        assert notes[1:] == [("time_up", None), ("time_up", None)]
    results = anna.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
    assert "1,0 von 3 Punkten" in results


def test_an_attempt_left_open_closes_itself_when_the_learner_comes_back(loaded_app, school) -> None:
    teacher, class_id, anna = school
    with time_machine.travel(T0, tick=False) as clock:
        assignment_id = create_assignment(
            teacher, class_id, question_ids="\n".join(approved_ids(loaded_app, 2)), time_limit="5"
        )
        _, attempt_id = start(anna, assignment_id)
        clock.shift(timedelta(hours=3))
        response = anna.get(f"/quiz/{attempt_id}")
        assert response.status_code == 302 and response.headers["Location"].endswith("/results")
        page = anna.get(response.headers["Location"]).get_data(as_text=True)
        assert "0,0 von 2 Punkten" in page
        assert "Die Zeit für diese Aufgabe ist abgelaufen" in page


def test_the_deadline_ends_a_running_attempt_and_can_be_moved(loaded_app, school) -> None:
    teacher, class_id, anna = school
    with time_machine.travel(T0, tick=False) as clock:
        assignment_id = create_assignment(
            teacher,
            class_id,
            question_ids="\n".join(approved_ids(loaded_app, 3)),
            due_at=local(T0 + timedelta(minutes=30)),
        )
        _, attempt_id = start(anna, assignment_id)
        assert attempts_of(loaded_app, assignment_id)[0].ends_at == T0 + timedelta(minutes=30)
        # The teacher gives another hour: the running attempt gets it too.
        edit = assignment_form(due_at=local(T0 + timedelta(minutes=90)))
        response = teacher.post(
            f"/teach/classes/{class_id}/assignments/{assignment_id}/edit", data=edit
        )
        assert response.status_code == 302
        assert attempts_of(loaded_app, assignment_id)[0].ends_at == T0 + timedelta(minutes=90)
        clock.shift(timedelta(minutes=60))
        assert _answer(anna, loaded_app, attempt_id) == 303
        clock.shift(timedelta(minutes=31))
        assert _answer(anna, loaded_app, attempt_id) == 400


def test_tests_show_the_right_answers_only_after_the_deadline(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = approved_ids(loaded_app, 2)
    with time_machine.travel(T0, tick=False) as clock:
        assignment_id = create_assignment(
            teacher,
            class_id,
            question_ids="\n".join(ids),
            feedback="after_due",
            due_at=local(T0 + timedelta(days=1)),
        )
        _, attempt_id = start(anna, assignment_id)
        item = current_item(loaded_app, attempt_id)
        right = item.question.answer
        response = anna.post(
            f"/quiz/{attempt_id}/{item.position}",
            data=answer_data(item, right=False),
            follow_redirects=True,
        )
        page = response.get_data(as_text=True)
        assert "Ob sie richtig war, siehst du nach dem Abgabetermin" in page
        assert "Leider falsch" not in page and "Richtige Antwort" not in page
        assert anna.get(f"/quiz/{attempt_id}/0/feedback").status_code == 302
        _answer(anna, loaded_app, attempt_id)
        results = anna.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
        assert "1,0 von 2 Punkten" in results
        assert "Welche Antworten richtig waren, siehst du nach dem Abgabetermin" in results
        assert f"Richtig: {right}" not in results
        clock.shift(timedelta(days=1))
        results = anna.get(f"/quiz/{attempt_id}/results").get_data(as_text=True)
        assert "Richtig:" in results
        assert anna.get(f"/quiz/{attempt_id}/0/feedback").status_code == 200


# --------------------------------------------------------------------------- decks


def test_a_deck_assignment_opens_the_cards_and_counts_cards_learned(loaded_app, school) -> None:
    teacher, class_id, anna = school
    with loaded_app.app_context():
        topic_id = db.session.scalar(select(Topic.id).where(Topic.slug == "japan-russland-heute"))
        total = len(
            db.session.scalars(
                select(Question.id).where(
                    Question.topic_id == topic_id, Question.status == "approved"
                )
            ).all()
        )
    assignment_id = create_assignment(
        teacher, class_id, kind="deck", source="topic", topic=str(topic_id), title="Stapel"
    )
    response = anna.post(f"/classes/assignments/{assignment_id}/start")
    assert response.status_code == 303 and response.headers["Location"] == "/cards/review"
    with loaded_app.app_context():
        settings = db.session.get(CardSettings, attempts_user(loaded_app, "anna"))
        assert settings.decks == ["topic:japan-russland-heute"]
    anna.post(
        "/cards/settings",
        data={
            "desired_retention": "0,9",
            "new_per_day": "100",
            "reviews_per_day": "300",
            "timezone": "Europe/Berlin",
        },
    )
    for _ in range(total):
        page = anna.get("/cards/review").get_data(as_text=True)
        qid = re.search(r'href="/cards/review\?show=([^"]+)"', page).group(1)
        data = {"question_id": qid, "version": "0", "rating": "3"}
        assert anna.post("/cards/rate", data=data).status_code == 303
    page = anna.get(f"/classes/assignments/{assignment_id}").get_data(as_text=True)
    assert f"{total} von {total} Karten gelernt – erledigt" in page
    results = teacher.get(f"/teach/classes/{class_id}/assignments/{assignment_id}")
    assert f"{total} von {total}" in results.get_data(as_text=True)
    book = teacher.get(f"/teach/classes/{class_id}/assignments/{assignment_id}/export")
    rows = book.data.decode("utf-8-sig").splitlines()
    assert rows[0] == "Name;Status;Gelernte Karten;Karten;Erledigt am"
    assert rows[1].startswith(f"anna;erledigt;{total};{total};")


def attempts_user(app: Flask, name: str) -> int:
    from tests.helpers import user_id

    return user_id(app, name)


# --------------------------------------------------------------------------- home page


def test_home_lists_due_soon_first_and_marks_overdue(loaded_app, school) -> None:
    teacher, class_id, anna = school
    ids = "\n".join(approved_ids(loaded_app, 1))
    with time_machine.travel(T0, tick=False) as clock:
        create_assignment(
            teacher,
            class_id,
            title="Später",
            question_ids=ids,
            due_at=local(T0 + timedelta(days=5)),
        )
        create_assignment(
            teacher, class_id, title="Bald", question_ids=ids, due_at=local(T0 + timedelta(days=3))
        )
        create_assignment(
            teacher,
            class_id,
            title="Verpasst",
            question_ids=ids,
            due_at=local(T0 + timedelta(days=1)),
        )
        create_assignment(teacher, class_id, title="Ohne Termin", question_ids=ids, due_at="")
        clock.shift(timedelta(days=2))
        page = anna.get("/").get_data(as_text=True)
        order = [page.index(t) for t in ("Verpasst", "Bald", "Später", "Ohne Termin")]
        assert order == sorted(order)
        overdue = page[page.index("Verpasst") : page.index("Bald")]
        assert "überfällig" in overdue and "Starten" not in overdue
        assert page.count(">Starten</button>") == 3
