"""Tests for finding dates, treaties and actors in German sentences."""

from __future__ import annotations

import pytest

from quizapp.bank.extract import (
    ActorFact,
    PersonMatcher,
    coordinated_names,
    extract_actors,
    extract_dates,
    extract_facts,
    extract_treaties,
    nationality_of,
)

# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "date", "parts", "granularity"),
    [
        ("Am 5. September 1905 wurde unterzeichnet.", "5. September 1905", (1905, 9, 5), "day"),
        ("Das Treffen vom 5.9.1905 war kurz.", "5.9.1905", (1905, 9, 5), "day"),
        ("Die Konvention vom Juli 1907 folgte.", "Juli 1907", (1907, 7, None), "month"),
        ("Der Vertrag von 1875 galt lange.", "1875", (1875, None, None), "year"),
        ("Der Krieg von 1904-1905 endete.", "1904-1905", (1904, None, None), "range"),
        ("Der Krieg von 1904–1905 endete.", "1904–1905", (1904, None, None), "range"),
        ("1941/42 hatten die Deutschen gesiegt.", "1941/42", (1941, None, None), "range"),
        ("Und so ist es Herbst 1940.", "Herbst 1940", (1940, None, None), "season"),
        ("Somit war Anfang 1944 alles erloschen.", "Anfang 1944", (1944, None, None), "season"),
        ("Mitte Juni 1943 war es so weit.", "Mitte Juni 1943", (1943, 6, None), "month"),
    ],
)
def test_dates(text, date, parts, granularity):
    (fact,) = extract_dates(text)
    assert fact.text == date == text[fact.start : fact.end]
    assert (fact.year, fact.month, fact.day) == parts
    assert fact.granularity == granularity


def test_range_end_year():
    (fact,) = extract_dates("im Zeitraum 1941/42")
    assert (fact.year, fact.end_year) == (1941, 1942)


@pytest.mark.parametrize(
    "text",
    [
        "Russland stimmte der Resolution 1874 des UN-Sicherheitsrates zu.",
        "Siehe Hillgruber, S. 1905 und Nr. 1875.",
        "Nordkorea habe 100.000 Soldaten angeboten; 2000 Soldaten kamen.",
        "Mitte der 1980er Jahre verschlechterten sich die Beziehungen.",
        "Die Grenze ist 17,3 km lang, die Zahl 2844 ist kein Jahr.",
        "Im Dez '41 und in 42/43 geschah wenig.",
        "Das 2+2-Format und die MiG-15 sind keine Daten.",
    ],
)
def test_numbers_that_are_no_dates(text):
    assert extract_dates(text) == []


def test_several_dates_in_order():
    text = "Peter Kleist erhält im Dezember 1942 das Angebot aus dem März 1942 (S. 545)."
    assert [d.text for d in extract_dates(text)] == ["Dezember 1942", "März 1942"]


# --------------------------------------------------------------------------- treaties


def test_peace_of_portsmouth_with_its_date():
    text = "Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet."
    facts = extract_facts(text)
    (treaty,) = facts.treaties
    assert treaty.text == "Frieden von Portsmouth" == text[treaty.start : treaty.end]
    assert treaty.head == "frieden" and treaty.year == 1905
    (date,) = facts.dates
    assert (date.year, date.month, date.day) == (1905, 9, 5)


def test_pekinger_konvention_1860():
    text = (
        "Die beiden Staaten haben eine gemeinsame Grenze entlang des unteren Tumen-Flusses, "
        "die 17 Kilometer lang ist und 1860 gebildet wurde, als Zar Alexander II. das "
        "Ussuriland von der chinesischen Qing-Dynastie in der Pekinger Konvention erwarb."
    )
    (treaty,) = extract_treaties(text)
    assert treaty.name == "Pekinger Konvention" and treaty.year == 1860


@pytest.mark.parametrize(
    ("text", "name", "year"),
    [
        (
            "im Rahmen des Vertrags von St. Petersburg im Jahr 1875",
            "Vertrag von St. Petersburg",
            1875,
        ),
        ("gemäß dem Vertrag von Peking von 1925, der", "Vertrag von Peking", 1925),
        ("des Friedensvertrags von Portsmouth von 1905", "Friedensvertrag von Portsmouth", 1905),
        ("die in der Konvention vom Juli 1907 gipfelte", "Konvention vom Juli 1907", 1907),
        (
            "Der Neutralitätspakt zwischen der UdSSR und Japan wurde im April 1941 geschlossen.",
            "Neutralitätspakt zwischen der UdSSR und Japan",
            1941,
        ),
        (
            "Im Juni 2009 stimmte China der Resolution 1874 des UN-Sicherheitsrates zu.",
            "Resolution 1874 des UN-Sicherheitsrates",
            2009,
        ),
        (
            "den Abschluss des sowjetisch-japanischen Neutralitätspaktes.",
            "sowjetisch-japanischer Neutralitätspakt",
            None,
        ),
        (
            "die Erneuerung des britisch- japanischen Bündnisvertrages",
            "britisch-japanischer Bündnisvertrag",
            None,
        ),
        ("(französisch-russischer Zweibund von 1894 und", "französisch-russischer Zweibund", 1894),
        (
            "britisch-japanisches Flottenabkommen 1902)",
            "britisch-japanisches Flottenabkommen",
            1902,
        ),
        (
            "als auf der Konferenz von Jalta die Teilung Koreas beschlossen wurde",
            "Konferenz von Jalta",
            None,
        ),
        ("Der Friede von Portsmouth war ungerecht.", "Frieden von Portsmouth", None),
    ],
)
def test_treaty_names(text, name, year):
    (treaty,) = extract_treaties(text)
    assert treaty.name == name
    assert treaty.year == year
    assert text[treaty.start : treaty.end] == treaty.text


def test_two_names_of_one_conference_share_a_key():
    (first,) = extract_treaties("Die Alliierten trafen sich auf der Jalta-Konferenz.")
    (second,) = extract_treaties("Die Alliierten trafen sich auf der Konferenz von Jalta.")
    assert first.key == second.key


def test_peace_and_peace_treaty_of_one_place_share_a_key():
    keys = {
        t.key
        for text in ("der Friede von Portsmouth", "des Friedensvertrags von Portsmouth")
        for t in extract_treaties(text)
    }
    assert len(keys) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Die Seiten bestätigten den Wunsch, einen Friedensvertrag zu schließen.",
        "Auf Regierungsebene wurde ein Abkommen unterzeichnet.",
        "Natürlich lag es im Interesse der Führung, den Frieden an den Ostgrenzen zu erhalten.",
        "Lawrow kritisierte bei der Pressekonferenz die Aufstellung der Raketen.",
        "Stalin wollte einen Separatfrieden mit Hitler.",
        "Nach einem Verlassen des West-Bündnisses hätte er neutral bleiben können.",
        "Es gab Geheimgespräche zwischen den Deutschen und den Sowjets.",
    ],
)
def test_generic_treaty_words_are_no_treaties(text):
    assert extract_treaties(text) == []


def test_a_treaty_is_not_tied_to_an_ambiguous_year():
    text = "Die Gespräche begannen 1900, der Vertrag von Kanghwa wurde 1876 und 1882 erwähnt."
    (treaty,) = extract_treaties(text)
    assert treaty.year is None


# --------------------------------------------------------------------------- actors


def persons(text: str) -> list[tuple[str, str | None]]:
    return [(a.name, a.role) for a in extract_actors(text) if a.kind == "person"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Der japanische Botschafter in der UdSSR, der ehemalige General Yoshitsugu "
            "Tatekawa, erklärte dem sowjetischen Volkskommissar für auswärtige "
            "Angelegenheiten Wjatscheslaw Michailowitsch Molotow ziemlich dreist:",
            [
                ("Yoshitsugu Tatekawa", "japanischer Botschafter in der UdSSR"),
                ("Yoshitsugu Tatekawa", "ehemaliger General"),
                (
                    "Wjatscheslaw Michailowitsch Molotow",
                    "sowjetischer Volkskommissar für auswärtige Angelegenheiten",
                ),
            ],
        ),
        (
            "Verhandlungen von Außenminister Sergej Lawrow und "
            "Verteidigungsminister Sergei Schoigu",
            [("Sergej Lawrow", "Außenminister"), ("Sergei Schoigu", "Verteidigungsminister")],
        ),
        (
            "nahm der Zar das Vermittlungsangebot des amerikanischen Präsidenten Theodore "
            "Roosevelt an.",
            [("Theodore Roosevelt", "amerikanischer Präsident")],
        ),
        ("als Zar Alexander II. das Ussuriland erwarb", [("Alexander II.", "Zar")]),
        (
            "Im September 43 war Dekanosow, stellvertretender Außenminister, in Stockholm.",
            [("Dekanosow", "stellvertretender Außenminister")],
        ),
        (
            "nach der Einsetzung von A. Iswolski als Außenminister 1906",
            [("A. Iswolski", "Außenminister")],
        ),
        (
            "Nach der Wahl von Wladimir Putin zum russischen Präsidenten im Jahr 2000",
            [("Wladimir Putin", "russischer Präsident")],
        ),
        (
            "Die japanische Verteidigungsministerin Tomomi Inada äußerte Protest.",
            [("Tomomi Inada", "japanische Verteidigungsministerin")],
        ),
        (
            "Der Staatsgründer Nordkoreas, Kim Il-sung, hatte in der Sowjetunion gelebt.",
            [("Kim Il-sung", "Staatsgründer Nordkoreas")],
        ),
        (
            "So schrieb der prominente japanische Diplomat T. Shiratori 1935 an Außenminister "
            "Arita:",
            [("T. Shiratori", "prominenter japanischer Diplomat"), ("Arita", "Außenminister")],
        ),
    ],
)
def test_persons_with_roles(text, expected):
    assert persons(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nach der Schlacht nahm der Zar das Angebot an.",  # a role nobody is named for
        "Ribbentrop schickte Rudolf Likus, seinen persönlichen Referenten, nach Stockholm.",
        "c) A. A. Koschkin. Marschall Stalins japanische Front.",  # a genitive, no name
        "Im Juni 1943 liegen Colonel Clark die Berichte vor.",  # "liegen" is no adjective
        "und anschließende Wahl zum Präsidenten im März",  # "Wahl" is no name
        "Er wurde als Deutschlandexperte in das Ressort versetzt.",
    ],
)
def test_no_false_persons(text):
    found = persons(text)
    assert all(name not in ("Stalins", "Wahl", "Likus") for name, _ in found)
    assert all(role is None or not role.startswith(("lieger", "seiner")) for _, role in found)
    if "Zar das" in text or "Er wurde" in text:
        assert found == []


def test_states_are_actors_too():
    actors = extract_actors("Russland trat die südliche Hälfte von Sachalin an Japan ab.")
    assert [(a.name, a.kind) for a in actors] == [("Russland", "state"), ("Japan", "state")]


def test_phrase_span_covers_the_role():
    text = "Der japanische Außenminister Fumio Kishida betonte, dass er es eilig habe."
    (actor,) = [a for a in extract_actors(text) if a.kind == "person"]
    assert (
        text[actor.phrase_start : actor.phrase_end] == "Der japanische Außenminister Fumio Kishida"
    )
    assert text[actor.start : actor.end] == "Fumio Kishida"
    assert actor.role_head == "außenminister"


def test_nationality_of_roles():
    assert nationality_of("japanischer Botschafter in der UdSSR") == "japan"
    assert nationality_of("Staatsgründer Nordkoreas") == "nordkorea"
    assert nationality_of("sowjetischer Diktator") == "russland"
    assert nationality_of("Fernostexperte") is None


def test_known_names_are_found_in_other_spellings():
    matcher = PersonMatcher(["Kim Jong-un", "Wladimir Putin", "Putin", "Molotow"])
    text = "Kim Jong Un traf Putin, W. M. Molotow nicht; Hitler-Deutschland griff an."
    found = [a.name for a in matcher.find(text)]
    assert found == ["Kim Jong Un", "Putin", "W. M. Molotow"]
    assert all(isinstance(a, ActorFact) and a.kind == "person" for a in matcher.find(text))


def test_persons_joined_by_und_to_a_known_person():
    matcher = PersonMatcher(["Stalin"])
    names = coordinated_names("Es gab Kontakte zwischen Stalin und Hitler.", matcher)
    assert names == ["Hitler"]
    names = coordinated_names("Kim überzeugte Stalin und Chinas Mao Zedong davon.", matcher)
    assert names == ["Mao Zedong"]


# --------------------------------------------------------------------------- unseen text


def test_unseen_text_about_shimonoseki():
    text = (
        "Nach dem Ersten Japanisch-Chinesischen Krieg wurde am 17. April 1895 der Vertrag "
        "von Shimonoseki zwischen dem chinesischen Unterhändler Li Hongzhang und dem "
        "japanischen Ministerpräsidenten Itō Hirobumi unterzeichnet."
    )
    facts = extract_facts(text)
    assert [d.text for d in facts.dates] == ["17. April 1895"]
    assert [(t.name, t.year) for t in facts.treaties] == [("Vertrag von Shimonoseki", 1895)]
    roles = [(a.name, a.role) for a in facts.actors if a.kind == "person"]
    assert roles == [
        ("Li Hongzhang", "chinesischer Unterhändler"),
        ("Itō Hirobumi", "japanischer Ministerpräsident"),
    ]


def test_unseen_text_about_ganghwa_and_tientsin():
    text = (
        "Mit dem Vertrag von Tientsin vom 18. April 1885 vereinbarten China und Japan den "
        "Abzug ihrer Truppen, nachdem der japanische Gesandte Inoue Kaoru verhandelt hatte."
    )
    facts = extract_facts(text)
    (treaty,) = facts.treaties
    assert (treaty.name, treaty.year) == ("Vertrag von Tientsin", 1885)
    assert ("Inoue Kaoru", "japanischer Gesandter") in [(a.name, a.role) for a in facts.actors]
    assert {a.name for a in facts.actors if a.kind == "state"} == {"China", "Japan"}
