"""The fact base: events, treaties and actors, each citing its source sentence.

History teaching thinks in facts, and so does the bank: an event has a date at the precision
its source gives, participants and a place; an actor has a lifespan and roles with time spans;
a treaty has terms. Questions are built from facts by templates (``quizapp.bank.templates``),
so fixing a fact fixes every question built from it.

Facts come from hand-curated files (``questions/facts/*.yaml``, one per source document, plus
``actors.yaml`` for people and states that several documents share), from the extraction of
uploaded texts (drafts a teacher approves), and from the teacher area. All three are checked
by the same schema (pydantic models) and the same cross-checks; file errors name
``path:line``. Plain Python: no Flask, no database, no clock.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizapp.bank.curated import ID_PATTERN, _QuoteLocator
from quizapp.bank.factdates import FactDate
from quizapp.bank.topics import all_topics
from quizapp.bank.types import CleanedDocument

FACTS_DIR = "facts"
ACTORS_FILE = "actors.yaml"
REVIEWS_FILE = "reviews.yaml"

EVENT_KINDS: tuple[str, ...] = (
    "treaty",  # a treaty, pact or convention between states
    "agreement",  # an agreement short of a treaty, a declaration, a decision of two sides
    "conference",  # a conference of several powers
    "meeting",  # talks, a summit, a meeting of two sides
    "visit",  # a state visit or journey
    "battle",  # a battle, an attack, a military operation
    "resolution",  # a resolution of the UN or another body
    "other",  # anything else a text dates: a death, a purge, a report
)
#: German labels of the event kinds, for the teacher area and the timeline.
EVENT_KIND_NAMES: dict[str, str] = {
    "treaty": "Vertrag",
    "agreement": "Abkommen",
    "conference": "Konferenz",
    "meeting": "Treffen",
    "visit": "Besuch",
    "battle": "Schlacht oder Angriff",
    "resolution": "Resolution",
    "other": "Ereignis",
}

#: Office classes: wrong options in "Wer …?" questions come from the same class at the same
#: date, so a foreign minister is offered beside foreign ministers.
OFFICES: dict[str, str] = {
    "staatsoberhaupt": "Staatsoberhaupt oder Machthaber",
    "regierungschef": "Regierungschef",
    "aussenminister": "Außenminister",
    "verteidigungsminister": "Verteidigungsminister",
    "minister": "anderes Regierungsamt",
    "botschafter": "Botschafter",
    "diplomat": "Diplomat",
    "militaer": "Militär",
    "parteifuehrer": "Parteiführer",
    "experte": "Experte oder Historiker",
}
#: Offices close enough to stand in for each other when one class has too few people.
OFFICE_FAMILIES: dict[str, str] = {
    "staatsoberhaupt": "macht",
    "regierungschef": "macht",
    "parteifuehrer": "macht",
    "aussenminister": "aussen",
    "botschafter": "aussen",
    "diplomat": "aussen",
    "verteidigungsminister": "regierung",
    "minister": "regierung",
    "militaer": "militaer",
    "experte": "experte",
}

#: The question templates a fact can give; an event may ``skip`` some of them.
EVENT_TEMPLATES: tuple[str, ...] = (
    "date",
    "actor",
    "place",
    "participants",
    "true_false",
    "cloze",
    "ordering",
    "matching",
)
TOPIC_SLUGS: tuple[str, ...] = tuple(slug for slug, _ in all_topics())

GAP_OPEN, GAP_CLOSE = "[", "]"
_GAP = re.compile(r"\[([^\[\]]+)\]")
_NULL_TAG = "tag:yaml.org,2002:null"


# --------------------------------------------------------------------------- value types


def _to_date(value: Any) -> Any:
    if isinstance(value, FactDate) or value is None:
        return value
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("ein Datum wie „5. September 1905“, „Juni 1905“ oder „1918“ angeben")
    parsed = FactDate.parse(value)
    if parsed is None:
        raise ValueError(
            f"„{value}“ ist kein Datum wie „5. September 1905“, „Juni 1905“, „Herbst 1940“ "
            "oder „1918“"
        )
    return parsed


Date = Annotated[
    FactDate,
    BeforeValidator(_to_date),
    PlainSerializer(lambda d: d.text, return_type=str),
]
Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern, max_length=40)]
TermId = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern, max_length=16)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PeriodName(_Model):
    """The name a state went by in a period: "UdSSR" from 1922 to 1991."""

    name: Text
    start: Date | None = Field(None, alias="from")
    end: Date | None = Field(None, alias="to")


class Role(_Model):
    """An office an actor held, with its time span and the sentence that names it."""

    title: (
        Text  # reads after "Wer war …": "Volkskommissar für auswärtige Angelegenheiten der UdSSR"
    )
    office: Literal[tuple(OFFICES)]  # type: ignore[valid-type]
    state: Slug | None = None
    start: Date | None = Field(None, alias="from")
    end: Date | None = Field(None, alias="to")
    at: Date | None = None  # when a text shows the actor in this role: what "Wer war …?" asks
    source: Text | None = None  # a quote naming the role
    document: Text | None = None  # where the quote is; defaults to the file's document
    ask: bool = True  # false: a minor office the texts name, not worth a "Wer war …?"

    @model_validator(mode="after")
    def _span(self) -> Role:
        if self.start and self.end and self.end.sort_key < self.start.sort_key:
            raise ValueError("„bis“ (to) liegt vor „von“ (from)")
        if self.at and not self.at.within(self.start, self.end):
            raise ValueError(f"„at“ ({self.at.text}) liegt außerhalb der Amtszeit")
        return self

    def active_at(self, date: FactDate) -> bool:
        """Tell whether the role was held at ``date`` (an open span counts as held)."""
        if self.start is None and self.end is None:
            return False  # a role nobody dated cannot vouch for any date
        return date.within(self.start, self.end)

    @property
    def span_text(self) -> str:
        """Return "1939–1949", "seit 2004", "bis 1917" for the role's time span."""
        if self.start and self.end:
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        if self.start:
            return f"ab {self.start.year}"
        if self.end:
            return f"bis {self.end.year}"
        return ""


class Actor(_Model):
    """A person or a state, with the names it goes by and the roles it held."""

    id: Slug
    kind: Literal["person", "state"] = "person"
    name: Text
    gender: Literal["m", "f"] = "m"  # persons: a woman is no option for "Außenminister"
    variants: list[Text] = []
    born: Date | None = None  # persons
    died: Date | None = None
    start: Date | None = Field(None, alias="from")  # states: when they existed
    end: Date | None = Field(None, alias="to")
    names: list[PeriodName] = []  # states: their name by period ("UdSSR" before 1991)
    adjectives: list[Text] = []  # states: "russisch", "sowjetisch" (so no prompt names them)
    roles: list[Role] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Actor:
        if self.kind == "person" and (self.start or self.end or self.names):
            raise ValueError("eine Person hat „born“ und „died“, nicht „from“, „to“ oder „names“")
        if self.kind == "state" and (self.born or self.died):
            raise ValueError("ein Staat hat „from“ und „to“, nicht „born“ und „died“")
        if self.born and self.died and self.died.sort_key < self.born.sort_key:
            raise ValueError("„died“ liegt vor „born“")
        for role in self.roles:
            for bound in (role.start, role.end):
                if bound is not None and not self.alive_at(bound):
                    raise ValueError(
                        f"das Amt „{role.title}“ ist auf {bound.text} datiert, außerhalb der "
                        "Lebenszeit"
                    )
        return self

    def alive_at(self, date: FactDate) -> bool:
        """Tell whether the person lived (or the state existed) at ``date``."""
        first, last = (self.born, self.died) if self.kind == "person" else (self.start, self.end)
        return date.within(first, last)

    @property
    def lifespan_known(self) -> bool:
        """Tell whether it is known when the actor lived; only then may it be a wrong option."""
        return self.born is not None if self.kind == "person" else True

    def name_at(self, date: FactDate | None) -> str:
        """Return the name of the period: "UdSSR" in 1941, "Russland" in 1905 and 2023."""
        if date is not None:
            for period in self.names:
                if date.within(period.start, period.end):
                    return period.name
        return self.name

    def all_names(self) -> list[str]:
        """Return the name, its variants and the period names, without repeats."""
        return list(dict.fromkeys([self.name, *self.variants, *(p.name for p in self.names)]))

    def roles_at(self, date: FactDate) -> list[Role]:
        """Return the roles held at ``date``."""
        return [role for role in self.roles if role.active_at(date)]


@dataclass(frozen=True)
class Clause:
    """A German main clause cut into subject, finite verb and the rest (particles at its end).

    Written ``"der Frieden von Portsmouth | wurde | unterzeichnet"``; templates turn it into
    "Wann wurde der Frieden von Portsmouth unterzeichnet?" or "Am 5. September 1905 wurde der
    Frieden von Portsmouth unterzeichnet." The rest may mark one cloze gap in [brackets].
    """

    subject: str
    verb: str
    rest: str

    @classmethod
    def parse(cls, value: Any) -> Clause:
        """Parse "subject | verb | rest"; raise ValueError naming what is wrong."""
        if isinstance(value, Clause):
            return value
        if not isinstance(value, str):
            raise ValueError("als Text „Subjekt | Verb | Rest“ angeben")
        parts = [" ".join(p.split()) for p in value.split("|")]
        if len(parts) != 3:
            raise ValueError(
                "den Satz als „Subjekt | finites Verb | Rest“ schreiben, z. B. "
                "„der Frieden von Portsmouth | wurde | unterzeichnet“"
            )
        subject, verb, rest = parts
        if not subject or not verb:
            raise ValueError("Subjekt und finites Verb dürfen nicht leer sein")
        if rest.endswith((".", "?", "!")):
            raise ValueError("ohne Punkt am Ende des Satzes schreiben")
        if len(_GAP.findall(value)) > 1 or value.count(GAP_OPEN) != value.count(GAP_CLOSE):
            raise ValueError("höchstens eine Lücke markieren, als [Wort]")
        if _GAP.search(subject) or _GAP.search(verb):
            raise ValueError("eine Lücke darf nur im Rest des Satzes stehen")
        return cls(subject, verb, rest)

    @property
    def text(self) -> str:
        """Return the clause as written in a file."""
        return f"{self.subject} | {self.verb} | {self.rest}"


ClauseField = Annotated[
    Clause,
    BeforeValidator(Clause.parse),
    PlainSerializer(lambda c: c.text, return_type=str),
]


#: Kinds of places and their grammatical gender, for "In welcher Stadt …?".
PLACE_KINDS: dict[str, str] = {
    "Stadt": "f",
    "Hafenstadt": "f",
    "Insel": "f",
    "Halbinsel": "f",
    "Region": "f",
    "Kosmodrom": "n",
    "Land": "n",
    "Fluss": "m",
    "See": "m",
    "Ort": "m",
}


class Place(_Model):
    """Where an event happened: its name and the phrase the clause says it with."""

    name: Text  # "Wladiwostok"
    phrase: Text  # "in Wladiwostok"; must occur in the clause's rest
    kind: Literal[tuple(PLACE_KINDS)] | None = None  # type: ignore[valid-type]
    accept: list[Text] = []  # further accepted spellings of the name

    def interrogative(self) -> str:
        """Return how a question asks for the place: "In welcher Stadt", "Auf welcher Insel",
        "Vor welcher Stadt"; plain "Wo" when the kind of place is not given."""
        if self.kind is None:
            return "Wo"
        preposition = self.phrase.split(" ", 1)[0].lower()
        preposition = {"am": "an", "im": "in", "beim": "bei", "vom": "von"}.get(
            preposition, preposition
        )
        article = "welcher" if PLACE_KINDS[self.kind] == "f" else "welchem"
        return f"{preposition.capitalize()} {article} {self.kind}"


class Term(_Model):
    """A statement a text makes about an event (a treaty's term, a consequence), with one
    core word or number marked as the cloze gap: "Russland trat die südliche Hälfte von
    [Sachalin] an Japan ab." """

    id: TermId
    text: Text
    accept: list[Text] = []
    tolerance: float | None = Field(None, ge=0)  # for a number gap: how far off still counts
    source: Text | None = None  # defaults to the event's source
    note: Text | None = None  # what is right where the source sentence of the term errs

    @field_validator("text")
    @classmethod
    def _one_gap(cls, text: str) -> str:
        if len(_GAP.findall(text)) != 1 or text.count(GAP_OPEN) != 1:
            raise ValueError(
                "genau ein Kernwort oder eine Zahl als Lücke markieren, z. B. [Sachalin]"
            )
        if not text.endswith("."):
            raise ValueError("eine Bestimmung ist ein ganzer Satz mit Punkt am Ende")
        return text

    @property
    def gap(self) -> str:
        """Return the gapped word or number."""
        match = _GAP.search(self.text)
        assert match is not None
        return match.group(1)


class Event(_Model):
    """Something a text dates: a treaty, a conference, a visit, a battle, a decision."""

    id: Slug
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    date: Date
    end: Date | None = None
    what: ClauseField
    subject: Slug | None = None  # the actor the clause's subject names (for "Wer …?")
    name: Text | None = None  # nominative with the definite article: "der Frieden von Portsmouth"
    genitive: Text | None = None  # overrides for names the declension rules get wrong
    dative: Text | None = None
    accusative: Text | None = None
    place: Place | None = None
    participants: list[Slug] = []
    not_options: list[Slug] = []  # actors never to offer as wrong options (e.g. co-authors)
    all_participants: bool = False  # the persons listed are everyone who took part
    not_dates: list[Date] = []  # dates never to offer as wrong (arguably right, or absurd)
    accept: list[Text] = []  # further answers accepted in the clause's [gap]
    topic: Literal[TOPIC_SLUGS] | None = None  # type: ignore[valid-type]
    source: Text
    note: Text | None = None  # what is right where the source errs; context for the explanation
    terms: list[Term] = []
    skip: list[Literal[EVENT_TEMPLATES]] = []  # type: ignore[valid-type]
    legacy: dict[str, Annotated[str, StringConstraints(pattern=r"^g-[0-9a-f]{12}$")]] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.end and self.end.sort_key <= self.date.sort_key:
            raise ValueError("„end“ muss nach „date“ liegen")
        if self.name is not None and not re.match(r"(der|die|das) \S", self.name):
            raise ValueError("„name“ beginnt mit dem bestimmten Artikel: „der Frieden von …“")
        if self.place is not None and self.place.phrase not in self.what.rest:
            raise ValueError(
                f"die Ortsangabe „{self.place.phrase}“ muss im Rest von „what“ vorkommen"
            )
        unknown = sorted(set(self.legacy) - set(EVENT_TEMPLATES))
        if unknown:
            raise ValueError(f"„legacy“ nennt unbekannte Vorlagen: {', '.join(unknown)}")
        ids = [t.id for t in self.terms]
        if len(ids) != len(set(ids)):
            raise ValueError("die ids der Bestimmungen eines Ereignisses müssen verschieden sein")
        return self


class FactFile(_Model):
    """One file of the fact base: a document's events and actors, or shared actors."""

    document: Text | None = None
    topic: Literal[TOPIC_SLUGS] | None = None  # type: ignore[valid-type]
    actors: list[Actor] = []
    events: list[Event] = []


# --------------------------------------------------------------------------- resolved facts


@dataclass(frozen=True)
class Provenance:
    """Where a fact is stated: a document, its sentence and the quote."""

    document: str
    sentence_index: int
    char_start: int
    char_end: int
    quote: str


@dataclass(frozen=True)
class SourcedEvent:
    """An event with its document, topic and source sentence."""

    event: Event
    topic: str
    provenance: Provenance
    term_provenance: Mapping[str, Provenance]
    status: str = "approved"
    origin: str = "curated"

    @property
    def id(self) -> str:
        """Return the event's id."""
        return self.event.id


@dataclass(frozen=True)
class SourcedActor:
    """An actor with the sentences that name its roles (role index -> provenance)."""

    actor: Actor
    role_provenance: Mapping[int, Provenance]
    document: str | None = None  # the file's document, for actors defined beside events
    status: str = "approved"
    origin: str = "curated"

    @property
    def id(self) -> str:
        """Return the actor's id."""
        return self.actor.id


@dataclass
class FactBase:
    """Every fact, resolved: actors by id and events in file order."""

    actors: dict[str, SourcedActor] = field(default_factory=dict)
    events: list[SourcedEvent] = field(default_factory=list)

    def actor(self, actor_id: str) -> Actor:
        """Return the actor with ``actor_id`` (KeyError if unknown)."""
        return self.actors[actor_id].actor

    def approved(self) -> FactBase:
        """Return the part of the base learners may be taught from."""
        return FactBase(
            {k: a for k, a in self.actors.items() if a.status == "approved"},
            [e for e in self.events if e.status == "approved"],
        )


class FactError(ValueError):
    """The fact base is invalid; ``errors`` lists every problem as ``path:line: message``."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        summary = f"{count} error{'s' if count != 1 else ''} in the fact base"
        super().__init__(summary + ":\n" + "\n".join(self.errors))


# --------------------------------------------------------------------------- loading files


@dataclass
class _Parsed:
    label: str
    model: FactFile
    lines: dict[tuple[Any, ...], int]


def load_fact_files(
    directory: Path, documents: Mapping[str, CleanedDocument], known_actors: Iterable[str] = ()
) -> FactBase:
    """Load and check every ``*.yaml`` of the fact folder (except the reviews file).

    ``documents`` maps document file names to their cleaned text: every quote must occur in
    its document. Raises FactError naming ``path:line`` of every problem; nothing is returned
    unless every file is valid.
    """
    errors: list[str] = []
    parsed: list[_Parsed] = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        if path.name == REVIEWS_FILE:
            continue
        label = _display(path)
        data, lines = _read_yaml(path, label, errors)
        if data is None:
            continue
        try:
            model = FactFile.model_validate(data)
        except ValidationError as exc:
            errors.extend(_located(label, lines, exc))
            continue
        parsed.append(_Parsed(label, model, lines))
    if errors:
        raise FactError(errors)
    base = FactBase()
    checker = _Checker(documents, errors)
    for item in parsed:
        checker.add_file(base, item)
    checker.check_references(base, known_actors)
    if errors:
        raise FactError(errors)
    return base


def validate_event(
    event: Event,
    document: CleanedDocument,
    actors: Mapping[str, Actor],
    topic: str,
) -> tuple[SourcedEvent | None, list[str]]:
    """Check one event (e.g. from the teacher's editor) against its document and the actors.

    Returns the resolved event and an empty list, or None and the problems found.
    """
    errors: list[str] = []
    checker = _Checker({document.name: document}, errors)
    sourced = checker.resolve_event(event, document.name, topic, "", {})
    if sourced is not None:
        checker.check_event_references(sourced, actors, "")
    return (sourced if not errors else None), errors


def resolve_actor(
    actor: Actor, documents: Mapping[str, CleanedDocument], default_document: str | None
) -> tuple[SourcedActor | None, list[str]]:
    """Locate the quotes of an actor's roles; return the resolved actor or the problems."""
    errors: list[str] = []
    checker = _Checker(documents, errors)
    sourced = checker.resolve_actor(actor, default_document, "", {})
    return (sourced if not errors else None), errors


@lru_cache(maxsize=64)
def _locator_of(document: CleanedDocument) -> _QuoteLocator:
    """Return the quote finder of a document, built once (the fact base checks one event
    at a time)."""
    return _QuoteLocator(document)


class _Checker:
    """Resolves quotes and cross-references, reporting problems with their lines."""

    def __init__(self, documents: Mapping[str, CleanedDocument], errors: list[str]) -> None:
        self.documents = documents
        self.errors = errors
        self.locators: dict[str, _QuoteLocator] = {}
        self.where: dict[str, str] = {}  # fact id -> "path:line" where it was defined
        self.event_lines: dict[str, tuple[str, dict[tuple[Any, ...], int], tuple[Any, ...]]] = {}

    def _error(self, label: str, lines: Mapping[tuple[Any, ...], int], path: tuple, msg: str):
        where = f"{label}:{_line_of(lines, path)}" if label else _path_text(path)
        self.errors.append(f"{where}: {msg}")

    def _locate(self, document: str, quote: str) -> Provenance | None:
        doc = self.documents.get(document)
        if doc is None:
            return None
        locator = self.locators.get(document)
        if locator is None:
            locator = self.locators[document] = _locator_of(doc)
        span = locator.span(quote)
        sentence = locator.sentence(*span) if span else None
        if sentence is None:
            return None
        return Provenance(document, sentence.index, sentence.start, sentence.end, quote)

    def add_file(self, base: FactBase, item: _Parsed) -> None:
        model, label, lines = item.model, item.label, item.lines
        if model.events and model.document is None:
            self._error(label, lines, ("events",), "a file with events needs a 'document'")
            return
        if model.document is not None and model.document not in self.documents:
            self._error(
                label, lines, ("document",), f"unknown document '{model.document}' (not in seeds/)"
            )
            return
        if model.events and model.topic is None:
            self._error(label, lines, ("events",), "a file with events needs a 'topic'")
            return
        for index, actor in enumerate(model.actors):
            path = ("actors", index)
            if self._duplicate(actor.id, label, lines, path):
                continue
            sourced = self.resolve_actor(actor, model.document, label, lines, path)
            if sourced is not None:
                base.actors[actor.id] = sourced
        for index, event in enumerate(model.events):
            path = ("events", index)
            if self._duplicate(event.id, label, lines, path):
                continue
            assert model.document is not None and model.topic is not None
            sourced = self.resolve_event(
                event, model.document, event.topic or model.topic, label, lines, path
            )
            if sourced is not None:
                base.events.append(sourced)
                self.event_lines[event.id] = (label, lines, path)

    def _duplicate(self, fact_id: str, label: str, lines: Mapping, path: tuple) -> bool:
        where = f"{label}:{_line_of(lines, path)}"
        if fact_id in self.where:
            self._error(
                label,
                lines,
                (*path, "id"),
                f"duplicate id '{fact_id}' (first at {self.where[fact_id]})",
            )
            return True
        self.where[fact_id] = where
        return False

    def resolve_actor(
        self,
        actor: Actor,
        default_document: str | None,
        label: str,
        lines: Mapping[tuple[Any, ...], int],
        path: tuple[Any, ...] = (),
    ) -> SourcedActor | None:
        before = len(self.errors)
        provenance: dict[int, Provenance] = {}
        for index, role in enumerate(actor.roles):
            if role.source is None:
                continue
            document = role.document or default_document
            role_path = (*path, "roles", index)
            if document is None:
                self._error(label, lines, role_path, "ein Amt mit „source“ braucht ein „document“")
                continue
            if document not in self.documents:
                self._error(
                    label, lines, (*role_path, "document"), f"unbekanntes Dokument „{document}“"
                )
                continue
            found = self._locate(document, role.source)
            if found is None:
                self._error(
                    label, lines, (*role_path, "source"), f"Zitat nicht gefunden in {document}"
                )
                continue
            provenance[index] = found
        if len(self.errors) > before:
            return None
        return SourcedActor(actor, provenance, default_document)

    def resolve_event(
        self,
        event: Event,
        document: str,
        topic: str,
        label: str,
        lines: Mapping[tuple[Any, ...], int],
        path: tuple[Any, ...] = (),
    ) -> SourcedEvent | None:
        before = len(self.errors)
        found = self._locate(document, event.source)
        if found is None:
            self._error(label, lines, (*path, "source"), f"Zitat nicht gefunden in {document}")
        terms: dict[str, Provenance] = {}
        for index, term in enumerate(event.terms):
            if term.source is None:
                if found is not None:
                    terms[term.id] = found
                continue
            located = self._locate(document, term.source)
            if located is None:
                self._error(
                    label,
                    lines,
                    (*path, "terms", index, "source"),
                    f"Zitat nicht gefunden in {document}",
                )
            else:
                terms[term.id] = located
        if len(self.errors) > before or found is None:
            return None
        return SourcedEvent(event, topic, found, terms)

    def check_references(self, base: FactBase, known: Iterable[str]) -> None:
        actors = {k: a.actor for k, a in base.actors.items()}
        known_ids = set(known)
        for sourced in base.events:
            label, lines, path = self.event_lines.get(sourced.id, ("", {}, ()))
            self.check_event_references(sourced, actors, label, lines, path, known_ids)
        for actor_id, sourced_actor in base.actors.items():
            label, _, _ = self.where.get(actor_id, ":").partition(":")
            for index, role in enumerate(sourced_actor.actor.roles):
                if (
                    role.state is not None
                    and role.state not in actors
                    and role.state not in known_ids
                ):
                    where = self.where.get(actor_id, actor_id)
                    self.errors.append(
                        f"{where}: role {index + 1} names unknown state '{role.state}'"
                    )

    def check_event_references(
        self,
        sourced: SourcedEvent,
        actors: Mapping[str, Actor],
        label: str,
        lines: Mapping[tuple[Any, ...], int] | None = None,
        path: tuple[Any, ...] = (),
        known: set[str] | None = None,
    ) -> None:
        lines = lines or {}
        known = known or set()
        event = sourced.event
        for key in ("participants", "not_options"):
            for index, actor_id in enumerate(getattr(event, key)):
                if actor_id not in actors and actor_id not in known:
                    self._error(
                        label,
                        lines,
                        (*path, key, index),
                        f"unbekannte Person/unbekannter Staat „{actor_id}“",
                    )
        for actor_id in event.participants:
            actor = actors.get(actor_id)
            if actor is not None and actor.lifespan_known and not actor.alive_at(event.date):
                what = "lebte nicht" if actor.kind == "person" else "bestand nicht"
                self._error(
                    label,
                    lines,
                    (*path, "participants"),
                    f"Beteiligte(r) „{actor_id}“ {what} am/im {event.date.text}",
                )
        if event.subject is not None:
            actor = actors.get(event.subject)
            if actor is None:
                if event.subject not in known:
                    self._error(
                        label, lines, (*path, "subject"), f"unbekannte Person „{event.subject}“"
                    )
            elif event.what.subject not in actor.all_names():
                self._error(
                    label,
                    lines,
                    (*path, "what"),
                    f"das Subjekt „{event.what.subject}“ muss ein Name von „{event.subject}“ "
                    f"sein ({', '.join(actor.all_names())})",
                )
            elif actor.lifespan_known and not actor.alive_at(event.date):
                self._error(
                    label,
                    lines,
                    (*path, "subject"),
                    f"„{event.subject}“ lebte nicht am/im {event.date.text}",
                )


# --------------------------------------------------------------------------- YAML with lines


def _display(path: Path) -> str:
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _read_yaml(path: Path, label: str, errors: list[str]) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Return the file as plain data (every scalar kept as the text typed) and the line of
    every path in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(f"{label}:1: not valid UTF-8 ({exc.reason})")
        return None, {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        errors.append(f"{label}:{line}: YAML syntax error: {exc.problem or exc.context}")
        return None, {}
    except yaml.YAMLError as exc:
        errors.append(f"{label}:1: YAML syntax error: {exc}")
        return None, {}
    if root is None:
        errors.append(f"{label}:1: file is empty")
        return None, {}
    lines: dict[tuple[Any, ...], int] = {}
    problems: list[str] = []
    data = _plain(root, (), lines, problems)
    errors.extend(f"{label}:{p}" for p in problems)
    return (data if not problems else None), lines


def _plain(node: Node, path: tuple[Any, ...], lines: dict, problems: list[str]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, ScalarNode):
        return None if node.tag == _NULL_TAG else node.value
    if isinstance(node, SequenceNode):
        return [_plain(item, (*path, i), lines, problems) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                problems.append(f"{key_node.start_mark.line + 1}: keys must be plain text")
                continue
            if key in result:
                problems.append(f"{key_node.start_mark.line + 1}: duplicate key '{key}'")
                continue
            lines[(*path, key, "__key__")] = key_node.start_mark.line + 1
            result[key] = _plain(value_node, (*path, key), lines, problems)
        return result
    return None  # pragma: no cover - yaml has no other node types


def _line_of(lines: Mapping[tuple[Any, ...], int], path: tuple[Any, ...]) -> int:
    """Return the line of the deepest known prefix of ``path``."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


def _path_text(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) or "fact"


def _located(label: str, lines: Mapping[tuple[Any, ...], int], exc: ValidationError) -> list[str]:
    """Turn pydantic's errors into ``path:line: key: message`` lines with typo hints."""
    result = []
    for error in exc.errors(include_url=False):
        loc = tuple(
            p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))
        )
        # pydantic puts the Literal choices and validator names into loc; keep data keys only.
        loc = tuple(p for p in loc if isinstance(p, int) or not p.startswith("literal["))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            key = loc[-1]
            line = lines.get((*loc[:-1], key, "__key__"), _line_of(lines, loc))
            hint = _suggest(str(key), loc[:-1])
            result.append(f"{label}:{line}: unknown key '{key}'{hint}")
            continue
        if error["type"] == "missing":
            line = _line_of(lines, loc[:-1])
            result.append(f"{label}:{line}: missing key '{loc[-1]}'")
            continue
        where = _path_text(tuple(p for p in loc if not isinstance(p, int))) if loc else "file"
        result.append(f"{label}:{_line_of(lines, loc)}: {where}: {message}")
    return result


_ALL_KEYS = sorted(
    {
        *(f.alias or name for name, f in Event.model_fields.items()),
        *(f.alias or name for name, f in Actor.model_fields.items()),
        *(f.alias or name for name, f in Role.model_fields.items()),
        *(f.alias or name for name, f in Term.model_fields.items()),
        *(f.alias or name for name, f in Place.model_fields.items()),
        *(f.alias or name for name, f in FactFile.model_fields.items()),
    }
)


def _suggest(key: str, parent: Sequence[Any]) -> str:
    close = difflib.get_close_matches(key, _ALL_KEYS, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --------------------------------------------------------------------------- reviews of drafts


class FactReview(_Model):
    """A teacher's decision on a fact the extraction proposed for a seed document."""

    id: Annotated[str, StringConstraints(pattern=r"^[ad]-[0-9a-f]{10}$")]
    decision: Literal["approved", "rejected"]
    reason: Text | None = None

    @model_validator(mode="after")
    def _reason(self) -> FactReview:
        if self.decision == "rejected" and not self.reason:
            raise ValueError("ein abgelehnter Entwurf braucht einen Grund („reason“)")
        return self


class FactReviewFile(_Model):
    """``questions/facts/reviews.yaml``."""

    reviews: list[FactReview] = []


def load_fact_reviews(path: Path) -> dict[str, FactReview]:
    """Read the decisions on proposed facts; raise FactError naming ``path:line``."""
    if not path.exists():
        return {}
    errors: list[str] = []
    label = _display(path)
    data, lines = _read_yaml(path, label, errors)
    if data is None:
        raise FactError(errors)
    try:
        model = FactReviewFile.model_validate(data)
    except ValidationError as exc:
        raise FactError(_located(label, lines, exc)) from exc
    reviews: dict[str, FactReview] = {}
    for index, review in enumerate(model.reviews):
        if review.id in reviews:
            errors.append(
                f"{label}:{_line_of(lines, ('reviews', index))}: duplicate id '{review.id}'"
            )
        reviews[review.id] = review
    if errors:
        raise FactError(errors)
    return reviews


def fact_data(fact: Event | Actor) -> dict[str, Any]:
    """Return a fact as a fact file writes it (for the database and the editor)."""
    return fact.model_dump(mode="json", by_alias=True, exclude_defaults=True)
