"""Questions from facts: every template, German grammar, valid options, answer variants."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.bank.clean import clean_document
from quizapp.bank.curated import _mentions
from quizapp.bank.factdates import FactDate
from quizapp.bank.facts import FactBase, load_fact_files
from quizapp.bank.templates import answer_variants, build_questions
from tests.bank.factkit import EVENTS, kit_base

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    base = kit_base(tmp_path_factory.mktemp("kit") / "facts")
    return base, {q.id: q for q in build_questions(base)}


@pytest.fixture(scope="module")
def shipped():
    documents = {
        p.name: clean_document(p.name, p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    }
    base = load_fact_files(ROOT / "questions" / "facts", documents)
    return base, build_questions(base)


def test_every_template_builds_its_question(kit):
    _, q = kit
    assert q["f-portsmouth-date"].prompt == "Wann wurde der Frieden von Portsmouth unterzeichnet?"
    assert q["f-portsmouth-date"].answer == "5. September 1905"
    assert q["f-tatekawa-molotow-actor"].prompt == (
        "Wer sprach am 21. November 1940 mit dem japanischen Botschafter Yoshitsugu Tatekawa?"
    )
    assert q["f-wladiwostok-place"].prompt == "Wo landeten japanische Truppen im Jahr 1918?"
    assert q["f-wladiwostok-place"].kind == "typed"
    assert q["f-portsmouth-participants"].prompt == (
        "Welche Staaten schlossen den Frieden von Portsmouth?"
    )
    assert q["f-portsmouth-participants"].kind == "multiple_choice"
    assert q["f-portsmouth-term-sachalin"].prompt == (
        "Im Frieden von Portsmouth trat Russland die südliche Hälfte der Insel ___ an Japan ab."
    )
    assert q["f-abkommen-2012-cloze"].prompt == (
        "Im Jahr 2012 erklärte sich Russland bereit, ___ der Schulden Nordkoreas zu erlassen."
    )
    assert q["f-molotow-amt-1940"].prompt == (
        "Wer war am 21. November 1940 sowjetischer Volkskommissar für auswärtige Angelegenheiten?"
    )
    kinds = {d.kind for d in q.values()}
    assert kinds >= {"date", "single_choice", "typed", "multiple_choice", "true_false",
                     "cloze", "ordering", "matching"}  # fmt: skip


def test_statements_are_true_or_swap_the_date_at_its_precision(kit):
    _, q = kit
    for question in q.values():
        if question.kind != "true_false":
            continue
        assert question.explanation.startswith(
            "Richtig." if question.answer == "wahr" else "Falsch."
        )
    false = q["f-jalta-true-false"]
    assert false.answer == "falsch"
    assert false.prompt == "Im Januar 1945 fand die Konferenz von Jalta statt."
    assert "Im Februar 1945 fand die Konferenz von Jalta statt." in false.explanation


def test_a_span_of_years_is_typed_and_every_german_form_counts(kit):
    _, q = kit
    span = q["f-sechs-parteien-date"]
    assert (span.kind, span.answer) == ("typed", "2003–2009")
    assert {"2003/09", "2003-2009", "2003 bis 2009"} <= set(span.accepted)


def test_ordering_and_matching_never_give_the_year_away(kit):
    _, q = kit
    for question in q.values():
        if question.kind == "ordering":
            texts = [c.text for c in question.choices]
            assert not any(any(ch.isdigit() for ch in t) for t in texts), texts
            years = question.explanation
            assert years  # the explanation dates every event
        if question.kind == "matching" and question.extra.get("template") == "matching":
            rights = [c.match for c in question.choices]
            assert len(set(rights)) == len(rights)


GERMAN_PROMPTS = [
    ("treaty", "die Konvention von Peking", "Welche Staaten schlossen die Konvention von Peking?"),
    ("treaty", "das Abkommen von Peking", "Welche Staaten schlossen das Abkommen von Peking?"),
    (
        "agreement",
        "das Abkommen über Sachalin",
        "Welche Staaten waren am Abkommen über Sachalin beteiligt?",
    ),
    (
        "agreement",
        "die Verhandlungen über Sachalin",
        "Welche Staaten waren an den Verhandlungen über Sachalin beteiligt?",
    ),
    (
        "battle",
        "die Schlacht bei Mukden",
        "Welche Staaten kämpften in der Schlacht bei Mukden gegeneinander?",
    ),
    (
        "battle",
        "der Kampf um Sachalin",
        "Welche Staaten kämpften im Kampf um Sachalin gegeneinander?",
    ),
]


@pytest.mark.parametrize(("kind", "name", "prompt"), GERMAN_PROMPTS)
def test_participant_prompts_are_grammatical_in_every_gender(tmp_path, kind, name, prompt):
    clause = "    what: der Frieden von Portsmouth | wurde | unterzeichnet\n"
    events = EVENTS.replace(
        f"    kind: treaty\n    date: 5. September 1905\n{clause}"
        "    name: der Frieden von Portsmouth\n",
        f"    kind: {kind}\n    date: 5. September 1905\n{clause}    name: {name}\n",
    )
    questions = {q.id: q for q in build_questions(kit_base(tmp_path / "facts", events))}
    assert questions["f-portsmouth-participants"].prompt == prompt


def test_persons_take_part_in_a_meeting_unless_its_name_says_who(tmp_path):
    named = {q.id: q for q in build_questions(kit_base(tmp_path / "a"))}
    assert "f-tatekawa-molotow-participants" not in named  # "das Gespräch zwischen Molotow …"
    events = EVENTS.replace(
        "    name: das Gespräch zwischen Molotow und Tatekawa\n",
        "    name: die Gespräche über Nord-Sachalin\n    all_participants: true\n",
    )
    questions = {q.id: q for q in build_questions(kit_base(tmp_path / "b", events))}
    participants = questions["f-tatekawa-molotow-participants"]
    assert participants.prompt == "Wer nahm an den Gesprächen über Nord-Sachalin teil?"
    right = {c.text for c in participants.choices if c.correct}
    assert right == {"Wjatscheslaw Molotow", "Yoshitsugu Tatekawa"}


def _alive_and_in_office(base: FactBase, name: str, date: FactDate) -> bool:
    actor = next(a.actor for a in base.actors.values() if a.actor.name == name)
    return actor.lifespan_known and actor.alive_at(date) and bool(actor.roles_at(date))


def _check_options(base: FactBase, questions: list) -> int:
    """Assert every wrong person or state offered lived (existed) and held an office at the
    date asked; return how many options were checked."""
    checked = 0
    events = {e.id: e.event for e in base.events}
    for q in questions:
        template = q.extra.get("template", "")
        if template == "actor":
            date = events[q.fact].date
        elif template.startswith("amt-"):
            actor = base.actors[q.fact].actor
            role = next(r for r in actor.roles if (r.at or r.start) and
                        (r.at or r.start).year == int(template[4:]))  # fmt: skip
            date = role.at or role.start
        elif template == "participants":
            date = events[q.fact].date
            for choice in q.choices:
                if choice.correct:
                    continue
                actor = next(
                    a.actor for a in base.actors.values()
                    if choice.text in (a.actor.name, a.actor.name_at(date))
                )  # fmt: skip
                assert actor.alive_at(date), (q.id, choice.text)
                assert actor.id not in events[q.fact].participants, (q.id, choice.text)
                checked += 1
            continue
        else:
            continue
        for choice in q.choices:
            if not choice.correct:
                assert _alive_and_in_office(base, choice.text, date), (q.id, choice.text)
                checked += 1
    return checked


def test_wrong_persons_lived_and_held_office_at_the_date(kit):
    base, q = kit
    assert _check_options(base, list(q.values())) >= 8
    # The actor without a known lifespan is never offered.
    assert not any(c.text == "Niemand Bekannt" for d in q.values() for c in d.choices)


def test_options_of_the_shipped_bank_are_valid_by_construction(shipped):
    base, questions = shipped
    assert _check_options(base.approved(), questions) >= 30


def test_wrong_dates_differ_at_the_precision_asked_and_lie_near(kit, shipped):
    for question in [*kit[1].values(), *shipped[1]]:
        if question.kind != "date":
            continue
        right = FactDate.parse(question.answer)
        assert right is not None
        wrong = [FactDate.parse(c.text) for c in question.choices if not c.correct]
        assert len(wrong) >= 2
        for date in wrong:
            assert date is not None and date.precision == right.precision
            assert date.differs_at(right, right.precision)
            assert abs(date.year - right.year) <= 4, (question.id, date.text)


def test_no_prompt_states_its_own_answer(shipped):
    for question in shipped[1]:
        if question.kind in ("date", "single_choice", "typed", "cloze"):
            assert not _mentions(question.prompt.replace("___", " "), question.answer), question.id


def test_draft_facts_give_drafts_and_never_options_of_approved_questions(tmp_path):
    base = kit_base(tmp_path / "facts")
    jalta = next(e for e in base.events if e.id == "jalta")
    drafted = replace(jalta, event=jalta.event.model_copy(update={"date": FactDate(1944, 6)}),
                      status="draft")  # fmt: skip
    base.events = [drafted if e.id == "jalta" else e for e in base.events]
    questions = build_questions(base)
    assert {q.status for q in questions if q.fact == "jalta"} == {"draft"}
    approved = [q for q in questions if q.status == "approved"]
    assert not any("Juni 1944" in c.text for q in approved for c in q.choices)
    assert not any("jalta" in q.extra.get("facts", "") for q in approved)


def test_ids_stay_when_a_fact_is_edited_and_legacy_ids_are_kept(tmp_path):
    before = {q.id for q in build_questions(kit_base(tmp_path / "a"))}
    edited = EVENTS.replace("japanische Truppen | landeten | in Wladiwostok",
                            "japanische Soldaten | landeten | in Wladiwostok")  # fmt: skip
    after = {q.id for q in build_questions(kit_base(tmp_path / "b", edited))}
    assert {i for i in before if not i.startswith(("f-folge", "f-jahre"))} <= after
    legacy = EVENTS.replace(
        "    note: Vermittelt", "    legacy: {date: g-0123456789ab}\n    note: Vermittelt"
    )
    ids = {q.id for q in build_questions(kit_base(tmp_path / "c", legacy))}
    assert "g-0123456789ab" in ids and "f-portsmouth-date" not in ids


def test_skipped_templates_are_not_built(kit):
    _, q = kit
    assert "f-stalins-tod-actor" not in q
    assert "f-stalins-tod-date" in q


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("90 %", {"90%", "90 Prozent"}),
        ("17,3", {"17.3"}),
        ("1904–1905", {"1904/05", "1904-1905", "1904 bis 1905"}),
        ("Neutralitätspaktes", {"Neutralitätspakt"}),
        ("Korea", set()),
    ],
)
def test_gap_answers_accept_what_means_the_same(answer, expected):
    assert expected <= set(answer_variants(answer))
    assert answer not in answer_variants(answer)


def test_a_number_gap_carries_its_tolerance(kit):
    _, q = kit
    border = q["f-abkommen-2012-term-grenze"]
    assert (border.answer, border.extra["tolerance"]) == ("17,3", "0.3")


# --------------------------------------------------------------------------- property


def _person(index: int, born: int, died: int | None, spans: list[tuple[int, int, str]]):
    from quizapp.bank.facts import Actor, SourcedActor

    roles = [
        {"title": f"Amt {index}-{k}", "office": office, "state": "russland",
         "from": str(start), "to": str(end)}
        for k, (start, end, office) in enumerate(spans)
    ]  # fmt: skip
    data = {"id": f"p{index}", "name": f"Person {index}", "born": str(born), "roles": roles}
    if died is not None:
        data["died"] = str(died)
    return SourcedActor(Actor.model_validate(data), {})


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1850, 1960),  # born
            st.one_of(st.none(), st.integers(0, 90)),  # lived this long, or still alive
            st.lists(
                st.tuples(
                    st.integers(15, 60),
                    st.integers(0, 20),
                    st.sampled_from(
                        ["aussenminister", "botschafter", "staatsoberhaupt", "militaer"]
                    ),
                ),
                max_size=3,
            ),  # fmt: skip
        ),
        min_size=3,
        max_size=15,
    ),
    st.integers(1880, 2020),
)
def test_a_wrong_person_always_lived_and_held_office_at_the_date(people, year):
    from quizapp.bank.templates import _Builder

    actors = {}
    for index, (born, lived, roles) in enumerate(people):
        died = born + lived if lived is not None else None
        last = died if died is not None else 2030
        spans = [
            (born + age, min(born + age + length, last), office)
            for age, length, office in roles
            if born + age <= last
        ]
        sourced = _person(index, born, died, spans)
        actors[sourced.actor.id] = sourced
    base = FactBase(actors, [])
    subject = actors["p0"].actor
    date = FactDate(year)
    for person in _Builder(base)._wrong_persons(subject, date, {"p0"}, "x.txt"):
        assert person.alive_at(date) and person.roles_at(date), (person.id, year)
        held = {r.title for r in subject.roles_at(date)}
        assert not held & {r.title for r in person.roles_at(date)}


def test_a_place_of_a_known_kind_is_asked_for_by_its_kind(tmp_path):
    events = EVENTS.replace(
        "place: {name: Wladiwostok, phrase: in Wladiwostok}",
        "place: {name: Wladiwostok, phrase: in Wladiwostok, kind: Stadt}",
    )
    questions = {q.id: q for q in build_questions(kit_base(tmp_path / "facts", events))}
    assert questions["f-wladiwostok-place"].prompt == (
        "In welcher Stadt landeten japanische Truppen im Jahr 1918?"
    )


def test_a_term_explains_itself_with_its_own_note(kit):
    _, q = kit
    border = q["f-abkommen-2012-term-grenze"]
    assert (
        border.explanation
        == "Die Landgrenze zwischen Nordkorea und Russland ist 17,3 Kilometer lang."
    )


def test_wrong_dates_refuse_the_julian_twin_and_what_the_fact_excludes(tmp_path):
    from quizapp.bank.templates import _julian_twin

    assert _julian_twin(FactDate(1905, 8, 23), FactDate(1905, 9, 5))  # 13 days: Julian
    assert _julian_twin(FactDate(1875, 4, 25), FactDate(1875, 5, 7))  # 12 days
    assert not _julian_twin(FactDate(1945, 8, 2), FactDate(1945, 8, 15))  # after 1918
    events = EVENTS.replace(
        "    not_options: [usa]\n", "    not_options: [usa]\n    not_dates: [15. September 1905]\n"
    )
    questions = {q.id: q for q in build_questions(kit_base(tmp_path / "facts", events))}
    options = [c.text for c in questions["f-portsmouth-date"].choices]
    assert "15. September 1905" not in options and "23. August 1905" not in options


def test_a_state_named_by_its_period_bounds_the_wrong_dates(tmp_path):
    events = EVENTS.replace(
        "    what: Russland | erklärte sich | bereit, [90 %] der Schulden Nordkoreas zu erlassen\n",
        "    what: die Sowjetunion | erklärte sich | bereit, [90 %] der Schulden Nordkoreas zu "
        "erlassen\n",
    ).replace(
        "    date: 2012\n    what: die Sowjetunion", "    date: 1990\n    what: die Sowjetunion"
    )
    questions = {q.id: q for q in build_questions(kit_base(tmp_path / "facts", events))}
    years = [int(c.text) for c in questions["f-abkommen-2012-date"].choices]
    assert max(years) <= 1991  # no Soviet act after the end of the Soviet Union


def test_participants_are_not_asked_when_the_name_names_their_leaders(tmp_path):
    unnamed = {q.id for q in build_questions(kit_base(tmp_path / "a"))}
    assert "f-abkommen-2012-participants" in unnamed
    events = EVENTS.replace(
        "    name: das Abkommen über die Schulden Nordkoreas\n",
        "    name: das Abkommen zwischen Putin und Kim Jong-il\n",
    ).replace("    date: 2012\n    what: Russland |", "    date: 2000\n    what: Russland |")
    questions = {q.id: q for q in build_questions(kit_base(tmp_path / "b", events))}
    assert "f-abkommen-2012-participants" not in questions  # the leaders name their states


def test_an_office_question_never_offers_a_head_of_state_for_a_ministry(kit):
    base, q = kit
    molotow = q["f-molotow-amt-1940"]
    offered = {c.text for c in molotow.choices if not c.correct}
    assert offered and not offered & {"Josef Stalin", "Michail Kalinin"}


def test_wrong_dates_lie_in_the_subjects_time_in_office(kit):
    _, q = kit
    # "… besuchte als erster russischer Staatschef Nordkorea": Putin was president from the
    # last day of 1999, so no wrong year lies before.
    years = [int(c.text) for c in q["f-putin-besuch-date"].choices]
    assert min(years) >= 1999 and max(years) <= 2008
