"""German grammar the templates need: cases of an event's name, contractions, lemmas.

Part-of-speech tags and lemmas come from HanTa (the Hanover Tagger, whose model ships inside
the package); the declension rules on top are the regular ones of German noun phrases with a
definite article. A name the rules get wrong is given its forms explicitly in the fact file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

#: Definite articles by gender ("m", "f", "n", "pl") and case.
ARTICLES: dict[str, dict[str, str]] = {
    "m": {"nom": "der", "gen": "des", "dat": "dem", "acc": "den"},
    "f": {"nom": "die", "gen": "der", "dat": "der", "acc": "die"},
    "n": {"nom": "das", "gen": "des", "dat": "dem", "acc": "das"},
    "pl": {"nom": "die", "gen": "der", "dat": "den", "acc": "die"},
}
#: Preposition + article -> the contraction German always uses.
CONTRACTIONS: dict[tuple[str, str], str] = {
    ("an", "dem"): "am",
    ("in", "dem"): "im",
    ("zu", "dem"): "zum",
    ("zu", "der"): "zur",
    ("von", "dem"): "vom",
    ("bei", "dem"): "beim",
}
CASES = ("nom", "gen", "dat", "acc")


@cache
def _tagger() -> Any:
    from HanTa import HanoverTagger  # imported late: loading the model takes a moment

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


def tag(words: list[str]) -> list[tuple[str, str, str]]:
    """Return (word, lemma, STTS tag) for each word, HanTa's way."""
    return list(_tag(tuple(words)))


@lru_cache(maxsize=8192)
def _tag(words: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    if not words:
        return ()
    return tuple(tuple(t) for t in _tagger().tag_sent(list(words)))  # type: ignore[misc]


def lemma(word: str) -> str:
    """Return the lemma of one word: "Neutralitätspaktes" -> "Neutralitätspakt"."""
    tagged = tag([word])
    if not tagged:
        return word
    base = tagged[0][1]
    # HanTa lower-cases inner parts of compounds ("Sechs-parteien-gespräch"); keep the
    # word's own spelling up to where the lemma departs from it.
    if base.lower() == word[: len(base)].lower():
        return word[: len(base)]
    return base


class DeclensionError(ValueError):
    """A name whose cases the rules cannot form; the fact file must give them."""


@dataclass(frozen=True)
class NounPhrase:
    """A name with its definite article in all four cases."""

    gender: str  # "m", "f", "n" or "pl"
    nom: str
    gen: str
    dat: str
    acc: str

    def case(self, case: str) -> str:
        """Return the form of ``case`` ("nom", "gen", "dat", "acc")."""
        return {"nom": self.nom, "gen": self.gen, "dat": self.dat, "acc": self.acc}[case]

    def after(self, preposition: str, case: str) -> str:
        """Return "am Frieden von Portsmouth", "zur Konferenz", "in den Gesprächen"."""
        form = self.case(case)
        article, _, rest = form.partition(" ")
        short = CONTRACTIONS.get((preposition, article))
        return f"{short} {rest}" if short else f"{preposition} {form}"

    @property
    def label(self) -> str:
        """Return the nominative as a list item: "Der Frieden von Portsmouth"."""
        return self.nom[:1].upper() + self.nom[1:]


def decline(name: str, plural: bool | None = None, **given: str | None) -> NounPhrase:
    """Return the four cases of ``name``, a nominative with its definite article.

    Adjectives before the head noun take the weak endings after a definite article; the head
    takes -(e)s in the genitive singular of masculine and neuter nouns and -n in the dative
    plural; what follows the head ("von Portsmouth", "zwischen Russland und Japan") stays.
    Forms in ``given`` (gen, dat, acc) override the rules. Raise DeclensionError if the name
    does not start with der, die or das or its head noun cannot be found.
    """
    words = name.split()
    if len(words) < 2 or words[0] not in ("der", "die", "das"):
        raise DeclensionError(f"'{name}' must start with der, die or das")
    tagged = tag(words)[1:]  # tagged with the article: context helps HanTa
    # Before the head noun stand only adjectives and numbers ("das erste Treffen", "der 38.
    # Breitengrad"); the first other word is the head, whatever HanTa calls it.
    head = next(
        (
            i
            for i, (w, _, t) in enumerate(tagged)
            if not (t == "ADJ(A)" or t == "CARD" or re.fullmatch(r"\d+\.", w))
        ),
        None,
    )
    if head is None or not tagged[head][0][:1].isupper():
        raise DeclensionError(f"no noun found in '{name}'")
    before = [w for w, _, _ in tagged[:head]]
    noun = tagged[head][0]
    after = [w for w, _, _ in tagged[head + 1 :]]
    if words[0] == "der":
        gender = "m"
    elif words[0] == "das":
        gender = "n"
    else:
        is_plural = plural if plural is not None else _looks_plural(tagged[head])
        gender = "pl" if is_plural else "f"

    def form(case: str) -> str:
        adjectives = [_weak_adjective(w, gender, case) for w in before]
        return " ".join([ARTICLES[gender][case], *adjectives, _noun(noun, gender, case), *after])

    forms = {case: given.get(case) or form(case) for case in ("gen", "dat", "acc")}
    return NounPhrase(gender, name, forms["gen"], forms["dat"], forms["acc"])


def _looks_plural(tagged: tuple[str, str, str]) -> bool:
    word, base, _ = tagged
    return word.lower() != base.lower() and word.lower().endswith(("e", "en", "er", "n", "s"))


def _weak_adjective(word: str, gender: str, case: str) -> str:
    """Inflect an attributive adjective after a definite article (weak declension)."""
    if not re.search(r"e$", word) or word[:1].isdigit():
        return word  # not an inflected adjective ("38.", "Russisch-Japanischer" is given)
    strong_e = case == "nom" or (case == "acc" and gender in ("f", "n"))
    if gender == "pl":
        strong_e = False
    return word if strong_e else word + "n"


def _noun(noun: str, gender: str, case: str) -> str:
    if case == "gen" and gender in ("m", "n"):
        if noun.endswith("nis"):
            return noun + "ses"
        if noun.endswith(("s", "ß", "x", "z", "sch")):
            return noun + "es"
        return noun + "s"
    if case == "dat" and gender == "pl" and not noun.endswith(("n", "s")):
        return noun + "n"
    return noun


def capitalise(text: str) -> str:
    """Upper-case the first letter, as at the start of a sentence."""
    return text[:1].upper() + text[1:]
