"""Extraction proposes facts, teachers approve facts.

From every sentence of a cleaned document that states something datable, the extraction
(dates, treaties and actors from ``quizapp.bank.extract``, parts of speech from HanTa) drafts
an event: its date at the precision the sentence gives, its clause cut into subject, finite
verb and rest, its kind and name where the sentence names a treaty, its participants where it
names known actors. Persons named with a role become actor drafts. Every draft cites its
sentence.

A draft that cannot be placed in time, or whose sentence points back at something it does
not name ("diese Gebiete", "er", "damit"), is kept with that problem said in German and gives
no questions until a teacher completes it; nothing is guessed. Drafts that state what a
curated fact states are recognised as covered by it. Plain Python.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from quizapp.bank.extract import (
    DETERMINERS,
    PREPOSITIONS,
    ActorFact,
    DateFact,
    Token,
    TreatyFact,
    extract_facts,
    nationality_of,
    tokenize,
)
from quizapp.bank.factdates import FactDate
from quizapp.bank.facts import Actor, Event, FactBase, SourcedEvent, validate_event
from quizapp.bank.german import tag
from quizapp.bank.templates import build_questions
from quizapp.bank.topics import FALLBACK, TOPICS, classify
from quizapp.bank.types import CleanedDocument, QuestionDraft, Sentence

PROBLEM_NO_DATE = "Kann zeitlich nicht eingeordnet werden: Der Satz nennt kein Datum."
PROBLEM_CONTEXT = "Bezieht sich auf einen früheren Satz („{word}“): bitte ausformulieren."
PROBLEM_CLAUSE = "Der Satz ließ sich nicht in Subjekt, Verb und Rest zerlegen."
PROBLEM_VAGUE = (
    "Das Subjekt „{subject}“ sagt nicht, wer oder was gemeint ist: bitte ausformulieren."
)

#: Words that make a sentence an opinion, a hypothesis or a personal remark, not a fact.
_NOT_FACTUAL = re.compile(
    r"\b(?:wäre|wären|hätte|hätten|würde|würden|könnte|könnten|müsste|müssten|sollte|sollten"
    r"|dürfte|dürften|wohl|vielleicht|vermutlich|möglicherweise|wahrscheinlich|angeblich"
    r"|eventuell|offenbar|anscheinend|scheinbar|ich|mich|mir|mein|meine|meiner|meines|wir|uns"
    r"|unser|unsere|du|dich|dir|dein|deine|euch|mE|imho)\b|\bm\.\s?E\.",
    re.IGNORECASE,
)
#: Discourse particles that presuppose an earlier sentence; dropped from a clause.
_PARTICLES = frozenset(
    [
        "jedoch",
        "allerdings",
        "hingegen",
        "wiederum",
        "also",
        "nun",
        "natürlich",
        "übrigens",
        "indes",
        "indessen",
        "zwar",
        "eben",
        "eigentlich",
        "überhaupt",
        "schließlich",
    ]
)
#: Tags (STTS, HanTa's spelling) of words that refer back: personal and demonstrative
#: pronouns, pronominal adverbs ("damit", "dadurch").
_REFERRING_TAGS = {"PPER", "PDS", "PAV", "PDAT"}
#: Words that point back, whatever HanTa tags them at the start of a sentence.
_POINTING_WORDS = frozenset(
    [
        "er",
        "ihm",
        "ihn",
        "sie",
        "ihnen",
        "dies",
        "diese",
        "dieser",
        "dieses",
        "diesem",
        "diesen",
        "darin",
        "daraufhin",
        "dort",
        "hierzu",
        "hierbei",
        "dazu",
        "davon",
        "dafür",
        "dadurch",
        "darüber",
        "daran",
        "dagegen",
        "jener",
        "jene",
        "jenes",
        "derselbe",
        "dieselbe",
        "dasselbe",
        "damit",
        "deshalb",
        "deswegen",
        "daher",
        "darum",
        "dabei",
        "danach",
    ]
)
#: Personal pronouns that are no reference ("es gab", "es kam zu").
_EXPLETIVE = {"es", "Es"}
_FINITE = ("VV(FIN)", "VA(FIN)", "VM(FIN)")
_NOUNISH = ("NN", "NE", "FM", "TRUNC")
_CLAUSE_END = re.compile(
    r";|:\s|\s[–-]\s|,\s*(?:bis dahin|doch|aber|jedoch|allerdings|danach|dann"
    r"|im Gegenzug|zudem|außerdem|wobei|woraufhin|was|welche[rs]?"
    r"|als|weil|da|nachdem|bevor|wo)\b"
)

#: Treaty head classes -> event kinds.
_KIND_OF_HEAD = {
    "vertrag": "treaty",
    "frieden": "treaty",
    "pakt": "treaty",
    "konvention": "treaty",
    "bündnis": "treaty",
    "protokoll": "agreement",
    "abkommen": "agreement",
    "erklärung": "agreement",
    "konferenz": "conference",
    "resolution": "resolution",
    "gespräche": "meeting",
    "gipfel": "meeting",
}
_GENDER_ARTICLE = {"m": "der", "f": "die", "n": "das", "p": "die"}
#: For a named event whose date belongs to its name ("der Zweibund von 1894"): a clause that
#: fits the kind, with the verb in the singular and the plural.
_GENERIC_CLAUSE = {
    "treaty": ("wurde", "wurden", "geschlossen"),
    "agreement": ("wurde", "wurden", "geschlossen"),
    "conference": ("fand", "fanden", "statt"),
    "meeting": ("fand", "fanden", "statt"),
    "resolution": ("wurde", "wurden", "verabschiedet"),
}
#: Role nouns -> office classes (first match wins; compare lower-cased endings).
_OFFICE_OF_ROLE = (
    ("verteidigungsminister", "verteidigungsminister"),
    ("außenminister", "aussenminister"),
    ("volkskommissar", "aussenminister"),
    ("ministerpräsident", "regierungschef"),
    ("premier", "regierungschef"),
    ("kanzler", "regierungschef"),
    ("minister", "minister"),
    ("botschafter", "botschafter"),
    ("gesandte", "diplomat"),
    ("diplomat", "diplomat"),
    ("präsident", "staatsoberhaupt"),
    ("zar", "staatsoberhaupt"),
    ("kaiser", "staatsoberhaupt"),
    ("könig", "staatsoberhaupt"),
    ("diktator", "staatsoberhaupt"),
    ("machthaber", "staatsoberhaupt"),
    ("staatschef", "staatsoberhaupt"),
    ("gründer", "staatsoberhaupt"),
    ("sekretär", "parteifuehrer"),
    ("general", "militaer"),
    ("oberst", "militaer"),
    ("colonel", "militaer"),
    ("admiral", "militaer"),
    ("experte", "experte"),
    ("historiker", "experte"),
)


@dataclass(frozen=True)
class Proposal:
    """A fact the extraction drafted from one sentence."""

    id: str
    kind: str  # "event" or "actor"
    data: dict[str, Any]  # the fact as a fact file writes it (maybe incomplete)
    document: str
    sentence_index: int
    char_start: int
    char_end: int
    topic: str
    problem: str | None = None  # why it gives no questions yet, in German
    covered_by: str | None = None  # the curated fact that states the same


@dataclass
class _Known:
    """What the approved facts say, to match names to actors and drafts to facts."""

    actors: dict[str, Actor] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-case name -> actor id


def propose(document: CleanedDocument, known: FactBase) -> list[Proposal]:
    """Return the fact drafts of ``document``, in sentence order, events before actors."""
    lookup = _Known({k: a.actor for k, a in known.actors.items()})
    surnames: dict[str, set[str]] = {}
    for actor_id, actor in lookup.actors.items():
        for name in actor.all_names():
            lookup.names.setdefault(name.lower(), actor_id)
            if actor.kind == "person":
                surnames.setdefault(name.split()[-1].lower(), set()).add(actor_id)
    for surname, ids in surnames.items():
        if len(ids) == 1:  # "Clark" is Colonel Clark(e) when no other person bears the name
            lookup.names.setdefault(surname, next(iter(ids)))
    topic = document_topic(document.sentences)
    covered = _coverage(document, known)
    proposals: list[Proposal] = []
    actors: list[Proposal] = []
    seen_actors: set[str] = set()
    for sentence in document.sentences:
        text = sentence.text
        if not _is_statement(text) or _NOT_FACTUAL.search(text):
            continue
        facts = extract_facts(text)
        proposals.extend(_events(document.name, sentence, facts.dates, facts.treaties,
                                 facts.actors, lookup, topic, covered))  # fmt: skip
        for draft in _actor_drafts(document.name, sentence, facts.actors, facts.dates,
                                   lookup, topic):  # fmt: skip
            if draft.id not in seen_actors:
                seen_actors.add(draft.id)
                actors.append(draft)
    return [*proposals, *actors]


def document_topic(sentences: Iterable[Sentence]) -> str:
    """Return the topic most of a document's sentences are about: the document's topic
    comes first, keywords of single sentences second."""
    counts = Counter(classify(s.text) for s in sentences)
    counts.pop(FALLBACK, None)
    if not counts:
        return FALLBACK
    order = list(TOPICS)
    return min(counts, key=lambda slug: (-counts[slug], order.index(slug)))


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:10]


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ŏ": "o", "ō": "o"})
    words = re.findall(r"[a-z0-9]+", name.lower().translate(table))
    return "-".join(words)[:40].strip("-") or "person"


# --------------------------------------------------------------------------- events


def _coverage(document: CleanedDocument, known: FactBase) -> dict[int, list[tuple[str, FactDate]]]:
    """Return sentence index -> the curated events stated there, with their dates."""
    covered: dict[int, list[tuple[str, FactDate]]] = {}
    for sourced in known.events:
        if sourced.provenance.document == document.name:
            covered.setdefault(sourced.provenance.sentence_index, []).append(
                (sourced.id, sourced.event.date)
            )
    return covered


def _events(
    document: str,
    sentence: Sentence,
    dates: Sequence[DateFact],
    treaties: Sequence[TreatyFact],
    actors: Sequence[ActorFact],
    known: _Known,
    topic: str,
    covered: dict[int, list[tuple[str, FactDate]]],
) -> list[Proposal]:
    text = sentence.text
    usable = [d for d in dates if _date_of(d) is not None and _is_adverbial(text, d)]
    base = dict(document=document, sentence_index=sentence.index,
                char_start=sentence.start, char_end=sentence.end, topic=topic)  # fmt: skip
    if not usable:
        treaty = next(iter(treaties), None)
        if treaty is None:
            return []
        name = _name(treaty)
        data = {"id": f"d-{_digest(document, text, treaty.name)}", "kind": _kind(treaty),
                "name": name, "source": text}  # fmt: skip
        if treaty.year is None:
            return [Proposal(data["id"], "event", data, problem=PROBLEM_NO_DATE, **base)]
        data["date"] = str(treaty.year)
        singular, plural, ending = _GENERIC_CLAUSE.get(data["kind"], ("wurde", "wurden",
                                                                       "geschlossen"))  # fmt: skip
        verb = plural if name.startswith("die ") and treaty.head == "gespräche" else singular
        data["what"] = f"{name} | {verb} | {ending}"
        covered_by = next(
            (fid for fid, d in covered.get(sentence.index, []) if d.year == treaty.year), None
        )
        return [Proposal(data["id"], "event", data, covered_by=covered_by, **base)]
    proposals = []
    for date in usable[:1]:  # the main clause's date; a second one belongs to another clause
        fact_date = _date_of(date)
        assert fact_date is not None
        event_id = f"d-{_digest(document, text, date.text)}"
        data: dict[str, Any] = {"id": event_id, "kind": "other", "date": fact_date.text,
                                "source": text}  # fmt: skip
        if date.end_year is not None:
            data["end"] = str(date.end_year)
        treaty = next((t for t in treaties if not (t.start <= date.start < t.end)), None)
        if treaty is not None:
            data["kind"] = _kind(treaty)
            data["name"] = _name(treaty)
        participants = []
        for actor in actors:
            actor_id = known.names.get(actor.name.lower())
            if actor_id and actor_id not in participants:
                participants.append(actor_id)
        if participants:
            data["participants"] = participants
        clause, problem = split_clause(text, date, known.names)
        if clause is not None:
            data["what"] = " | ".join(clause)
            subject_id = known.names.get(clause[0].lower())
            if subject_id and known.actors[subject_id].kind == "person":
                data["subject"] = subject_id
        covered_by = next(
            (fid for fid, d in covered.get(sentence.index, []) if d.year == fact_date.year),
            None,
        )
        proposals.append(
            Proposal(event_id, "event", data, problem=problem, covered_by=covered_by, **base)
        )
    return proposals


def _date_of(date: DateFact) -> FactDate | None:
    if date.granularity == "range":
        return FactDate(date.year)
    if date.qualifier and date.month is None:
        return FactDate(date.year, qualifier=date.qualifier if date.qualifier in (
            "Anfang", "Mitte", "Ende", "Frühjahr", "Frühling", "Sommer", "Herbst", "Winter"
        ) else None)  # fmt: skip
    if date.day is not None and date.month is not None:
        return FactDate.parse(f"{date.day}.{date.month}.{date.year}")
    return FactDate(date.year, date.month)


def _is_adverbial(text: str, date: DateFact) -> bool:
    """Tell whether the date says when something happened ("im Juni 1905", "1918 landeten")
    rather than belonging to a noun ("der Krieg von 1904", "Kursk 1943")."""
    before = text[: date.start].split()
    previous = before[-1] if before else ""
    if previous.lower() in ("am", "im", "seit", "bis", "ab", "anfang", "mitte", "ende"):
        return previous.lower() not in ("seit", "bis", "ab")
    if previous.lower() in ("jahr", "jahre") and len(before) > 1 and before[-2].lower() == "im":
        return True
    if previous.lower() in ("frühjahr", "frühling", "sommer", "herbst", "winter"):
        return True
    if not previous or previous.endswith(":"):
        return True
    return not (previous[:1].isupper() or previous.lower() in DETERMINERS | PREPOSITIONS)


def _kind(treaty: TreatyFact) -> str:
    return _KIND_OF_HEAD.get(treaty.head, "agreement")


def _name(treaty: TreatyFact) -> str:
    """Return the treaty's name with its definite article: "der französisch-russische
    Zweibund" (the extraction gives it without: "französisch-russischer Zweibund")."""
    from quizapp.bank.extract import _head_of  # the head noun's gender lives there

    words = treaty.name.split()
    gender, head_at = "m", len(words) - 1
    for index, word in enumerate(words):
        parsed = _head_of(word)
        if parsed is not None:
            gender, head_at = parsed[3], index
            break
    weak = [
        re.sub(r"(e)[rsn]$", r"\1", w) if i < head_at and w[:1].islower() else w
        for i, w in enumerate(words)
    ]
    if gender == "p":
        weak = [w + "n" if i < head_at and w[:1].islower() and w.endswith("e") else w
                for i, w in enumerate(weak)]  # fmt: skip
    return f"{_GENDER_ARTICLE[gender]} {' '.join(weak)}"


def split_clause(
    text: str, date: DateFact, names: Iterable[str] = ()
) -> tuple[tuple[str, str, str] | None, str | None]:
    """Cut the main clause around ``date`` into (subject, finite verb, rest) without the date.

    Returns the parts and None, or None and the problem (in German) that prevents it.
    """
    end = _main_clause_end(text, date)
    if end is None:
        return None, PROBLEM_CLAUSE
    tokens = _without_parentheses(tokenize(text[:end]))
    words = [t.text for t in tokens]
    tagged = tag(words)
    for word, _, stts in tagged:
        pronoun = stts in _REFERRING_TAGS and word not in _EXPLETIVE and len(word) > 1
        if pronoun or word.lower() in _POINTING_WORDS:
            return None, PROBLEM_CONTEXT.format(word=word)
    verb_at = next((i for i, (_, _, t) in enumerate(tagged) if t in _FINITE), None)
    if verb_at is None or verb_at == 0:
        return None, PROBLEM_CLAUSE
    date_span = _date_span(tokens, date, text)
    vorfeld = set(range(verb_at))
    verb_end = verb_at + 1
    if verb_end < len(tagged) and tagged[verb_end][2] == "PRF":
        verb_end += 1  # "erklärte sich"
    verb = " ".join(words[verb_at:verb_end])
    if vorfeld <= date_span:
        subject_end = _noun_phrase_end(tagged, verb_end, names)
        if subject_end is None:
            return None, PROBLEM_CLAUSE
        subject = words[verb_end:subject_end]
        rest_indices = [i for i in range(subject_end, len(words)) if i not in date_span]
    elif tagged[0][2] in ("ADV", "APPR", "APPRART"):
        # An adverbial opens the clause ("Nach dem Krieg wurde am 17. April 1895 der Vertrag
        # … unterzeichnet"): the subject follows the verb (and the date), the adverbial joins
        # the rest.
        if vorfeld & date_span:
            return None, PROBLEM_CLAUSE
        after = verb_end
        while after in date_span:
            after += 1
        subject_end = _noun_phrase_end(tagged, after, names)
        if subject_end is None:
            return None, PROBLEM_CLAUSE
        subject = words[after:subject_end]
        adverbial = [i for i in range(verb_at) if words[i].lower() not in _PARTICLES]
        rest_indices = adverbial + [
            i for i in range(subject_end, len(words)) if i not in date_span and i >= verb_end
        ]
    else:
        if vorfeld & date_span:
            return None, PROBLEM_CLAUSE  # "Die Meuterei … im Juni 1905 war": the date is inside
        subject = [w for w in words[:verb_at] if w.lower() not in _PARTICLES]
        if not subject or tagged[0][2] in ("PAV", "KON"):
            return None, PROBLEM_CLAUSE  # no subject opens the clause
        rest_indices = [i for i in range(verb_end, len(words)) if i not in date_span]
    kept = _first_main_clause(rest_indices, tagged)
    if len(kept) < len(rest_indices) and date_span and min(date_span) > rest_indices[len(kept)]:
        return None, PROBLEM_CLAUSE  # the date belongs to the second main clause
    rest_indices = kept
    rest = [words[i] for i in rest_indices if words[i].lower() not in _PARTICLES]
    if rest and tagged[0][2] in ("ADV", "APPR", "APPRART") and not vorfeld <= date_span:
        rest[0] = rest[0][:1].lower() + rest[0][1:]  # "Nach dem Krieg" inside the clause
    subject_text = _detokenize(subject)
    if subject_text.split(" ", 1)[0].lower() in ("ein", "eine", "einen", "einem", "einer"):
        return None, PROBLEM_VAGUE.format(subject=subject_text)  # "ein Abkommen wurde …"
    opens_sentence = not vorfeld <= date_span and tagged[0][2] not in ("ADV", "APPR", "APPRART")
    if opens_sentence and subject_text[:1].isupper() and tagged[0][2] in ("ART", "ADJ(A)"):
        subject_text = subject_text[:1].lower() + subject_text[1:]
    return (subject_text, verb, _detokenize(rest).rstrip(" ,.")), None


def _main_clause_end(text: str, date: DateFact) -> int | None:
    """Return where the main clause ends; None if the date lies beyond it (then it dates a
    subordinate clause: "…, als die Alliierten im Februar 1945 … vereinbarten")."""
    stop = text.rstrip()
    end = len(stop) - 1 if stop.endswith(".") else len(stop)
    match = _CLAUSE_END.search(text)
    if match is not None:
        end = min(end, match.start())
    return end if end >= date.end else None


def _without_parentheses(tokens: Sequence[Token]) -> list[Token]:
    kept: list[Token] = []
    depth = 0
    for token in tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(token)
    return kept


def _first_main_clause(indices: list[int], tagged: Sequence[tuple[str, str, str]]) -> list[int]:
    """Cut the rest before "und" that starts a second main clause ("… Nordkorea und traf
    sich mit Kim Jong-il"): a finite verb follows it."""
    for position, index in enumerate(indices):
        if tagged[index][0] in ("und", "sowie") and any(
            tagged[later][2] in _FINITE for later in indices[position + 1 :]
        ):
            return indices[:position]
    return indices


def _date_span(tokens: Sequence[Token], date: DateFact, text: str) -> set[int]:
    """Return the indices of the tokens of the date and its preposition ("im Jahr 1918")."""
    inside = {i for i, t in enumerate(tokens) if date.start <= t.start < date.end}
    if not inside:
        return inside
    first = min(inside)
    lead = {"am", "im", "in", "seit", "bis", "ab", "jahr", "jahre", "anfang", "mitte", "ende",
            "frühjahr", "frühling", "sommer", "herbst", "winter", "dem"}  # fmt: skip
    while first > 0 and tokens[first - 1].text.lower() in lead:
        first -= 1
        inside.add(first)
    return inside


def _noun_phrase_end(
    tagged: Sequence[tuple[str, str, str]], start: int, names: Iterable[str] = ()
) -> int | None:
    """Return where the noun phrase starting at ``start`` ends ("der russische Außenminister
    Sergei Lawrow", "der Frieden von Portsmouth", "sowohl Russland als auch China"), or None
    if none starts there. A known name, a second article after a noun, or a common noun after
    a name ("Russland Berichten zufolge") ends the phrase."""
    words = [w for w, _, _ in tagged]
    known = {n.lower() for n in names}
    i = start
    last = ""  # the tag class of the previous word of the phrase
    while i < len(tagged):
        word, _, stts = tagged[i]
        determiner = stts in ("ART", "PIAT", "PPOSAT", "ADJ(A)", "CARD")
        noun = stts in _NOUNISH
        if (determiner and last == "noun") or (stts == "NN" and last == "name"):
            break
        if determiner or noun:
            last = "det" if determiner else ("name" if stts == "NE" else "noun")
            i += 1
            for length in (3, 2, 1):  # a known name just ended: so does the phrase
                ends_name = " ".join(words[i - length : i]).lower() in known
                if (
                    i - length >= start
                    and ends_name
                    and i < len(tagged)
                    and tagged[i][2]
                    in (
                        "NE",
                        "NN",
                    )
                ):
                    return i
            if last == "name":
                last = "noun" if i < len(tagged) and tagged[i][2] != "NE" else "name"
            continue
        if last in ("noun", "name") and (
            word in ("und",) or (word == "als" and i + 1 < len(words) and words[i + 1] == "auch")
        ):
            i += 2 if word == "als" else 1
            last = "det"
            continue
        if word == "sowohl" and i == start:
            i += 1
            continue
        if (
            word == "von"
            and last in ("noun", "name")
            and i + 1 < len(tagged)
            and tagged[i + 1][2] == "NE"
        ):
            i += 2  # "der Frieden von Portsmouth"
            last = "noun"
            continue
        break
    while i > start and tagged[i - 1][0] in ("und", "als", "auch", "sowohl"):
        i -= 1
    return (
        i
        if i > start
        and last in ("noun", "name")
        or any(t in _NOUNISH for _, _, t in tagged[start:i])
        else None
    )


def _detokenize(words: Sequence[str]) -> str:
    text = " ".join(words)
    text = re.sub(r"\s+([,.;:!?“”])", r"\1", text)
    text = re.sub(r"([„(])\s+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _is_statement(text: str) -> bool:
    words = re.findall(r"\w+", text)
    stripped = text.rstrip("\"'”“»«’‘)")
    return (
        stripped.endswith(".")
        and 6 <= len(words) <= 60
        and (text[:1].isupper() or text[:1].isdigit())
        and "?" not in text
    )


# --------------------------------------------------------------------------- actors


def _actor_drafts(
    document: str,
    sentence: Sentence,
    actors: Sequence[ActorFact],
    dates: Sequence[DateFact],
    known: _Known,
    topic: str,
) -> list[Proposal]:
    drafts = []
    for actor in actors:
        if actor.kind != "person" or not actor.role:
            continue
        known_id = known.names.get(actor.name.lower())
        actor_id = known_id or _slug(actor.name)
        role: dict[str, Any] = {"title": actor.role, "office": _office(actor.role_head or "")}
        state = nationality_of(actor.role)
        if state:
            role["state"] = _state_id(state, known)
        if dates and (when := _date_of(dates[0])) is not None:
            role["at"] = when.text
        start = actor.phrase_start if actor.phrase_start >= 0 else actor.start
        end = actor.phrase_end if actor.phrase_end >= 0 else actor.end
        role["source"] = sentence.text[start:end]
        data = {"id": actor_id, "name": actor.name, "roles": [role]}
        drafts.append(
            Proposal(
                f"a-{_digest(document, actor_id, actor.role)}",
                "actor",
                data,
                document,
                sentence.index,
                sentence.start,
                sentence.end,
                topic,
                covered_by=known_id,
            )
        )
    return drafts


def _office(head: str) -> str:
    lowered = head.lower()
    return next((office for ending, office in _OFFICE_OF_ROLE if lowered.endswith(ending)),
                "diplomat")  # fmt: skip


def _state_id(state: str, known: _Known) -> str | None:
    return known.names.get(state.lower())


def draft_questions(
    proposals: Iterable[Proposal], documents: dict[str, CleanedDocument], known: FactBase
) -> list[QuestionDraft]:
    """Return the questions the complete event drafts would give beside the approved facts
    (as drafts), for a teacher or anyone measuring the extraction."""
    actors = {k: a.actor for k, a in known.actors.items()}
    mine: list[SourcedEvent] = []
    for proposal in proposals:
        if proposal.problem or proposal.kind != "event":
            continue
        try:
            event = Event.model_validate(proposal.data)
        except ValueError:
            continue
        sourced, _ = validate_event(event, documents[proposal.document], actors, proposal.topic)
        if sourced is not None:
            mine.append(replace(sourced, status="draft", origin="generated"))
    drafts = build_questions(FactBase(dict(known.actors), [*known.events, *mine]))
    ids = {e.id for e in mine}
    return [q for q in drafts if q.fact in ids]
