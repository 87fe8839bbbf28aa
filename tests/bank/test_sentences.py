"""Tests for German sentence splitting."""

from __future__ import annotations

import pytest

from quizapp.bank.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet.",
        "Der 38. Breitengrad wurde als Trennlinie festgelegt.",
        "Der 2. Weltkrieg veränderte die Lage.",
        "Bis ca. Ende 43 war Stalin, so Hillgruber (S. 105), an einem Frieden interessiert.",
        "Zar Alexander II. erwarb das Ussuriland in der Pekinger Konvention.",
        "Warum behielt J. W. Stalin große Truppen im Fernen Osten?",
        "So schrieb der Diplomat T. Shiratori 1935 an Außenminister Arita.",
        "Viele Staaten, z. B. Frankreich, d. h. eine Großmacht, u. a. auch England, zögerten.",
        "Die Lieferungen (vgl. Nr. 12 bzw. Nr. 13) kamen nie an.",
        "Er war schon nach Moskau im Dez. '41 auf eine totale Niederlage aus.",
        "Die Bilanz war m. E. und laut Mastny (S.73ff) eindeutig.",
        "Wladiwostok zu entwaffnen usw., um den Abzug zu vollenden.",
        "Kaiser Wilhelm II. von Preußen reiste 1898 nach Palästina.",
    ],
)
def test_dots_inside_a_sentence_do_not_split_it(sentence):
    assert texts(sentence) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Die Kurilen fielen 1875 an Japan. 1918 landeten japanische Truppen in Wladiwostok.",
            [
                "Die Kurilen fielen 1875 an Japan.",
                "1918 landeten japanische Truppen in Wladiwostok.",
            ],
        ),
        (
            "„Verkaufen Sie uns Nord-Sachalin.“ Wie reagierte Stalin? Er lehnte ab!",
            ["„Verkaufen Sie uns Nord-Sachalin.“", "Wie reagierte Stalin?", "Er lehnte ab!"],
        ),
        (
            "Sie kauften Gewehre, Schiffe usw. Die Japaner lieferten alles.",
            ["Sie kauften Gewehre, Schiffe usw.", "Die Japaner lieferten alles."],
        ),
        (
            "Es gab Kontakte (vgl. Martin, S. 544). Und Haslam stellt das heraus.",
            ["Es gab Kontakte (vgl. Martin, S. 544).", "Und Haslam stellt das heraus."],
        ),
        (
            "Der Band erschien als Nr. 6. Im Jahr 1950 folgte der nächste.",
            ["Der Band erschien als Nr. 6.", "Im Jahr 1950 folgte der nächste."],
        ),
        (
            "Überschrift ohne Punkt\n\nErster Satz. Zweiter Satz.",
            ["Überschrift ohne Punkt", "Erster Satz.", "Zweiter Satz."],
        ),
        (
            "Er bot den Vertretern… “Schutz der Besitzungen”. Ihr schickt eure Leute.",
            ["Er bot den Vertretern… “Schutz der Besitzungen”.", "Ihr schickt eure Leute."],
        ),
        (
            "Ein Satz,\nder umbrochen ist. Noch einer.",
            ["Ein Satz,\nder umbrochen ist.", "Noch einer."],
        ),
    ],
)
def test_sentence_boundaries(text, expected):
    assert texts(text) == expected


def test_offsets_point_into_the_text_and_indices_count_up():
    text = "  Erster Satz.   Zweiter Satz!\n\n\n  Dritter Satz ohne Ende  "
    sentences = split_sentences(text)
    assert [s.index for s in sentences] == [0, 1, 2]
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
    assert sentences[2].text == "Dritter Satz ohne Ende"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "...", "„“"])
def test_degenerate_input(text):
    sentences = split_sentences(text)
    assert all(s.text.strip() for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
