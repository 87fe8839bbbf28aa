"""Questions from facts: German templates that are grammatical by construction.

Every question is built from one fact (or, for ordering and matching, a few facts of one
document): an event's clause is cut into subject, finite verb and rest, so "Wann …?",
"Wer …?", "Wo …?" and dated statements are a matter of word order, not of rewriting a
sentence the learner never saw. Names of events are declined by ``quizapp.bank.german``.

Wrong options are valid by construction:
- a person offered as a wrong answer lived at the event's date and held an office of the same
  class then (or of a related one, or is a contemporary named in the same document), and is
  no participant of the event;
- a state offered existed at the date, under the name it had then ("Sowjetunion" in 1941);
- a wrong date is near the right one but differs at the precision asked.

Ids are stable: ``f-<fact>-<template>``, so editing a fact updates its questions in place and
learners keep their progress. Output is deterministic (choices derive from hashes). Plain
Python: no Flask, no database, no clock.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from quizapp.bank.curated import ORDER_SEPARATOR, PAIR_SEPARATOR, _mentions, correct_position
from quizapp.bank.factdates import FactDate, range_phrase, range_text, year_range_variants
from quizapp.bank.facts import (
    _GAP,
    OFFICE_FAMILIES,
    Actor,
    Event,
    FactBase,
    Provenance,
    Role,
    SourcedActor,
    SourcedEvent,
)
from quizapp.bank.german import DeclensionError, NounPhrase, capitalise, decline, lemma
from quizapp.bank.types import ChoiceDraft, QuestionDraft, default_weight

GAP = "___"
OPTIONS = 4  # options of a single-choice or date question, the right one included
MIN_WRONG = 2
GROUP_SIZE = 4  # events of an ordering or matching question
MIN_GROUP = 3
MAX_PROMPT = 260

ORDERING_PROMPT = "Bringe die Ereignisse in die zeitliche Reihenfolge (das früheste zuerst)."
YEAR_MATCHING_PROMPT = "Ordne jedem Ereignis sein Jahr zu."
ROLE_MATCHING_PROMPT = "Ordne jeder Person das Amt zu, das sie innehatte."

_NUMBER = re.compile(r"\d")


# --------------------------------------------------------------------------- entry point


def build_questions(base: FactBase) -> list[QuestionDraft]:
    """Return every question the facts give: approved facts give approved questions, draft
    facts give drafts. Wrong options come from approved facts only (and the fact itself), so
    a draft never changes what learners see."""
    approved = base.approved()
    builder = _Builder(approved)
    drafts: list[QuestionDraft] = []
    for sourced in base.events:
        drafts.extend(builder.event_questions(sourced))
    for sourced_actor in base.actors.values():
        drafts.extend(builder.role_questions(sourced_actor))
    drafts.extend(builder.group_questions())
    seen: set[str] = set()
    unique = []
    for draft in drafts:
        if draft.id not in seen:
            seen.add(draft.id)
            unique.append(draft)
    return unique


# --------------------------------------------------------------------------- rendering


def _strip_gap(text: str) -> str:
    return _GAP.sub(lambda m: m.group(1), text)


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def date_phrase(sourced: SourcedEvent) -> str:
    """Return when the event happened as an adverbial: "am 5. September 1905"."""
    event = sourced.event
    if event.end is not None:
        return range_phrase(event.date, event.end)
    return event.date.phrase()


def date_text(sourced: SourcedEvent) -> str:
    """Return the event's date as the timeline shows it, at the source's precision."""
    event = sourced.event
    return range_text(event.date, event.end) if event.end else event.date.text


def statement(sourced: SourcedEvent, phrase: str | None = None) -> str:
    """Return the event as a dated sentence: "Im Jahr 1918 landeten japanische Truppen …"."""
    what = sourced.event.what
    when = phrase if phrase is not None else date_phrase(sourced)
    return capitalise(_join(when, what.verb, what.subject, _strip_gap(what.rest))) + "."


def label(sourced: SourcedEvent) -> str:
    """Return the event as an undated sentence: "Japanische Truppen landeten in Wladiwostok."."""
    what = sourced.event.what
    return capitalise(_join(what.subject, what.verb, _strip_gap(what.rest))) + "."


def short_label(sourced: SourcedEvent) -> str:
    """Return the event's name ("Der Frieden von Portsmouth") or, without one, its sentence."""
    phrase = name_of(sourced)
    return phrase.label if phrase is not None else label(sourced)


def name_of(sourced: SourcedEvent) -> NounPhrase | None:
    """Return the declined name of the event, or None if it has none (or cannot be declined)."""
    event = sourced.event
    if event.name is None:
        return None
    try:
        return decline(event.name, gen=event.genitive, dat=event.dative, acc=event.accusative)
    except DeclensionError:
        return None


def describe(event: Event) -> tuple[str, str]:
    """Return an event's date at its precision and its undated sentence, for lists."""
    sourced = SourcedEvent(event, "", Provenance("", 0, 0, 0, ""), {})
    return date_text(sourced), label(sourced)


def explanation(sourced: SourcedEvent) -> str:
    """Return what feedback says after any question of the event: the dated fact and its note."""
    return _join(statement(sourced), sourced.event.note or "")


# --------------------------------------------------------------------------- the builder


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("|".join(parts).encode("utf-8")).digest()[:8], "big")


def _short_hash(parts: Iterable[str]) -> str:
    return hashlib.sha256("|".join(sorted(parts)).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class _Person:
    actor: Actor
    documents: frozenset[str]


class _Builder:
    """Builds questions with wrong options drawn from the approved facts."""

    def __init__(self, approved: FactBase) -> None:
        self.base = approved
        self.events = approved.events
        self.latest_year = max((e.event.date.year for e in approved.events), default=0)
        self.actor_documents: dict[str, set[str]] = {}
        for sourced in approved.events:
            for actor_id in (*sourced.event.participants, sourced.event.subject):
                if actor_id:
                    self.actor_documents.setdefault(actor_id, set()).add(
                        sourced.provenance.document
                    )
        for actor_id, sourced_actor in approved.actors.items():
            docs = self.actor_documents.setdefault(actor_id, set())
            docs.update(p.document for p in sourced_actor.role_provenance.values())
            if sourced_actor.document:
                docs.add(sourced_actor.document)

    # ------------------------------------------------------------------ common parts

    def _draft(
        self,
        qid: str,
        kind: str,
        prompt: str,
        answer: str,
        explanation_text: str,
        provenance: Provenance,
        topic: str,
        status: str,
        fact: str,
        template: str,
        *,
        choices: tuple[ChoiceDraft, ...] = (),
        accepted: Sequence[str] = (),
        extra: dict[str, str] | None = None,
    ) -> QuestionDraft | None:
        prompt = " ".join(prompt.split())
        if len(prompt) > MAX_PROMPT:
            return None
        return QuestionDraft(
            id=qid,
            kind=kind,
            prompt=prompt,
            answer=answer,
            explanation=explanation_text,
            topic=topic,
            document=provenance.document,
            origin="generated",
            accepted=tuple(dict.fromkeys(a for a in accepted if a and a != answer)),
            choices=choices,
            sentence_index=provenance.sentence_index,
            char_start=provenance.char_start,
            char_end=provenance.char_end,
            status=status,
            fact=fact,
            extra={"template": template, **(extra or {})},
        )

    @staticmethod
    def _qid(sourced: SourcedEvent, template: str) -> str:
        slug = template.replace("_", "-")  # ids are lower-case words joined by "-"
        return sourced.event.legacy.get(template) or f"f-{sourced.id}-{slug}"

    @staticmethod
    def _single_choice(qid: str, answer: str, wrong: Sequence[str]) -> tuple[ChoiceDraft, ...]:
        options = [ChoiceDraft(text=w) for w in wrong]
        options.insert(correct_position(qid, len(options) + 1), ChoiceDraft(answer, correct=True))
        return tuple(options)

    # ------------------------------------------------------------------ one event

    def event_questions(self, sourced: SourcedEvent) -> list[QuestionDraft]:
        event = sourced.event
        makers = {
            "date": self._date_question,
            "actor": self._actor_question,
            "place": self._place_question,
            "participants": self._participants_question,
            "true_false": self._true_false_question,
        }
        drafts: list[QuestionDraft | None] = [
            make(sourced) for template, make in makers.items() if template not in event.skip
        ]
        if "cloze" not in event.skip:
            drafts.extend(self._cloze_questions(sourced))
        return [d for d in drafts if d is not None]

    def _date_question(self, sourced: SourcedEvent) -> QuestionDraft | None:
        event = sourced.event
        what = event.what
        prompt = f"Wann {_join(what.verb, what.subject, _strip_gap(what.rest))}?"
        qid = self._qid(sourced, "date")
        common = (explanation(sourced), sourced.provenance, sourced.topic, sourced.status)
        if event.end is not None:
            # A span of years is typed: every German way of writing it counts.
            if event.date.precision != "year" or event.end.precision != "year":
                return None
            if _mentions(prompt, str(event.date.year)) or _mentions(prompt, str(event.end.year)):
                return None
            variants = year_range_variants(event.date.year, event.end.year)
            return self._draft(
                qid, "typed", prompt, variants[0], *common, event.id, "date", accepted=variants[1:]
            )
        asked = event.date.asked()
        if _mentions(prompt, str(asked.year)):
            return None  # the clause names the year: the question would give it away
        wrong = self._wrong_dates(sourced, asked)
        if len(wrong) < MIN_WRONG:
            return None
        options = sorted([asked, *wrong], key=lambda d: d.sort_key)
        choices = tuple(ChoiceDraft(d.text, correct=d == asked) for d in options)
        accepted = [asked.phrase()] if asked.precision != "year" else [f"im Jahr {asked.year}"]
        return self._draft(
            qid, "date", prompt, asked.text, *common, event.id, "date",
            choices=choices, accepted=accepted,
        )  # fmt: skip

    def _wrong_dates(self, sourced: SourcedEvent, asked: FactDate) -> list[FactDate]:
        """Return up to three dates near ``asked`` that differ from it at its precision,
        preferring the dates of other events of the same topic (a plausible mix-up)."""
        precision = asked.precision
        seed = _digest(sourced.id, "dates")
        taken = {asked.key_at(precision)}
        result: list[FactDate] = []
        # Nobody does anything before birth or after death: a wrong date stays inside the
        # lifetimes of the persons (and states) the event is about.
        bounded = [
            self.base.actor(a)
            for a in {*sourced.event.participants, sourced.event.subject}
            if a and a in self.base.actors and self.base.actor(a).lifespan_known
        ]
        # A state the clause names by a period's name ("die Sowjetunion") bounds the dates to
        # that period: no Soviet act in 1993.
        clause = f"{sourced.event.what.subject} {sourced.event.what.rest}"
        periods = [
            period
            for a in sourced.event.participants
            if a in self.base.actors
            for period in self.base.actor(a).names
            if period.name != self.base.actor(a).name and _mentions(clause, period.name)
        ]
        refused = {d.key_at(precision) for d in sourced.event.not_dates}
        # The subject did it in an office ("als erster russischer Staatschef"): a wrong date
        # lies in the time the subject held the offices held at the event's date.
        subject = sourced.event.subject
        offices = (
            self.base.actor(subject).roles_at(sourced.event.date)
            if subject and subject in self.base.actors
            else []
        )

        latest = max(self.latest_year, asked.year)

        def take(candidate: FactDate) -> None:
            key = candidate.key_at(precision)
            if _julian_twin(candidate, asked) or key in refused:
                return  # the same day in Russia's old calendar would be right, too
            if any(not candidate.within(p.start, p.end) for p in periods):
                return
            if offices and not any(role.active_at(candidate) for role in offices):
                return
            if candidate.year > latest:
                return  # no date later than anything the texts report: it reads as the future
            if any(not actor.alive_at(candidate) for actor in bounded):
                return
            if key not in taken and len(result) < OPTIONS - 1:
                taken.add(key)
                result.append(candidate)

        others = sorted(
            (
                e.event.date.asked()
                for e in self.events
                if e.id != sourced.id and e.topic == sourced.topic and e.event.end is None
            ),
            key=lambda d: (abs(d.year - asked.year), d.sort_key),
        )
        for other in others:
            if other.precision == precision and 0 < abs(other.year - asked.year) <= 3:
                take(other)
            if len(result) >= 1:
                break  # one mix-up is plausible; the rest are near misses
        for candidate in _near_dates(asked, seed):
            take(candidate)
        return result

    def _actor_question(self, sourced: SourcedEvent) -> QuestionDraft | None:
        event = sourced.event
        if event.subject is None or event.subject not in self.base.actors:
            return None
        subject = self.base.actor(event.subject)
        if subject.kind != "person":
            return None
        what = event.what
        rest = _strip_gap(what.rest)
        if any(_mentions(rest, name) for name in subject.all_names()):
            return None
        prompt = f"Wer {_join(what.verb, date_phrase(sourced), rest)}?"
        excluded = {event.subject, *event.participants, *event.not_options}
        wrong = self._wrong_persons(
            subject,
            event.date,
            excluded,
            sourced.provenance.document,
            self._states_named(rest, event.date),
        )
        if len(wrong) < MIN_WRONG:
            return None
        qid = self._qid(sourced, "actor")
        names = [p.name for p in wrong[: OPTIONS - 1]]
        return self._draft(
            qid, "single_choice", prompt, subject.name, explanation(sourced),
            sourced.provenance, sourced.topic, sourced.status, event.id, "actor",
            choices=self._single_choice(qid, subject.name, names),
            accepted=subject.variants,
        )  # fmt: skip

    def _wrong_persons(
        self,
        person: Actor,
        date: FactDate,
        excluded: set[str],
        document: str,
        avoid_states: set[str] | None = None,
        state: str | None = None,
        office: str | None = None,
    ) -> list[Actor]:
        """Return persons who lived at ``date`` and held an office like ``person``'s then.

        Ranked: of the same state and office family first (a Japanese diplomat beside a
        Japanese ambassador), then the same office class, then the same family. Nobody who
        held the very office, nobody who served a state in ``avoid_states`` (a Russian does
        not "visit Russia"), and with ``state`` only servants of that state, in any office
        but an expert's ("Wer war 2016 russischer Präsident?" offers Russians).
        """
        roles_now = person.roles_at(date)
        offices = {r.office for r in roles_now} or {r.office for r in person.roles}
        if office is not None:
            offices = {office}  # an office question: what the other held then does not count
        families = {OFFICE_FAMILIES[o] for o in offices}
        states = {r.state for r in roles_now} or {r.state for r in person.roles}
        same_titles = {_norm_title(r.title) for r in roles_now}
        avoid = (avoid_states or set()) - states
        ranked: list[tuple[int, int, Actor]] = []
        for actor_id, sourced_actor in self.base.actors.items():
            actor = sourced_actor.actor
            if actor_id in excluded or actor.kind != "person" or not actor.lifespan_known:
                continue
            if not actor.alive_at(date):
                continue
            if actor.gender != person.gender:
                continue  # "Verteidigungsministerin" is no question with men among the options
            roles = actor.roles_at(date)
            if any(_norm_title(r.title) in same_titles for r in roles):
                continue  # held the very office: could be a right answer
            if avoid and any(r.state in avoid for r in roles):
                continue
            if state is not None:
                plausible = set().union(*(_PLAUSIBLE[o] for o in offices))
                serving = [r for r in roles if r.state == state and r.office in plausible]
                if not serving:
                    continue
                rank = 0 if any(OFFICE_FAMILIES[r.office] in families for r in serving) else 1
            elif any(r.state in states and OFFICE_FAMILIES[r.office] in families for r in roles):
                rank = 0
            elif any(r.office in offices for r in roles):
                rank = 1
            elif any(OFFICE_FAMILIES[r.office] in families for r in roles):
                rank = 2
            else:
                continue
            ranked.append((rank, _digest(person.id, actor_id) % 1000, actor))
        ranked.sort(key=lambda item: item[:2])
        best = [actor for rank, _, actor in ranked if rank == 0]
        if len(best) >= MIN_WRONG:
            return best  # fewer options of one kind beat a full set with an odd one out
        return [actor for _, _, actor in ranked]

    def _states_named(self, text: str, date: FactDate) -> set[str]:
        """Return the states a text names, directly or through a person serving them."""
        named = set()
        for actor_id, sourced_actor in self.base.actors.items():
            actor = sourced_actor.actor
            if actor.kind == "state" and _names_actor(text, actor, date):
                named.add(actor_id)
            elif actor.kind == "person" and any(_mentions(text, n) for n in actor.all_names()):
                named.update(r.state for r in actor.roles_at(date) if r.state)
        return named

    def _place_question(self, sourced: SourcedEvent) -> QuestionDraft | None:
        event = sourced.event
        if event.place is None:
            return None
        what = event.what
        rest = " ".join(_strip_gap(what.rest.replace(event.place.phrase, " ")).split())
        asked = event.place.interrogative()
        prompt = f"{asked} {_join(what.verb, what.subject, date_phrase(sourced), rest)}?"
        if _mentions(prompt, event.place.name):
            return None
        qid = self._qid(sourced, "place")
        return self._draft(
            qid, "typed", prompt, event.place.name, explanation(sourced), sourced.provenance,
            sourced.topic, sourced.status, event.id, "place", accepted=event.place.accept,
        )  # fmt: skip

    def _participants_question(self, sourced: SourcedEvent) -> QuestionDraft | None:
        event = sourced.event
        phrase = name_of(sourced)
        if phrase is None or event.kind == "resolution":
            return None
        actors = [self.base.actor(a) for a in event.participants if a in self.base.actors]
        states = [a for a in actors if a.kind == "state"]
        persons = [a for a in actors if a.kind == "person"]
        if len(states) >= 2:
            right = states
            if event.kind == "treaty":
                prompt = f"Welche Staaten schlossen {phrase.acc}?"
            elif event.kind == "battle":
                prompt = f"Welche Staaten kämpften {phrase.after('in', 'dat')} gegeneinander?"
            else:
                prompt = f"Welche Staaten waren {phrase.after('an', 'dat')} beteiligt?"
            pool = self._wrong_states(event.date, {a.id for a in states} | set(event.not_options))
        elif len(persons) >= 2 and event.kind in ("conference", "meeting", "visit"):
            # Who else was there is rarely known for sure (advisers, generals, interpreters):
            # only a fact that names everyone asks it, with options from the same states.
            if not event.all_participants:
                return None
            right = persons
            prompt = f"Wer nahm {phrase.after('an', 'dat')} teil?"
            excluded = {*event.participants, *event.not_options}
            pool = []
            for person in persons:
                states = {r.state for r in person.roles_at(event.date) if r.state}
                for candidate in self._wrong_persons(
                    person, event.date, excluded, sourced.provenance.document
                ):
                    serves = {r.state for r in candidate.roles_at(event.date)}
                    if candidate not in pool and serves & states:
                        pool.append(candidate)
        else:
            return None
        wrong = pool[: max(MIN_WRONG, 5 - len(right))]
        named = self._states_named(prompt, event.date)  # "der Hitler-Stalin-Pakt" names states
        if (
            len(wrong) < MIN_WRONG
            or any(_names_actor(prompt, a, event.date) for a in right)
            or any(a.id in named for a in right)
        ):
            return None  # "Welche Staaten schlossen den russisch-japanischen …?" answers itself
        qid = self._qid(sourced, "participants")
        right_names = [a.name_at(event.date) for a in right]
        wrong_names = [a.name_at(event.date) for a in wrong]
        options = [
            ChoiceDraft(
                t, correct=ok, weight=default_weight(ok, len(right_names), len(wrong_names))
            )
            for texts, ok in ((right_names, True), (wrong_names, False))
            for t in texts
        ]
        options.sort(key=lambda c: _digest(qid, c.text))
        answer = PAIR_SEPARATOR.join(c.text for c in options if c.correct)
        return self._draft(
            qid, "multiple_choice", prompt, answer, explanation(sourced), sourced.provenance,
            sourced.topic, sourced.status, event.id, "participants", choices=tuple(options),
        )  # fmt: skip

    def _wrong_states(self, date: FactDate, excluded: set[str]) -> list[Actor]:
        ranked = []
        for actor_id, sourced_actor in self.base.actors.items():
            actor = sourced_actor.actor
            if actor.kind != "state" or actor_id in excluded or not actor.alive_at(date):
                continue
            used = len(self.actor_documents.get(actor_id, ()))  # states the texts talk about
            ranked.append((-used, _digest(actor_id, date.text) % 1000, actor))
        ranked.sort(key=lambda item: item[:2])
        return [actor for _, _, actor in ranked]

    def _true_false_question(self, sourced: SourcedEvent) -> QuestionDraft | None:
        event = sourced.event
        if event.end is not None:
            return None
        qid = self._qid(sourced, "true_false")
        true = _digest(qid, "true") % 2 == 0
        if true:
            text = statement(sourced)
        else:
            wrong = self._wrong_dates(sourced, event.date.asked())
            if not wrong:
                return None
            swapped = wrong[_digest(qid, "swap") % len(wrong)]
            text = statement(sourced, swapped.phrase())
        clause = f"{event.what.subject} {_strip_gap(event.what.rest)}"
        if _mentions(clause, str(event.date.year)):
            return None  # "Im Jahr 2012 wurde das Abkommen von 2012 geschlossen"
        reason = f"Richtig. {text}" if true else f"Falsch. {statement(sourced)}"
        return self._draft(
            qid, "true_false", text, "wahr" if true else "falsch", _join(reason, event.note or ""),
            sourced.provenance, sourced.topic, sourced.status, event.id, "true_false",
        )  # fmt: skip

    def _cloze_questions(self, sourced: SourcedEvent) -> list[QuestionDraft]:
        event = sourced.event
        drafts = []
        clauses: list[tuple[str, str, str, list[str], float | None, Provenance]] = []
        gap = _GAP.search(event.what.rest)
        if gap is not None:
            # Dated, so that the gap asks for the core word only.
            gapped = capitalise(
                _join(date_phrase(sourced), event.what.verb, event.what.subject,
                      _GAP.sub(GAP, event.what.rest, count=1))
            ) + "."  # fmt: skip
            clauses.append(
                ("cloze", gapped, gap.group(1), list(event.accept), None, sourced.provenance)
            )
        for term in event.terms:
            gapped = _GAP.sub(GAP, term.text, count=1)
            provenance = sourced.term_provenance.get(term.id, sourced.provenance)
            clauses.append(
                (term.id, gapped, term.gap, list(term.accept), term.tolerance, provenance)
            )
        for key, prompt, answer, accept, tolerance, provenance in clauses:
            if _mentions(prompt.replace(GAP, " "), answer):
                continue
            template = "cloze" if key == "cloze" else f"term-{key}"
            qid = sourced.event.legacy.get(template) or f"f-{sourced.id}-{template}"
            terms = {t.id: t for t in event.terms}
            if key in terms:  # a term's own note: the event's concerns another sentence
                why = _join(_strip_gap(terms[key].text), terms[key].note or "")
            else:
                why = _join(statement(sourced), event.note or "")
            extra = {"tolerance": _number_text(tolerance)} if tolerance is not None else None
            draft = self._draft(
                qid, "cloze", prompt, answer, why, provenance, sourced.topic, sourced.status,
                event.id, template, accepted=[*accept, *answer_variants(answer)], extra=extra,
            )  # fmt: skip
            if draft is not None:
                drafts.append(draft)
        return drafts

    # ------------------------------------------------------------------ actors

    def role_questions(self, sourced_actor: SourcedActor) -> list[QuestionDraft]:
        actor = sourced_actor.actor
        if actor.kind != "person":
            return []
        drafts = []
        for index, role in enumerate(actor.roles):
            provenance = sourced_actor.role_provenance.get(index)
            if provenance is None or not role.ask:
                continue
            at = role.at or role.start
            if at is None:
                continue
            prompt = f"Wer war {at.phrase()} {role.title}?"
            excluded = {actor.id}
            wrong = [
                p
                for p in self._wrong_persons(
                    actor, at, excluded, provenance.document, state=role.state, office=role.office
                )
                if not any(_norm_title(r.title) == _norm_title(role.title) for r in p.roles_at(at))
            ]
            if len(wrong) < MIN_WRONG:
                continue
            qid = f"f-{actor.id}-amt-{at.year}"
            template = f"amt-{at.year}"
            names = [p.name for p in wrong[: OPTIONS - 1]]
            # The actor's note may concern anything about the person: not the office asked.
            why = f"{capitalise(at.phrase())} war {actor.name} {role.title} ({role.span_text})."
            draft = self._draft(
                qid, "single_choice", prompt, actor.name, why, provenance,
                _topic_of(provenance, self.events), sourced_actor.status, actor.id, template,
                choices=self._single_choice(qid, actor.name, names), accepted=actor.variants,
            )  # fmt: skip
            if draft is not None:
                drafts.append(draft)
        return drafts

    # ------------------------------------------------------------------ groups

    def group_questions(self) -> list[QuestionDraft]:
        drafts: list[QuestionDraft] = []
        by_document: dict[str, list[SourcedEvent]] = {}
        for sourced in self.events:
            by_document.setdefault(sourced.provenance.document, []).append(sourced)
        for events in by_document.values():
            drafts.extend(self._orderings(events))
            drafts.extend(self._year_matchings(events))
        drafts.extend(self._role_matchings())
        return drafts

    def _orderings(self, events: Sequence[SourcedEvent]) -> list[QuestionDraft]:
        usable = [
            e for e in events if "ordering" not in e.event.skip and not _NUMBER.search(label(e))
        ]
        drafts = []
        for group in _groups(usable, key=lambda e: (e.event.date.year,)):
            texts = [label(e) for e in group]
            ids = [e.id for e in group]
            qid = f"f-folge-{_short_hash(ids)}"
            first = group[0]
            # The feedback shows the first event's sentence: its note corrects it if it errs.
            why = _join(" ".join(statement(e) for e in group), first.event.note or "")
            choices = tuple(ChoiceDraft(t, correct=True) for t in texts)
            draft = self._draft(
                qid, "ordering", ORDERING_PROMPT, ORDER_SEPARATOR.join(texts), why,
                first.provenance, _common_topic(group), "approved", first.id, "ordering",
                choices=choices, extra={"facts": " ".join(ids)},
            )  # fmt: skip
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _year_matchings(self, events: Sequence[SourcedEvent]) -> list[QuestionDraft]:
        usable = [
            e
            for e in events
            if "matching" not in e.event.skip and not _NUMBER.search(short_label(e))
        ]
        drafts = []
        for group in _groups(usable, key=lambda e: (e.event.date.year,), offset=1):
            named = all(name_of(e) is not None for e in group)
            lefts = [short_label(e) if named else label(e) for e in group]
            rights = [
                range_text(FactDate(e.event.date.year), FactDate(e.event.end.year))
                if e.event.end and e.event.end.year != e.event.date.year
                else str(e.event.date.year)
                for e in group
            ]
            if len(set(rights)) != len(rights) or len(set(lefts)) != len(lefts):
                continue
            ids = [e.id for e in group]
            qid = f"f-jahre-{_short_hash(ids)}"
            choices = tuple(
                ChoiceDraft(left, correct=True, match=right)
                for left, right in zip(lefts, rights, strict=True)
            )
            answer = PAIR_SEPARATOR.join(f"{c.text}{ORDER_SEPARATOR}{c.match}" for c in choices)
            first = group[0]
            why = _join(" ".join(statement(e) for e in group), first.event.note or "")
            draft = self._draft(
                qid, "matching", YEAR_MATCHING_PROMPT, answer, why, first.provenance,
                _common_topic(group), "approved", first.id, "matching",
                choices=choices, extra={"facts": " ".join(ids)},
            )  # fmt: skip
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _role_matchings(self) -> list[QuestionDraft]:
        """Group persons whose roles a document names: four people, each with one office."""
        by_document: dict[str, list[tuple[Actor, Role, Provenance]]] = {}
        for sourced_actor in self.base.actors.values():
            actor = sourced_actor.actor
            if actor.kind != "person":
                continue
            for index, role in enumerate(actor.roles):
                provenance = sourced_actor.role_provenance.get(index)
                if provenance is not None:
                    by_document.setdefault(provenance.document, []).append(
                        (actor, role, provenance)
                    )
                    break  # one office per person, the first the texts name
        drafts = []
        for items in by_document.values():
            items.sort(key=lambda item: item[2].char_start)
            for start in range(0, len(items) - MIN_GROUP + 1, GROUP_SIZE):
                group = items[start : start + GROUP_SIZE]
                if len(group) < MIN_GROUP:
                    break
                rights = [
                    f"{role.title} ({role.span_text})" if role.span_text else role.title
                    for _, role, _ in group
                ]
                if len({_norm_title(r) for r in rights}) != len(rights):
                    continue
                ids = [actor.id for actor, _, _ in group]
                qid = f"f-aemter-{_short_hash(ids)}"
                choices = tuple(
                    ChoiceDraft(actor.name, correct=True, match=right)
                    for (actor, _, _), right in zip(group, rights, strict=True)
                )
                answer = PAIR_SEPARATOR.join(f"{c.text}{ORDER_SEPARATOR}{c.match}" for c in choices)
                why = " ".join(f"{c.text}: {c.match}." for c in choices)
                provenance = group[0][2]
                draft = self._draft(
                    qid, "matching", ROLE_MATCHING_PROMPT, answer, why, provenance,
                    _topic_of(provenance, self.events), "approved", ids[0], "matching_role",
                    choices=choices, extra={"facts": " ".join(ids)},
                )  # fmt: skip
                if draft is not None:
                    drafts.append(draft)
        return drafts


# --------------------------------------------------------------------------- helpers


#: Who could plausibly have held an office: anyone in government for a cabinet post, but
#: only diplomats for a diplomat's post and only soldiers for a soldier's.
_POLITICAL = frozenset(
    {"staatsoberhaupt", "regierungschef", "parteifuehrer", "aussenminister",
     "verteidigungsminister", "minister"}
)  # fmt: skip
_CABINET = frozenset({"regierungschef", "aussenminister", "verteidigungsminister", "minister"})
_PLAUSIBLE: dict[str, frozenset[str]] = {
    **dict.fromkeys(("staatsoberhaupt", "regierungschef", "parteifuehrer"), _POLITICAL),
    # A head of state is no plausible foreign minister; another member of government is.
    **dict.fromkeys(("aussenminister", "verteidigungsminister", "minister"), _CABINET),
    "botschafter": frozenset({"aussenminister", "botschafter", "diplomat"}),
    "diplomat": frozenset({"aussenminister", "botschafter", "diplomat"}),
    "militaer": frozenset({"militaer", "verteidigungsminister"}),
    "experte": frozenset({"experte"}),
}


def _names_actor(text: str, actor: Actor, date: FactDate) -> bool:
    """Tell whether ``text`` names the actor, by a name or an adjective ("russisch-japanisch")."""
    words = re.findall(r"\w+", text.lower())
    stems = [a.lower() for a in actor.adjectives]
    if any(word.startswith(stem) for word in words for stem in stems):
        return True
    return any(_mentions(text, name) for name in [*actor.all_names(), actor.name_at(date)])


def _norm_title(title: str) -> str:
    return " ".join(title.lower().split())


def _julian_twin(candidate: FactDate, asked: FactDate) -> bool:
    """Tell whether ``candidate`` is ``asked`` written in the Julian calendar Russia kept until
    February 1918 (12 days behind in the 19th century, 13 in the 20th)."""
    if asked.precision != "day" or candidate.precision != "day" or asked.year >= 1919:
        return False
    from datetime import date

    first = date(asked.year, asked.month or 1, asked.day or 1)
    second = date(candidate.year, candidate.month or 1, candidate.day or 1)
    return (first - second).days in (12, 13)


def _near_dates(asked: FactDate, seed: int) -> list[FactDate]:
    """Return dates near ``asked`` at its precision, in an order drawn from ``seed``."""
    precision = asked.precision
    candidates: list[FactDate] = []
    if precision == "day":
        assert asked.month is not None and asked.day is not None
        for shift in (1, -1, 2):
            month = (asked.month - 1 + shift) % 12 + 1
            year = asked.year + (asked.month - 1 + shift) // 12
            candidates.append(FactDate(year, month, min(asked.day, 28)))
        for shift in (10, -10, 3, -3):
            day = asked.day + shift
            if 1 <= day <= 28:
                candidates.append(FactDate(asked.year, asked.month, day))
        candidates.append(FactDate(asked.year + 1, asked.month, min(asked.day, 28)))
        candidates.append(FactDate(asked.year - 1, asked.month, min(asked.day, 28)))
    elif precision == "month":
        assert asked.month is not None
        for shift in (2, -2, 3, -3, 1, -1, 4):
            month = (asked.month - 1 + shift) % 12 + 1
            year = asked.year + (asked.month - 1 + shift) // 12
            candidates.append(FactDate(year, month))
        candidates.extend(
            [FactDate(asked.year + 1, asked.month), FactDate(asked.year - 1, asked.month)]
        )
    else:
        for shift in (1, -1, 2, -2, 3, -3, 4):
            candidates.append(FactDate(asked.year + shift))
    # Rotate by the seed so that the wrong dates do not always lie on the same side.
    turn = seed % len(candidates)
    return candidates[turn:] + candidates[:turn]


def _groups(
    events: Sequence[SourcedEvent], key: Callable[[SourcedEvent], object], offset: int = 0
) -> list[list[SourcedEvent]]:
    """Cut chronologically sorted events into groups of four whose keys all differ.

    ``offset`` starts the cut elsewhere, so that the orderings and the matchings of one
    document mix different events.
    """
    ordered = sorted(events, key=lambda e: e.event.date.sort_key)
    if offset and len(ordered) > GROUP_SIZE:
        ordered = ordered[offset:] + ordered[:offset]
    groups: list[list[SourcedEvent]] = []
    current: list[SourcedEvent] = []
    for sourced in ordered:
        if any(key(other) == key(sourced) for other in current):
            continue
        current.append(sourced)
        if len(current) == GROUP_SIZE:
            groups.append(sorted(current, key=lambda e: e.event.date.sort_key))
            current = []
    if len(current) >= MIN_GROUP:
        groups.append(sorted(current, key=lambda e: e.event.date.sort_key))
    return groups


def _common_topic(group: Sequence[SourcedEvent]) -> str:
    topics = [e.topic for e in group]
    return max(set(topics), key=lambda t: (topics.count(t), t))


def _topic_of(provenance: Provenance, events: Sequence[SourcedEvent]) -> str:
    """Return the topic of the events of the document a role is stated in."""
    topics = [e.topic for e in events if e.provenance.document == provenance.document]
    return max(set(topics), key=topics.count) if topics else "allgemein"


def _number_text(value: float) -> str:
    return f"{value:g}"


_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(%|Prozent)$")
_DECIMAL = re.compile(r"^(\d+),(\d+)$")
_YEARS = re.compile(r"^(\d{3,4})\s*[–-]\s*(\d{3,4})$")


def answer_variants(answer: str) -> list[str]:
    """Return further ways to write a gap's answer that mean the same: the lemma of an
    inflected word ("Neutralitätspaktes" -> "Neutralitätspakt"), "90 %" as "90 Prozent",
    "17,3" as "17.3", a span of years in every German form."""
    variants: list[str] = []
    if match := _PERCENT.match(answer):
        number = match.group(1)
        variants += [f"{number} %", f"{number}%", f"{number} Prozent"]
    elif match := _DECIMAL.match(answer):
        variants.append(f"{match.group(1)}.{match.group(2)}")
    elif match := _YEARS.match(answer):
        variants += year_range_variants(int(match.group(1)), int(match.group(2)))
    elif (
        " " not in answer
        and answer[:1].isupper()
        and not any(c.isdigit() for c in answer)
        and answer.endswith("s")
    ):
        # A genitive in the gap ("Sachalins", "Neutralitätspaktes") also counts as its base
        # form; other endings are left alone ("Tumen" is no plural of "Tum").
        base = lemma(answer)
        if base != answer and answer in (base + "s", base + "es") and len(base) >= 3:
            variants.append(base)
    return [v for v in dict.fromkeys(variants) if v != answer]


def with_status(draft: QuestionDraft, status: str) -> QuestionDraft:
    """Return the draft with another status."""
    return replace(draft, status=status)
