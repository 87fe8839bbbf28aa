"""Find dates, treaties and actors in a German sentence, with their character spans.

Everything here works from patterns (month names, treaty head nouns, role nouns, capitalised
name sequences), never from the names in the seed texts, so that it carries over to German
history texts it has never seen. Spans are offsets into the string that was passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizapp.bank.dates import MONTH_NAMES

# --------------------------------------------------------------------------- value types


@dataclass(frozen=True)
class DateFact:
    """A date as the text states it: "5. September 1905", "Juli 1907", "1875", "1904-1905"."""

    text: str
    start: int
    end: int
    year: int
    month: int | None = None
    day: int | None = None
    end_year: int | None = None  # the last year of a range
    qualifier: str | None = None  # "Anfang", "Mitte", "Ende", "Frühjahr", "Herbst", ...

    @property
    def granularity(self) -> str:
        """Return "range", "day", "month", "season" (qualified year) or "year"."""
        if self.end_year is not None:
            return "range"
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "season" if self.qualifier else "year"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Return a key that sorts dates chronologically (missing parts count as 0)."""
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class TreatyFact:
    """A named treaty, pact, agreement, conference, resolution or alliance."""

    text: str  # as in the sentence, e.g. "Friedensvertrags von Portsmouth"
    name: str  # nominative, e.g. "Friedensvertrag von Portsmouth"
    head: str  # head class: "vertrag", "frieden", "pakt", "konferenz", "resolution", ...
    key: str  # identity: "Frieden von Portsmouth" and "Friede von Portsmouth" share it
    start: int
    end: int
    year: int | None = None  # the year the sentence ties to it, if it does unambiguously


@dataclass(frozen=True)
class ActorFact:
    """A person or state; persons carry the role the sentence gives them, if any."""

    name: str  # as in the sentence: "Yoshitsugu Tatekawa", "Alexander II.", "Russland"
    kind: str  # "person" or "state"
    start: int  # span of the name
    end: int
    role: str | None = None  # nominative, e.g. "japanischer Botschafter in der UdSSR"
    role_head: str | None = None  # the role noun, e.g. "Botschafter", to compare roles
    phrase_start: int = -1  # span of the whole noun phrase (article, role, name)
    phrase_end: int = -1


@dataclass(frozen=True)
class SentenceFacts:
    """All facts of one sentence."""

    dates: tuple[DateFact, ...]
    treaties: tuple[TreatyFact, ...]
    actors: tuple[ActorFact, ...]


def extract_facts(text: str, known_persons: PersonMatcher | None = None) -> SentenceFacts:
    """Extract dates, treaties and actors from one sentence.

    ``known_persons`` finds names known from elsewhere to be persons (full names or
    surnames); their mentions are returned as role-less actors.
    """
    dates = extract_dates(text)
    treaties = extract_treaties(text, dates)
    actors = extract_actors(text)
    if known_persons is not None:
        actors = sorted([*actors, *known_persons.find(text, actors)], key=lambda a: a.start)
    return SentenceFacts(tuple(dates), tuple(treaties), tuple(actors))


# --------------------------------------------------------------------------- tokens


def _wordset(words: str) -> frozenset[str]:
    """Return the set of the space-separated ``words``."""
    return frozenset(words.split())


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its span."""

    text: str
    start: int
    end: int


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words (hyphenated words stay whole) and punctuation marks."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha()


def _is_lower_word(word: str) -> bool:
    return word[:1].islower() and word.replace("-", "").isalpha()


# fmt: off
ARTICLES = _wordset(
    "der die das des dem den ein eine einer eines einem einen"
)
DETERMINERS = ARTICLES | _wordset(
    "dieser diese dieses diesem diesen jener jene jenes jenem jenen jeder jede jedes jedem "
    "jeden welcher welche welches kein keine keinen keinem keiner"
)
POSSESSIVES = _wordset(
    "sein seine seinen seinem seiner seines ihr ihre ihren ihrem ihrer ihres mein meine "
    "meinen meinem meiner dein deine deinen deinem unser unsere unseren unserem euer eure"
)
PREPOSITIONS = _wordset(
    "von vom zu zum zur mit in im am an auf aus bei beim nach vor über unter zwischen für "
    "gegen um durch ohne seit bis ab gemäß laut trotz während wegen infolge innerhalb "
    "außerhalb entlang gegenüber hinter neben ins ans aufs unterm samt nebst dank"
)
CONJUNCTIONS = _wordset(
    "und oder sowie sowohl als auch wie aber doch jedoch sondern denn dass daß ob weil da "
    "wenn bevor nachdem während wobei womit sodass bzw noch weder"
)
FUNCTION_WORDS = ARTICLES | DETERMINERS | POSSESSIVES | PREPOSITIONS | CONJUNCTIONS | _wordset(
    "nicht nur schon bereits erst noch so sehr ganz es er sie wir ihr ich du man sich "
    "ihm ihn ihnen uns euch mir mich dir dich was wer wo hier dort dann damals zuvor "
    "später danach daraufhin dabei damit dafür davon dazu darin darauf daran darüber also "
    "ebenfalls jeweils zudem außerdem allerdings zwar etwa ca rund fast kaum"
)

#: State names (and their usual short forms) -> identity; overlapping ones share an identity
#: or are listed in STATE_OVERLAPS so that one is never offered as a wrong answer for the other.
STATES: dict[str, str] = {
    "Russland": "russland", "Sowjetunion": "russland", "UdSSR": "russland",
    "Russische Föderation": "russland", "Russischen Föderation": "russland",
    "Zarenreich": "russland", "Japan": "japan", "Kaiserreich Japan": "japan",
    "China": "china", "Volksrepublik China": "china", "Korea": "korea",
    "Nordkorea": "nordkorea", "Südkorea": "südkorea", "USA": "usa",
    "Vereinigte Staaten": "usa", "Vereinigten Staaten": "usa", "Amerika": "usa",
    "Großbritannien": "großbritannien", "England": "großbritannien",
    "Frankreich": "frankreich", "Deutschland": "deutschland", "Deutsches Reich": "deutschland",
    "Deutsche Reich": "deutschland", "Italien": "italien", "Mongolei": "mongolei",
    "Ukraine": "ukraine", "Preußen": "preußen", "Österreich": "österreich",
    "Österreich-Ungarn": "österreich", "Türkei": "türkei", "Osmanisches Reich": "türkei",
    "Mandschukuo": "mandschukuo", "Polen": "polen",
    "Bulgarien": "bulgarien", "Schweden": "schweden", "Finnland": "finnland",
    "Indien": "indien", "Vietnam": "vietnam", "Kanada": "kanada", "Spanien": "spanien",
    "Portugal": "portugal", "Niederlande": "niederlande", "Rumänien": "rumänien",
    "Ungarn": "ungarn", "Iran": "iran", "Persien": "iran", "Siam": "thailand",
    "Thailand": "thailand", "Philippinen": "philippinen", "Kuba": "kuba",
    "Qing-Dynastie": "china", "Qing-China": "china", "Belgien": "belgien",
}
STATE_OVERLAPS: frozenset[tuple[str, str]] = frozenset(
    {("korea", "nordkorea"), ("korea", "südkorea"), ("nordkorea", "korea"),
     ("südkorea", "korea")}
)
#: Capitals, used as stand-ins for governments; never parts of a person's name.
CAPITALS = _wordset(
    "Moskau Tokio Tokyo Peking Beijing Seoul Pjöngjang Washington Berlin London Paris Rom "
    "Wien Petersburg Sankt-Petersburg Kiew Kyjiw Stockholm Warschau Bukarest Ankara"
)
_NOUN_SUFFIXES = (
    "ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "ität", "ismus", "nis",
    "nisse", "tum", "ment", "enz", "anz", "ierung", "chen", "lein", "werk", "land", "reich",
)
# fmt: on

_MONTH_NUMBER = {name: i for i, name in enumerate(MONTH_NAMES, start=1)} | {"Jänner": 1}


#: Adjective stems of nationality -> state identity ("sowjetischer Diktator" -> russland).
NATIONALITIES: dict[str, str] = {
    "russisch": "russland", "sowjetisch": "russland", "japanisch": "japan",
    "chinesisch": "china", "koreanisch": "korea", "nordkoreanisch": "nordkorea",
    "südkoreanisch": "südkorea", "amerikanisch": "usa", "us-amerikanisch": "usa",
    "britisch": "großbritannien", "englisch": "großbritannien", "französisch": "frankreich",
    "deutsch": "deutschland", "italienisch": "italien", "mongolisch": "mongolei",
    "ukrainisch": "ukraine", "preußisch": "preußen", "österreichisch": "österreich",
    "türkisch": "türkei", "osmanisch": "türkei", "polnisch": "polen",
    "bulgarisch": "bulgarien", "schwedisch": "schweden", "finnisch": "finnland",
}  # fmt: skip


def nationality_of(role: str) -> str | None:
    """Return the state a role names: "japanischer Botschafter" -> "japan",
    "Staatsgründer Nordkoreas" -> "nordkorea"; None if the role does not say."""
    for word in role.split():
        stem = _ADJECTIVE_ENDING.sub("", word.lower())
        if stem in NATIONALITIES:
            return NATIONALITIES[stem]
        state = _state_of(word)
        if state is not None:
            return state
    return None


def _state_of(word: str) -> str | None:
    """Return the state identity of ``word`` in nominative or genitive form, else None."""
    if word in STATES:
        return STATES[word]
    if word.endswith("s") and word[:-1] in STATES:
        return STATES[word[:-1]]
    return None


# --------------------------------------------------------------------------- dates

_MONTH_RE = "(?:" + "|".join([*MONTH_NAMES, "Jänner"]) + ")"
_QUALIFIERS = "Anfang|Mitte|Ende|Frühjahr|Frühling|Sommer|Herbst|Winter"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "day",
        re.compile(
            rf"(?<![\w.])(?:(?P<qual>Anfang|Mitte|Ende)\s+)?(?P<day>[0-3]?\d)\.\s?"
            rf"(?P<month>{_MONTH_RE})\s+(?P<year>\d{{4}})(?!\d)"
        ),
    ),
    (
        "numeric",
        re.compile(r"(?<![\w.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>\d{4})(?!\d)"),
    ),
    (
        "month",
        re.compile(
            rf"(?<![\w.])(?:(?P<qual>Anfang|Mitte|Ende)\s+)?(?P<month>{_MONTH_RE})\s+"
            rf"(?P<year>\d{{4}})(?!\d)"
        ),
    ),
    (
        "range",
        re.compile(r"(?<![\w.,/+-])(?P<year>\d{4})\s?[-–—/]\s?(?P<end>\d{4}|\d{2})(?![\w]|[.,]\d)"),
    ),
    (
        "season",
        re.compile(
            rf"(?<![\w.])(?P<qual>{_QUALIFIERS})\s+(?:(?:des\s+Jahres|der\s+Jahre)\s+)?"
            rf"(?P<year>\d{{4}})(?![\w]|[.,]\d)"
        ),
    ),
    ("year", re.compile(r"(?<![\w.,/+-])(?P<year>\d{4})(?![\w]|[.,]\d|\s?[-–—/]\s?\d)")),
)
#: A number after these words is a count, a page or a resolution, not a year.
_NUMBER_NOUNS = _wordset(
    "resolution resolutionen nr nummer s seite seiten band bd typ typs issn isbn artikel art "
    "paragraph paragraf § flug division regiment kap kapitel punkt abs absatz fn anm p pp no "
    "vol heft höhe sitzung"
)
#: A number before these words counts something.
_UNIT_NOUNS = _wordset(
    "km kilometer meter m soldaten mann menschen dollar us-dollar euro rubel yen won prozent "
    "% tonnen einwohner opfer tote stück panzer flugzeuge schiffe seiten mal"
)
_MIN_YEAR, _MAX_YEAR = 1000, 2099


def extract_dates(text: str) -> list[DateFact]:
    """Return the dates in ``text`` in order of appearance, longest reading first.

    Recognises "5. September 1905", "5.9.1905", "Juli 1907", "Anfang 1944", "Herbst 1940",
    "1904-1905", "1941/42" and bare years; numbers that count or number things
    ("Resolution 1874", "S. 1905", "2000 Soldaten") are not dates.
    """
    found: list[DateFact] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            fact = _date_fact(kind, match, text)
            if fact is not None:
                found.append(fact)
                taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


def _date_fact(kind: str, match: re.Match[str], text: str) -> DateFact | None:
    year = int(match["year"])
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    groups = match.groupdict()
    qualifier = groups.get("qual")
    if kind in ("day", "numeric", "month"):
        raw_month = match["month"]
        month = int(raw_month) if raw_month.isdigit() else _MONTH_NUMBER[raw_month]
        day = int(match["day"]) if groups.get("day") else None
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            return None
        return DateFact(
            match.group(), match.start(), match.end(), year, month, day, None, qualifier
        )
    if kind == "range":
        raw_end = match["end"]
        end_year = int(raw_end) if len(raw_end) == 4 else year // 100 * 100 + int(raw_end)
        if not year < end_year <= year + 50:
            return None
        return DateFact(match.group(), match.start(), match.end(), year, end_year=end_year)
    if kind == "year" and not _counts_something(text, match.start(), match.end()):
        return DateFact(match.group(), match.start(), match.end(), year)
    if kind == "season":
        return DateFact(match.group(), match.start(), match.end(), year, qualifier=qualifier)
    return None


def _counts_something(text: str, start: int, end: int) -> bool:
    """Tell whether the number at ``start:end`` is a count or a label rather than a year."""
    before = text[max(0, start - 30) : start].split()
    after = text[end : end + 30].split()
    previous = before[-1].rstrip(".:").lower() if before else ""
    following = after[0].strip(".,;:()").lower() if after else ""
    return previous in _NUMBER_NOUNS or following in _UNIT_NOUNS


# --------------------------------------------------------------------------- treaties

# head form (lower case) -> (nominative form, head class, gender: m/f/n/p)
_HEADS: dict[str, tuple[str, str, str]] = {
    "vertrag": ("vertrag", "vertrag", "m"),
    "vertrags": ("vertrag", "vertrag", "m"),
    "vertrages": ("vertrag", "vertrag", "m"),
    "vertrage": ("vertrag", "vertrag", "m"),
    "frieden": ("frieden", "frieden", "m"),
    "friedens": ("frieden", "frieden", "m"),
    "friede": ("frieden", "frieden", "m"),
    "pakt": ("pakt", "pakt", "m"),
    "pakts": ("pakt", "pakt", "m"),
    "paktes": ("pakt", "pakt", "m"),
    "abkommen": ("abkommen", "abkommen", "n"),
    "abkommens": ("abkommen", "abkommen", "n"),
    "konvention": ("konvention", "konvention", "f"),
    "konferenz": ("konferenz", "konferenz", "f"),
    "resolution": ("resolution", "resolution", "f"),
    "erklärung": ("erklärung", "erklärung", "f"),
    "bündnis": ("bündnis", "bündnis", "n"),
    "bündnisses": ("bündnis", "bündnis", "n"),
    "gespräche": ("gespräche", "gespräche", "p"),
    "gesprächen": ("gespräche", "gespräche", "p"),
    "gipfel": ("gipfel", "gipfel", "m"),
    "gipfels": ("gipfel", "gipfel", "m"),
    "protokoll": ("protokoll", "protokoll", "n"),
    "protokolls": ("protokoll", "protokoll", "n"),
    "bund": ("bund", "bündnis", "m"),  # only in compounds: "Zweibund", "Dreibund"
}
_HEAD_SUFFIXES = sorted(_HEADS, key=len, reverse=True)
_STRONG_ENDING = {"m": "er", "f": "e", "n": "es", "p": "e"}
#: Hyphenated prefixes that do not make a treaty noun a name ("UN-Resolutionen", "West-Bündnis").
_GENERIC_PREFIXES = _wordset(
    "un uno eu us nato west ost nord süd anti ex neo pro geheim friedens staats"
)
#: Capitalised words ending in -er that are not city adjectives ("Pekinger", "Pariser").
_NOT_CITY_ADJECTIVES = _wordset(
    "der dieser jeder jener einer keiner aller unser euer ihrer seiner meiner deiner weiter "
    "später erster zweiter dritter letzter neuer alter anderer solcher welcher mancher vieler "
    "beider oder aber über unter hinter wieder immer außer leider sicher früher jünger "
    "älter näher ferner unser oder"
)
_NATIONALITY_ADJECTIVE = re.compile(r"[a-zäöü]+isch(?:-[a-zäöü]+isch)*(?:e|en|er|es|em)?")
_ADJECTIVE_ENDING = re.compile(r"(?:en|em|er|es|e)$")


def extract_treaties(text: str, dates: Sequence[DateFact] | None = None) -> list[TreatyFact]:
    """Return the named treaties, conferences and resolutions in ``text``.

    A bare head noun ("ein Abkommen", "den Frieden") is no name and is skipped; it needs an
    attribute: a place ("Vertrag von Portsmouth"), a city adjective ("Pekinger Konvention"),
    a hyphenated prefix ("Jalta-Konferenz"), a date ("Konvention vom Juli 1907"), a number
    ("Resolution 1874"), parties ("Neutralitätspakt zwischen der UdSSR und Japan") or, for
    compounds, a nationality adjective or partner ("britisch-japanisches Flottenabkommen").
    """
    if dates is None:
        dates = extract_dates(text)
    tokens = tokenize(text)
    treaties: list[TreatyFact] = []
    for i, token in enumerate(tokens):
        if not _is_cap(token.text):
            continue
        parsed = _treaty_at(text, tokens, i, dates)
        if parsed is not None:
            treaties.append(parsed)
    return _attach_years(text, treaties, dates)


def _head_of(word: str) -> tuple[str, str, str, str, bool] | None:
    """Return (prefix, nominative word, head class, gender, hyphenated) for a treaty noun."""
    lowered = word.lower()
    prefix_part, _, last = lowered.rpartition("-")
    for suffix in _HEAD_SUFFIXES:
        if not last.endswith(suffix):
            continue
        nominative, head, gender = _HEADS[suffix]
        stem = last[: len(last) - len(suffix)]
        if stem and len(stem) < 3:
            return None
        if head == "bündnis" and nominative == "bund" and not stem:
            return None  # a bare "Bund" is no treaty
        if stem.endswith("friedens") and nominative == "vertrag":
            head = "frieden"
        original_stem = word[: len(word) - len(suffix)]
        nominative_word = original_stem + (
            nominative if original_stem and original_stem[-1] != "-" else nominative.title()
        )
        if not original_stem:
            nominative_word = nominative.title()
        return prefix_part, nominative_word, head, gender, bool(prefix_part)
    return None


def _treaty_at(
    text: str, tokens: list[Token], i: int, dates: Sequence[DateFact]
) -> TreatyFact | None:
    word = tokens[i].text
    head_info = _head_of(word)
    if head_info is None:
        return None
    prefix, nominative, head, gender, hyphenated = head_info
    compound = nominative.lower() not in {h for h, _, _ in _HEADS.values()}
    start, end = tokens[i].start, tokens[i].end
    attributes: list[str] = []  # what makes it a name; feeds the identity key
    year: int | None = None

    if hyphenated and prefix not in _GENERIC_PREFIXES:
        attributes.append(prefix)
    adjective = ""
    # Left: nationality adjective(s) or a city adjective right before the head.
    if i >= 1 and _NATIONALITY_ADJECTIVE.fullmatch(tokens[i - 1].text):
        first = i - 1
        # "britisch- japanischen": a hyphenated pair the source split with a space
        if (
            i >= 3
            and tokens[i - 2].text == "-"
            and _NATIONALITY_ADJECTIVE.fullmatch(tokens[i - 3].text)
        ):
            first = i - 3
        raw = text[tokens[first].start : tokens[i - 1].end]
        adjective = _strong_adjective(re.sub(r"-\s+", "-", raw), gender)
        start = tokens[first].start
        if "-" in adjective or compound:
            attributes.append(adjective.lower())
    elif (
        i >= 1
        and _is_cap(tokens[i - 1].text)
        and tokens[i - 1].text.endswith("er")
        and len(tokens[i - 1].text) >= 5
        and tokens[i - 1].text.lower() not in _NOT_CITY_ADJECTIVES
        and _state_of(tokens[i - 1].text) is None
    ):
        adjective = tokens[i - 1].text
        start = tokens[i - 1].start
        attributes.append(adjective.lower().removesuffix("er"))

    # Right: what follows the head.
    j = i + 1
    right = ""
    nxt = tokens[j].text if j < len(tokens) else ""
    if nxt in ("von", "zu") and j + 1 < len(tokens) and _is_place(tokens, j + 1):
        place_end = _place_end(tokens, j + 1)
        right = text[tokens[j].start : tokens[place_end].end]
        attributes.append("von:" + text[tokens[j + 1].start : tokens[place_end].end].lower())
        end = tokens[place_end].end
        year = _year_right_after(text, end, dates)
    elif nxt == "von" and j + 1 < len(tokens) and _date_at(tokens[j + 1].start, dates):
        date = _date_at(tokens[j + 1].start, dates)
        assert date is not None
        end, year = date.end, date.year
        attributes.append(f"von:{date.year}")
        if not attributes[:-1]:
            # "Abkommen von 2012": the year is all that names it, so it stays in the name.
            right = text[tokens[j].start : date.end]
    elif nxt == "vom" and j + 1 < len(tokens) and _date_at(tokens[j + 1].start, dates):
        date = _date_at(tokens[j + 1].start, dates)
        assert date is not None
        right, end, year = text[tokens[j].start : date.end], date.end, date.year
        attributes.append("vom:" + date.text.lower())
    elif nxt == "zwischen":
        parties = _parties(text, tokens, j)
        if parties is not None:
            right, end, key = parties
            attributes.append("zwischen:" + key)
    elif head == "resolution" and nxt.isdigit() and 2 <= len(nxt) <= 4:
        end = tokens[j].end
        attributes.append(f"nr:{nxt}")
        k = j + 1
        if k + 1 < len(tokens) and tokens[k].text in ("des", "der"):
            council = tokens[k + 1].text
            if "sicherheitsrat" in council.lower() or council == "Vereinten":
                last = k + 2 if council == "Vereinten" and k + 2 < len(tokens) else k + 1
                end = tokens[last].end
        right = text[tokens[j].start : end]
    elif nxt == "mit" and compound and j + 1 < len(tokens):
        k = j + 1
        article = tokens[k].text in ("dem", "den", "der") and k + 1 < len(tokens)
        if article:
            k += 1
        # A partner is a state ("mit Japan") or a people ("mit den Sowjets"); a bare name
        # ("Separatfrieden mit Hitler") is a person, and a person signs no pact here.
        if _is_party(tokens[k].text) or (article and _is_cap(tokens[k].text)):
            right, end = text[tokens[j].start : tokens[k].end], tokens[k].end
            attributes.append("mit:" + tokens[k].text.lower())
    if (compound or hyphenated) and year is None:
        year = _year_right_after(text, end, dates, bare_only=True)
        if year is not None and not right:
            attributes.append("jahr")

    if not attributes:
        return None
    name = " ".join(part for part in (adjective, nominative, right) if part)
    return TreatyFact(
        text[start:end], name, head, _treaty_key(nominative, head, attributes), start, end, year
    )


def _treaty_key(nominative: str, head: str, attributes: list[str]) -> str:
    """Return one identity for the names of one treaty: "Jalta-Konferenz" and "Konferenz
    von Jalta" share "konferenz|von:jalta"; "Friede(n)", "Vertrag" and "Friedensvertrag von
    Portsmouth" share "frieden|von:portsmouth"."""
    places = [a for a in attributes if a.startswith("von:") and not a[4:].isdigit()]
    lemma = nominative.lower().rpartition("-")[2]
    if head in ("frieden", "vertrag") and places:
        return "frieden|" + places[0]
    prefix = nominative.lower().rpartition("-")[0]
    if prefix and lemma == head and " " not in prefix and "-" not in prefix:
        return f"{lemma}|von:{prefix}"  # "Jalta-Konferenz" is the conference of Jalta
    if places:
        return f"{lemma}|{places[0]}"
    return nominative.lower() + "|" + "|".join(attributes)


def _is_place(tokens: list[Token], k: int) -> bool:
    word = tokens[k].text
    if word in ("St", "San", "Sankt", "Port", "Bad", "Brest") and k + 1 < len(tokens):
        return True
    return (
        _is_cap(word)
        and word not in _MONTH_NUMBER
        and word.lower() not in FUNCTION_WORDS
        and not word.lower().endswith(_NOUN_SUFFIXES[:-2])
    )


def _place_end(tokens: list[Token], k: int) -> int:
    """Return the index of the last token of the place name starting at ``k``."""
    word = tokens[k].text
    if word == "St" and k + 2 < len(tokens) and tokens[k + 1].text == ".":
        return k + 2 if _is_cap(tokens[k + 2].text) else k
    if word in ("San", "Sankt", "Port", "Bad") and k + 1 < len(tokens):
        return k + 1 if _is_cap(tokens[k + 1].text) else k
    return k


def _parties(text: str, tokens: list[Token], j: int) -> tuple[str, int, str] | None:
    """Parse "zwischen [der] X und [der] Y" at ``j``; return (text, end, key) or None."""
    names: list[str] = []
    k = j + 1
    for expected_and in (True, False):
        if k < len(tokens) and tokens[k].text in ("der", "dem", "den", "die"):
            k += 1
        if k >= len(tokens) or not _is_party(tokens[k].text):
            return None
        names.append(tokens[k].text.lower())
        k += 1
        if expected_and:
            if k >= len(tokens) or tokens[k].text != "und":
                return None
            k += 1
    last = tokens[k - 1]
    return text[tokens[j].start : last.end], last.end, "+".join(sorted(names))


def _is_party(word: str) -> bool:
    """Tell whether ``word`` can be a party to a treaty: a state or a capital."""
    return _state_of(word) is not None or word in CAPITALS


def _date_at(position: int, dates: Sequence[DateFact]) -> DateFact | None:
    return next((d for d in dates if d.start == position), None)


def _year_right_after(
    text: str, end: int, dates: Sequence[DateFact], bare_only: bool = False
) -> int | None:
    """Return the year of a date that directly follows ``end`` ("von 1925", "im Jahr 1875")."""
    gap = r"\s+" if bare_only else r"\s+(?:(?:von|vom|aus dem Jahre?|im Jahre?|im|am)\s+)?"
    for date in dates:
        if date.start >= end and date.granularity != "range":
            between = text[end : date.start]
            if re.fullmatch(gap, between):
                return date.year
            return None
    return None


def _attach_years(
    text: str, treaties: list[TreatyFact], dates: Sequence[DateFact]
) -> list[TreatyFact]:
    """Tie a treaty to the only date of its sentence or comma segment when nothing else does."""
    inside = [d for d in dates if not any(t.start <= d.start and d.end <= t.end for t in treaties)]
    free = [d for d in inside if d.granularity != "range"]
    result = []
    for treaty in treaties:
        if treaty.year is None and treaty.head not in ("gespräche", "gipfel"):
            candidates = free if len(treaties) == 1 else []
            if len(candidates) != 1:
                # Fall back to the clause around the treaty.
                seg_start, seg_end = _clause_around(text, treaty.start, treaty.end)
                segment_treaties = [t for t in treaties if seg_start <= t.start < seg_end]
                candidates = [d for d in free if seg_start <= d.start < seg_end]
                if len(segment_treaties) != 1:
                    candidates = []
            if len(candidates) == 1:
                treaty = TreatyFact(
                    treaty.text,
                    treaty.name,
                    treaty.head,
                    treaty.key,
                    treaty.start,
                    treaty.end,
                    candidates[0].year,
                )
        result.append(treaty)
    return result


# Commas, or "und" before a date that opens a new clause ("… geschlossen und 1962 wurde");
# "1876 und 1882" is one coordination of dates, not two clauses.
_CLAUSE_BREAK = re.compile(r"[,;:]|(?<!\d)\s(?:und|aber|doch)\s(?=\d)")


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span between the clause breaks before ``start`` and after ``end``."""
    clause_start, clause_end = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= start:
            clause_start = match.end()
        elif match.start() >= end:
            clause_end = match.start()
            break
    return clause_start, clause_end


def _strong_adjective(adjective: str, gender: str) -> str:
    """Return ``adjective`` with the ending it takes without an article: "japanischer"."""
    return _ADJECTIVE_ENDING.sub("", adjective) + _STRONG_ENDING[gender]


# --------------------------------------------------------------------------- actors

# role noun (lower case) -> (gender, weak: takes -en/-n in oblique cases, adjectival noun)
_ROLES: dict[str, tuple[str, bool, bool]] = {
    "botschafter": ("m", False, False),
    "minister": ("m", False, False),
    "präsident": ("m", True, False),
    "kanzler": ("m", False, False),
    "zar": ("m", True, False),
    "kaiser": ("m", False, False),
    "könig": ("m", False, False),
    "diktator": ("m", False, False),
    "diplomat": ("m", True, False),
    "marschall": ("m", False, False),
    "general": ("m", False, False),
    "admiral": ("m", False, False),
    "kommissar": ("m", False, False),
    "gesandte": ("m", True, True),
    "experte": ("m", True, False),
    "chef": ("m", False, False),
    "gründer": ("m", False, False),
    "sekretär": ("m", False, False),
    "premier": ("m", False, False),
    "monarch": ("m", True, False),
    "herrscher": ("m", False, False),
    "machthaber": ("m", False, False),
    "unterhändler": ("m", False, False),
    "colonel": ("m", False, False),
    "oberst": ("m", True, False),
    "kommandeur": ("m", False, False),
    "befehlshaber": ("m", False, False),
    "regent": ("m", True, False),
    "prinz": ("m", True, False),
    "fürst": ("m", True, False),
    "shogun": ("m", False, False),
    "tenno": ("m", False, False),
    "vorsitzende": ("m", True, True),
    "beauftragte": ("m", True, True),
    "historiker": ("m", False, False),
    "politiker": ("m", False, False),
    "konsul": ("m", False, False),
    "papst": ("m", False, False),
    "gouverneur": ("m", False, False),
    "oberhaupt": ("n", False, False),
}
_ROLE_SUFFIXES = sorted(_ROLES, key=len, reverse=True)
#: Articles and the prepositions that contain one ("zum" = "zu dem").
_ARTICLE_LIKE = DETERMINERS | frozenset({"zum", "zur", "im", "am", "beim", "vom"})
_COPULAS = _wordset("wird wurde war ist gilt galt fungierte amtierte diente")
#: Words before "X zum <role>" that make X the one appointed: "die Wahl von X zum Präsidenten".
_APPOINTING = _wordset("von ernannte ernannten wählte wählten machte machten krönte")
#: Nouns of time and circumstance that are no complement of a role ("Präsident im Jahr 2000").
_NOT_COMPLEMENTS = _wordset(
    "jahr jahre jahren jahres monat monaten frühjahr frühling sommer herbst winter zeit "
    "zeitraum anfang ende mitte verlauf rahmen auftrag namen zuge folge vorfeld"
)
_ROMAN = re.compile(r"[IVX]{1,5}")
_MAX_NAME_TOKENS = 4


@dataclass(frozen=True)
class _Role:
    lemma: str  # nominative singular of the role noun, original capitalisation
    gender: str
    adjectives: tuple[str, ...]
    article: str  # "" if none


def _role_tails() -> dict[str, list[tuple[tuple[int, int], str, str, str]]]:
    """Return every written ending of a role noun -> [(priority, base, feminine, ending)]."""
    tails: dict[str, list[tuple[tuple[int, int], str, str, str]]] = {}
    for rank, base in enumerate(_ROLE_SUFFIXES):  # longer bases first: "ministerpräsident"
        _, weak, adjectival = _ROLES[base]
        endings = ["", "s", "es", "n"] + (["en", "r"] if weak or adjectival else [])
        forms = [("", e) for e in endings]
        if not adjectival:
            forms += [("in", ""), ("innen", "")]  # "Ministerin", "Ministerinnen"
        for order, (feminine, ending) in enumerate(forms):
            tail = base + feminine + ending
            tails.setdefault(tail, []).append(((rank, order), base, feminine, ending))
    return tails


_ROLE_TAILS = _role_tails()
_ROLE_TAIL_LENGTHS = sorted({len(t) for t in _ROLE_TAILS}, reverse=True)


@lru_cache(maxsize=65536)
def _role_of(word: str) -> tuple[str, str, bool] | None:
    """Return (lemma, gender, adjectival) if ``word`` is a role noun, e.g. "Außenministerin"."""
    if not _is_cap(word):
        return None
    lowered = word.lower()
    matches = []
    for length in _ROLE_TAIL_LENGTHS:
        if length <= len(lowered):
            matches.extend(_ROLE_TAILS.get(lowered[-length:], ()))
    for _, base, feminine, ending in sorted(matches):
        prefix = lowered[: len(lowered) - len(base + feminine + ending)]
        if prefix and len(prefix) < 3 and not prefix.endswith("-"):
            continue  # "Ex-" is a prefix, a stray "Ba" ("Basar") is not
        gender, _, adjectival = _ROLES[base]
        stem = word[: len(prefix) + len(base)]
        if feminine:
            return stem + "in", "f", False
        return (stem + "r" if adjectival else stem), gender, adjectival
    return None


def extract_actors(text: str) -> list[ActorFact]:
    """Return persons named together with a role, and states, in order of appearance.

    Persons are found around role nouns: "der japanische Botschafter in der UdSSR, der
    ehemalige General Yoshitsugu Tatekawa,", "Außenminister Sergej Lawrow", "Zar Alexander
    II.", "Dekanosow, stellvertretender Außenminister", "A. Iswolski als Außenminister",
    "Wladimir Putin zum russischen Präsidenten". A role nobody is named for is skipped.
    """
    tokens = tokenize(text)
    actors: list[ActorFact] = []
    for i, token in enumerate(tokens):
        role_info = _role_of(token.text)
        if role_info is not None:
            actor = _person_around_role(text, tokens, i, role_info)
            if actor is not None:
                actors.append(actor)
    roled = [(a.start, a.end) for a in actors]
    actors.extend(
        a
        for a in _unroled_persons(text, tokens)
        if not any(s < a.end and a.start < e for s, e in roled)
    )
    actors.extend(_states(text, tokens))
    unique = {(a.kind, a.start, a.end, a.role): a for a in actors}
    return sorted(unique.values(), key=lambda a: (a.start, a.phrase_start))


def _person_around_role(
    text: str, tokens: list[Token], i: int, role_info: tuple[str, str, bool]
) -> ActorFact | None:
    lemma, gender, _ = role_info
    # Left of the role noun: adjectives, then an article or possessive.
    first = i
    while first > 0 and _is_adjective(tokens[first - 1].text):
        first -= 1
    if first < i and not (first > 0 and tokens[first - 1].text.lower() in _ARTICLE_LIKE):
        # Without an article only strong endings are adjectives ("stellvertretender
        # Außenminister"); "-en" words there are mostly verbs ("liegen Colonel Clark").
        while first < i and tokens[first].text.endswith("en"):
            first += 1
    if first > 0 and tokens[first - 1].text.lower() in POSSESSIVES:
        return None  # "seinen persönlichen Referenten": whose, the sentence does not say
    article = ""
    if first > 0 and tokens[first - 1].text.lower() in DETERMINERS:
        article = tokens[first - 1].text
    role = _Role(lemma, gender, tuple(t.text for t in tokens[first:i]), article)
    phrase_start = tokens[first - 1].start if article else tokens[first].start

    # 1. The role, then the name: "Außenminister Sergej Lawrow", "Botschafter in der UdSSR,
    #    der ehemalige General Yoshitsugu Tatekawa,".
    complement = _complement(tokens, i + 1)
    for name_index in [i + 1] + ([complement] if complement is not None else []):
        name = _name_at(tokens, name_index)
        closing = None
        if name is None:
            appositive = _appositive_name(tokens, name_index)
            if appositive is None:
                continue
            name, closing = appositive
        first_name, last_name = name
        return ActorFact(
            text[tokens[first_name].start : tokens[last_name].end],
            "person",
            tokens[first_name].start,
            tokens[last_name].end,
            _role_text(text, tokens, role, i, name_index - 1),
            _role_head(lemma),
            phrase_start,
            tokens[closing].end if closing is not None else tokens[last_name].end,
        )

    # 2. The name, then the role: "Dekanosow, stellvertretender Außenminister",
    #    "Putin, der russische Präsident", "A. Iswolski als Außenminister",
    #    "Semjonow wird als Deutschlandexperte", "Wladimir Putin zum russischen Präsidenten".
    link = first - 2 if article else first - 1
    if link < 1:
        return None
    connector = tokens[link].text
    if connector not in ((",",) if article else (",", "als", "zum", "zur")):
        return None
    before = link - 1
    if connector == "als" and tokens[before].text in _COPULAS:
        before -= 1
    name = _name_ending_at(tokens, before)
    if name is None:
        return None
    first_name, last_name = name
    preceding = tokens[first_name - 1].text.lower() if first_name > 0 else ""
    if preceding in DETERMINERS or preceding in POSSESSIVES:
        return None  # "die Wahl als ...": a noun with an article is no name
    if connector in ("zum", "zur") and (
        preceding not in _APPOINTING or tokens[last_name].text.endswith("s")
    ):
        return None  # "anschließende Wahl zum Präsidenten", "Ernennung Putins zum ..."
    complement = _complement(tokens, i + 1)
    role_end = complement - 1 if complement is not None else i
    return ActorFact(
        text[tokens[first_name].start : tokens[last_name].end],
        "person",
        tokens[first_name].start,
        tokens[last_name].end,
        _role_text(text, tokens, role, i, role_end),
        _role_head(lemma),
        tokens[first_name].start,
        tokens[role_end].end,
    )


def _role_text(text: str, tokens: list[Token], role: _Role, i: int, role_end: int) -> str:
    """Return the role in the nominative without article: "japanischer Botschafter in X"."""
    adjectives = [_strong_adjective(a, role.gender) for a in role.adjectives]
    complement = text[tokens[i].end : tokens[role_end].end].strip() if role_end > i else ""
    return " ".join([*adjectives, role.lemma, *([complement] if complement else [])])


def _role_head(lemma: str) -> str:
    """Return the role noun in one form for both genders, to tell whether two roles are alike:
    "Verteidigungsministerin" -> "verteidigungsminister", "Gesandter" -> "gesandte"."""
    lowered = lemma.lower()
    for base, (_, _, adjectival) in _ROLES.items():
        if lowered.endswith(base + "in"):
            return lowered[:-2]
        if adjectival and lowered.endswith(base + "r"):
            return lowered[:-1]
    return lowered


def _is_adjective(word: str) -> bool:
    return (
        _is_lower_word(word)
        and word.lower() not in FUNCTION_WORDS
        and bool(re.search(r"(?:e|en|er|es|em)$", word))
    )


def _complement(tokens: list[Token], j: int) -> int | None:
    """Return the index after a complement of a role noun, e.g. "in der UdSSR", "Nordkoreas"."""
    if j >= len(tokens):
        return None
    word = tokens[j].text
    if _state_of(word) is not None and word.endswith("s"):
        return j + 1  # "Staatsgründer Nordkoreas"
    if word not in ("in", "für", "bei", "beim", "im", "von"):
        return None
    k = j + 1
    if k < len(tokens) and tokens[k].text in ARTICLES:
        if word == "in" and tokens[k].text not in ("der", "dem"):
            return None  # "in das Ressort": a direction, not where the role is held
        k += 1
    while k < len(tokens) and _is_adjective(tokens[k].text):
        k += 1
    if (
        k < len(tokens)
        and _is_cap(tokens[k].text)
        and tokens[k].text.lower() not in _NOT_COMPLEMENTS
        and tokens[k].text not in _MONTH_NUMBER
    ):
        return k + 1
    return None


def _name_token_ok(word: str) -> bool:
    if not _is_cap(word) or word.lower() in FUNCTION_WORDS:
        return False
    if _state_of(word) is not None or word in CAPITALS or word.removesuffix("s") in CAPITALS:
        return False
    if word in _MONTH_NUMBER or _role_of(word) is not None:
        return False
    if re.fullmatch(r"[A-ZÄÖÜ]\w*-[a-zäöü]{1,5}", word):
        return True  # a romanised East Asian given name: "Il-sung", "Jong-un"
    return not word.lower().endswith(_NOUN_SUFFIXES)


def _name_at(tokens: list[Token], j: int) -> tuple[int, int] | None:
    """Parse a person's name starting at token ``j``; return (first, last) token indices."""
    k = j
    count = 0
    last = -1
    while k < len(tokens) and count < _MAX_NAME_TOKENS:
        word = tokens[k].text
        if (
            len(word) == 1
            and word.isupper()
            and k + 1 < len(tokens)
            and tokens[k + 1].text == "."
            and tokens[k + 1].start == tokens[k].end
        ):
            k += 2  # an initial: "J." "W."
            count += 1
            continue
        if count and _ROMAN.fullmatch(word) and k + 1 < len(tokens) and tokens[k + 1].text == ".":
            last = k + 1  # "Alexander II."
            break
        if count and word in ("von", "van", "de", "bin") and k + 1 < len(tokens):
            if _name_token_ok(tokens[k + 1].text):
                k += 1
                continue
            break
        if not _name_token_ok(word) or len(word) < 2:
            break
        last = k
        count += 1
        k += 1
    if last < j or not _is_cap(tokens[last].text if tokens[last].text != "." else "X"):
        return None
    if tokens[last].text == "." and not _ROMAN.fullmatch(tokens[last - 1].text):
        return None
    # "Marschall Stalins japanische Front": a single genitive word before an adjective.
    if (
        last == j
        and tokens[j].text.endswith("s")
        and last + 2 < len(tokens)
        and _is_adjective(tokens[last + 1].text)
        and _is_cap(tokens[last + 2].text)
    ):
        return None
    return j, last


def _appositive_name(tokens: list[Token], j: int) -> tuple[tuple[int, int], int] | None:
    """Parse ", [der ehemalige General] Name," at ``j``; return ((first, last), closing)."""
    if j >= len(tokens) or tokens[j].text != ",":
        return None
    k = j + 1
    if k < len(tokens) and tokens[k].text.lower() in ARTICLES:
        k += 1
    while k < len(tokens) and _is_adjective(tokens[k].text):
        k += 1
    if k < len(tokens) and _role_of(tokens[k].text) is not None:
        k += 1
    name = _name_at(tokens, k)
    if name is None:
        return None
    closing = name[1] + 1
    if closing < len(tokens) and tokens[closing].text == ",":
        return name, closing
    return None


def _name_ending_at(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """Parse a name that ends at token ``k`` (reading leftwards); return (first, last)."""
    if k < 0 or not _name_token_ok(tokens[k].text):
        return None
    last = k
    first = k
    count = 1
    m = k - 1
    while m >= 0 and count < _MAX_NAME_TOKENS:
        word = tokens[m].text
        if word == "." and m >= 1 and len(tokens[m - 1].text) == 1 and tokens[m - 1].text.isupper():
            first = m - 1
            m -= 2
            count += 1
            continue
        if _name_token_ok(word):
            first = m
            m -= 1
            count += 1
            continue
        break
    return first, last


def _states(text: str, tokens: list[Token]) -> list[ActorFact]:
    found = []
    k = 0
    while k < len(tokens):
        word = tokens[k].text
        pair = f"{word} {tokens[k + 1].text}" if k + 1 < len(tokens) else ""
        if pair in STATES:
            start, end = tokens[k].start, tokens[k + 1].end
            found.append(ActorFact(text[start:end], "state", start, end, None, None, start, end))
            k += 2
            continue
        if word in STATES:
            token = tokens[k]
            found.append(
                ActorFact(word, "state", token.start, token.end, None, None, token.start, token.end)
            )
        k += 1
    return found


# fmt: off
#: Common given names (European, Russian, Japanese) that mark the start of a person's name.
GIVEN_NAMES = _wordset(
    "Adolf Alexander Alexei Andrei Anton Benito Boris Charles Dmitri Dmitrij Eduard Felix "
    "Franklin Franz Friedrich Georg Georgi Gerhard Harry Heinrich Helmut Hermann Iwan Jakob "
    "Jewgeni Johann Johannes Josef Joseph Juri Karl Konrad Konstantin Leonid Ludwig Maxim "
    "Michael Michail Nikita Nikolai Otto Paul Peter Richard Rudolf Sergej Sergei Theodore "
    "Walter Wilhelm Winston Witali Wjatscheslaw Wladimir Woodrow Jimmy Ronald George Joe "
    "Shinzo Fumio Junichiro Yoshihide Yoshitsugu Hirobumi Yosuke Taro Shigeru Hideki Fumimaro "
    "Kakuei Yasuhiro Naoto Yukio Toshiki"
)
#: East Asian family names, written first: "Kim Il-sung", "Mao Zedong", "Li Hongzhang".
FAMILY_NAMES_FIRST = _wordset(
    "Kim Park Pak Rhee Moon Chun Roh Mao Li Deng Zhou Chiang Jiang Syngman Yuan Itō Ito"
)
# fmt: on


def _unroled_persons(text: str, tokens: list[Token]) -> list[ActorFact]:
    """Return persons recognisable by a given name or an East Asian family name."""
    found = []
    for k, token in enumerate(tokens):
        word = token.text
        if word not in GIVEN_NAMES and word not in FAMILY_NAMES_FIRST:
            continue
        if k > 0 and tokens[k - 1].text in ("-",):
            continue
        last = k
        m = k + 1
        while m < len(tokens) and m - k <= 2 and _name_token_ok(tokens[m].text):
            if tokens[m].start - tokens[m - 1].end > 1:
                break
            last = m
            m += 1
        if last == k:
            continue  # a given name alone says too little
        if m < len(tokens) and tokens[m].text == "-" and tokens[m].start == tokens[last].end:
            continue  # "Kim-Dynastie"
        start, end = token.start, tokens[last].end
        found.append(ActorFact(text[start:end], "person", start, end, None, None, start, end))
    return found


def _name_key(name: str) -> tuple[str, ...]:
    """Return the lower-case words of a name without initials: "W. M. Molotow" -> (molotow,)."""
    words = re.findall(r"\w+", name.lower())
    return tuple(w for w in words if len(w) > 1 or not w.isalpha())


class PersonMatcher:
    """Find mentions of known person names in sentences, in time linear in the sentence."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        for name in sorted(set(names)):
            key = _name_key(name)
            if key:
                self._by_last.setdefault(key[-1], []).append(key)
        for keys in self._by_last.values():
            keys.sort(key=len, reverse=True)

    def find(self, text: str, already: Sequence[ActorFact] = ()) -> list[ActorFact]:
        """Return mentions of known names that ``already`` does not cover.

        "Kim Jong Un" matches a known "Kim Jong-un"; initials before a mention are taken
        along ("W. M. Molotow"); "Hitler-Deutschland" is no mention of Hitler.
        """
        if not self._by_last:
            return []
        words = [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"\w+", text)]
        covered = [(a.start, a.end) for a in already if a.kind == "person"]
        found: list[ActorFact] = []
        for i, (word, _, end) in enumerate(words):
            for key in self._by_last.get(word, ()):
                first = i - len(key) + 1
                if first < 0 or tuple(w for w, _, _ in words[first : i + 1]) != key:
                    continue
                start = words[first][1]
                gaps = [text[words[k][2] : words[k + 1][1]] for k in range(first, i)]
                if any(gap not in (" ", "-") for gap in gaps):
                    continue
                if text[start - 1 : start] == "-" or text[end : end + 1] == "-":
                    continue  # part of a compound: "Hitler-Deutschland", "Stalin-Briefe"
                if any(s < end and start < e for s, e in covered):
                    continue
                initials = re.search(r"(?:\b[A-ZÄÖÜ]\. ?)+$", text[max(0, start - 12) : start])
                if initials:
                    start -= len(initials.group())
                found.append(
                    ActorFact(text[start:end], "person", start, end, None, None, start, end)
                )
                covered.append((start, end))
                break
        return found


def coordinated_names(text: str, known: PersonMatcher) -> list[str]:
    """Return names joined by "und" to a known person's name: "Stalin und Hitler" -> Hitler."""
    tokens = tokenize(text)
    mentions = known.find(text)
    names = []
    for mention in mentions:
        for k, token in enumerate(tokens):
            if token.text != "und":
                continue
            if token.start == mention.end + 1:  # "<known> und Y"
                name = _name_at(tokens, _skip_genitive_state(tokens, k + 1))
                if name is not None:
                    names.append(text[tokens[name[0]].start : tokens[name[1]].end])
            elif token.end + 1 == mention.start:  # "Y und <known>"
                name = _name_ending_at(tokens, k - 1)
                if name is not None and not (
                    name[0] > 0 and tokens[name[0] - 1].text.lower() in DETERMINERS
                ):
                    names.append(text[tokens[name[0]].start : tokens[name[1]].end])
    return names


def _skip_genitive_state(tokens: list[Token], k: int) -> int:
    """Skip a genitive state before a name: "Chinas Mao Zedong" -> "Mao Zedong"."""
    if k < len(tokens) and tokens[k].text.endswith("s") and _state_of(tokens[k].text):
        return k + 1
    return k
