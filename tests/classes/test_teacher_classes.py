"""Teachers and their classes over HTTP: sharing, members, deleting, results, grade book,
drill-down and item analysis per class and per assignment."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.formats.csvio import neutralise
from quizapp.models import (
    Assignment,
    Attempt,
    CardState,
    ClassMember,
    ClassTeacher,
    ReviewLog,
    SchoolClass,
)
from quizapp.services.analysis import item_analysis
from quizapp.services.classes import assignment_answers, class_answers
from tests.classes.kit import (
    approved_ids,
    code_of,
    create_assignment,
    create_class,
    join,
    logged_in,
    start,
)
from tests.helpers import answer_data, current_item, start_quiz, user_id

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def teacher(loaded_app: Flask) -> FlaskClient:
    return logged_in(loaded_app, "frau-meier", "teacher")


def _finish(client: FlaskClient, app: Flask, attempt_id: int, pattern: list[bool]) -> None:
    for right in pattern:
        item = current_item(app, attempt_id)
        response = client.post(f"/quiz/{attempt_id}/{item.position}", data=answer_data(item, right))
        assert response.status_code == 303


def test_a_teacher_sees_only_their_own_classes(loaded_app, teacher) -> None:
    mine = create_class(teacher, "10b")
    other = logged_in(loaded_app, "herr-kim", "teacher")
    theirs = create_class(other, "7c")
    page = teacher.get("/teach/classes/").get_data(as_text=True)
    assert "10b" in page and "7c" not in page
    for url in (
        f"/teach/classes/{theirs}",
        f"/teach/classes/{theirs}/edit",
        f"/teach/classes/{theirs}/analysis",
        f"/teach/classes/{theirs}/assignments/new",
    ):
        assert teacher.get(url).status_code == 404, url
    assert teacher.post(f"/teach/classes/{theirs}/delete", data={"name": "7c"}).status_code == 404
    assert other.get(f"/teach/classes/{mine}").status_code == 404


def test_teachers_share_a_class(loaded_app, teacher) -> None:
    class_id = create_class(teacher, "10b")
    kim = logged_in(loaded_app, "herr-kim", "teacher")
    logged_in(loaded_app, "anna")
    for name in ("niemand", "anna"):  # no such teacher; a learner is no teacher
        response = teacher.post(
            f"/teach/classes/{class_id}/teachers", data={"username": name}, follow_redirects=True
        )
        assert "Eine Lehrkraft mit diesem Benutzernamen gibt es nicht." in response.get_data(
            as_text=True
        )
    for _ in range(2):  # adding twice changes nothing
        response = teacher.post(
            f"/teach/classes/{class_id}/teachers", data={"username": "Herr-Kim"}
        )
        assert response.status_code == 302
    with loaded_app.app_context():
        assert db.session.scalar(select(func.count()).where(ClassTeacher.class_id == class_id)) == 2
    assert kim.get(f"/teach/classes/{class_id}").status_code == 200
    assert "10b" in kim.get("/teach/classes/").get_data(as_text=True)


def test_renaming_a_class(loaded_app, teacher) -> None:
    class_id = create_class(teacher, "10b")
    response = teacher.post(f"/teach/classes/{class_id}/edit", data={"name": "", "school_year": ""})
    assert response.status_code == 400
    assert "Bitte gib der Klasse einen Namen." in response.get_data(as_text=True)
    response = teacher.post(
        f"/teach/classes/{class_id}/edit", data={"name": "10c", "school_year": "2027/28"}
    )
    assert response.status_code == 302
    with loaded_app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        assert (school_class.name, school_class.school_year) == ("10c", "2027/28")


@pytest.fixture
def homework(loaded_app: Flask, teacher: FlaskClient) -> dict:
    """10b with anna (finished, 2 of 3 right), bert (started) and carla (nothing yet)."""
    class_id = create_class(teacher, "10b")
    code = code_of(loaded_app, class_id)
    learners = {name: logged_in(loaded_app, name) for name in ("anna", "bert", "carla")}
    for client in learners.values():
        assert join(client, code) == 302
    ids = approved_ids(loaded_app, 3)
    assignment_id = create_assignment(teacher, class_id, question_ids="\n".join(ids))
    _, anna_attempt = start(learners["anna"], assignment_id)
    _finish(learners["anna"], loaded_app, anna_attempt, [True, False, True])
    _, bert_attempt = start(learners["bert"], assignment_id)
    _finish(learners["bert"], loaded_app, bert_attempt, [True])
    return {
        "class_id": class_id,
        "assignment_id": assignment_id,
        "learners": learners,
        "ids": ids,
        "anna_attempt": anna_attempt,
        "bert_attempt": bert_attempt,
    }


def test_results_show_who_started_and_finished_with_scores(loaded_app, teacher, homework) -> None:
    url = f"/teach/classes/{homework['class_id']}/assignments/{homework['assignment_id']}"
    page = teacher.get(url).get_data(as_text=True)
    assert "<strong>1 von 3</strong> fertig, 2 begonnen" in page
    rows = page[page.index('id="results"') :]
    anna = rows[rows.index(">anna<") : rows.index(">bert<")]
    assert "fertig" in anna and "2,0 von 3" in anna and "67" in anna
    bert = rows[rows.index(">bert<") : rows.index(">carla<")]
    assert "begonnen" in bert and "–" in bert
    carla = rows[rows.index(">carla<") :]
    assert "nicht begonnen" in carla
    # Per-question facility within the class: anna's answers and bert's first.
    assert "Leichtigkeit in der Klasse" in page


def test_the_grade_book_has_one_row_per_learner(loaded_app, teacher, homework) -> None:
    url = f"/teach/classes/{homework['class_id']}/assignments/{homework['assignment_id']}/export"
    german = teacher.get(url)
    assert german.status_code == 200 and german.mimetype == "text/csv"
    assert "attachment" in german.headers["Content-Disposition"]
    text = german.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:6] == ["Name", "Status", "Versuche", "Punkte", "Höchstpunktzahl", "Prozent"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"anna", "bert", "carla"}
    assert by_name["anna"][1:6] == ["fertig", "1", "2,0", "3", "66,7"]
    assert by_name["bert"][1:6] == ["begonnen", "1", "", "", ""]
    assert by_name["carla"][1:6] == ["nicht begonnen", "0", "", "", ""]
    intl = teacher.get(url + "?numbers=intl").data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(intl)))
    assert {row[0]: row for row in rows[1:]}["anna"][3:6] == ["2.0", "3", "66.7"]


def test_the_grade_book_neutralises_formulas(loaded_app, teacher, homework) -> None:
    from tests.helpers import make_user

    make_user(loaded_app, '=HYPERLINK("http://evil.example")')
    make_user(loaded_app, "-minus")
    with loaded_app.app_context():
        for name in ('=HYPERLINK("http://evil.example")', "-minus"):
            db.session.add(
                ClassMember(class_id=homework["class_id"], user_id=user_id(loaded_app, name))
            )
        db.session.commit()
    url = f"/teach/classes/{homework['class_id']}/assignments/{homework['assignment_id']}/export"
    text = teacher.get(url).data.decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]
    assert neutralise('=HYPERLINK("http://evil.example")') in names
    assert "'-minus" in names
    assert not any(n.startswith(("=", "-", "+", "@")) for n in names)


def test_drill_down_shows_answers_right_answers_and_sources(loaded_app, teacher, homework) -> None:
    base = f"/teach/classes/{homework['class_id']}/assignments/{homework['assignment_id']}"
    anna = user_id(loaded_app, "anna")
    page = teacher.get(f"{base}/learners/{anna}").get_data(as_text=True)
    assert "anna: Hausaufgabe Portsmouth" in page
    assert page.count("richtig</span>") == 2 and "falsch</span>" in page
    assert "Richtig:" in page and 'class="source"' in page and "/documents/" in page
    carla = user_id(loaded_app, "carla")
    assert "Noch kein Versuch." in teacher.get(f"{base}/learners/{carla}").get_data(as_text=True)
    outsider = logged_in(loaded_app, "olga")
    assert outsider.get(f"{base}/learners/{anna}").status_code == 403
    assert teacher.get(f"{base}/learners/{user_id(loaded_app, 'olga')}").status_code == 404


def test_an_attempt_whose_time_ran_out_counts_as_finished(loaded_app, teacher) -> None:
    class_id = create_class(teacher, "10b")
    anna = logged_in(loaded_app, "anna")
    join(anna, code_of(loaded_app, class_id))
    with time_machine.travel(T0, tick=False) as clock:
        assignment_id = create_assignment(
            teacher, class_id, question_ids="\n".join(approved_ids(loaded_app, 2)), time_limit="5"
        )
        _, attempt_id = start(anna, assignment_id)
        _finish(anna, loaded_app, attempt_id, [True])
        clock.shift(timedelta(minutes=20))  # anna closed the tab; nobody closed the attempt
        page = teacher.get(f"/teach/classes/{class_id}/assignments/{assignment_id}").get_data(
            as_text=True
        )
        assert "<strong>1 von 1</strong> fertig" in page
        assert "1,0 von 2" in page and "5 min 0 s" in page


def test_item_analysis_per_class_and_per_assignment(loaded_app, teacher, homework) -> None:
    anna = homework["learners"]["anna"]
    # Anna's own practice and another class's work do not count for this class.
    practice = start_quiz(anna, "mixed", "", 5)
    _finish(anna, loaded_app, practice, [True] * 5)
    other_class = create_class(teacher, "11a")
    olga = logged_in(loaded_app, "olga")
    join(olga, code_of(loaded_app, other_class))
    other = create_assignment(teacher, other_class, question_ids="\n".join(homework["ids"]))
    _, olga_attempt = start(olga, other)
    _finish(olga, loaded_app, olga_attempt, [False, False, False])
    with loaded_app.app_context():
        school_class = db.session.get(SchoolClass, homework["class_id"])
        assignment = db.session.get(Assignment, homework["assignment_id"])
        per_class = item_analysis(db.session, where=class_answers(school_class.id))
        per_assignment = item_analysis(db.session, where=assignment_answers(assignment))
        everyone = item_analysis(db.session)
    assert sum(i.answers for i in per_class) == 4  # anna 3 + bert 1
    assert [(i.question_id, i.answers) for i in per_class] == [
        (i.question_id, i.answers) for i in per_assignment
    ]
    assert sum(i.answers for i in everyone) == 4 + 5 + 3
    facility = {i.question_id: i.facility for i in per_class}
    first = homework["ids"][0]  # whichever comes first in anna's and bert's attempts
    assert 0.0 <= facility[first] <= 1.0
    page = teacher.get(f"/teach/classes/{homework['class_id']}/analysis").get_data(as_text=True)
    assert "in der Klasse 10b" in page and "Leichtigkeit" in page
    url = f"/teach/classes/{homework['class_id']}/assignments/{homework['assignment_id']}/analysis"
    assert teacher.get(url).status_code == 200


def test_removing_a_learner_keeps_their_progress(loaded_app, teacher, homework) -> None:
    anna = user_id(loaded_app, "anna")
    url = f"/teach/classes/{homework['class_id']}/members/{anna}/remove"
    response = teacher.post(url, follow_redirects=True)
    assert "anna ist nicht mehr in der Klasse" in response.get_data(as_text=True)
    assert teacher.post(url, follow_redirects=True).status_code == 200  # not a member any more
    with loaded_app.app_context():
        assert db.session.get(ClassMember, (homework["class_id"], anna)) is None
        assert db.session.get(Attempt, homework["anna_attempt"]) is not None
    learner = homework["learners"]["anna"]
    assert learner.get(f"/classes/assignments/{homework['assignment_id']}").status_code == 404
    assert learner.get(f"/quiz/{homework['anna_attempt']}/results").status_code == 200


def test_deleting_a_class_keeps_the_learners_progress(loaded_app, teacher, homework) -> None:
    class_id = homework["class_id"]
    with loaded_app.app_context():
        cards = db.session.scalar(select(func.count()).select_from(CardState))
        reviews = db.session.scalar(select(func.count()).select_from(ReviewLog))
        assert cards and reviews  # quiz answers count as reviews
    response = teacher.post(f"/teach/classes/{class_id}/delete", data={"name": "10 b"})
    assert response.status_code == 400
    assert "genau so ein" in response.get_data(as_text=True)
    assert teacher.get(f"/teach/classes/{class_id}").status_code == 200
    response = teacher.post(f"/teach/classes/{class_id}/delete", data={"name": "10b"})
    assert response.status_code == 302
    assert teacher.get(f"/teach/classes/{class_id}").status_code == 404
    with loaded_app.app_context():
        for model in (SchoolClass, Assignment, ClassMember, ClassTeacher):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        attempt = db.session.get(Attempt, homework["anna_attempt"])
        assert attempt is not None and attempt.assignment_id is None
        assert db.session.scalar(select(func.count()).select_from(CardState)) == cards
        assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == reviews
    anna = homework["learners"]["anna"]
    assert anna.get(f"/quiz/{homework['anna_attempt']}/results").status_code == 200
    assert "Hausaufgabe Portsmouth" in anna.get("/quiz/history").get_data(as_text=True)
    # Bert's unfinished attempt goes on as an ordinary quiz.
    bert = homework["learners"]["bert"]
    assert bert.get(f"/quiz/{homework['bert_attempt']}").status_code == 200


def test_deleting_an_assignment_keeps_the_attempts(loaded_app, teacher, homework) -> None:
    base = f"/teach/classes/{homework['class_id']}/assignments/{homework['assignment_id']}"
    assert teacher.post(f"{base}/delete").status_code == 302
    assert teacher.get(base).status_code == 404
    with loaded_app.app_context():
        assert db.session.get(Attempt, homework["anna_attempt"]).assignment_id is None
