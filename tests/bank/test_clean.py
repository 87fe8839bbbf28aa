"""Tests for decoding documents and removing wiki, forum and news boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.clean import (
    TITLE_LENGTH,
    DocumentError,
    capped_title,
    clean_document,
    decode_document,
)
from quizapp.bank.types import CleanedDocument
from quizapp.models import Document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HISTORY, FORUM, NEWS, WIKI, TEXTBOOK = (
    "000_f42c05c117410116.txt",
    "001_a3945c46a9b6b89e.txt",
    "002_eaf92d1826962eeb.txt",
    "003_96800e13f34186bd.txt",
    "004_401761815e4e5e11.txt",
)


def seed(name: str) -> CleanedDocument:
    return clean_document(name, decode_document((SEEDS / name).read_bytes(), name))


# --------------------------------------------------------------------------- decoding


def test_decode_strips_bom_and_normalises_newlines():
    data = "\ufeffErste Zeile\r\nZweite Zeile\rDritte Zeile\n".encode()
    assert decode_document(data, "x.txt") == "Erste Zeile\nZweite Zeile\nDritte Zeile\n"


def test_decode_rejects_latin1_naming_file_and_byte_offset():
    data = b"Der Vertrag von Portsmouth" + " Grenzverläufe".encode("latin-1")
    with pytest.raises(DocumentError) as info:
        decode_document(data, "bad.txt")
    message = str(info.value)
    offset = data.index(b"\xe4")
    assert "bad.txt" in message and "UTF-8" in message
    assert f"Byte-Position {offset}" in message and "0xe4" in message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", "\ufeff \n".encode()])
def test_decode_rejects_empty_documents(data):
    with pytest.raises(DocumentError, match="leer"):
        decode_document(data, "leer.txt")


def test_document_error_is_a_value_error():
    assert issubclass(DocumentError, ValueError)


# --------------------------------------------------------------------------- the seeds

BOILERPLATE = {
    HISTORY: [
        "Karte mit der Aufteilung",  # image captions
        "Sowjetische Artilleristen inspizieren",
        "Yoshitsugu Tatekawa und Wjatscheslaw Michailowitsch Molotow.",
        "Unterzeichnung des Neutralitätspaktes zwischen",
        "c) A. A. Koschkin",  # picture credit
    ],
    FORUM: [
        "thanepower\n",
        "Aktives Mitglied",
        "Zuletzt bearbeitet",
        "Google Books",
        "http",
        "Zurück",
        "Oben",
        ":winke:",
        "@thanepower:",
        "Hervorhebung durch mich",
        "DER SPIEGEL",
    ],
    NEWS: [
        "17:28",
        "SNA Radio",
        "Zeitungen",
        "Zum Kurzlink",
        "2844",
        "Abonnieren",
        "Mehr dazu",
        "Gemeinschaftsstandards",
        "kommentieren",
        "Zum Thema",
        "Tags:",
        "Stationierung, Truppen, Protest",
        "Echo auf THAAD-Aufstellung",
    ],
    WIKI: [
        "aus Wikipedia",
        "Zur Navigation springen",
        "Bearbeiten",
        "Quelltext",
        "[1]",
        "[13]",
        "Einzelnachweise",
        "Weblinks",
        "Commons:",
        "abgerufen am",
        "Lage von Nordkorea und Russland",
        "Korea Nord RusslandRussland",
        "Kim Jong-un und Wladimir Putin (2019)",
        "Brücke der koreanisch-russischen Freundschaft",
    ],
}


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_boilerplate_is_gone(name):
    text = seed(name).text
    for junk in BOILERPLATE[name]:
        assert junk not in text, junk


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (HISTORY, "1918 landeten japanische Truppen in Wladiwostok."),
        (HISTORY, "Der Neutralitätspakt zwischen der UdSSR und Japan wurde im April 1941"),
        (FORUM, "Am 16. Juni 1943 berichtete die schwedische Zeitung"),
        (NEWS, "Der japanische Außenminister Fumio Kishida betonte"),
        (WIKI, "in der Pekinger Konvention erwarb."),
        (WIKI, "unterstützte Russland diplomatisch. Als Reaktion darauf"),  # "[1]" removed cleanly
        (TEXTBOOK, "Am 5. September 1905 wurde der Frieden von Portsmouth unterzeichnet."),
    ],
)
def test_content_is_kept(name, content):
    assert content in seed(name).text


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (FORUM, "Separatfrieden zwischen Stalin und Hitler zwischen 41 und 43"),
        (WIKI, "Nordkoreanisch-russische Beziehungen"),
        (TEXTBOOK, "Ergebnisse und Konsequenzen: Der Friede von Portsmouth"),
    ],
)
def test_title_is_the_first_content_line(name, title):
    document = seed(name)
    assert document.title == title
    assert document.text.startswith(title + "\n\n")


def test_news_title_skips_the_date_and_site_chrome():
    assert seed(NEWS).title.startswith("Moskau und Tokio haben sich darauf geeinigt")


@pytest.mark.parametrize("name", [HISTORY, FORUM, NEWS, WIKI, TEXTBOOK])
def test_paragraphs_are_separated_by_one_blank_line(name):
    text = seed(name).text
    assert "\n\n\n" not in text
    assert all(line.strip() == line and line for line in text.split("\n\n"))


@pytest.mark.parametrize("name", [HISTORY, FORUM, NEWS, WIKI, TEXTBOOK])
def test_sentence_offsets_index_the_cleaned_text(name):
    document = seed(name)
    assert document.sentences
    for index, sentence in enumerate(document.sentences):
        assert sentence.index == index
        assert document.text[sentence.start : sentence.end] == sentence.text


def test_forum_quotes_of_earlier_posts_are_dropped():
    text = seed(FORUM).text
    assert text.count("Für Hitler war ein Separatfrieden zu jedem Zeitpunkt obsolet.") == 1
    assert text.count("Ab Casablanca waren alle Separatfriedensaspirationen sowieso obsolet.") == 1


def test_non_breaking_spaces_become_spaces():
    assert "\xa0" not in seed(NEWS).text and "in Tokio Verhandlungen" in seed(NEWS).text


# --------------------------------------------------------------------------- texts of our own


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    raw = (
        "Der Vertrag von Shimonoseki\n\n"
        "Nach dem Ersten Japanisch-Chinesischen Krieg wurde am 17. April 1895 der Vertrag von\n"
        "Shimonoseki unterzeichnet. China trat Taiwan und die Pescadores-Inseln an Japan ab. Die\n"
        "Verhandlungen führten Li Hongzhang und Itō Hirobumi, beide erfahren in Verhand-\n"
        "lungen.\n"
    )
    document = clean_document("shimonoseki.txt", raw)
    assert document.title == "Der Vertrag von Shimonoseki"
    assert "der Vertrag von Shimonoseki unterzeichnet." in document.text
    assert "erfahren in Verhandlungen." in document.text  # the hyphenation is undone
    assert document.text.count("\n\n") == 1


def test_wiki_reference_section_without_markup_is_dropped():
    raw = (
        "Der Vertrag von Ganghwa\n\n"
        "Im Februar 1876 unterzeichneten Japan und Korea den Vertrag von Ganghwa.[1]\n\n"
        "Einzelnachweise\n\n"
        "1. Peter Duus: The Abacus and the Sword. Berkeley 1995, abgerufen am 2. Mai 2020.\n"
        "2. Eine weitere Quelle, S. 12.\n"
    )
    text = clean_document("ganghwa.txt", raw).text
    assert text.endswith("unterzeichneten Japan und Korea den Vertrag von Ganghwa.")
    assert "Duus" not in text and "[1]" not in text


def test_news_and_forum_chrome_of_other_sites():
    raw = (
        "08:15 3. März 2021\n"
        "Abonnieren\n"
        "Tokio und Seoul haben nach langen Verhandlungen einen Vertrag über die Fischerei "
        "im Japanischen Meer unterzeichnet.\n"
        "Mehr dazu >>> Weitere Nachrichten aus Asien\n"
        "Klicke, um zu erweitern...\n"
        "Zum Vergrößern anklicken....\n"
        "historiker42 hat gesagt:\n"
        "Der Vertrag wurde von beiden Parlamenten im Herbst 2021 ratifiziert.\n"
        "https://example.org/artikel/123\n"
        "Tags:\n"
        "Japan, Südkorea, Fischerei\n"
    )
    document = clean_document("news.txt", raw)
    assert document.title.startswith("Tokio und Seoul haben")
    assert document.text.split("\n\n") == [
        document.title,
        "Der Vertrag wurde von beiden Parlamenten im Herbst 2021 ratifiziert.",
    ]


def test_a_document_of_nothing_but_chrome_is_empty_but_valid():
    document = clean_document("leer.txt", "Zurück\nOben\n2844\n")
    assert document.text == "" and document.sentences == () and document.title == "leer"


def test_a_first_line_longer_than_a_title_is_cut_at_a_word():
    line = "Der Friede von Portsmouth " * 40  # 1,040 characters, no line break
    document = clean_document("lang.txt", line)
    assert len(document.title) <= TITLE_LENGTH
    head = document.title.removesuffix("…")
    assert head != document.title and document.text.startswith(head)
    assert document.text[len(head)] == " "  # cut between two words
    # Without a space the cut is hard; a title that fits is kept as it is.
    assert capped_title("[" * 2000) == "[" * (TITLE_LENGTH - 1) + "…"
    assert capped_title("Kurzer Titel") == "Kurzer Titel"


def test_title_length_is_the_columns():
    assert Document.__table__.c.title.type.length == TITLE_LENGTH
