"""Load and validate the hand-written question bank (questions/*.yaml).

The YAML is read with ``yaml.compose`` rather than ``yaml.safe_load`` so that every error can
name the line of the offending node, and so that scalars stay the text the author typed
(``answer: no`` or ``answer: 1905`` must not turn into a bool or an int). All errors of all
files are collected and raised together; nothing is returned unless the whole bank is valid.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from bisect import bisect_right
from collections.abc import Mapping
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizapp.bank.dates import parse_german_date
from quizapp.bank.topics import all_topics
from quizapp.bank.types import (
    KINDS,
    ChoiceDraft,
    CleanedDocument,
    QuestionDraft,
    Sentence,
    default_weight,
)

REVIEWS_FILE = "reviews.yaml"
GAP = "___"
ORDER_SEPARATOR = " → "
PAIR_SEPARATOR = "; "
TRUE_FALSE_ANSWERS = ("wahr", "falsch")

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: Ids of generated questions start with this; curated ids must not, so they never collide.
GENERATED_PREFIX = "g-"

MIN_DISTRACTORS, MAX_DISTRACTORS = 2, 5
MIN_ITEMS, MAX_ITEMS = 3, 6  # ordering items and matching pairs alike

FILE_KEYS = ("document", "topic", "questions")
COMMON_KEYS = ("id", "kind", "prompt", "source", "explanation")
OPTIONAL_KEYS = ("topic", "replaces")
#: ``replaces: <fact id>/<template>``: the generated question this curated one stands for.
REPLACES_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[a-z_]+(?:-[a-z0-9]+)*")
#: kind -> (required keys, optional keys) on top of COMMON_KEYS / OPTIONAL_KEYS.
KIND_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single_choice": (("answer", "distractors"), ()),
    "true_false": (("answer",), ()),
    "typed": (("answer",), ("accept",)),
    "cloze": (("answer",), ("accept",)),
    "date": (("answer", "distractors"), ()),
    "ordering": (("items",), ()),
    "matching": (("pairs",), ()),
    "multiple_choice": (("answers", "distractors"), ()),
    "numerical": (("answer",), ("tolerance",)),
}
QUESTION_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(
        COMMON_KEYS + OPTIONAL_KEYS + tuple(k for req, opt in KIND_KEYS.values() for k in req + opt)
    )
)

_NULL_TAG = "tag:yaml.org,2002:null"
_GAP_RUN = re.compile(r"_{3,}")

assert set(KIND_KEYS) == set(KINDS), "every kind needs a schema entry"


class CurationError(ValueError):
    """The curated bank or the reviews file is invalid; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        summary = f"{count} error{'s' if count != 1 else ''} in the question bank"
        super().__init__(summary + ":\n" + "\n".join(self.errors))


# --------------------------------------------------------------------------- public API


def load_curated(directory: Path, documents: Mapping[str, CleanedDocument]) -> list[QuestionDraft]:
    """Load every questions/*.yaml except reviews.yaml; raise CurationError if any is invalid.

    ``documents`` maps seed file names to their cleaned text; every ``source`` quote must occur
    in its document. Returns approved, curated drafts in file and question order.
    """
    errors = _Errors()
    first_seen: dict[str, str] = {}  # question id -> "path:line" of its first definition
    locators: dict[str, _QuoteLocator] = {}
    drafts: list[QuestionDraft] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == REVIEWS_FILE:
            continue
        root = _compose(path, errors)
        if root is not None:
            drafts.extend(
                _read_bank_file(_display(path), root, documents, first_seen, locators, errors)
            )
    errors.raise_if_any()
    return drafts


def find_source_sentence(document: CleanedDocument, quote: str) -> Sentence | None:
    """Return the sentence containing ``quote`` (matched ignoring whitespace), or None."""
    locator = _QuoteLocator(document)
    span = locator.span(quote)
    return locator.sentence(*span) if span is not None else None


def correct_position(question_id: str, option_count: int) -> int:
    """Return where the correct option goes among ``option_count`` options, stable per id."""
    # sha256 rather than hash(): str hashes are salted per process, positions must not move.
    digest = hashlib.sha256(question_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % option_count


# --------------------------------------------------------------------------- plumbing


class _Errors:
    """Collects ``path:line: message`` strings."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, label: str, where: Node | int, message: str) -> None:
        line = where if isinstance(where, int) else where.start_mark.line + 1
        self.items.append(f"{label}:{line}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            raise CurationError(self.items)


def _display(path: Path) -> str:
    """Return the path as given, made relative to the working directory when it lies inside."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _compose(path: Path, errors: _Errors) -> Node | None:
    """Parse ``path`` into a node tree; report syntax errors and empty files."""
    label = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.add(label, 1, "file not found")
        return None
    except UnicodeDecodeError as exc:
        errors.add(label, 1, f"not valid UTF-8 ({exc.reason})")
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        errors.add(label, line, f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:  # e.g. a control character the reader rejects
        errors.add(label, 1, f"YAML syntax error: {exc}")
        return None
    if root is None:
        errors.add(label, 1, "file is empty")
    return root


def _mapping(
    label: str, node: Node, errors: _Errors, what: str
) -> dict[str, tuple[ScalarNode, Node]] | None:
    """Return {key: (key node, value node)}; report a non-mapping and duplicate keys."""
    if not isinstance(node, MappingNode):
        errors.add(label, node, f"{what} must be a mapping")
        return None
    result: dict[str, tuple[ScalarNode, Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            errors.add(label, key_node, f"{what}: keys must be plain text")
            continue
        key = key_node.value
        if key in result:
            errors.add(
                label, key_node, f"duplicate key '{key}' (first at line {_line(result[key][0])})"
            )
            continue
        result[key] = (key_node, value_node)
    return result


def _check_keys(
    label: str,
    node: Node,
    fields: Mapping[str, tuple[ScalarNode, Node]],
    required: tuple[str, ...],
    allowed: tuple[str, ...],
    errors: _Errors,
    known: tuple[str, ...] = (),
    misplaced: str = "here",
) -> None:
    """Report missing required keys (at ``node``) and keys not in ``allowed`` (at the key).

    A key in ``known`` but not ``allowed`` exists elsewhere in the schema; otherwise it is
    unknown and most likely a typo, so the closest allowed key is suggested.
    """
    for key in required:
        if key not in fields:
            errors.add(label, node, f"missing key '{key}'")
    for key, (key_node, _) in fields.items():
        if key in allowed:
            continue
        if key in known:
            errors.add(label, key_node, f"key '{key}' does not apply {misplaced}")
            continue
        close = difflib.get_close_matches(key, allowed + known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
        errors.add(label, key_node, f"unknown key '{key}'{hint}")


def _text(label: str, node: Node, what: str, errors: _Errors) -> str | None:
    """Return a non-empty scalar as stripped text; report anything else as ``what``."""
    if not isinstance(node, ScalarNode):
        errors.add(label, node, f"{what} must be a text, not a list or mapping")
        return None
    value = node.value.strip() if node.tag != _NULL_TAG else ""
    if not value:
        errors.add(label, node, f"{what} must not be empty")
        return None
    return value


def _text_list(label: str, node: Node, key: str, errors: _Errors) -> list[tuple[str, Node]] | None:
    """Return [(text, node)] for a list of non-empty texts; report anything else."""
    if not isinstance(node, SequenceNode):
        errors.add(label, node, f"'{key}' must be a list")
        return None
    result: list[tuple[str, Node]] = []
    ok = True
    for item in node.value:
        value = _text(label, item, f"an item of '{key}'", errors)
        if value is None:
            ok = False
        else:
            result.append((value, item))
    return result if ok else None


def _norm(text: str) -> str:
    """Normalize for equality checks: case and whitespace do not make options different."""
    # lower(), not casefold(): casefold maps "ß" to "ss", but "Grossmacht" is a distinct spelling
    # worth accepting next to "Großmacht".
    return " ".join(text.lower().split())


def _mentions(haystack: str, needle: str) -> bool:
    """Return True if ``needle`` occurs in ``haystack`` as whole words, ignoring case."""
    pattern = r"(?<!\w)" + re.escape(_norm(needle)) + r"(?!\w)"
    return re.search(pattern, _norm(haystack)) is not None


class _QuoteLocator:
    """Find quotes in a cleaned document regardless of whitespace."""

    def __init__(self, document: CleanedDocument) -> None:
        self.document = document
        # The text without any whitespace, and for each of its characters the original offset.
        self.offsets = [i for i, ch in enumerate(document.text) if not ch.isspace()]
        self.compact = "".join(document.text[i] for i in self.offsets)
        self.starts = [s.start for s in document.sentences]

    def span(self, quote: str) -> tuple[int, int] | None:
        """Return the (start, end) offsets of the first occurrence of ``quote`` in the text."""
        needle = "".join(quote.split())
        at = self.compact.find(needle) if needle else -1
        if at < 0:
            return None
        return self.offsets[at], self.offsets[at + len(needle) - 1] + 1

    def sentence(self, start: int, end: int) -> Sentence | None:
        """Return the sentence overlapping [start, end) the most, or None if none does."""
        # The quote should lie in one sentence; if the splitter cut it (e.g. after an initial
        # like "J. W."), the sentence holding most of it is still the right provenance.
        best: Sentence | None = None
        best_overlap = 0
        first = max(bisect_right(self.starts, start) - 1, 0)
        for sentence in self.document.sentences[first:]:
            if sentence.start >= end:
                break
            overlap = min(end, sentence.end) - max(start, sentence.start)
            if overlap > best_overlap:
                best, best_overlap = sentence, overlap
        return best


# --------------------------------------------------------------------------- question files


def _read_bank_file(
    label: str,
    root: Node,
    documents: Mapping[str, CleanedDocument],
    first_seen: dict[str, str],
    locators: dict[str, _QuoteLocator],
    errors: _Errors,
) -> list[QuestionDraft]:
    """Validate one question file; return its drafts (meaningless if errors were added)."""
    fields = _mapping(label, root, errors, "the file")
    if fields is None:
        return []
    _check_keys(label, root, fields, FILE_KEYS, FILE_KEYS, errors)

    document: CleanedDocument | None = None
    if "document" in fields:
        node = fields["document"][1]
        name = _text(label, node, "'document'", errors)
        if name is not None:
            document = documents.get(name)
            if document is None:
                errors.add(label, node, f"unknown document '{name}' (not a cleaned seed document)")
            elif name not in locators:
                locators[name] = _QuoteLocator(document)

    default_topic: str | None = None
    if "topic" in fields:
        default_topic = _topic(label, fields["topic"][1], errors)

    if "questions" not in fields:
        return []
    questions_node = fields["questions"][1]
    if not isinstance(questions_node, SequenceNode):
        errors.add(label, questions_node, "'questions' must be a list")
        return []
    if not questions_node.value:
        errors.add(label, questions_node, "'questions' must not be empty")

    locator = locators.get(document.name) if document is not None else None
    drafts = []
    for node in questions_node.value:
        draft = _read_question(label, node, document, locator, default_topic, first_seen, errors)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _topic(label: str, node: Node, errors: _Errors) -> str | None:
    slug = _text(label, node, "'topic'", errors)
    if slug is None:
        return None
    slugs = [s for s, _ in all_topics()]
    if slug not in slugs:
        errors.add(label, node, f"unknown topic '{slug}' (known: {', '.join(slugs)})")
        return None
    return slug


def _read_question(
    label: str,
    node: Node,
    document: CleanedDocument | None,
    locator: _QuoteLocator | None,
    default_topic: str | None,
    first_seen: dict[str, str],
    errors: _Errors,
) -> QuestionDraft | None:
    """Validate one question mapping; return its draft, or None if it has errors."""
    before = len(errors.items)
    fields = _mapping(label, node, errors, "a question")
    if fields is None:
        return None

    def value(key: str) -> Node | None:
        return fields[key][1] if key in fields else None

    # The kind decides which keys are allowed, so read it first.
    kind: str | None = None
    if (kind_node := value("kind")) is not None:
        kind = _text(label, kind_node, "'kind'", errors)
        if kind is not None and kind not in KIND_KEYS:
            errors.add(label, kind_node, f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
            kind = None
    if kind is not None:
        required, optional = KIND_KEYS[kind]
        allowed = COMMON_KEYS + OPTIONAL_KEYS + required + optional
        _check_keys(
            label,
            node,
            fields,
            COMMON_KEYS + required,
            allowed,
            errors,
            known=QUESTION_KEYS,
            misplaced=f"to kind {kind}",
        )
    else:
        # Without a kind only the keys every question has can be demanded.
        _check_keys(label, node, fields, COMMON_KEYS, QUESTION_KEYS, errors)

    qid = _question_id(label, value("id"), first_seen, errors)
    prompt = _text(label, p, "'prompt'", errors) if (p := value("prompt")) is not None else None
    explanation = (
        _text(label, e, "'explanation'", errors)
        if (e := value("explanation")) is not None
        else None
    )
    topic = default_topic
    if (topic_node := value("topic")) is not None:
        topic = _topic(label, topic_node, errors)
    replaces: str | None = None
    if (replaces_node := value("replaces")) is not None:
        replaces = _text(label, replaces_node, "'replaces'", errors)
        if replaces is not None and not REPLACES_PATTERN.fullmatch(replaces):
            errors.add(
                label,
                replaces_node,
                f"'replaces' must name a fact and a template, e.g. 'frieden-portsmouth/date', "
                f"not '{replaces}'",
            )

    sentence: Sentence | None = None
    quote: str | None = None
    if (source_node := value("source")) is not None:
        quote = _text(label, source_node, "'source'", errors)
        if quote is not None and document is not None and locator is not None:
            span = locator.span(quote)
            sentence = locator.sentence(*span) if span is not None else None
            if span is None:
                errors.add(label, source_node, f"source quote not found in {document.name}")
            elif sentence is None:
                errors.add(
                    label,
                    source_node,
                    f"source quote lies outside every sentence of {document.name}",
                )

    if prompt is not None:
        gaps = _GAP_RUN.findall(prompt)
        if kind == "cloze":
            if len(gaps) != 1:
                errors.add(label, value("prompt"), f"cloze prompt needs exactly one '{GAP}' gap")
            elif gaps[0] != GAP:
                errors.add(label, value("prompt"), f"write the gap as exactly '{GAP}'")
        elif kind is not None and gaps:
            errors.add(label, value("prompt"), f"only cloze prompts may contain a '{GAP}' gap")

    answer: str | None = None
    choices: tuple[ChoiceDraft, ...] = ()
    accepted: tuple[str, ...] = ()
    if kind is not None:
        result = _read_kind_fields(label, kind, qid, prompt, fields, errors)
        if result is not None:
            answer, choices, accepted = result

    if len(errors.items) > before:
        return None
    if not (qid and kind and prompt and explanation and topic and answer and quote):
        return None  # only after a file-level error (no document or topic), already reported
    if document is None or sentence is None:
        return None
    return QuestionDraft(
        id=qid,
        kind=kind,
        prompt=prompt,
        answer=answer,
        explanation=explanation,
        topic=topic,
        document=document.name,
        origin="curated",
        accepted=accepted,
        choices=choices,
        sentence_index=sentence.index,
        char_start=sentence.start,
        char_end=sentence.end,
        status="approved",
        extra={
            "source": quote,
            "defined_at": f"{label}:{_line(node)}",
            **({"replaces": replaces} if replaces else {}),
            **({"tolerance": value("tolerance").value} if value("tolerance") is not None else {}),
        },
    )


def _question_id(
    label: str, node: Node | None, first_seen: dict[str, str], errors: _Errors
) -> str | None:
    if node is None:
        return None
    qid = _text(label, node, "'id'", errors)
    if qid is None:
        return None
    if not ID_PATTERN.fullmatch(qid):
        errors.add(label, node, f"id '{qid}' must be lower-case words of [a-z0-9] joined by '-'")
        return None
    if qid.startswith(GENERATED_PREFIX):
        errors.add(label, node, f"id '{qid}' must not start with '{GENERATED_PREFIX}' (generated)")
        return None
    where = f"{label}:{_line(node)}"
    if qid in first_seen:
        errors.add(label, node, f"duplicate id '{qid}' (first defined at {first_seen[qid]})")
        return None
    first_seen[qid] = where
    return qid


def _read_kind_fields(
    label: str,
    kind: str,
    qid: str | None,
    prompt: str | None,
    fields: Mapping[str, tuple[ScalarNode, Node]],
    errors: _Errors,
) -> tuple[str, tuple[ChoiceDraft, ...], tuple[str, ...]] | None:
    """Validate the kind-specific keys; return (answer, choices, accepted) or None."""
    before = len(errors.items)
    if kind == "ordering":
        return _read_ordering(label, fields, errors)
    if kind == "matching":
        return _read_matching(label, fields, errors)
    if kind == "multiple_choice":
        return _read_multiple_choice(label, qid, fields, errors)

    if "answer" not in fields:
        return None  # reported as a missing key
    answer_node = fields["answer"][1]
    answer = _text(label, answer_node, "'answer'", errors)
    if answer is None:
        return None

    if kind == "true_false":
        if answer not in TRUE_FALSE_ANSWERS:
            errors.add(label, answer_node, "true_false answer must be 'wahr' or 'falsch'")
            return None
        return answer, (), ()

    if kind == "date" and parse_german_date(answer) is None:
        errors.add(label, answer_node, f"date answer '{answer}' is not a German date")
    if kind == "numerical":
        for key in ("answer", "tolerance"):
            if key in fields and _number(_text(label, fields[key][1], key, errors)) is None:
                errors.add(label, fields[key][1], f"numerical {key} must be a number")
        if len(errors.items) > before:
            return None
        return answer, (), ()

    accepted: list[str] = []
    if "accept" in fields:
        accept_node = fields["accept"][1]
        items = _text_list(label, accept_node, "accept", errors) or []
        seen = {_norm(answer)}
        for text, item_node in items:
            if _norm(text) in seen:
                errors.add(label, item_node, f"accepted answer '{text}' is listed twice")
            seen.add(_norm(text))
            accepted.append(text)

    if prompt is not None:
        for text in [answer, *accepted]:
            if _mentions(prompt, text):
                errors.add(label, fields["prompt"][1], f"the prompt gives away the answer '{text}'")

    choices: tuple[ChoiceDraft, ...] = ()
    if kind in ("single_choice", "date") and "distractors" in fields:
        distractors = _read_distractors(label, kind, answer, fields["distractors"][1], errors)
        if distractors is not None and qid is not None:
            options = [ChoiceDraft(text=d) for d in distractors]
            options.insert(
                correct_position(qid, len(options) + 1), ChoiceDraft(text=answer, correct=True)
            )
            choices = tuple(options)

    if len(errors.items) > before:
        return None
    return answer, choices, tuple(accepted)


def _read_distractors(
    label: str, kind: str, answer: str, node: Node, errors: _Errors
) -> list[str] | None:
    items = _text_list(label, node, "distractors", errors)
    if items is None:
        return None
    if not MIN_DISTRACTORS <= len(items) <= MAX_DISTRACTORS:
        errors.add(
            label,
            node,
            f"{kind} needs {MIN_DISTRACTORS}-{MAX_DISTRACTORS} distractors, got {len(items)}",
        )
    answer_date = parse_german_date(answer) if kind == "date" else None
    seen: dict[str, Node] = {}
    seen_dates: dict[tuple[int, int | None, int | None], Node] = {}
    for text, item_node in items:
        key = _norm(text)
        if key == _norm(answer):
            errors.add(label, item_node, f"distractor '{text}' equals the answer")
            continue
        if key in seen:
            errors.add(
                label,
                item_node,
                f"duplicate distractor '{text}' (first at line {_line(seen[key])})",
            )
            continue
        seen[key] = item_node
        if kind != "date":
            continue
        # Wrong dates must be dates too, or the right one stands out; and "05.09.1905" is
        # the same option as "5. September 1905".
        parsed = parse_german_date(text)
        if parsed is None:
            errors.add(label, item_node, f"date distractor '{text}' is not a German date")
        elif parsed == answer_date:
            errors.add(label, item_node, f"distractor '{text}' equals the answer")
        elif parsed in seen_dates:
            errors.add(
                label,
                item_node,
                f"duplicate distractor '{text}' (first at line {_line(seen_dates[parsed])})",
            )
        else:
            seen_dates[parsed] = item_node
    return [text for text, _ in items]


def _number(text: str | None) -> float | None:
    """Return the number a German or English decimal text stands for, or None."""
    if text is None:
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _read_multiple_choice(
    label: str, qid: str | None, fields: Mapping[str, tuple[ScalarNode, Node]], errors: _Errors
) -> tuple[str, tuple[ChoiceDraft, ...], tuple[str, ...]] | None:
    """Read right ``answers`` and wrong ``distractors``; weights as Moodle sets them.

    Each right option is worth 100/len(right) percent and each wrong one costs
    100/len(wrong), so ticking everything scores nothing.
    """
    if "answers" not in fields or "distractors" not in fields:
        return None
    before = len(errors.items)
    right = _text_list(label, fields["answers"][1], "answers", errors) or []
    wrong = _text_list(label, fields["distractors"][1], "distractors", errors) or []
    if len(right) < 2:
        errors.add(label, fields["answers"][1], "multiple_choice needs at least 2 right answers")
    if not wrong:
        errors.add(label, fields["distractors"][1], "multiple_choice needs a distractor")
    _report_duplicates(label, [*right, *wrong], "option", errors)
    if len(errors.items) > before or qid is None:
        return None
    options = [
        ChoiceDraft(text=t, correct=ok, weight=default_weight(ok, len(right), len(wrong)))
        for texts, ok in ((right, True), (wrong, False))
        for t, _ in texts
    ]
    # A deterministic shuffle, so the right options are not always on top.
    options.sort(key=lambda c: hashlib.sha256(f"{qid}:{c.text}".encode()).hexdigest())
    # The answer lists the right options in the order they are stored, as every reader does.
    return PAIR_SEPARATOR.join(c.text for c in options if c.correct), tuple(options), ()


def _read_ordering(
    label: str, fields: Mapping[str, tuple[ScalarNode, Node]], errors: _Errors
) -> tuple[str, tuple[ChoiceDraft, ...], tuple[str, ...]] | None:
    if "items" not in fields:
        return None
    node = fields["items"][1]
    items = _text_list(label, node, "items", errors)
    if items is None:
        return None
    before = len(errors.items)
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        errors.add(label, node, f"ordering needs {MIN_ITEMS}-{MAX_ITEMS} items, got {len(items)}")
    _report_duplicates(label, items, "item", errors)
    if len(errors.items) > before:
        return None
    texts = [text for text, _ in items]
    choices = tuple(ChoiceDraft(text=text, correct=True) for text in texts)
    return ORDER_SEPARATOR.join(texts), choices, ()


def _read_matching(
    label: str, fields: Mapping[str, tuple[ScalarNode, Node]], errors: _Errors
) -> tuple[str, tuple[ChoiceDraft, ...], tuple[str, ...]] | None:
    if "pairs" not in fields:
        return None
    node = fields["pairs"][1]
    if not isinstance(node, SequenceNode):
        errors.add(label, node, "'pairs' must be a list of {left: ..., right: ...}")
        return None
    before = len(errors.items)
    lefts: list[tuple[str, Node]] = []
    rights: list[tuple[str, Node]] = []
    for pair_node in node.value:
        pair = _mapping(label, pair_node, errors, "a pair")
        if pair is None:
            continue
        _check_keys(label, pair_node, pair, ("left", "right"), ("left", "right"), errors)
        if "left" in pair and "right" in pair:
            left = _text(label, pair["left"][1], "'left'", errors)
            right = _text(label, pair["right"][1], "'right'", errors)
            if left is not None and right is not None:
                lefts.append((left, pair["left"][1]))
                rights.append((right, pair["right"][1]))
    if not MIN_ITEMS <= len(node.value) <= MAX_ITEMS:
        errors.add(
            label, node, f"matching needs {MIN_ITEMS}-{MAX_ITEMS} pairs, got {len(node.value)}"
        )
    _report_duplicates(label, lefts, "left side", errors)
    _report_duplicates(label, rights, "right side", errors)
    if len(errors.items) > before:
        return None
    choices = tuple(
        ChoiceDraft(text=left, match=right, correct=True)
        for (left, _), (right, _) in zip(lefts, rights, strict=True)
    )
    answer = PAIR_SEPARATOR.join(f"{c.text}{ORDER_SEPARATOR}{c.match}" for c in choices)
    return answer, choices, ()


def _report_duplicates(
    label: str, items: list[tuple[str, Node]], what: str, errors: _Errors
) -> None:
    seen: dict[str, Node] = {}
    for text, node in items:
        key = _norm(text)
        if key in seen:
            errors.add(label, node, f"duplicate {what} '{text}' (first at line {_line(seen[key])})")
        else:
            seen[key] = node
