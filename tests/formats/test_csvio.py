"""CSV import and export of questions (quizapp.formats.csvio)."""

from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.bank.dates import format_german_date
from quizapp.bank.topics import all_topics
from quizapp.bank.types import STATUSES, ChoiceDraft, QuestionDraft
from quizapp.formats import csvio
from quizapp.formats.csvio import COLUMNS, CsvError, dump_csv, parse_csv

HEADER = ",".join(COLUMNS)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_line(delimiter: str = ",", **cells: str) -> str:
    """One CSV record with the given cells in COLUMNS order (others empty)."""
    unknown = set(cells) - set(COLUMNS)
    assert not unknown, unknown
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(
        [cells.get(column, "") for column in COLUMNS]
    )
    return buffer.getvalue()


def csv_file(*rows: str, delimiter: str = ",") -> str:
    return delimiter.join(COLUMNS) + "\n" + "".join(rows)


def errors_of(data: str | bytes, source: str = "t.csv") -> list[str]:
    with pytest.raises(CsvError) as info:
        parse_csv(data, source)
    assert info.value.errors, "CsvError without errors"
    assert str(info.value).startswith(f"{len(info.value.errors)} error")
    return info.value.errors


def numerical_extra(question: QuestionDraft) -> dict[str, str]:
    return {k: v for k, v in question.extra.items() if k != "defined_at"}


def choice(text: str, correct: bool = False, **more: object) -> ChoiceDraft:
    return ChoiceDraft(text=text, correct=correct, **more)  # type: ignore[arg-type]


def draft(kind: str, prompt: str, answer: str, **more: object) -> QuestionDraft:
    values: dict[str, object] = {
        "id": f"q-{kind.replace('_', '-')}",
        "explanation": "",
        "topic": "allgemein",
        "document": "",
        "origin": "teacher",
    }
    values.update(more)
    return QuestionDraft(kind=kind, prompt=prompt, answer=answer, **values)  # type: ignore[arg-type]


#: One question of every kind, with content that needs escaping or neutralising.
SAMPLES: tuple[QuestionDraft, ...] = (
    draft(
        "single_choice",
        "Wessen Vermittlungsangebot nahm der Zar an?",
        "Theodore Roosevelt",
        choices=(
            choice("Wilhelm II. | Kaiser", feedback="Nein # leider"),
            choice("Theodore Roosevelt", True, feedback="Richtig"),
            choice("*Eduard VII."),
        ),
        explanation='Er vermittelte; "Frieden von Portsmouth", 1905.',
        topic="russisch-japanischer-krieg",
        document="004_401761815e4e5e11.txt",
        status="approved",
    ),
    draft(
        "multiple_choice",
        "Welche Gebiete fielen 1905 an Japan?",
        "Süd-Sachalin; Port Arthur",
        choices=(
            choice("Süd-Sachalin", True, weight=50.0),
            choice("Port Arthur", True, weight=50.0, feedback="Pachtgebiet"),
            choice("-Wladiwostok", weight=-33.333333333333336),
            choice("50%:Korea", weight=None),
        ),
        topic="korea",
    ),
    draft("true_false", "Der Zar nahm die Vermittlung an.", "wahr", explanation="=1+1"),
    draft(
        "typed",
        "+Wer unterzeichnete für Russland?",
        "Sergei Witte",
        accepted=("Witte", " Graf Witte ", "S. | Witte", "back\\slash"),
        choices=(choice("Witte", True), choice("Rosen", weight=25.0)),
        explanation="Mehrzeilig:\nZeile 2\r\nZeile 3",
    ),
    draft(
        "cloze",
        "Der Frieden von ___ beendete den Krieg.",
        "Portsmouth",
        accepted=("Portsmouth (New Hampshire)",),
        choices=(choice("Portsmouth", True), choice("Paris"), choice("Berlin => Bonn")),
    ),
    draft(
        "date",
        "Wann wurde der Frieden von Portsmouth unterzeichnet?",
        "5. September 1905",
        accepted=("05.09.1905",),
        choices=(
            choice("23. August 1905"),
            choice("5. September 1905", True),
            choice("5. September 1904"),
        ),
    ),
    draft(
        "numerical",
        "In welchem Jahr endete der Krieg?",
        "-1905.5",
        extra={"tolerance": "2"},
    ),
    draft(
        "ordering",
        "Ordne chronologisch.",
        "Port Arthur → Mukden → Tsushima",
        choices=(
            choice("Port Arthur", True),
            choice("Mukden", True),
            choice("Tsushima", True),
        ),
    ),
    draft(
        "matching",
        "Ordne zu.",
        "Witte → Russland; Komura → Japan",
        choices=(
            choice("Witte", True, match="Russland"),
            choice("Komura", True, match="Japan # Tokio"),
            choice("", False, match="=> Korea"),
        ),
        document="005.txt",
    ),
)


# --------------------------------------------------------------------------- parsing


def test_every_kind_parses_from_a_handwritten_file() -> None:
    text = csv_file(
        csv_line(
            id="sc",
            kind="single_choice",
            prompt="Wer vermittelte?",
            answer="Roosevelt",
            choices="Wilhelm II. | *Roosevelt # stimmt | Eduard VII.",
            explanation="Laut Text.",
            topic="Russisch-Japanischer Krieg 1904/05",
            document=" 004.txt ",
            status="Approved",
        ),
        csv_line(
            id="mc",
            kind="Multiple_Choice",
            prompt="Welche Inseln?",
            choices="50%:Sachalin | 50 % : Kurilen | -33,5%:Korea",
        ),
        csv_line(id="tf", kind="true_false", prompt="Stimmt das?", answer=" Falsch "),
        csv_line(
            id="ty", kind="typed", prompt="Wer?", answer="Witte", accepted="Graf Witte|S. Witte"
        ),
        csv_line(id="cl", kind="cloze", prompt="Der ___ von Portsmouth", answer="Frieden"),
        csv_line(id="da", kind="date", prompt="Wann?", answer="5. September 1905"),
        csv_line(id="nu", kind="numerical", prompt="Jahr?", answer="1905,5"),
        csv_line(id="nt", kind="numerical", prompt="Jahr?", answer="1905:2"),
        csv_line(id="nr", kind="numerical", prompt="Jahr?", answer="1900..1911"),
        csv_line(id="ns", kind="numerical", prompt="Jahr?", answer="1905:1900..1910"),
        csv_line(id="or", kind="ordering", prompt="Ordne.", choices="A | B | C"),
        csv_line(id="ma", kind="matching", prompt="Ordne zu.", choices="a => 1 | b=>2"),
        csv_line(id="m2", kind="matching", prompt="Zu.", choices="*a => 1 | *b => 2 | => 3"),
    )
    by_id = {q.id: q for q in parse_csv(text, "lehrer.csv")}
    assert list(by_id) == [
        "sc",
        "mc",
        "tf",
        "ty",
        "cl",
        "da",
        "nu",
        "nt",
        "nr",
        "ns",
        "or",
        "ma",
        "m2",
    ]

    sc = by_id["sc"]
    assert (sc.kind, sc.prompt, sc.answer, sc.explanation) == (
        "single_choice",
        "Wer vermittelte?",
        "Roosevelt",
        "Laut Text.",
    )
    assert sc.choices == (
        ChoiceDraft("Wilhelm II."),
        ChoiceDraft("Roosevelt", correct=True, feedback="stimmt"),
        ChoiceDraft("Eduard VII."),
    )
    assert (sc.topic, sc.document, sc.status, sc.origin) == (
        "russisch-japanischer-krieg",
        "004.txt",
        "approved",
        "teacher",
    )
    assert sc.extra["defined_at"] == "lehrer.csv:2"

    mc = by_id["mc"]
    assert mc.kind == "multiple_choice"
    assert mc.choices == (
        ChoiceDraft("Sachalin", correct=True, weight=50.0),
        ChoiceDraft("Kurilen", correct=True, weight=50.0),
        ChoiceDraft("Korea", correct=False, weight=-33.5),
    )
    assert mc.answer == "Sachalin; Kurilen"  # derived from the correct options
    assert (mc.topic, mc.status) == ("allgemein", "draft")

    assert by_id["tf"].answer == "falsch"
    assert by_id["ty"].accepted == ("Graf Witte", "S. Witte")
    assert by_id["cl"].answer == "Frieden"
    assert by_id["da"].answer == "5. September 1905"
    assert (by_id["nu"].answer, numerical_extra(by_id["nu"])) == ("1905.5", {})
    assert (by_id["nt"].answer, numerical_extra(by_id["nt"])) == ("1905", {"tolerance": "2"})
    assert (by_id["nr"].answer, numerical_extra(by_id["nr"])) == (
        "1905.5",
        {"min": "1900", "max": "1911"},
    )
    assert (by_id["ns"].answer, numerical_extra(by_id["ns"])) == (
        "1905",
        {"min": "1900", "max": "1910"},
    )
    assert by_id["or"].answer == "A → B → C"
    assert by_id["or"].choices == tuple(ChoiceDraft(t, correct=True) for t in "ABC")
    assert by_id["ma"].answer == "a → 1; b → 2"
    assert by_id["ma"].choices == (
        ChoiceDraft("a", correct=True, match="1"),
        ChoiceDraft("b", correct=True, match="2"),
    )
    # With '*' only the marked pairs are right; "=> 3" is an extra wrong right-hand side.
    assert by_id["m2"].choices[2] == ChoiceDraft("", correct=False, match="3")
    assert by_id["m2"].answer == "a → 1; b → 2"


def test_columns_are_case_insensitive_in_any_order_and_optional() -> None:
    text = "Answer,PROMPT,Kind\nWitte,Wer?,typed\n"
    (question,) = parse_csv(text)
    assert (question.kind, question.prompt, question.answer) == ("typed", "Wer?", "Witte")
    assert (question.topic, question.status, question.document) == ("allgemein", "draft", "")


def test_empty_id_gets_a_stable_content_id() -> None:
    row = csv_line(kind="typed", prompt="Wer?", answer="Witte")
    (first,) = parse_csv(csv_file(row))
    (second,) = parse_csv(csv_file(row))
    key = b"typed\x1fWer?\x1fWitte"
    assert first.id == second.id == "t-" + hashlib.sha256(key).hexdigest()[:12]


def test_blank_rows_are_skipped() -> None:
    text = csv_file(
        ",,,,,,,,,\n",
        "\n",
        csv_line(id="a", kind="typed", prompt="P", answer="A"),
        " , ,\n",
    )
    assert [q.id for q in parse_csv(text)] == ["a"]


def test_blank_lines_before_the_header_are_skipped() -> None:
    (question,) = parse_csv("\n ,\nkind,prompt,answer\ntyped,P,A\n")
    assert (question.prompt, question.extra["defined_at"]) == ("P", "<csv>:4")


def test_unknown_status_becomes_draft() -> None:
    (question,) = parse_csv(csv_file(csv_line(kind="typed", prompt="P", answer="A", status="ok")))
    assert question.status == "draft"


def test_semicolon_file_from_german_excel() -> None:
    text = csv_file(
        csv_line(";", id="a", kind="numerical", prompt="Wert, bitte?", answer="3,5"),
        csv_line(";", id="b", kind="typed", prompt="Wer, bitte?", answer="Witte, Sergei"),
        delimiter=";",
    )
    assert ";" in text.splitlines()[1] and '"' not in text.splitlines()[1]
    a, b = parse_csv(text.encode("utf-8-sig"))
    assert (a.prompt, a.answer) == ("Wert, bitte?", "3.5")
    assert (b.prompt, b.answer) == ("Wer, bitte?", "Witte, Sergei")


def test_excel_separator_hint_line() -> None:
    text = "sep=;\r\n" + csv_file(
        csv_line(";", kind="typed", prompt="a,b", answer="c"), delimiter=";"
    )
    (question,) = parse_csv(text)
    assert question.prompt == "a,b"
    # Lines keep counting from the physical start of the file.
    bad = "sep=;\n" + csv_file(csv_line(";", kind="nope", prompt="P", answer="A"), delimiter=";")
    assert errors_of(bad) == [
        "t.csv:3: unknown kind 'nope' (known: " + ", ".join(csvio.CSV_KINDS) + ")"
    ]


@pytest.mark.parametrize("as_bytes", [True, False])
def test_byte_order_mark_is_accepted(as_bytes: bool) -> None:
    text = "\ufeff" + csv_file(csv_line(kind="typed", prompt="Wer?", answer="Witte"))
    data: str | bytes = text.encode("utf-8") if as_bytes else text
    (question,) = parse_csv(data)
    assert (question.kind, question.prompt) == ("typed", "Wer?")


def test_crlf_files_and_multiline_cells() -> None:
    text = 'kind,prompt,answer\r\ntyped,"Zeile 1\r\nZeile 2",A\r\ntyped,P,B\r\n'
    a, b = parse_csv(text)
    assert (a.prompt, a.answer) == ("Zeile 1\r\nZeile 2", "A")
    assert b.extra["defined_at"] == "<csv>:4"


# --------------------------------------------------------------------------- errors


def test_invalid_utf8_names_byte_offset_and_line() -> None:
    text = csv_file(csv_line(kind="typed", prompt="Wer?", answer="Witte"))
    data = text.encode("utf-8") + "typed,Größe".encode("cp1252")
    offset = len(text.encode("utf-8")) + len("typed,Gr")
    assert errors_of(data) == [
        f"t.csv:3: not valid UTF-8 at byte {offset} (invalid start byte); "
        "save the file as 'CSV UTF-8'"
    ]


def test_invalid_utf8_offset_counts_the_bom() -> None:
    data = b"\xef\xbb\xbfkind,prompt,answer\n\xff"
    assert errors_of(data)[0].startswith("t.csv:2: not valid UTF-8 at byte 22 ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["t.csv:1: the file is empty; a header row is required"]),
        (
            "id,kind,prompt\nx,typed,P\n",
            ["t.csv:1: missing header column answer; the first row must name the columns"],
        ),
        (
            "typed,Wer?,Witte\n",
            [
                "t.csv:1: missing header columns kind, prompt, answer; "
                "the first row must name the columns"
            ],
        ),
        (
            "kind,prompt,answer,notes,Kind\ntyped,P,A,,typed\n",
            [
                "t.csv:1: unknown column 'notes' (known: " + ", ".join(COLUMNS) + ")",
                "t.csv:1: column 'kind' appears twice",
            ],
        ),
    ],
)
def test_header_errors(text: str, expected: list[str]) -> None:
    assert errors_of(text) == expected


ROW_ERRORS = [
    (
        {"kind": "essay", "prompt": "P", "answer": "A"},
        "unknown kind 'essay' (known: " + ", ".join(csvio.CSV_KINDS) + ")",
    ),
    ({"kind": "", "prompt": "P", "answer": "A"}, "missing kind"),
    ({"kind": "typed", "prompt": "  ", "answer": "A"}, "missing prompt"),
    ({"kind": "typed", "prompt": "P", "answer": ""}, "missing answer"),
    ({"kind": "date", "prompt": "P", "answer": " "}, "missing answer"),
    (
        {"kind": "single_choice", "prompt": "P", "answer": "A", "choices": "A | B"},
        "single_choice needs an option with full credit: mark it with '*' "
        "(without a weight, or 100%:)",
    ),
    (
        {"kind": "single_choice", "prompt": "P", "answer": "A", "choices": "*50%:A | B"},
        "single_choice needs an option with full credit: mark it with '*' "
        "(without a weight, or 100%:)",
    ),
    (
        {"kind": "single_choice", "prompt": "P", "answer": "A", "choices": "*A"},
        "single_choice needs at least 2 options, got 1",
    ),
    (
        {"kind": "single_choice", "prompt": "P", "answer": "X", "choices": "*A | B"},
        "answer 'X' is not an option with full credit ('A')",
    ),
    (
        {"kind": "multiple_choice", "prompt": "P", "answer": "", "choices": "-50%:A | B"},
        "multiple_choice needs at least one correct option ('*' or a weight above 0)",
    ),
    (
        {"kind": "multiple_choice", "prompt": "P", "answer": "", "choices": "150%:A | B"},
        "option 1: weight 150% is outside -100..100",
    ),
    (
        {"kind": "ordering", "prompt": "P", "answer": "", "choices": "A | B"},
        "ordering needs at least 3 items in the right order, got 2",
    ),
    (
        {"kind": "matching", "prompt": "P", "answer": "", "choices": "a => 1"},
        "matching needs at least 2 pairs 'left => right', got 1",
    ),
    (
        {"kind": "matching", "prompt": "P", "answer": "", "choices": "a => 1 | b"},
        "option 2 'b' needs 'left => right'",
    ),
    (
        {"kind": "single_choice", "prompt": "P", "answer": "", "choices": "*a => 1 | b"},
        "option 1: 'left => right' pairs are for matching questions only "
        "(write '=\\>' for a literal '=>')",
    ),
    (
        {"kind": "single_choice", "prompt": "P", "answer": "", "choices": "*A || B"},
        "option 2 is empty (two '|' in a row?)",
    ),
    (
        {"kind": "numerical", "prompt": "P", "answer": "etwa 1905"},
        "numerical answer 'etwa 1905' is not a number (e.g. '1905', '3,5', '1905:2' or "
        "'1900..1910')",
    ),
    (
        {"kind": "numerical", "prompt": "P", "answer": "1905:-2"},
        "numerical tolerance '-2' is negative",
    ),
    ({"kind": "numerical", "prompt": "P", "answer": "10..5"}, "numerical range 10..5 is empty"),
    (
        {"kind": "date", "prompt": "P", "answer": "31. Februar 1905"},
        "date answer '31. Februar 1905' is not a German date (e.g. '5. September 1905', "
        "'05.09.1905', 'September 1905', '1905')",
    ),
    (
        {"kind": "true_false", "prompt": "P", "answer": "ja"},
        "true_false answer must be 'wahr' or 'falsch'",
    ),
    (
        {"kind": "true_false", "prompt": "P", "answer": "wahr", "choices": "*wahr | falsch"},
        "true_false takes no choices",
    ),
    ({"kind": "cloze", "prompt": "Ohne Lücke", "answer": "A"}, "cloze prompt needs the gap '___'"),
    (
        {"kind": "typed", "prompt": "P", "answer": "A", "topic": "mond"},
        "unknown topic 'mond' (known: " + ", ".join(s for s, _ in all_topics()) + ")",
    ),
    (
        {"kind": "typed", "prompt": "P", "answer": "A", "id": "Frage 1"},
        "invalid id 'Frage 1': letters, digits, '.', '_', '-', at most 64 characters",
    ),
]


@pytest.mark.parametrize(("cells", "message"), ROW_ERRORS)
def test_row_errors_name_source_and_line(cells: dict[str, str], message: str) -> None:
    text = csv_file(csv_line(id="ok", kind="typed", prompt="P", answer="A"), csv_line(**cells))
    assert errors_of(text, "fragen.csv") == [f"fragen.csv:3: {message}"]


def test_line_numbers_are_physical_lines_across_multiline_cells() -> None:
    text = csv_file(
        csv_line(id="a", kind="typed", prompt="eins\nzwei\ndrei", answer="A"),  # lines 2-4
        csv_line(id="b", kind="date", prompt="vier\nfünf", answer="nie"),  # lines 5-6
        csv_line(id="c", kind="nope", prompt="P", answer="A"),  # line 7
    )
    assert errors_of(text) == [
        # The answer cell of row b starts on line 6, after the two-line prompt.
        "t.csv:6: date answer 'nie' is not a German date (e.g. '5. September 1905', "
        "'05.09.1905', 'September 1905', '1905')",
        "t.csv:7: unknown kind 'nope' (known: " + ", ".join(csvio.CSV_KINDS) + ")",
    ]


def test_all_errors_are_collected() -> None:
    text = csv_file(
        csv_line(id="a", kind="essay", prompt="P", answer="A"),
        csv_line(id="b", kind="typed", prompt="", answer=""),
        csv_line(id="c", kind="ordering", prompt="P", choices="x|y"),
    )
    assert errors_of(text) == [
        "t.csv:2: unknown kind 'essay' (known: " + ", ".join(csvio.CSV_KINDS) + ")",
        "t.csv:3: missing prompt",
        "t.csv:3: missing answer",
        "t.csv:4: ordering needs at least 3 items in the right order, got 2",
    ]


def test_duplicate_ids() -> None:
    text = csv_file(
        csv_line(id="a", kind="typed", prompt="P", answer="A"),
        csv_line(id="b", kind="typed", prompt="P", answer="B"),
        csv_line(id="a", kind="typed", prompt="Q", answer="A"),
        csv_line(kind="typed", prompt="Gleich", answer="G"),
        csv_line(kind="typed", prompt="Gleich", answer="G"),
    )
    derived = "t-" + hashlib.sha256(b"typed\x1fGleich\x1fG").hexdigest()[:12]
    assert errors_of(text) == [
        "t.csv:4: duplicate id 'a' (first at line 2)",
        f"t.csv:6: duplicate id '{derived}' (first at line 5)",
    ]


def test_cells_longer_than_the_limit() -> None:
    long = "x" * (csvio.MAX_CELL_LENGTH + 1)
    text = csv_file(
        csv_line(kind="typed", prompt="P", answer="A", explanation=csvio.MAX_CELL_LENGTH * "y"),
        csv_line(kind="typed", prompt=long, answer="A"),
    )
    assert errors_of(text) == ["t.csv:3: cell 3 has 10001 characters (at most 10000)"]


def test_more_than_max_rows() -> None:
    rows = [csv_line(kind="typed", prompt=f"P{i}", answer="A") for i in range(csvio.MAX_ROWS)]
    assert len(parse_csv(csv_file(*rows))) == csvio.MAX_ROWS
    rows.append(csv_line(kind="typed", prompt="zu viel", answer="A"))
    assert errors_of(csv_file(*rows)) == ["t.csv:10002: more than 10000 rows; split the file"]


def test_cells_without_a_column_name_must_be_empty() -> None:
    text = "kind,prompt,answer,\ntyped,P,A,\ntyped,Q,B,,\ntyped,R,C,x\ntyped,S,D,,y\n"
    assert errors_of(text) == [
        "t.csv:4: cell 4 has no column name",
        "t.csv:5: cell 5 has no column name",
    ]


def test_csv_syntax_errors() -> None:
    unclosed = 'kind,prompt,answer\ntyped,"P,A\ntyped,Q,B\n'
    assert errors_of(unclosed) == [
        "t.csv:3: CSV syntax error: unexpected end of data (in the row starting at line 2)"
    ]
    stray = 'kind,prompt,answer\ntyped,"P"x,A\n'
    assert errors_of(stray) == ["t.csv:2: CSV syntax error: ',' expected after '\"'"]


def test_error_count_is_capped() -> None:
    rows = [csv_line(kind="essay", prompt="P", answer="A") for _ in range(500)]
    errors = errors_of(csv_file(*rows))
    assert len(errors) == csvio.MAX_ERRORS + 1
    assert errors[-1] == f"t.csv:{csvio.MAX_ERRORS + 1}: more than 100 errors, stopped"


@pytest.mark.parametrize("variant", ["random bytes", "garbage text", "unclosed quote"])
def test_ten_megabytes_of_nonsense_end_in_errors(variant: str) -> None:
    rng = random.Random(1905)
    size = 10 * 1024 * 1024
    if variant == "random bytes":
        data: bytes | str = rng.randbytes(size)
    elif variant == "garbage text":
        alphabet = "abcäöü;,| *=>#%:\n"
        data = HEADER + "\n" + "".join(rng.choices(alphabet, k=size))
    else:
        data = HEADER + '\ntyped,"' + "x" * size
    errors = errors_of(data, "big.csv")
    assert all(error.startswith("big.csv:") for error in errors)


# --------------------------------------------------------------------------- export


def test_dump_writes_header_and_all_columns() -> None:
    text = dump_csv(SAMPLES[:1])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(COLUMNS)
    assert rows[1] == [
        "q-single-choice",
        "single_choice",
        "Wessen Vermittlungsangebot nahm der Zar an?",
        "Theodore Roosevelt",
        "",
        "Wilhelm II. \\| Kaiser # Nein \\# leider | *Theodore Roosevelt # Richtig | \\*Eduard VII.",
        'Er vermittelte; "Frieden von Portsmouth", 1905.',
        "russisch-japanischer-krieg",
        "004_401761815e4e5e11.txt",
        "approved",
        "",
        "",
        "",
    ]
    assert text.endswith("\r\n")


def test_name_tags_and_format_columns_round_trip() -> None:
    question = draft(
        "typed",
        "Wer **vermittelte**?",
        "Roosevelt",
        name="Vermittler",
        tags=("Frieden", "a | b"),
        text_format="markdown",
    )
    text = dump_csv([question])
    assert "Vermittler,Frieden | a \\| b,markdown" in text
    again = parse_csv(text)[0]
    assert (again.name, again.tags, again.text_format) == (
        "Vermittler",
        ("a | b", "Frieden"),
        "markdown",
    )
    with pytest.raises(CsvError) as info:
        parse_csv("kind,prompt,answer,format\ntyped,P,A,rtf\n", "f.csv")
    assert info.value.errors == ["f.csv:2: unknown text format 'rtf'"]


def test_dump_of_nothing_is_just_the_header() -> None:
    assert dump_csv([]) == HEADER + "\r\n"
    assert parse_csv(dump_csv([])) == []


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_cells_are_neutralised_and_restored(start: str) -> None:
    question = draft(
        "typed",
        start + "Prompt",
        start + 'HYPERLINK("http://x")',
        accepted=(start + "cmd|' /C calc'!A0",),
        explanation=start + "1+1",
    )
    text = dump_csv([question])
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["prompt"] == "'" + start + "Prompt"
    assert cells["answer"] == "'" + start + 'HYPERLINK("http://x")'
    # A leading tab or CR of a list item is escaped (it would be trimmed), so no quote is needed.
    lead = "\\" if start.isspace() else "'"
    assert cells["accepted"] == lead + start + "cmd\\|' /C calc'!A0"
    assert cells["explanation"] == "'" + start + "1+1"
    (back,) = parse_csv(text)
    assert back == question


def test_hyperlink_formula_is_exported_with_a_quote() -> None:
    question = draft("typed", "P", '=HYPERLINK("http://x")')
    text = dump_csv([question])
    assert ',"\'=HYPERLINK(""http://x"")",' in text
    assert parse_csv(text)[0].answer == '=HYPERLINK("http://x")'


def test_negative_weight_first_in_choices_cell_is_neutralised() -> None:
    question = SAMPLES[1]  # multiple_choice; reorder so that a "-33%:" option comes first
    question = replace(question, choices=question.choices[2:] + question.choices[:2])
    row = list(csv.reader(io.StringIO(dump_csv([question]), newline="")))[1]
    assert row[COLUMNS.index("choices")].startswith(
        "'-33.333333333333336%:-Wladiwostok | 50\\%:Korea"
    )
    assert parse_csv(dump_csv([question])) == [question]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("'=1+1", "=1+1"),  # the quote a spreadsheet user or dump_csv put there
        ("''=1+1", "'=1+1"),  # only one quote is removed
        ("'0123", "'0123"),  # no formula character follows: kept
        ("'", "'"),
        ("=1+1", "=1+1"),  # not neutralised by the author: taken as text anyway
    ],
)
def test_import_strips_one_quote_only_before_formula_characters(cell: str, value: str) -> None:
    (question,) = parse_csv(csv_file(csv_line(kind="typed", prompt="P", answer=cell)))
    assert question.answer == value


@pytest.mark.parametrize("text", ["'=x", "''+x", "'", "'a", "=", "\t", "\r\n"])
def test_quote_prefixed_texts_survive_the_round_trip(text: str) -> None:
    question = draft("typed", "P", "A", explanation=text)
    assert parse_csv(dump_csv([question])) == [question]


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("question", SAMPLES, ids=lambda q: q.kind)
def test_round_trip_every_kind(question: QuestionDraft) -> None:
    (back,) = parse_csv(dump_csv([question]), "rt.csv")
    assert back == question
    for name in ("kind", "prompt", "answer", "accepted", "choices", "explanation", "topic", "id"):
        assert getattr(back, name) == getattr(question, name), name
    assert numerical_extra(back) == question.extra


def test_round_trip_of_all_samples_together() -> None:
    assert parse_csv(dump_csv(SAMPLES)) == list(SAMPLES)
    assert {q.kind for q in SAMPLES} == set(csvio.CSV_KINDS)


@pytest.mark.parametrize(
    "extra", [{}, {"tolerance": "0.5"}, {"min": "1900", "max": "1910"}], ids=str
)
def test_round_trip_numerical_tolerance_and_range(extra: dict[str, str]) -> None:
    question = draft("numerical", "Jahr?", "1905", extra=extra)
    (back,) = parse_csv(dump_csv([question]))
    assert (back.answer, numerical_extra(back)) == ("1905", extra)


def test_dumped_file_of_curated_bank_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_bytes(dump_csv(SAMPLES).encode("utf-8-sig"))  # as Excel would want it
    assert parse_csv(path.read_bytes(), str(path)) == list(SAMPLES)


# --------------------------------------------------------------------------- properties

SPECIAL = list("=+-@'\"|;,\\#*%:>→_ \t\r\n\x00") + ["=>", "50%:", "___", "\\|", "\r\n"]


def mixed_text(max_size: int, *extra: str) -> st.SearchStrategy[str]:
    """Text mixing any characters with the format's special characters and fragments."""
    pieces = st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL + list(extra)))
    return st.lists(pieces, max_size=max_size).map("".join)


texts = mixed_text(12)
nonempty = st.builds(lambda a, b: a + b, texts, st.characters(codec="utf-8"))
nonblank = st.builds(
    lambda a, c, b: a + c + b,
    texts,
    st.characters(codec="utf-8").filter(lambda c: not c.isspace()),
    texts,
)
feedbacks = st.none() | texts
weights = st.none() | st.floats(min_value=-100, max_value=100, allow_nan=False)
ids = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,15}", fullmatch=True)
numbers = st.one_of(
    st.integers(-10_000, 10_000).map(str),
    st.decimals(min_value=-10_000, max_value=10_000, places=3, allow_nan=False).map(str),
)


@st.composite
def options(draw: st.DrawFn, min_size: int = 2, weighted: bool = False) -> list[ChoiceDraft]:
    return draw(
        st.lists(
            st.builds(
                ChoiceDraft,
                text=nonempty,
                correct=st.booleans(),
                weight=weights if weighted else st.none(),
                feedback=feedbacks,
            ),
            min_size=min_size,
            max_size=4,
        )
    )


@st.composite
def kind_parts(draw: st.DrawFn) -> dict[str, object]:
    """Kind, prompt, answer, choices and extra of a valid question."""
    kind = draw(st.sampled_from(csvio.CSV_KINDS))
    prompt = draw(nonblank)
    extra: dict[str, str] = {}
    choices: list[ChoiceDraft] = []
    if kind == "single_choice":
        choices = [replace(c, correct=False) for c in draw(options())]
        right = draw(st.integers(0, len(choices) - 1))
        choices[right] = replace(choices[right], correct=True)
        answer = choices[right].text
    elif kind == "multiple_choice":
        choices = draw(options(weighted=True))
        if not any(c.correct for c in choices):
            choices[0] = replace(choices[0], correct=True)
        answer = "; ".join(c.text for c in choices if c.correct)
    elif kind == "true_false":
        answer = draw(st.sampled_from(("wahr", "falsch")))
    elif kind in ("typed", "cloze"):
        answer = draw(nonblank)
        choices = draw(options(min_size=0, weighted=True))
        if kind == "cloze":
            prompt = draw(texts) + "___" + draw(texts)
    elif kind == "date":
        year = draw(st.integers(1000, 2100))
        month = draw(st.none() | st.integers(1, 12))
        day = draw(st.none() | st.integers(1, 28)) if month else None
        answer = format_german_date(year, month, day)
        choices = draw(options(min_size=0))
    elif kind == "numerical":
        answer = draw(numbers)
        spec = draw(st.sampled_from(("none", "tolerance", "range")))
        if spec == "tolerance":
            extra = {"tolerance": draw(numbers.filter(lambda n: not n.startswith("-")))}
        elif spec == "range":
            low, high = sorted([draw(st.integers(-5000, 5000)), draw(st.integers(-5000, 5000))])
            extra = {"min": str(low), "max": str(high)}
    elif kind == "ordering":
        choices = [replace(c, correct=True) for c in draw(options(min_size=3))]
        answer = " → ".join(c.text for c in choices)
    else:  # matching
        pairs = draw(st.lists(st.tuples(texts, texts, feedbacks), min_size=2, max_size=4))
        choices = [ChoiceDraft(left, True, match=right, feedback=fb) for left, right, fb in pairs]
        if draw(st.booleans()):
            choices.append(ChoiceDraft("", False, match=draw(texts)))
        answer = "; ".join(f"{c.text} → {c.match}" for c in choices if c.correct)
    return {
        "kind": kind,
        "prompt": prompt,
        "answer": answer,
        "choices": tuple(choices),
        "extra": extra,
    }


@st.composite
def questions(draw: st.DrawFn) -> QuestionDraft:
    parts = draw(kind_parts())
    return QuestionDraft(
        id=draw(ids),
        explanation=draw(texts),
        topic=draw(st.sampled_from([slug for slug, _ in all_topics()])),
        document=draw(texts).strip(),
        origin="teacher",
        accepted=tuple(draw(st.lists(nonempty, max_size=3))),
        status=draw(st.sampled_from(STATUSES)),
        **parts,  # type: ignore[arg-type]
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(questions(), max_size=4, unique_by=lambda q: q.id))
def test_property_dump_then_parse_gives_the_questions_back(drafts: list[QuestionDraft]) -> None:
    back = parse_csv(dump_csv(drafts))
    assert back == drafts
    for original, parsed in zip(drafts, back, strict=True):
        assert numerical_extra(parsed) == original.extra


def _only_csv_errors(data: bytes | str) -> None:
    try:
        result = parse_csv(data, "fuzz.csv")
    except CsvError as exc:
        assert exc.errors
        assert all(error.startswith("fuzz.csv:") for error in exc.errors)
    else:
        assert all(isinstance(q, QuestionDraft) for q in result)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=500))
def test_property_arbitrary_bytes_raise_only_csv_error(data: bytes) -> None:
    _only_csv_errors(data)


@settings(max_examples=300, deadline=None)
@given(mixed_text(300))
def test_property_arbitrary_text_raises_only_csv_error(text: str) -> None:
    _only_csv_errors(text)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([HEADER, HEADER.replace(",", ";"), "kind,prompt,answer,choices"]),
    mixed_text(300, *csvio.CSV_KINDS),
)
def test_property_arbitrary_rows_raise_only_csv_error(header: str, rows: str) -> None:
    _only_csv_errors(header + "\n" + rows)


def test_docs_file_is_the_module_docstring() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "CSV-FORMAT.md"
    doc = csvio.__doc__ or ""
    assert docs.read_text(encoding="utf-8") == doc[doc.index("# CSV format") :].rstrip() + "\n"
    for column in COLUMNS:
        assert f"* `{column}`:" in doc


def test_single_choice_with_partial_credit_and_several_full_credit_options() -> None:
    text = (
        "kind,prompt,answer,choices\n"
        "single_choice,Woher?,,-25%:Jerusalem | 50%:Galiläa | *Nazareth | *Nazaret\n"
    )
    (draft,) = parse_csv(text)
    assert draft.answer == "Nazareth"
    assert [(c.text, c.correct, c.weight) for c in draft.choices] == [
        ("Jerusalem", False, -25.0),
        ("Galiläa", False, 50.0),
        ("Nazareth", True, None),
        ("Nazaret", True, None),
    ]
    assert parse_csv(dump_csv([draft]))[0].choices == draft.choices
