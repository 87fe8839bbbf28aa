"""Split German text into sentences whose offsets point exactly into the text."""

from __future__ import annotations

import re

from quizapp.bank.types import Sentence

#: Words that are written with a dot but do not end a sentence (compared without the dot).
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # general
        "abs", "anm", "art", "aufl", "bd", "bspw", "bzgl", "bzw", "ca", "chr", "dgl", "dr",
        "ebd", "evtl", "ff", "fn", "geb", "gest", "ggf", "hl", "hrsg", "inkl", "insb", "jh",
        "jhd", "jhs", "kap", "max", "min", "mio", "mrd", "nr", "prof", "sog", "st", "str", "tsd",
        "usf", "vgl", "vergl", "zit", "zzt", "resp", "ausg", "jr", "sen", "gen", "adm", "präs",
        "verh", "hg", "lt", "ebda", "abb", "bes", "einschl", "erg", "gegr", "urspr", "vs",
        # months (weekdays are left out: "so." and "da." end sentences)
        "jan", "jän", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt",
        "nov", "dez",
        # English ones that turn up in references
        "mr", "mrs", "no", "vol", "pp", "ed", "eds", "et", "al", "dept",
    }
)  # fmt: skip

#: Abbreviations that usually close an enumeration, so a capital after them starts a sentence.
ENDING_ABBREVIATIONS: frozenset[str] = frozenset({"usw", "etc", "usf"})

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# Sentence-final punctuation, optionally followed by closing quotes or brackets.
_CANDIDATE = re.compile(r"(?:\.{2,}|…|[.!?])+[\"'”“»«’‘)\]]*(?=\s|$)")
_ROMAN = re.compile(r"[IVXLC]{2,6}")
_DOTTED_ABBREVIATION = re.compile(r"(?:\w\.)+\w")  # "z.B", "u.a", "m.E" (final dot excluded)
_OPENERS = "\"'„“‚‘»«([¿¡"
#: Words after which a number is a cardinal ("Nr. 6"), not an ordinal.
_COUNTED = frozenset({"nr", "s", "bd", "band", "nummer", "seite", "seiten", "kap", "kapitel"})


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; ``text[s.start:s.end] == s.text`` holds for each.

    Paragraph breaks (a blank line) always end a sentence. Inside a paragraph a ``.``, ``!``,
    ``?`` or ellipsis ends one only when the next word may start a sentence and the dot does
    not belong to an ordinal ("5. September"), an initial ("J. W. Stalin"), a regnal number
    ("Alexander II.") or a known abbreviation ("z. B.", "S. 105", "Nr.").
    """
    sentences: list[Sentence] = []
    for par_start, par_end in _paragraphs(text):
        start = par_start
        paragraph = text[par_start:par_end]
        for match in _CANDIDATE.finditer(paragraph):
            end = par_start + match.end()
            if end >= par_end or _ends_sentence(paragraph, match):
                _append(sentences, text, start, end)
                start = end
        _append(sentences, text, start, par_end)
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of every paragraph; paragraphs are separated by blank lines."""
    spans = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Append the stripped span ``start:end`` as a sentence unless it is only whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))


def _ends_sentence(paragraph: str, match: re.Match[str]) -> bool:
    """Decide whether the punctuation ``match`` inside ``paragraph`` ends a sentence."""
    following = paragraph[match.end() : match.end() + 40].lstrip()
    if not following:
        return True
    first = following[0]
    if first.islower():
        return False  # German sentences start with a capital, a digit or a quote
    punctuation = match.group().rstrip("\"'”“»«’‘)]")
    if "!" in punctuation or "?" in punctuation:
        return first.isupper() or first.isdigit() or first in _OPENERS
    if len(punctuation) > 1 or punctuation == "…":
        # An ellipsis often marks an omission inside a quote; only a plain capital word
        # after it starts a new sentence.
        return first.isupper()
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if match.group() != punctuation:
        return True  # ".“" or ".)" : the quote or bracket closed the sentence
    word = _word_before(paragraph, match.start())
    if not word:
        return True
    bare = word.lstrip(_OPENERS)
    if bare.isdigit():
        # "5. September", "38. Breitengrad", "2. Weltkrieg": ordinals have up to three digits;
        # a four-digit number is a year, and "Nr. 6" or "S. 105" a cardinal: both may end it.
        window = paragraph[max(0, match.start() - len(word) - 40) : match.start() - len(word)]
        previous = window.split()[-1].rstrip(".") if window.split() else ""
        return len(bare) >= 4 or previous.lower() in _COUNTED
    if len(bare) == 1 and bare.isalpha():
        return False  # an initial: "J. W. Stalin", "T. Shiratori", "S. 105", "m. E."
    lowered = bare.lower()
    if lowered in ENDING_ABBREVIATIONS:
        return first.isupper()
    if lowered in ABBREVIATIONS or _DOTTED_ABBREVIATION.fullmatch(bare):
        return False
    return not _ROMAN.fullmatch(bare)  # "Alexander II. das ..." / "Wilhelm II. von Preußen"


def _word_before(paragraph: str, position: int) -> str:
    """Return the whitespace-delimited word that ends at ``position`` ("" after a space)."""
    window = paragraph[max(0, position - 60) : max(0, position)]
    parts = window.split()
    if not parts or window[-1:].isspace():
        return ""
    return parts[-1]
