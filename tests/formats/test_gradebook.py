"""The grade-book CSV: both number formats, and formulas neutralised like the question CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from quizapp.formats import csvio, gradebook

HEADER = ("Name", "Punkte", "Prozent", "Beendet")
ROWS = [
    ["anna", 7.5, 75.0, datetime(2026, 11, 21, 14, 30)],
    ['=HYPERLINK("http://evil.example")', None, None, None],
    ["-bert", 3.0, 30.0, datetime(2026, 11, 22, 9, 5)],
]


def _read(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_german_format_uses_semicolons_and_decimal_commas() -> None:
    rows = _read(gradebook.write_gradebook(HEADER, ROWS, german=True), ";")
    assert rows[0] == list(HEADER)
    assert rows[1] == ["anna", "7,5", "75,0", "21.11.2026 14:30"]


def test_international_format_uses_commas_and_decimal_points() -> None:
    rows = _read(gradebook.write_gradebook(HEADER, ROWS, german=False), ",")
    assert rows[1] == ["anna", "7.5", "75.0", "2026-11-21 14:30"]


def test_formula_cells_are_neutralised_as_in_the_question_csv() -> None:
    for german, delimiter in ((True, ";"), (False, ",")):
        rows = _read(gradebook.write_gradebook(HEADER, ROWS, german=german), delimiter)
        names = [row[0] for row in rows[1:]]
        assert names == [csvio.neutralise(str(r[0])) for r in ROWS]
        assert names[1].startswith("'=HYPERLINK") and names[2] == "'-bert"
        assert rows[2][1:] == ["", "", ""]  # nothing, not "None"


def test_every_cell_goes_through_the_same_function() -> None:
    assert gradebook.neutralise is csvio.neutralise
    assert csvio.neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert csvio.neutralise("7,5") == "7,5"
