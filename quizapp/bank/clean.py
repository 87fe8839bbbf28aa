"""Decode uploaded documents and strip what is not content (wiki, forum and news chrome)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.bank.sentences import split_sentences
from quizapp.bank.types import CleanedDocument


class DocumentError(ValueError):
    """A document cannot be used: it is not UTF-8, or it holds no text."""


def decode_document(data: bytes, name: str) -> str:
    """Decode ``data`` as UTF-8, drop a byte-order mark and normalise newlines to ``\\n``.

    Raise DocumentError for bytes that are not UTF-8 (naming the byte offset) and for input
    that is empty or only whitespace.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # German: the teacher's upload page shows it as it is (the CLI prints it too).
        raise DocumentError(
            f"{name} ist kein UTF-8-Text: Byte 0x{data[exc.start]:02x} an Byte-Position "
            f"{exc.start} lässt sich nicht lesen. Speichere die Datei als UTF-8."
        ) from None
    text = _normalise_newlines(text.removeprefix("\ufeff"))
    if not text.strip():
        raise DocumentError(f"{name} ist leer oder enthält nur Leerzeichen.")
    return text


def clean_document(name: str, raw: str) -> CleanedDocument:
    """Remove boilerplate from ``raw`` and split the rest into sentences.

    The cleaned text holds one paragraph per kept line (hard-wrapped lines are joined first),
    separated by a blank line. The title is the first line that survives cleaning.
    """
    lines = _unwrap(_normalise_spaces(_normalise_newlines(raw.removeprefix("\ufeff"))))
    paragraphs = _content_lines(lines)
    text = "\n\n".join(paragraphs)
    title = capped_title(paragraphs[0] if paragraphs else name.rsplit(".", 1)[0])
    return CleanedDocument(name, title, text, tuple(split_sentences(text)))


#: The longest title a document keeps (``Document.title`` holds 500 characters).
TITLE_LENGTH = 500


def capped_title(line: str, limit: int = TITLE_LENGTH) -> str:
    """Return ``line`` as a title of at most ``limit`` characters: a first line longer than
    that (a text without line breaks) is cut at a word boundary and marked with "…"."""
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip() + "…"


# --------------------------------------------------------------------------- normalising

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")


def _normalise_spaces(text: str) -> list[str]:
    """Return the lines of ``text`` with every run of (non-breaking) spaces made one space."""
    text = _INVISIBLE.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped paragraphs (all lines but the last of a block about equally long)."""
    result: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
            continue
        result.extend(_join_block(block) if _is_wrapped(block) else block)
        result.append("")
        block = []
    return result[:-1]


def _is_wrapped(block: list[str]) -> bool:
    """Tell whether a block of consecutive lines is one paragraph wrapped at a fixed width."""
    if len(block) < 2:
        return False
    width = max(len(line) for line in block)
    # Wrapped prose fills every line but the last to near the wrap width (60-120 columns);
    # lists, captions and one-paragraph-per-line texts do not.
    return 50 <= width <= 120 and all(len(line) >= 0.7 * width for line in block[:-1])


def _join_block(block: list[str]) -> list[str]:
    joined = block[0]
    for line in block[1:]:
        if joined.endswith("-") and line[:1].islower() and not _CONJUNCTION.match(line):
            joined = joined[:-1] + line  # "Verhand-" + "lungen"
        else:
            joined = f"{joined} {line}"
    return [joined]


_CONJUNCTION = re.compile(r"(?:und|oder|bzw\.|sowie)\b")


# --------------------------------------------------------------------------- classifying lines

#: Section headings after which only references follow.
_REFERENCE_HEADINGS = frozenset(
    {
        "einzelnachweise",
        "literatur",
        "weblinks",
        "anmerkungen",
        "fußnoten",
        "quellen",
        "belege",
        "siehe auch",
        "referenzen",
        "literatur und weblinks",
        "quellen und literatur",
    }
)
#: Lines after which a news page lists related articles and tags, not the article.
_TAIL_MARKERS = re.compile(
    r"(?:zum thema|mehr zum thema|tags|schlagwörter|schlagworte|themen|lesen sie auch"
    r"|das könnte sie auch interessieren|weitere artikel|verwandte artikel)\s*:?",
    re.IGNORECASE,
)
_EDIT_LINK = re.compile(r"\s*\[\s*(?:Bearbeiten|Quelltext bearbeiten)(?:\s*\|[^\]]*)?\]")
_FOOTNOTE = re.compile(r"\[(?:\d{1,3}|[a-z]|Anm\.\s*\d+|Anmerkung\s*\d+|FN\s*\d+)\]")
_SMILEY = re.compile(r"\s*:[a-z][a-z_-]*:")
_MENTION = re.compile(r"^@[\w.-]+\s*:\s*")
_BULLET = re.compile(r"^[-–•*·]\s+")
_SIGNATURE = re.compile(r"(?<=[.?!…])[A-ZÄÖÜ]\.$")  # "...Stalins?M." : an initial glued on
_CREDIT = re.compile(r"(?<=[.…”“\"])\s+(?:©|\(c\)|c\))\s+\S.*$")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_REFERENCE_LINE = re.compile(
    r"abgerufen am|\bISBN\b|\bISSN\b|\bdoi:|- Google Books$|\bGoogle Books$", re.IGNORECASE
)
_TERMINAL = re.compile(r"[.!?…:;][\"'”“»«’‘)\]]*$")

#: Whole lines that are navigation, forum or news-site chrome (matched case-insensitively).
_CHROME = re.compile(
    r"(?:"
    # wiki
    r"aus wikipedia, der freien enzyklopädie\.?|zur navigation springen.*|zur suche springen"
    r"|wechseln zu:.*|commons:.*|koordinaten:.*|dieser artikel .{0,80}|hauptseite"
    # forum
    r"|zuletzt bearbeitet(?::.*)?|(?:aktives|neues|bekanntes|gesperrtes|premium-)?\s*mitglied"
    r"|moderator(?:in)?|administrator(?:in)?|themenstarter(?:in)?|zurück|oben|weiter"
    r"|klicke,? um zu erweitern\.*|zum vergrößern (?:hier )?(?:an)?klicken\.*|antworten"
    r"|zitieren|gefällt mir|melden|teilen|drucken|lesezeichen|beiträge:?\s*\d+"
    r"|registriert seit.*|\S+ (?:hat gesagt|schrieb|sagte)\s*:.*|hervorhebung durch mich\.?"
    # news
    r"|abonnieren|zum kurzlink|mehr dazu\b.*|sna radio|zeitungen|von|diskussion|werbung"
    r"|anzeige|newsletter.*|kommentare?(?: \(\d+\))?|gemeinschaftsstandards.*"
    r"|via .{0,40}kommentieren.*|teilen auf .*|foto:.*|bild:.*|quelle:.{0,60}"
    r"|\d{1,2}:\d{2}(?:\s.{0,40})?|\d{1,2}\.?\s+[a-zä]+\.?\s+\d{4}(?:,?\s+\d{1,2}:\d{2})?"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}(?:,?\s+\d{1,2}:\d{2})?|[\d.,\s]+"
    r")",
    re.IGNORECASE,
)
_CAPTION_START = re.compile(r"(?:Karte|Foto|Bild|Abbildung|Abb\.|Grafik|Porträt|Aufnahme)\b")
_ENUMERATED = re.compile(r"^\(?\d{1,2}[.)]\s")
#: Words from which a line without a final stop still counts as running text.
_LONG_UNTERMINATED = 15


@dataclass
class _Line:
    text: str
    after_blank: bool  # the raw line before it was blank (or it is the first line)
    before_blank: bool  # the raw line after it is blank (or it is the last line)


def _content_lines(lines: list[str]) -> list[str]:
    """Return the lines that are content, the title first."""
    records = [
        _Line(
            text,
            after_blank=i == 0 or not lines[i - 1],
            before_blank=i == len(lines) - 1 or not lines[i + 1],
        )
        for i, text in enumerate(lines)
        if text
    ]
    kept: list[str] = []
    seen: set[str] = set()
    quoted = ""  # every kept line's key, to find truncated quotes of them
    skipping = False  # inside a reference section or a news page's tail
    for record in records:
        line = record.text
        if _EDIT_LINK.search(line):
            # A wiki heading: it opens either a content section or a reference section.
            heading = _EDIT_LINK.sub("", line).strip().rstrip(":").lower()
            skipping = heading in _REFERENCE_HEADINGS
            continue
        if line.rstrip(":").strip().lower() in _REFERENCE_HEADINGS or _TAIL_MARKERS.fullmatch(line):
            skipping = True
            continue
        if skipping and not _is_long_paragraph(line):
            continue
        skipping = False
        line = _strip_inline_junk(line)
        if not line or _is_chrome(line):
            continue
        if kept and not _is_content(record, line):
            continue
        key = _quote_key(line)
        if key in seen or (len(key) >= 40 and key in quoted):
            continue  # a forum post quoting (part of) an earlier one
        seen.add(key)
        quoted += key + "\n"
        kept.append(line)
    return kept


def _quote_key(line: str) -> str:
    """Return ``line`` normalised so that a quoted copy of it compares equal or contained."""
    return " ".join(line.lower().split()).strip(" .…\"'„“”»«")


def _strip_inline_junk(line: str) -> str:
    line = _FOOTNOTE.sub("", line)
    line = _SMILEY.sub("", line)
    line = _MENTION.sub("", line)
    line = _BULLET.sub("", line)
    line = _CREDIT.sub("", line)
    line = _SIGNATURE.sub("", line)
    return _SPACES.sub(" ", line).strip()


def _is_chrome(line: str) -> bool:
    if _CHROME.fullmatch(line) or _REFERENCE_LINE.search(line):
        return True
    # A line that is mostly a link.
    urls = "".join(_URL.findall(line))
    return bool(urls) and len(urls) >= 0.5 * len(line)


def _is_content(record: _Line, line: str) -> bool:
    """Tell whether a line after the title is running text (not a heading, caption or list)."""
    words = line.split()
    if len(words) < 3:
        return False  # user names, signatures ("M."), headings of one or two words
    if not _TERMINAL.search(line) and len(words) < _LONG_UNTERMINATED:
        # Headings, captions, link titles and tag lists have no final stop; a long line
        # without one is still prose (a forum post ending in a bracket or a quote).
        return False
    if line.endswith(":") and len(words) < 6:
        return False  # "Zum Thema:", "Tags:"
    if _CAPTION_START.match(line) and len(words) <= 20:
        return False
    # An image caption: a short line after a blank line, glued to the paragraph that follows.
    return not (
        record.after_blank
        and not record.before_blank
        and len(words) <= 16
        and not line.endswith(("?", "!", ":"))
        and not _ENUMERATED.match(record.text)
    )


def _is_long_paragraph(line: str) -> bool:
    """Tell whether a line is running text long enough to end a skipped reference section."""
    return len(line.split()) >= 25 and bool(_TERMINAL.search(line)) and not _is_chrome(line)
