"""Every message an import reader can write has a German version for the web page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quizapp.formats.german import german, german_reason

ROOT = Path(__file__).resolve().parents[2] / "quizapp"
SOURCES = [
    ROOT / "formats" / name
    for name in ("gift.py", "csvio.py", "jsonio.py", "aiken.py", "moodlexml.py", "common.py")
] + [ROOT / "services" / "transfer.py"]
#: Calls whose text argument is a message for the teacher (GIFT's export notes are the CLI's).
MESSAGE_CALLS = {"error", "warn", "add", "append"}
ERROR_TYPES = {
    "ValueError", "TypeError", "_Refused", "JsonError", "CsvError", "AikenError",
    "MoodleXmlError", "ImportFailed", "GiftError",
}  # fmt: skip
_RECEIVER = re.compile(r"error|warn|problem")  # lists that collect messages
_PLACE = re.compile(r"\A1(?::1|:item 1| \(1\))?: ")
#: Messages written in German already (the editor's checks, JSON's depth limit, ...).
_GERMAN = re.compile(r"[äöüß„“]|\b(Die|Der|Das|Eine?|Bitte|Kein)\b")


def _sample(node: ast.expr) -> str | None:
    """Return a message with every {value} replaced by "1", or None for no text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "1" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _sample(node.left), _sample(node.right)
        return None if left is None or right is None else left + right
    return None


def _messages() -> list[tuple[str, int, str]]:
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ERROR_TYPES:
                args = [e for a in node.args for e in (a.elts if isinstance(a, ast.List) else [a])]
            elif name in MESSAGE_CALLS and (
                name in ("error", "warn") or _RECEIVER.search(ast.unparse(func.value))
            ):
                args = list(node.args)
            else:
                continue
            for arg in args:
                text = _sample(arg)
                if text is not None:
                    found.append((path.name, node.lineno, text))
                    break
    return found


MESSAGES = _messages()


def test_the_walk_finds_the_readers_messages():
    texts = [text for _, _, text in MESSAGES]
    assert len(texts) > 80
    assert "'{' is never closed with '}'" in texts


@pytest.mark.parametrize(
    ("source", "line", "text"), MESSAGES, ids=[f"{s}:{n}" for s, n, _ in MESSAGES]
)
def test_every_message_has_a_german_version(source, line, text):
    reason = _PLACE.sub("", text)
    if reason.strip(" 1:") == "" or reason in ("1", "1: 1"):
        return  # a message passed on (its text is checked where it is written)
    if _GERMAN.search(reason):
        return
    assert german_reason(reason) is not None, f"{source}:{line}: no German for {reason!r}"


def test_german_names_the_file_and_line():
    assert german("fragen.gift:12: '{' is never closed with '}'") == (
        "fragen.gift, Zeile 12: „{“ wird nicht mit „}“ geschlossen."
    )
    assert german("a.json:item 3: unknown kind 'x'") == "a.json, Frage 3: Unbekannte Fragenart „x“."
    assert german("a.gift:4: Bitte gib den Fragetext ein.") == (
        "a.gift, Zeile 4: Bitte gib den Fragetext ein."
    )
    assert german("b.gift:2: essay question 'Q8' skipped: quizapp has no such question kind") == (
        "b.gift, Zeile 2: Die Frage „Q8“ (Freitext-Aufsatz) wird übersprungen: diese Fragenart "
        "gibt es in quizapp nicht."
    )
