"""Generate German quiz questions (drafts for teacher review) from cleaned documents.

Every question is built from one fact a sentence states (a date, an actor, a treaty) by a
small set of rewrites of German main clauses. A sentence that does not fit a rewrite, depends
on context ("Er", "diese"), hedges ("wohl", "wäre") or speaks in the first person is skipped:
a skipped sentence costs nothing, a broken question costs a teacher's time.

Output is deterministic: ids hash the document, the kind and the fact (not the wording), and
wrong options and the position of the right one derive from hashes, never from a clock or an
unseeded random generator.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from quizapp.bank.clean import clean_document
from quizapp.bank.curated import GAP, ORDER_SEPARATOR, PAIR_SEPARATOR, correct_position
from quizapp.bank.dates import MONTH_NAMES, format_german_date, parse_german_date
from quizapp.bank.extract import (
    DETERMINERS,
    FAMILY_NAMES_FIRST,
    FUNCTION_WORDS,
    NATIONALITIES,
    PREPOSITIONS,
    STATE_OVERLAPS,
    STATES,
    ActorFact,
    DateFact,
    PersonMatcher,
    SentenceFacts,
    Token,
    TreatyFact,
    coordinated_names,
    extract_actors,
    extract_dates,
    extract_treaties,
    nationality_of,
    tokenize,
)
from quizapp.bank.topics import FALLBACK, TOPICS, classify
from quizapp.bank.types import ChoiceDraft, CleanedDocument, QuestionDraft, Sentence

#: Options offered in single_choice and date questions (one right, the rest wrong).
OPTION_COUNT = 4
MAX_GROUP = 5  # items of one ordering, pairs of one matching
MIN_GROUP = 3
MAX_PROMPT = 230  # characters; longer rewrites are hard to read and usually went wrong
MAX_STATEMENT = 240
NEAR_DUPLICATE = 88  # rapidfuzz ratio above which two prompts with one answer are one question
DATE_WINDOW = 15  # years; wrong dates from the corpus must be this close to be plausible
ERA_WINDOW = 25  # years; persons this close in time to the answer are preferred as options

ORDERING_PROMPT = "Bringe die Ereignisse in die zeitliche Reihenfolge (das früheste zuerst)."
TREATY_MATCHING_PROMPT = (
    "Ordne jedem Abkommen bzw. jeder Konferenz das Jahr zu, das die Quelle dafür nennt."
)
ROLE_MATCHING_PROMPT = "Ordne jeder Person die Funktion zu, in der die Quelle sie nennt."


def generate_from_texts(named_texts: Sequence[tuple[str, str]]) -> list[QuestionDraft]:
    """Clean each (name, raw text) pair, then generate questions from all of them."""
    return generate([clean_document(name, raw) for name, raw in named_texts])


def generate(documents: Sequence[CleanedDocument]) -> list[QuestionDraft]:
    """Generate question drafts from ``documents``, in document and sentence order.

    Wrong options are drawn from the whole corpus, so generating a document together with
    others may give it other wrong options than generating it alone; ids do not change.
    """
    corpus = _Corpus(documents)
    drafts: list[_Draft] = []
    for document in corpus.documents:
        items = corpus.items[document.name]
        for item in items:
            drafts.extend(_sentence_questions(item, corpus))
        drafts.extend(_ordering_questions(items))
        drafts.extend(_matching_questions(items, corpus))
    return _finalise(drafts)


# --------------------------------------------------------------------------- corpus analysis


@dataclass
class _Item:
    """One sentence with its facts."""

    document: CleanedDocument
    sentence: Sentence
    facts: SentenceFacts
    topic: str


@dataclass(eq=False)  # compared and hashed by identity: one object per person
class _Person:
    """Everything the corpus says about one person."""

    key: str
    order: int
    names: list[str] = field(default_factory=list)
    roles: list[tuple[str, str, str]] = field(default_factory=list)  # (role, head, document)
    documents: dict[str, None] = field(default_factory=dict)  # an ordered set
    years: list[int] = field(default_factory=list)
    era: int | None = None  # median year of the sentences naming the person; set by finish()
    nationality: str | None = None  # the state the roles name, if they agree; ditto

    def finish(self) -> None:
        """Compute what distractor ranking asks for again and again."""
        years = sorted(self.years)
        self.era = years[len(years) // 2] if years else None
        found = {nationality_of(role) for role, _, _ in self.roles} - {None}
        self.nationality = found.pop() if len(found) == 1 else None

    @property
    def full_name(self) -> str:
        """Return the longest name, preferring written-out first names to initials."""
        return max(self.names, key=lambda n: (len(_name_words(n)), len(n.split()), len(n)))

    @property
    def short_name(self) -> str:
        return _short_form(self.full_name) or self.full_name


class _Corpus:
    """The analysed documents plus the pools wrong options are drawn from."""

    def __init__(self, documents: Sequence[CleanedDocument]) -> None:
        self.documents = list(documents)
        raw: dict[str, list[tuple[Sentence, list[DateFact], list[TreatyFact], list[ActorFact]]]]
        raw = {}
        for document in self.documents:
            rows = []
            for sentence in document.sentences:
                dates = extract_dates(sentence.text)
                rows.append(
                    (
                        sentence,
                        dates,
                        extract_treaties(sentence.text, dates),
                        extract_actors(sentence.text),
                    )
                )
            raw[document.name] = rows

        # Persons: named with a role or a given name; then whoever is joined to one by "und".
        surfaces: list[str] = []
        for rows in raw.values():
            for _, _, _, actors in rows:
                surfaces.extend(a.name for a in actors if a.kind == "person")
        matcher = PersonMatcher(_with_short_forms(surfaces))
        for rows in raw.values():
            for sentence, _, _, _ in rows:
                surfaces.extend(coordinated_names(sentence.text, matcher))
        self.matcher = PersonMatcher(_with_short_forms(surfaces))

        self.items: dict[str, list[_Item]] = {}
        for document in self.documents:
            items = []
            for sentence, dates, treaties, actors in raw[document.name]:
                mentions = self.matcher.find(sentence.text, actors)
                all_actors = sorted([*actors, *mentions], key=lambda a: (a.start, a.phrase_start))
                facts = SentenceFacts(tuple(dates), tuple(treaties), tuple(all_actors))
                items.append(_Item(document, sentence, facts, classify(sentence.text)))
            fallback = _document_topic(items)
            for item in items:
                if item.topic == FALLBACK:
                    item.topic = fallback
            self.items[document.name] = items

        self.persons: dict[str, _Person] = {}
        self.state_counts: Counter[str] = Counter()
        self.doc_states: dict[str, Counter[str]] = {}
        years: set[int] = set()
        months: set[tuple[int, int]] = set()
        days: set[tuple[int, int, int]] = set()
        for document in self.documents:
            doc_states: Counter[str] = Counter()
            for item in self.items[document.name]:
                item_years = [d.year for d in item.facts.dates]
                for date in item.facts.dates:
                    years.add(date.year)
                    if date.month is not None:
                        months.add((date.year, date.month))
                    if date.day is not None and date.month is not None:
                        days.add((date.year, date.month, date.day))
                for actor in item.facts.actors:
                    if actor.kind == "state":
                        doc_states[STATES.get(actor.name, actor.name)] += 1
                        continue
                    person = self._person(actor.name)
                    if actor.name not in person.names:
                        person.names.append(actor.name)
                    person.documents[document.name] = None
                    person.years.extend(item_years)
                    if actor.role and actor.role_head:
                        person.roles.append((actor.role, actor.role_head, document.name))
            self.doc_states[document.name] = doc_states
            self.state_counts.update(doc_states)
        self.years = sorted(years)
        self.months = sorted(months)
        self.days = sorted(days)
        self._merge_genitives()
        for person in self.persons.values():
            person.finish()
        dated = [p for p in self.persons.values() if p.era is not None]
        self.persons_by_era = sorted(dated, key=lambda p: (p.era or 0, p.order))
        self.undated = [p for p in self.persons.values() if p.era is None][:60]
        self.eras = [p.era or 0 for p in self.persons_by_era]
        self.persons_by_document: dict[str, list[_Person]] = {}
        for person in self.persons.values():
            for name in person.documents:
                self.persons_by_document.setdefault(name, []).append(person)

    def _merge_genitives(self) -> None:
        """Fold "Wladimir Putins" (a genitive read as a name) into "Wladimir Putin"."""
        for key in sorted(self.persons):
            base = self.persons.get(key[:-1]) if key.endswith("s") else None
            if base is None:
                continue
            person = self.persons.pop(key)
            base.documents.update(person.documents)
            base.years.extend(person.years)
            base.roles.extend(person.roles)

    def _person(self, name: str) -> _Person:
        key = _person_key(name)
        if key not in self.persons:
            self.persons[key] = _Person(key, len(self.persons))
        return self.persons[key]

    def is_genitive(self, name: str) -> bool:
        """Tell whether ``name`` is a genitive form ("Wladimir Putins") of a known name."""
        key = _person_key(name)
        return key not in self.persons and key.endswith("s") and key[:-1] in self.persons

    def person_of(self, name: str) -> _Person | None:
        key = _person_key(name)
        if key not in self.persons and key.endswith("s"):
            key = key[:-1]  # a genitive merged into its base name
        return self.persons.get(key)


def _document_topic(items: Sequence[_Item]) -> str:
    """Return the most frequent topic of a document's sentences (the fallback if none)."""
    counts = Counter(item.topic for item in items if item.topic != FALLBACK)
    if not counts:
        return FALLBACK
    order = list(TOPICS)
    return min(counts, key=lambda slug: (-counts[slug], order.index(slug)))


def _person_key(name: str) -> str:
    """Return a person's identity: the surname ("Jong un" for "Kim Jong-un", a roman
    numeral keeps its first name: "alexander ii")."""
    words = _name_words(name)
    if not words:
        return name.lower()
    if re.fullmatch(r"[ivx]+", words[-1]) or name.split()[0] in FAMILY_NAMES_FIRST:
        return " ".join(words[-2:]) if len(words) > 1 else words[0]
    if "-" in name.split()[-1]:
        return " ".join(words[-2:])
    return words[-1]


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"\w+", name.lower()) if len(w) > 1]


def _short_form(name: str) -> str | None:
    """Return the surname a text may use alone ("Putin" for "Wladimir Putin"), if any."""
    parts = name.split()
    if len(parts) < 2 or parts[0] in FAMILY_NAMES_FIRST:
        return None
    last = parts[-1]
    if "-" in last or len(last) < 4 or re.fullmatch(r"[IVX]+\.?", last):
        return None
    return last


def _with_short_forms(names: Iterable[str]) -> list[str]:
    result = []
    for name in names:
        result.append(name)
        short = _short_form(name)
        if short:
            result.append(short)
    return result


def _same_person(a: str, b: str) -> bool:
    """Tell whether two names may denote one person ("Stalin", "J. W. Stalin"; "Kim" and
    "Kim Jong-un" are treated as possibly the same)."""
    if _person_key(a) == _person_key(b):
        return True
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return longer[: len(shorter)] == shorter or longer[-len(shorter) :] == shorter


# --------------------------------------------------------------------------- sentence filters


def _wordset(words: str) -> frozenset[str]:
    """Return the set of the space-separated ``words``."""
    return frozenset(words.split())


# Words that make a sentence an opinion, a hypothesis or a personal remark, not a fact.
_NOT_FACTUAL = re.compile(
    r"\b(?:wäre|wären|hätte|hätten|würde|würden|könnte|könnten|müsste|müssten|sollte|sollten"
    r"|dürfte|dürften|wohl|vielleicht|vermutlich|möglicherweise|wahrscheinlich|angeblich"
    r"|eventuell|offenbar|anscheinend|scheinbar|ich|mich|mir|mein|meine|meiner|meines|wir|uns"
    r"|unser|unsere|du|dich|dir|dein|deine|euch|ja|natürlich|mE|imho)\b|\bm\.\s?E\.",
    re.IGNORECASE,
)
# Reported speech (Konjunktiv I) after a colon is a claim someone made, not a fact.
_REPORTED = re.compile(r"\b(?:solle|sollen|sei|seien|habe|könne|werde|müsse|wolle)\b")
# Words that point back to something the sentence does not name.
_CONTEXT_WORDS = _wordset(
    "er ihm ihn ihnen sie dies diese dieser dieses diesem diesen darin daraufhin dort hierzu "
    "hierbei dazu davon dafür dadurch darüber daran dagegen jener jene jenes derselbe "
    "dieselbe dasselbe damit deshalb deswegen daher darum dabei"
)
# Words that point to something outside a rewritten prompt, wherever they stand in it.
_POINTERS = _wordset(
    "dies diese dieser dieses diesem diesen darin darauf daraufhin dort hierzu hierbei dazu "
    "davon dafür dadurch darüber daran dagegen jener jene jenes derselbe dieselbe dasselbe"
)
_CONTEXT_STARTS = _wordset(
    "Er Sie Es Dies Diese Dieser Dieses Diesem Diesen Dabei Damit Dadurch Daher Darum "
    "Deshalb Deswegen Danach Dort Hier Dann Ihm Ihr Ihre Ihren Ihnen Sein Seine Seinen Jener "
    "Jene Derselbe Auch Und Aber Doch Denn Somit Folglich Letztlich Zudem Außerdem Trotzdem "
    "Dennoch"
)
_PARTICLES = _wordset(
    "jedoch allerdings hingegen wiederum also nun ja natürlich übrigens indes indessen zwar "
    "eben eigentlich überhaupt"
)
_DISCOURSE_VORFELD = frozenset(
    ["So", "Nun", "Doch", "Und", "Aber", "Also", "Zwar", "Schließlich", "Überhaupt"]
)
_ADVERBS = _wordset(
    "zuletzt damals später heute schließlich erwartungsgemäß zuvor zunächst anschließend "
    "seitdem seither inzwischen danach dann erstmals wiederholt bald erneut gleichzeitig "
    "tatsächlich insgesamt offiziell faktisch letztlich endlich bisher mittlerweile nunmehr "
    "daraufhin jedenfalls kurz lange früher wenig"
)
_ADVERB_ENDINGS = ("weise", "mäßig", "maßen")
_COMMON_ADJECTIVES = _wordset(
    "deutsche große neue alte erste zweite letzte beide viele einige mehrere zahlreiche "
    "weitere andere wenige"
)
_POSSESSIVE = re.compile(r"\b(?:sein|seine|seinen|seinem|seiner|seines)\b")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_ELLIPSIS = re.compile(r"…|\.\.\.")
_CLOSERS = "\"'”“»«’‘)"
# A lone lower-case letter that is no abbreviation ("Außenministerium s"): a typo in the source.
_STRAY_LETTER = re.compile(r"(?<![\w.])[a-zäöüß](?![\w.])")
_ENUMERATOR = re.compile(r"^\d{1,2}\.\s+(?!(?:" + "|".join(MONTH_NAMES) + r")\b)")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-.]\w+)*", text)


def _is_statement(text: str) -> bool:
    """Tell whether ``text`` is a complete declarative sentence of sensible length."""
    stripped = text.rstrip(_CLOSERS)
    words = _words(text)
    return (
        stripped.endswith(".")
        and not stripped.endswith("..")
        and 6 <= len(words) <= 60
        and (text[:1].isupper() or text[:1].isdigit() or text[:1] in '„“"')
        and "?" not in text
        and "!" not in text
        and _STRAY_LETTER.search(text) is None
    )


def _is_factual(text: str) -> bool:
    return _NOT_FACTUAL.search(text) is None


def _is_self_contained(text: str, facts: SentenceFacts, start: int = 0) -> bool:
    """Tell whether the main clause of ``text`` (from ``start``) needs no earlier sentence."""
    words = _words(text[start:])
    if not words or words[0] in _CONTEXT_STARTS:
        return False
    if words[0] == "Das" and len(words) > 1 and words[1][:1].islower():
        return False  # "Das war …", "Das heißt …": a pronoun, not the article of a noun
    main = text[start:].split(",", 1)[0]
    if any(w.lower() in _CONTEXT_WORDS for w in _words(main)):
        return False
    # "sein Sohn" only makes sense after the person it belongs to.
    possessive = _POSSESSIVE.search(text, start)
    return possessive is None or any(
        a.end <= possessive.start() and a.start >= start for a in facts.actors
    )


def _is_fact_bearing(item: _Item) -> bool:
    """Tell whether a sentence states something datable or official: a date, a named treaty
    or a person in a role. Opinions in a forum thread mostly do not."""
    facts = item.facts
    return bool(facts.dates or facts.treaties or any(a.role for a in facts.actors))


def _points_outside(text: str) -> bool:
    """Tell whether ``text`` refers to something only an earlier sentence names."""
    return any(w.lower() in _POINTERS for w in _words(text))


def _tidy(text: str) -> str:
    """Remove parentheses (citations, asides) and fix the spacing they leave behind."""
    text = _ENUMERATOR.sub("", _PARENTHESIS.sub("", text))
    text = re.sub(r"\s+([,.;:?!])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _drop_particles(text: str) -> str:
    """Remove discourse particles ("jedoch", "hingegen") that presuppose an earlier sentence."""
    kept: list[str] = []
    for word in text.split(" "):
        if word.lower().rstrip(",") in _PARTICLES:
            if word.endswith(",") and kept:
                kept[-1] += ","  # "Seite jedoch, die …" -> "Seite, die …"
            continue
        kept.append(word)
    return " ".join(kept)


# Where a main clause ends and a coordinated or spliced one begins.
_SPLICE = re.compile(
    r"\s*(?:;|:\s*[„“\"»]|,\s*(?:bis dahin|doch|aber|jedoch|allerdings|danach|dann|im Gegenzug"
    r"|zudem|außerdem|das weiß|wobei|woraufhin)\b)"
)


def _main_clause(text: str) -> str:
    """Cut ``text`` before a spliced or coordinated main clause: "…geschlossen und sah …"
    -> "…geschlossen", "… verkauft, bis dahin hatte …" -> "… verkauft"."""
    match = _SPLICE.search(text)
    cut = match.start() if match else len(text)
    tokens = tokenize(text[:cut])
    for k, token in enumerate(tokens[:-1]):
        if token.text != "und":
            continue
        following = tokens[k + 1].text
        after = tokens[k + 2].text if k + 2 < len(tokens) else ""
        if following[:1].isdigit() or (
            following[:1].islower()
            and following not in FUNCTION_WORDS
            and not (re.search(r"(?:e|en|er|es|em)$", following) and after[:1].isupper())
        ):
            cut = min(cut, token.start)
            break
    return text[:cut].rstrip(" ,;:")


def _as_question(text: str) -> str:
    text = _tidy(text).rstrip(" ,;:.")
    return text[:1].upper() + text[1:] + "?"


def _quote(text: str, limit: int = 320) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return f"„{text}“"


def _core_start(text: str) -> int:
    """Return where the sentence proper starts after a short lead-in ending in a colon
    ("Doch schon bald fragte niemand mehr um Erlaubnis: 1918 landeten …"); -1 if what
    follows the colon is reported speech."""
    colon = text.find(": ")
    if colon < 0 or len(_words(text[:colon])) > 9:
        return 0
    rest = text[colon + 2 :]
    if _REPORTED.search(rest):
        return -1
    if len(_words(rest)) >= 4 and (rest[:1].isupper() or rest[:1].isdigit()):
        return colon + 2
    return 0


def _body_end(text: str) -> int | None:
    """Return where the final full stop is, or None if the sentence does not end in one."""
    stripped = text.rstrip()
    return len(stripped) - 1 if stripped.endswith(".") else None


def _finite_verb(tokens: Sequence[Token], first: int) -> int | None:
    """Return the index of the finite verb of a main clause whose first word is ``first``.

    German main clauses put the finite verb second: after one constituent. The verb is the
    first lower-case word that is no function word and follows a capitalised word, a number
    or a quote (adjectives follow articles instead). A comma first means no simple clause.
    """
    content = False
    for k in range(first, len(tokens)):
        word = tokens[k].text
        if word in (",", ";", ":"):
            return None
        if word[:1].islower() and word.isalpha() and word not in FUNCTION_WORDS and content:
            previous = tokens[k - 1].text
            if (
                (previous[:1].isupper() and previous.lower() not in FUNCTION_WORDS)
                or previous.isdigit()
                or previous in _CLOSERS
            ):
                return k
        if (word[:1].isupper() and word.lower() not in FUNCTION_WORDS) or word.isdigit():
            content = True
    return None


def _is_verb(word: str) -> bool:
    return word[:1].islower() and word.isalpha() and word not in FUNCTION_WORDS


def _lower_vorfeld(text: str) -> str:
    """Prepare a Vorfeld to follow the verb: "Im Jahre 2000" -> "im Jahre 2000",
    "Sowjetische Truppen" -> "sowjetische Truppen", "Zuletzt" -> "zuletzt"."""
    words = text.split()
    if not words:
        return ""
    if len(words) == 1 and words[0] in _DISCOURSE_VORFELD:
        return ""
    if _starts_lowercase(words):
        words[0] = words[0].lower()
    return " ".join(words)


def _starts_lowercase(words: Sequence[str]) -> bool:
    """Tell whether the first of ``words`` is capitalised only because it opens the sentence."""
    first = words[0].lower()
    if first in FUNCTION_WORDS or first in _ADVERBS or first.endswith(_ADVERB_ENDINGS):
        return True
    # An adjective before a noun: "Sowjetische Truppen", "Deutsche Diplomaten".
    following = words[1] if len(words) > 1 else ""
    return following[:1].isupper() and (
        re.search(r"isch(?:e|en|er|es|em)$", first) is not None or first in _COMMON_ADJECTIVES
    )


# --------------------------------------------------------------------------- drafts


@dataclass
class _Draft:
    """A question plus what the final checks need: the source text and a duplicate group."""

    question: QuestionDraft
    source: str
    group: str  # questions of one kind and group with near-equal prompts are duplicates


def _question_id(document: str, kind: str, key: str) -> str:
    normalised = " ".join(key.split()).lower()
    digest = hashlib.sha256(f"{document}\x1f{kind}\x1f{normalised}".encode()).hexdigest()
    return "g-" + digest[:12]


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def _draft(
    item: _Item,
    kind: str,
    key: str,
    prompt: str,
    answer: str,
    explanation: str,
    *,
    accepted: Sequence[str] = (),
    choices: Sequence[ChoiceDraft] = (),
    group: str | None = None,
    extra: dict[str, str] | None = None,
) -> _Draft:
    """Build a question on ``item``'s sentence; its id hashes the document, kind and ``key``."""
    sentence = item.sentence
    question = QuestionDraft(
        id=_question_id(item.document.name, kind, key),
        kind=kind,
        prompt=prompt,
        answer=answer,
        explanation=explanation,
        topic=item.topic,
        document=item.document.name,
        accepted=tuple(dict.fromkeys(a for a in accepted if a and a != answer)),
        choices=tuple(choices),
        sentence_index=sentence.index,
        char_start=sentence.start,
        char_end=sentence.end,
        extra=dict(extra or {}),
    )
    return _Draft(question, sentence.text, group if group is not None else answer)


def _with_options(qid: str, answer: str, wrong: Sequence[str]) -> tuple[ChoiceDraft, ...]:
    """Return the options: the wrong ones, the right one at a position fixed by the id."""
    options = [ChoiceDraft(text=w) for w in wrong]
    options.insert(correct_position(qid, len(options) + 1), ChoiceDraft(text=answer, correct=True))
    return tuple(options)


# --------------------------------------------------------------------------- per sentence


def _sentence_questions(item: _Item, corpus: _Corpus) -> list[_Draft]:
    text = item.sentence.text
    if not _is_statement(text) or not _is_factual(text):
        return []
    drafts: list[_Draft] = []
    date_question = _date_question(item, corpus)
    if date_question is not None:
        drafts.append(date_question)
    drafts.extend(_actor_questions(item, corpus))
    used = {d.question.answer for d in drafts}
    cloze = _cloze_question(item, corpus, used)
    if cloze is not None:
        drafts.append(cloze)
    true_false = _true_false_question(item, corpus)
    if true_false is not None:
        drafts.append(true_false)
    return drafts


# --- dates


_DATE_LEAD = re.compile(
    r"(?:\b(?P<prep>am|im|in|seit|bis|ab|Am|Im|In|Seit|Bis|Ab)\s+(?:(?:dem\s+)?Jahre?\s+)?)?"
    r"(?:\b(?P<adverb>bereits|schon|erst|noch)\s+)?$"
)
_WHEN = {"": "Wann", "am": "Wann", "im": "Wann", "in": "Wann", "seit": "Seit wann"}
_WHEN |= {"bis": "Bis wann", "ab": "Ab wann"}


@dataclass(frozen=True)
class _DatePhrase:
    date: DateFact
    start: int  # where the phrase (preposition, "im Jahr", adverb) starts
    when: str  # "Wann", "Seit wann", ...


def _date_phrase(text: str, date: DateFact) -> _DatePhrase | None:
    """Return the adverbial phrase around ``date`` if it says when something happened."""
    window_start = max(0, date.start - 40)
    lead = _DATE_LEAD.search(text[window_start : date.start])
    assert lead is not None  # the pattern matches the empty string
    start = window_start + lead.start()
    prep = (lead["prep"] or "").lower()
    if not prep:
        # A bare year after a noun or an article belongs to it ("Kursk 1943", "Gorbatschow
        # 1990", "der 1905 geschlossene Vertrag"); after a colon or an adverb it is adverbial.
        before = text[:start].split()
        previous = before[-1] if before else ""
        if not previous.endswith(":") and (
            previous[:1].isupper() or previous.lower() in DETERMINERS | PREPOSITIONS
        ):
            return None
    if prep == "in" and date.granularity != "year":
        return None
    return _DatePhrase(date, start, _WHEN[prep])


def _wann_prompt(item: _Item, phrase: _DatePhrase) -> str | None:
    """Rewrite the sentence as a Wann-question without ``phrase``; None if it does not fit."""
    text = item.sentence.text
    end = _body_end(text)
    if end is None:
        return None
    core = _core_start(text)
    if core < 0:
        return None
    tokens = tokenize(text[:end])
    date = phrase.date
    if phrase.start == core:
        # The date opens the clause: "Am 5. September 1905 wurde der Frieden … unterzeichnet."
        rest = text[date.end : end].strip()
        verb = rest.split(" ", 1)[0]
        if not _is_verb(verb):
            return None
        body = rest
    else:
        first = next((k for k, t in enumerate(tokens) if t.start >= core), None)
        if first is None:
            return None
        verb_index = _finite_verb(tokens, first)
        if verb_index is None or tokens[verb_index].end > phrase.start:
            return None  # the date is part of the Vorfeld ("Die Meuterei … im Juni 1905 war")
        verb = tokens[verb_index]
        between = text[verb.end : phrase.start]
        if "," in between or re.search(r"\b(?:und|oder|sowie)\b", between):
            return None  # the date belongs to a subordinate or coordinated clause
        vorfeld = _lower_vorfeld(text[core : verb.start].strip())
        middle = text[verb.end : phrase.start].strip()
        after = text[date.end : end].strip()
        body = " ".join(part for part in (verb.text, vorfeld, middle, after) if part)
    body = _main_clause(_drop_particles(body))
    return _as_question(f"{phrase.when} {body}")


def _date_question(item: _Item, corpus: _Corpus) -> _Draft | None:
    text = item.sentence.text
    facts = item.facts
    inside_treaty = [
        d for d in facts.dates if any(t.start <= d.start < t.end for t in facts.treaties)
    ]
    for date in facts.dates:
        if date in inside_treaty or date.granularity not in ("day", "month", "year"):
            continue
        if parse_german_date(date.text) is None:
            continue
        others = [d for d in facts.dates if d is not date]
        if any(d.year == date.year for d in others):
            continue  # another date of the same year would give the answer away
        phrase = _date_phrase(text, date)
        if phrase is None:
            continue
        if any(
            (other := _date_phrase(text, d)) is not None and other.when == phrase.when
            for d in others
        ):
            continue  # "bis 1922 … und bis 1925": which one is asked for?
        if not _is_self_contained(text, facts, _core_start(text)):
            return None
        prompt = _wann_prompt(item, phrase)
        if prompt is None or not _prompt_ok(prompt):
            continue
        if str(date.year) in prompt:
            continue  # "Wann … seit 2006 …?" with the answer "Juli 2006" gives it away
        wrong = _wrong_dates(date, facts.dates, corpus, _seed(text, date.text))
        if len(wrong) < OPTION_COUNT - 1:
            continue
        key = f"{text}|{date.text}"
        accepted = (
            [f"{phrase.when.split()[0].lower()} {date.text}"] if phrase.when != "Wann" else []
        )
        lead = text[phrase.start : date.start].strip()
        if lead and phrase.when == "Wann":
            lead = lead[:1].lower() + lead[1:]  # "Im Jahr" opened the sentence
            accepted.append(f"{lead} {date.text}")
        # Dates read best in chronological order; the right one sits wherever it falls.
        options = sorted([*wrong, date.text], key=_date_key)
        choices = tuple(ChoiceDraft(text=t, correct=t == date.text) for t in options)
        return _draft(
            item,
            "date",
            key,
            prompt,
            date.text,
            f"Laut Quelle: {_quote(text)}",
            accepted=accepted,
            choices=choices,
        )
    return None


def _near_wrong_date(date: DateFact, sentence_dates: Sequence[DateFact], seed: int) -> str | None:
    """Return a wrong date a year or so off ``date``, written like it: a plausible mistake."""
    target = date.sort_key[: {"day": 3, "month": 2}.get(date.granularity, 1)]
    forbidden = {d.sort_key[: len(target)] for d in sentence_dates} | {target}
    render = _renderer(date)
    for candidate in _shifted(target, seed):
        if candidate not in forbidden and _valid(candidate):
            return render(candidate)
    return None


def _date_key(text: str) -> tuple[int, int, int]:
    year, month, day = parse_german_date(text) or (0, None, None)
    return (year, month or 0, day or 0)


def _wrong_dates(
    date: DateFact, sentence_dates: Sequence[DateFact], corpus: _Corpus, seed: int
) -> list[str]:
    """Return three wrong dates of the granularity of ``date``, near it in time.

    They come from other events of the corpus first, then from shifting ``date`` by a few
    years (or months, or days). Dates the same sentence gives are never offered.
    """
    render = _renderer(date)
    if date.granularity == "day":
        assert date.month is not None and date.day is not None
        target: tuple[int, ...] = (date.year, date.month, date.day)
        pool: Sequence[tuple[int, ...]] = corpus.days
    elif date.granularity == "month":
        assert date.month is not None
        target, pool = (date.year, date.month), corpus.months
    else:
        target, pool = (date.year,), [(y,) for y in corpus.years]
    # What the sentence itself says, at this precision, is never a wrong option.
    forbidden = {d.sort_key[: len(target)] for d in sentence_dates} | {target}
    chosen: list[tuple[int, ...]] = []
    for candidate in _nearest(pool, target):
        if abs(candidate[0] - date.year) > DATE_WINDOW or len(chosen) == OPTION_COUNT - 1:
            break
        if candidate not in forbidden and candidate not in chosen:
            chosen.append(candidate)
    for candidate in _shifted(target, seed):
        if len(chosen) == OPTION_COUNT - 1:
            break
        if candidate not in forbidden and candidate not in chosen and _valid(candidate):
            chosen.append(candidate)
    return [render(c) for c in sorted(chosen)]


def _nearest(pool: Sequence[tuple[int, ...]], target: tuple[int, ...]) -> Iterable[tuple[int, ...]]:
    """Yield the values of the sorted ``pool`` in order of distance (in years) from ``target``."""
    position = bisect_left(pool, target)
    left, right = position - 1, position
    while left >= 0 or right < len(pool):
        if right < len(pool) and pool[right] == target:
            right += 1
            continue
        take_left = right >= len(pool) or (
            left >= 0 and target[0] - pool[left][0] <= pool[right][0] - target[0]
        )
        if take_left:
            yield pool[left]
            left -= 1
        else:
            yield pool[right]
            right += 1


def _shifted(target: tuple[int, ...], seed: int) -> Iterable[tuple[int, ...]]:
    """Yield plausible neighbours of ``target``: a few years (and months or days) off."""
    steps = [1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 7, -7]
    offset = seed % 4  # which neighbours come first varies, so answers do not sit mid-range
    steps = steps[offset:] + steps[:offset]
    year = target[0]
    for step in steps:
        if len(target) == 1:
            yield (year + step,)
        elif len(target) == 2:
            month = target[1]
            if step % 2:
                yield (year + (step + 1) // 2,) + (month,)
            else:
                yield (year, (month - 1 + step) % 12 + 1)
        else:
            month, day = target[1], target[2]
            if step % 2:
                yield (year + (step + 1) // 2, month, day)
            else:
                yield (year, (month - 1 + step) % 12 + 1, min(day, 28))


def _valid(value: tuple[int, ...]) -> bool:
    if not 1000 <= value[0] <= 2099:
        return False
    if len(value) == 1:
        return True
    if len(value) == 2:
        return parse_german_date(format_german_date(value[0], value[1])) is not None
    return parse_german_date(format_german_date(value[0], value[1], value[2])) is not None


def _renderer(date: DateFact) -> Callable[[tuple[int, ...]], str]:
    """Return a function that writes a (year[, month[, day]]) tuple like ``date`` is written."""
    numeric = re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", date.text) is not None
    qualifier = f"{date.qualifier} " if date.qualifier else ""

    def render(value: tuple[int, ...]) -> str:
        if len(value) == 3 and numeric:
            return f"{value[2]}.{value[1]}.{value[0]}"
        return qualifier + format_german_date(*value)

    return render


# --- actors


_PLURAL_STATES = frozenset({"USA", "Vereinigte Staaten", "Vereinigten Staaten", "Niederlande"})
#: Names German uses with an article ("die Mongolei"): bare, they look wrong as options.
_STATES_WITH_ARTICLE = frozenset({"Mongolei", "Ukraine", "Türkei", "Philippinen", "Schweiz"})


def _actor_questions(item: _Item, corpus: _Corpus) -> list[_Draft]:
    drafts = []
    who = _who_question(item, corpus)
    if who is not None:
        drafts.append(who)
    role = _role_question(item, corpus)
    if role is not None:
        drafts.append(role)
    return drafts


def _subject(item: _Item) -> tuple[ActorFact, str, str] | None:
    """Find the actor that is the subject of the main clause, with the clause around it.

    Returns (actor, verb, rest) where the question is "Wer <verb> <rest>?". Two shapes fit:
    the actor opens the clause ("Der japanische Außenminister Fumio Kishida betonte, …")
    or follows the verb after an adverbial Vorfeld ("Im Jahre 2000 besuchte Putin …"). After
    a noun phrase in the Vorfeld the actor behind the verb is an object, not the subject.
    """
    text = item.sentence.text
    end = _body_end(text)
    core = _core_start(text)
    if end is None or core < 0:
        return None
    tokens = tokenize(text[:end])
    actors = [a for a in item.facts.actors if a.phrase_start >= core]
    for actor in actors:
        # Remove the whole noun phrase when the role precedes the name; only the name when
        # the role follows it ("Putin als erster russischer Staatschef" keeps the role).
        start = actor.phrase_start
        stop = actor.phrase_end if actor.phrase_start < actor.start else actor.end
        after = text[stop:end]
        if start < actor.start and after.startswith(","):
            after = after[1:]  # the comma closing an appositive name
        if re.match(r"\s*(?:,|und\b|oder\b|sowie\b)", after):
            continue  # a coordinated subject or an appositive: who is meant is unclear
        if start == core:
            rest = _drop_particles(after.strip())
            verb = rest.split(" ", 1)[0]
            if _is_verb(verb):
                return actor, verb, rest[len(verb) :].strip()
            continue
        first = next((k for k, t in enumerate(tokens) if t.start >= core), None)
        verb_index = _finite_verb(tokens, first) if first is not None else None
        if first is None or verb_index is None:
            continue
        verb_token = tokens[verb_index]
        following = next((t for t in tokens if t.start > verb_token.start), None)
        if following is None or following.start != start:
            continue
        vorfeld = text[core : verb_token.start].strip()
        if not _is_adverbial(vorfeld, item, core):
            continue
        rest = " ".join(p for p in (_lower_vorfeld(vorfeld), after.strip()) if p)
        return actor, verb_token.text, _drop_particles(rest)
    return None


def _is_adverbial(vorfeld: str, item: _Item, start: int) -> bool:
    """Tell whether a Vorfeld is an adverbial (a date, a prepositional phrase, an adverb)."""
    words = vorfeld.split()
    if not words:
        return False
    first = words[0].lower()
    if any(d.start == start for d in item.facts.dates) or first[:1].isdigit():
        return True
    if first in PREPOSITIONS:
        return True
    return len(words) == 1 and (
        first in _ADVERBS or first.endswith(_ADVERB_ENDINGS) or words[0] in _DISCOURSE_VORFELD
    )


# "Nach Stalingrad war Stalin klar, dass …": Stalin is a dative there, "Wer" would be wrong.
_EXPERIENCER = re.compile(
    r"\b(?:klar|bewusst|bekannt|wichtig|egal|recht|gleich|fremd|unklar|schwer|leicht"
    r"|peinlich|möglich|unmöglich|gelungen|gelang|misslang|gefiel|fehlte|half)\b"
)


def _who_question(item: _Item, corpus: _Corpus) -> _Draft | None:
    text = item.sentence.text
    if not _is_self_contained(text, item.facts, _core_start(text)):
        return None
    found = _subject(item)
    if found is None:
        return None
    actor, verb, rest = found
    if actor.kind == "person" and corpus.is_genitive(actor.name):
        return None
    if verb.endswith("en") or _EXPERIENCER.search(f"{verb} {rest}"):
        return None  # a plural verb or a dative: the actor is not the subject
    if actor.kind == "state":
        if actor.name in _PLURAL_STATES or actor.name not in STATES:
            return None
        asker = "Welcher Staat"
    else:
        asker = "Wer"
    prompt = _as_question(_main_clause(f"{asker} {verb} {rest}"))
    if not _prompt_ok(prompt) or _mentions(prompt, actor.name):
        return None
    if len(_words(prompt)) < 6:
        return None  # "Wer handelte das Abkommen aus?": which one, only the text before says
    if actor.kind == "person":
        wrong = _wrong_persons(actor, prompt, corpus, item, same_role=False)
    else:
        wrong = _wrong_states(actor, prompt, corpus, item)
    if len(wrong) < OPTION_COUNT - 1:
        return None
    key = f"{text}|{actor.name}|wer"
    qid = _question_id(item.document.name, "single_choice", key)
    accepted = _name_variants(actor.name, corpus) if actor.kind == "person" else []
    return _draft(
        item,
        "single_choice",
        key,
        prompt,
        actor.name,
        f"Laut Quelle: {_quote(text)}",
        accepted=accepted,
        choices=_with_options(qid, actor.name, wrong),
    )


# Roles several people hold at once, or that are no office: "Wer war 1935 Diplomat?" has many
# right answers.
_SHARED_ROLES = ("diplomat", "experte", "general", "admiral", "marschall", "colonel", "oberst")
_SHARED_ROLES += ("historiker", "politiker", "unterhändler", "gesandte", "beauftragte")
_SHARED_ROLES += ("kommandeur", "befehlshaber", "konsul")
_UNSPECIFIC = re.compile(r"\b(?:stellvertretend|ehemalig|erst|früher|prominent|hoh|neu)\w*")


def _role_question(item: _Item, corpus: _Corpus) -> _Draft | None:
    """Ask who held an office in a year: "Wer war 1940 japanischer Botschafter in der UdSSR?"."""
    years = {d.year for d in item.facts.dates if d.granularity in ("day", "month", "year")}
    if len(years) != 1 or len(item.facts.dates) != 1:
        return None
    (year,) = years
    for actor in item.facts.actors:
        role, head = actor.role, actor.role_head
        if actor.kind != "person" or not role or not head:
            continue
        if head.endswith(_SHARED_ROLES) or _UNSPECIFIC.search(role):
            continue
        if " " not in role:
            continue  # a bare "Zar" or "Außenminister": of which country?
        prompt = f"Wer war {year} {role}?"
        if _mentions(prompt, actor.name):
            continue
        wrong = _wrong_persons(actor, prompt, corpus, item, same_role=True)
        if len(wrong) < OPTION_COUNT - 1:
            continue
        key = f"{item.sentence.text}|{actor.name}|rolle"
        qid = _question_id(item.document.name, "single_choice", key)
        return _draft(
            item,
            "single_choice",
            key,
            prompt,
            actor.name,
            f"Laut Quelle: {_quote(item.sentence.text)}",
            accepted=_name_variants(actor.name, corpus),
            choices=_with_options(qid, actor.name, wrong),
        )
    return None


def _name_variants(name: str, corpus: _Corpus) -> list[str]:
    person = corpus.person_of(name)
    variants = [name]
    if person is not None:
        variants.extend([person.full_name, *person.names])
    short = _short_form(name)
    if short:
        variants.append(short)
    return list(dict.fromkeys(v for v in variants if v))


def _wrong_persons(
    actor: ActorFact,
    prompt: str,
    corpus: _Corpus,
    item: _Item,
    *,
    same_role: bool,
    same_country_only: bool = False,
) -> list[str]:
    """Return three other persons: those of the same document closest in time first, then
    the rest of the corpus by closeness in time."""
    answer = corpus.person_of(actor.name)
    era = answer.era if answer is not None else None
    heads = {head for _, head, _ in answer.roles} if answer is not None else set()
    if actor.role_head:
        heads.add(actor.role_head)
    multiword = len(actor.name.split()) > 1
    nationality = (nationality_of(actor.role) if actor.role else None) or (
        answer.nationality if answer is not None else None
    )

    def plausibility(person: _Person) -> int:
        # A wrong option from the same country is the plausible mistake; one from another
        # country is easy to rule out.
        if nationality is None or person.nationality is None:
            return 1
        return 0 if person.nationality == nationality else 2

    def distance(person: _Person) -> int:
        if era is None or person.era is None:
            return ERA_WINDOW  # unknown: as if at the edge of the window
        return abs(person.era - era)

    local = corpus.persons_by_document.get(item.document.name, [])
    local_keys = {p.key for p in local}
    nearby = _by_era(corpus, era) if era is not None else corpus.persons_by_era[:60]
    nearby += corpus.undated
    # Contemporaries first (a WWII question offers no present-day politicians), among them
    # compatriots, then people of the same document.
    ranked = sorted(
        dict.fromkeys([*local, *nearby]),
        key=lambda p: (
            distance(p) > ERA_WINDOW,
            plausibility(p),
            p.key not in local_keys,
            distance(p),
            p.order,
        ),
    )
    sentence_words = set(_name_words(prompt))
    chosen: list[str] = []
    for person in ranked:
        shown = person.full_name if multiword else person.short_name
        if answer is not None and person.key == answer.key:
            continue
        if _same_person(shown, actor.name) or any(_same_person(shown, c) for c in chosen):
            continue
        if any(_mentions(prompt, name) for name in [*person.names, person.short_name]):
            continue
        if sentence_words & set(_name_words(person.full_name)) - {"von", "de"}:
            continue  # "Mao Zedong" where the sentence speaks of "Mao" already
        if same_role and any(head in heads for _, head, _ in person.roles):
            continue  # another ambassador might have been one too: not clearly wrong
        if same_country_only and plausibility(person) != 0:
            continue
        chosen.append(shown)
        if len(chosen) == OPTION_COUNT - 1:
            break
    return chosen


def _by_era(corpus: _Corpus, era: int, limit: int = 60) -> list[_Person]:
    """Return up to ``limit`` persons of the corpus, nearest in time to ``era`` first."""
    by_era = corpus.persons_by_era
    position = bisect_left(corpus.eras, era)
    left, right = position - 1, position
    result: list[_Person] = []
    eras = corpus.eras
    while (left >= 0 or right < len(by_era)) and len(result) < limit:
        if right < len(by_era) and (left < 0 or eras[right] - era <= era - eras[left]):
            result.append(by_era[right])
            right += 1
        else:
            result.append(by_era[left])
            left -= 1
    return result


def _wrong_states(actor: ActorFact, prompt: str, corpus: _Corpus, item: _Item) -> list[str]:
    """Return three other states, those the document mentions most first."""
    identity = STATES[actor.name]
    display = _state_names()
    # The document's own states, then great powers of any era, then the rest of the corpus.
    ranked = [s for s, _ in corpus.doc_states[item.document.name].most_common()]
    ranked += ["russland", "japan", "china", "großbritannien", "frankreich", "deutschland"]
    ranked += [s for s, _ in corpus.state_counts.most_common()]
    mentioned = {
        STATES[a.name] for a in item.facts.actors if a.kind == "state" and a.name in STATES
    }
    mentioned |= {
        s for name, s in STATES.items() if _mentions(prompt, name) or _mentions(prompt, name + "s")
    }
    chosen: list[str] = []
    for state in dict.fromkeys(ranked):
        if state == identity or (state, identity) in STATE_OVERLAPS or state in mentioned:
            continue
        if any((state, STATES[c]) in STATE_OVERLAPS for c in chosen):
            continue  # "Korea" next to "Nordkorea": two options that overlap
        name = display.get(state)
        if name and name not in _PLURAL_STATES and name not in _STATES_WITH_ARTICLE:
            chosen.append(name)
        if len(chosen) == OPTION_COUNT - 1:
            break
    return chosen


def _state_names() -> dict[str, str]:
    """Return identity -> the first (usual) name of each state."""
    names: dict[str, str] = {}
    for name, identity in STATES.items():
        names.setdefault(identity, name)
    return names


# --- cloze


def _cloze_question(item: _Item, corpus: _Corpus, used: set[str]) -> _Draft | None:
    """Blank out one named fact: a treaty first, then a person, then a date."""
    text = item.sentence.text
    if not _is_self_contained(text, item.facts) or _points_outside(text):
        return None
    if not _is_fact_bearing(item) or _ELLIPSIS.search(text):
        return None
    tidy = _tidy(text)
    if len(tidy) > MAX_STATEMENT + 40:
        return None
    candidates: list[tuple[str, list[str]]] = []
    for treaty in item.facts.treaties:
        if len(treaty.text) <= 60:
            candidates.append(
                (treaty.text, [treaty.name, treaty.name.replace("Frieden ", "Friede ")])
            )
    for actor in item.facts.actors:
        if actor.kind == "person" and not corpus.is_genitive(actor.name):
            candidates.append((actor.name, _name_variants(actor.name, corpus)))
    for date in item.facts.dates:
        candidates.append((date.text, []))
    for answer, accepted in candidates:
        if answer in used or tidy.count(answer) != 1:
            continue
        if any(answer != other and answer in other for other, _ in candidates):
            continue  # "1905" inside "5. September 1905": blank the whole date instead
        prompt = tidy.replace(answer, GAP)
        if _mentions(prompt, answer):
            continue
        return _draft(
            item,
            "cloze",
            f"{text}|{answer}",
            prompt,
            answer,
            f"Laut Quelle: {_quote(text)}",
            accepted=accepted,
        )
    return None


# --- true / false


def _true_false_question(item: _Item, corpus: _Corpus) -> _Draft | None:
    """State the sentence as it is, or with its date or a person swapped for a wrong one.

    Whether a sentence becomes a true or a false statement is decided by a hash, so that
    about half are true. A false one changes exactly one fact, to a plausible mistake: a
    date a year or so off, or another person of the same country.
    """
    text = item.sentence.text
    if not _is_self_contained(text, item.facts) or len(_tidy(text)) > MAX_STATEMENT:
        return None
    if _points_outside(text) or not _is_fact_bearing(item) or _ELLIPSIS.search(text):
        return None
    fact = _swap_target(item)
    if fact is None:
        return None
    if fact not in _tidy(text):
        return None  # the fact sits in a parenthesis, which statements leave out
    key = f"{text}|{fact}"
    if _seed(item.document.name, key) % 2 == 0:
        statement = _tidy(text)
        answer, explanation, extra = "wahr", f"Richtig. Laut Quelle: {_quote(text)}", {}
    else:
        swap = _swap(item, corpus)
        if swap is None:
            return None
        start, end, right, wrong = swap
        statement = _tidy(text[:start] + wrong + text[end:])
        if wrong not in statement:
            return None  # the swapped part sat in a parenthesis that _tidy removed
        answer = "falsch"
        explanation = f"Falsch: Die Quelle nennt „{right}“, nicht „{wrong}“: {_quote(text)}"
        extra = {"swapped": wrong}
    if re.search(r"\b(?:wahr|falsch)\b", statement, re.IGNORECASE):
        return None
    return _draft(
        item,
        "true_false",
        key,
        statement,
        answer,
        explanation,
        group=fact,
        extra={"fact": fact, **extra},
    )


def _free_dates(item: _Item) -> list[DateFact]:
    """Return the dates of a sentence that are not part of a treaty's name, ranges excepted."""
    treaties = item.facts.treaties
    return [
        d
        for d in item.facts.dates
        if d.granularity != "range" and not any(t.start <= d.start < t.end for t in treaties)
    ]


def _swap_target(item: _Item) -> str | None:
    """Return the fact a true/false question on this sentence is about (its id key)."""
    dates = _free_dates(item)
    if len(dates) == 1:
        return dates[0].text
    persons = [a for a in item.facts.actors if a.kind == "person"]
    return persons[0].name if persons else None


def _swap(item: _Item, corpus: _Corpus) -> tuple[int, int, str, str] | None:
    """Return (start, end, right, wrong): one fact of the sentence and a wrong replacement."""
    text = item.sentence.text
    dates = _free_dates(item)
    if len(dates) == 1:
        date = dates[0]
        wrong_date = _near_wrong_date(date, item.facts.dates, _seed(text, date.text))
        if wrong_date is not None:
            return date.start, date.end, date.text, wrong_date
    for actor in item.facts.actors:
        # A person named with a role stays: "die japanische Verteidigungsministerin" fits
        # one person, a swapped name would clash with it (or with its gender).
        inside_role = any(
            a.role and a.phrase_start <= actor.start < a.phrase_end for a in item.facts.actors
        )
        if actor.kind != "person" or actor.role or inside_role or corpus.is_genitive(actor.name):
            continue
        wrong = _wrong_persons(actor, text, corpus, item, same_role=True, same_country_only=True)
        if wrong:
            return actor.start, actor.end, actor.name, wrong[0]
    return None


# --------------------------------------------------------------------------- per document


@dataclass(frozen=True)
class _Event:
    item: _Item
    date: DateFact
    text: str


def _events(items: Sequence[_Item]) -> list[_Event]:
    """Return short statements of dated events (the date removed), one per year."""
    events: dict[int, _Event] = {}
    for item in items:
        text = item.sentence.text
        if not _is_statement(text) or not _is_factual(text):
            continue
        if not _is_self_contained(text, item.facts, _core_start(text)):
            continue
        for date in item.facts.dates:
            if date.year in events or date.granularity not in ("day", "month", "year"):
                continue
            if len(item.facts.dates) != 1:
                continue
            phrase = _date_phrase(text, date)
            if phrase is None or phrase.when != "Wann":
                continue
            # Only where the date question works: then the date is the main clause's.
            prompt = _wann_prompt(item, phrase)
            if prompt is None or not _prompt_ok(prompt):
                continue
            statement = _event_statement(item, phrase)
            if statement is not None:
                events[date.year] = _Event(item, date, statement)
    return sorted(events.values(), key=lambda e: e.date.sort_key)


def _event_statement(item: _Item, phrase: _DatePhrase) -> str | None:
    """Rewrite a sentence without its date: "Der Frieden von Portsmouth wurde unterzeichnet."."""
    text = item.sentence.text
    end = _body_end(text)
    if end is None:
        return None
    core = _core_start(text)
    date = phrase.date
    if phrase.start == core:
        rest = text[date.end : end].strip()
        verb, _, after = rest.partition(" ")
        if not _is_verb(verb):
            return None
        reflexive = ""
        if after.startswith("sich "):
            reflexive, after = "sich", after[5:]
        subject = _subject_phrase(item, text.index(after, date.end) if after else end, after)
        if subject is None:
            return None
        remainder = after[len(subject) :].strip()
        statement = " ".join(p for p in (subject, verb, reflexive, remainder) if p)
    else:
        statement = (text[core : phrase.start] + text[date.end : end]).strip()
    statement = _main_clause(_drop_particles(_tidy(statement)))
    statement = statement[:1].upper() + statement[1:] + "."
    if len(statement) > 120 or re.search(r"\b1\d{3}\b|\b20\d{2}\b", statement):
        return None
    return statement


def _subject_phrase(item: _Item, start: int, text: str) -> str | None:
    """Return the noun phrase at the start of ``text`` (which starts at ``start``)."""
    sentence = item.sentence.text
    for fact in [*item.facts.treaties, *item.facts.actors]:
        span_start = fact.phrase_start if isinstance(fact, ActorFact) else fact.start
        span_end = fact.phrase_end if isinstance(fact, ActorFact) else fact.end
        if isinstance(fact, ActorFact) and fact.phrase_start == fact.start:
            span_end = fact.end  # "Putin als erster … Staatschef": the role stays behind
        if span_start == start:
            if re.match(r"\s*(?:und|oder|sowie|,)", sentence[span_end:]):
                return None  # a coordinated subject: "Putin und der … Diktator Kim Jong-un"
            return sentence[start:span_end]
        if isinstance(fact, TreatyFact) and start < fact.start:
            # "der Frieden von Portsmouth": an article before the treaty
            between = sentence[start : fact.start].strip()
            if between.lower() in ("der", "die", "das", "den", "des", "dem"):
                return sentence[start : fact.end]
    words = text.split(" ")
    taken: list[str] = []
    for word in words:
        bare = word.strip(",.;:")
        if not taken and bare.lower() in ("der", "die", "das", "ein", "eine"):
            taken.append(word)
        elif bare[:1].islower() and bare not in FUNCTION_WORDS and bare.isalpha():
            if any(w[:1].isupper() for w in taken[1:]) or (taken and taken[0][:1].isupper()):
                break
            taken.append(word)  # an adjective before the noun
        elif bare[:1].isupper() and bare == word:
            taken.append(word)
        else:
            break
    if not taken or not any(w[:1].isupper() for w in taken):
        return None
    return " ".join(taken)


def _ordering_questions(items: Sequence[_Item]) -> list[_Draft]:
    """Ask to put 3-5 dated events of one document in chronological order."""
    events = _events(items)
    drafts = []
    for group in _groups(events):
        first = group[0].item
        choices = tuple(ChoiceDraft(text=e.text, correct=True) for e in group)
        key = "|".join(f"{e.item.sentence.text}#{e.date.text}" for e in group)
        explanation = "Laut Quelle: " + "; ".join(f"{e.date.text}: {e.text}" for e in group)
        drafts.append(
            _draft(
                first,
                "ordering",
                key,
                ORDERING_PROMPT,
                ORDER_SEPARATOR.join(e.text for e in group),
                explanation,
                choices=choices,
                group=key,
                extra={"sentences": ",".join(str(e.item.sentence.index) for e in group)},
            )
        )
    return drafts


def _groups(events: Sequence[_Event]) -> list[list[_Event]]:
    """Deal chronologically sorted events round-robin into groups of 3-5 (each stays sorted)."""
    if len(events) < MIN_GROUP:
        return []
    count = -(-len(events) // MAX_GROUP)
    groups = [list(events[i::count]) for i in range(count)]
    return [g for g in groups if len(g) >= MIN_GROUP]


def _matching_questions(items: Sequence[_Item], corpus: _Corpus) -> list[_Draft]:
    """Ask to match a document's treaties to their years and its persons to their roles."""
    drafts = []
    # Treaty -> year: named treaties the sentence dates, the year not part of the name.
    # One pair per treaty (its names share a key; "Neutralitätspakt mit Japan" and
    # "Neutralitätspakt zwischen der UdSSR und Japan" share the compound) and per year.
    treaties: dict[str, tuple[_Item, TreatyFact]] = {}
    seen_years: set[int] = set()
    for item in items:
        for treaty in item.facts.treaties:
            if treaty.year is None or treaty.year in seen_years or str(treaty.year) in treaty.name:
                continue
            if treaty.head in ("gespräche", "gipfel") or re.search(r"\d{4}", treaty.name):
                continue
            lemma = treaty.key.split("|")[0]
            compound = (
                lemma if len(lemma) > len(treaty.head) and lemma.endswith(treaty.head) else ""
            )
            if treaty.key in treaties or (compound and compound in treaties):
                continue
            treaties[treaty.key] = (item, treaty)
            if compound:
                treaties[compound] = (item, treaty)
            seen_years.add(treaty.year)
    unique = {id(treaty): (item, treaty) for item, treaty in treaties.values()}
    pairs = [(item, treaty.name, str(treaty.year)) for item, treaty in unique.values()]
    drafts.extend(_matchings(pairs, TREATY_MATCHING_PROMPT, "abkommen"))

    # Person -> role: one role per person, no two roles with the same head in one question.
    people: dict[str, tuple[_Item, str, str, str]] = {}
    for item in items:
        for actor in item.facts.actors:
            if actor.kind != "person" or not actor.role or not actor.role_head:
                continue
            key = corpus.person_of(actor.name).key if corpus.person_of(actor.name) else actor.name
            if key not in people:
                people[key] = (item, actor.name, actor.role, actor.role_head)
    # Two ministers in one question would make "Außenminister" fit either: keep heads apart.
    groups: list[list[tuple[_Item, str, str, str]]] = []
    for person in people.values():
        head = person[3]
        target = next(
            (g for g in groups if len(g) < MAX_GROUP and all(m[3] != head for m in g)), None
        )
        if target is None:
            groups.append([person])
        else:
            target.append(person)
    for group in groups:
        pairs = [(item, name, role) for item, name, role, _ in group]
        drafts.extend(_matchings(pairs, ROLE_MATCHING_PROMPT, "funktion"))
    return drafts


def _matchings(pairs: Sequence[tuple[_Item, str, str]], prompt: str, what: str) -> list[_Draft]:
    """Build matching questions of 3-5 pairs from ``pairs`` (left and right sides unique)."""
    drafts = []
    usable: list[tuple[_Item, str, str]] = []
    for pair in pairs:
        if any(pair[1] == p[1] or pair[2] == p[2] for p in usable):
            continue
        usable.append(pair)
    if len(usable) < MIN_GROUP:
        return []
    count = -(-len(usable) // MAX_GROUP) if len(usable) > MAX_GROUP else 1
    for i in range(count):
        group = usable[i::count]
        if len(group) < MIN_GROUP:
            continue
        first = group[0][0]
        choices = tuple(
            ChoiceDraft(text=left, match=right, correct=True) for _, left, right in group
        )
        answer = PAIR_SEPARATOR.join(f"{left}{ORDER_SEPARATOR}{right}" for _, left, right in group)
        key = what + "|" + "|".join(f"{item.sentence.text}#{left}" for item, left, _ in group)
        explanation = "Laut Quelle: " + "; ".join(f"{left} – {right}" for _, left, right in group)
        drafts.append(
            _draft(
                first,
                "matching",
                key,
                prompt,
                answer,
                explanation,
                choices=choices,
                group=key,
                extra={"sentences": ",".join(str(item.sentence.index) for item, _, _ in group)},
            )
        )
    return drafts


# --------------------------------------------------------------------------- checks


def _mentions(haystack: str, needle: str) -> bool:
    """Return True if ``needle`` occurs in ``haystack`` as whole words, ignoring case."""
    if not needle.strip():
        return False
    pattern = r"(?<!\w)" + re.escape(" ".join(needle.lower().split())) + r"(?!\w)"
    return re.search(pattern, " ".join(haystack.lower().split())) is not None


def _gives_away(prompt: str, answer: str) -> bool:
    """Tell whether ``prompt`` contains ``answer``, even inside a word ("Putins", "japanische"
    for "Japan"), or an adjective of the answer's country ("russischen" for "Russland")."""
    lowered = prompt.lower()
    if answer.lower() in lowered:
        return True
    state = STATES.get(answer)
    if state is None:
        return False
    return any(
        identity == state and re.search(rf"\b{re.escape(stem)}", lowered)
        for stem, identity in NATIONALITIES.items()
    )


def _prompt_ok(prompt: str) -> bool:
    """Check a rewritten prompt: readable length, nothing that points outside it."""
    words = _words(prompt)
    return (
        len(words) >= 5
        and len(prompt) <= MAX_PROMPT
        and _ELLIPSIS.search(prompt) is None
        and GAP not in prompt
        and not any(w.lower() in _POINTERS for w in words)
        and not any(w.lower() in ("er", "sie", "ihm", "ihn", "ihnen") for w in words[:3])
    )


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _check(draft: _Draft) -> bool:
    """Apply the rules every generated question must keep; False drops the question."""
    q = draft.question
    if not q.prompt or not q.answer:
        return False
    gaps = re.findall(r"_{3,}", q.prompt)
    if (q.kind == "cloze") != (gaps == [GAP]) or (q.kind != "cloze" and gaps):
        return False
    if q.kind in ("date", "single_choice", "cloze"):
        if q.answer not in draft.source:
            return False  # the answer must be what the source sentence states
        if _gives_away(q.prompt, q.answer) or any(_mentions(q.prompt, a) for a in q.accepted):
            return False
    if q.kind in ("date", "single_choice"):
        texts = [_norm(c.text) for c in q.choices]
        right = [c for c in q.choices if c.correct]
        if len(q.choices) != OPTION_COUNT or len(set(texts)) != len(texts):
            return False
        if len(right) != 1 or right[0].text != q.answer:
            return False
    if q.kind == "date":
        parsed = [parse_german_date(c.text) for c in q.choices]
        if None in parsed or len(set(parsed)) != len(parsed):
            return False
        year = parse_german_date(q.answer)
        if year is not None and str(year[0]) in q.prompt:
            return False
    if q.kind == "true_false" and (q.answer not in ("wahr", "falsch") or q.choices):
        return False
    if q.kind == "ordering":
        items = [c.text for c in q.choices]
        if not MIN_GROUP <= len(items) <= MAX_GROUP or len(set(map(_norm, items))) != len(items):
            return False
        if q.answer != ORDER_SEPARATOR.join(items):
            return False
    if q.kind == "matching":
        lefts = [_norm(c.text) for c in q.choices]
        rights = [_norm(c.match or "") for c in q.choices]
        if not MIN_GROUP <= len(lefts) <= MAX_GROUP:
            return False
        if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights) or "" in rights:
            return False
    return True


def _finalise(drafts: Sequence[_Draft]) -> list[QuestionDraft]:
    """Drop questions that break a rule, then duplicates: same id, or same kind and answer
    with a near-equal prompt (the first one in document order is kept)."""
    result: list[QuestionDraft] = []
    ids: set[str] = set()
    kept_prompts: dict[tuple[str, str], list[str]] = {}
    for draft in drafts:
        q = draft.question
        if q.id in ids or not _check(draft):
            continue
        group = (q.kind, _norm(draft.group))
        prompts = kept_prompts.setdefault(group, [])
        if prompts and (
            q.kind in ("ordering", "matching")
            or process.extractOne(q.prompt, prompts, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE)
        ):
            continue
        prompts.append(q.prompt)
        ids.add(q.id)
        result.append(q)
    return result
