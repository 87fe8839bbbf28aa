"""The grade-book CSV of an assignment: plain Python, one row per learner.

Two number formats, for the spreadsheet a school uses:

* ``german=True``: cells separated by ``;``, decimal comma ("7,5"), dates "21.11.2026 14:30"
  (German Excel and LibreOffice open it as it is when saved with a byte order mark, which
  the download adds);
* ``german=False``: cells separated by ``,``, decimal point ("7.5"), dates
  "2026-11-21 14:30".

Every cell goes through the question CSV's formula neutralising
(``quizapp.formats.csvio.neutralise``): a learner named "-Ana" or "=HYPERLINK(...)" is shown
as text, never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from quizapp.formats.csvio import neutralise

Cell = str | int | float | datetime | None


def cell_text(value: Cell, german: bool, digits: int = 1) -> str:
    """Return one value as a grade-book cell (numbers and dates in the chosen format)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("ja" if value else "nein") if german else ("yes" if value else "no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if german else text
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y %H:%M}" if german else f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def write_gradebook(header: Sequence[str], rows: Sequence[Sequence[Cell]], german: bool) -> str:
    """Return the CSV text of a grade book (header first; dates already in local time)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if german else ",", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell_text(value, german)) for value in row])
    return buffer.getvalue()
