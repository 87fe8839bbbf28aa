"""Texts in Moodle's four text formats, made safe to show: plain Python, no Flask.

Moodle gives every text (question, answer, feedback) a format; GIFT writes it as a tag in
front of the text (``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]``). Here:

* ``html``: the teacher's HTML, sanitised with nh3 (the Ammonia sanitiser): no scripts,
  styles, frames, forms or event handlers, links only to http(s) and mail addresses; what
  is left is a small set of text tags (paragraphs, emphasis, lists, tables, code, images).
* ``markdown``: rendered by markdown-it-py (CommonMark), then sanitised the same way.
* ``plain`` and ``moodle``: escaped; line breaks are kept. (Moodle's own "moodle" format
  lets HTML through; quizapp does not, so a text written for the bank never turns into
  markup by accident.)

Every function returns a ``markupsafe.Markup`` that templates print as it is, so the one
place that decides what is safe is this module. Nothing here writes inline scripts or
styles, so the pages' Content-Security-Policy holds.
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

FORMATS: tuple[str, ...] = ("moodle", "html", "plain", "markdown")
DEFAULT_FORMAT = "moodle"
#: The formats by their German names (editor, question page).
FORMAT_NAMES = {
    "moodle": "Moodle-Text (ohne HTML)",
    "plain": "reiner Text",
    "html": "HTML",
    "markdown": "Markdown",
}

#: Tags that carry text and structure; everything else is removed (its text stays, except
#: that the content of script and style elements goes with them).
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
        "dl", "dt", "em", "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_SINGLE_PARAGRAPH = re.compile(r"\A\s*<p>((?:(?!</?p[\s>]).)*)</p>\s*\Z", re.DOTALL)


def normal_format(fmt: str | None, default: str = DEFAULT_FORMAT) -> str:
    """Return ``fmt`` if it is a known format, else ``default``."""
    return fmt if fmt in FORMATS else default


def sanitise(markup: str) -> str:
    """Return HTML with everything removed that could run code or change the page."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@functools.cache
def _markdown() -> MarkdownIt:
    # Raw HTML in Markdown is allowed as in Moodle; the sanitiser takes out what is unsafe.
    return MarkdownIt("commonmark", {"html": True})


def _unwrap(markup: str) -> str:
    """Drop the ``<p>`` around a text that is one paragraph, so it fits inline."""
    found = _SINGLE_PARAGRAPH.match(markup)
    return found[1] if found else markup.strip()


@functools.lru_cache(maxsize=4096)
def _render(text: str, fmt: str) -> str:
    if fmt == "html":
        return _unwrap(sanitise(text))
    if fmt == "markdown":
        return _unwrap(sanitise(_markdown().render(text)))
    return str(escape(text)).replace("\n", "<br>\n")


def render(text: str | None, fmt: str | None = DEFAULT_FORMAT) -> Markup:
    """Return a text as safe HTML for its format (unknown formats count as "moodle")."""
    if not text:
        return Markup("")
    return Markup(_render(text, normal_format(fmt)))  # noqa: S704 (sanitised or escaped above)


@functools.lru_cache(maxsize=4096)
def _plain(text: str, fmt: str) -> str:
    if fmt not in ("html", "markdown"):
        return text
    markup = _markdown().render(text) if fmt == "markdown" else text
    markup = re.sub(r"<br\s*/?>|</(?:p|div|li|tr|h\d)>", " ", markup, flags=re.IGNORECASE)
    stripped = nh3.clean(markup, tags=set(), clean_content_tags={"script", "style"})
    return " ".join(html.unescape(stripped).split())


def to_text(text: str | None, fmt: str | None = DEFAULT_FORMAT) -> str:
    """Return the words of a text without markup (for lists, dropdowns and short previews).

    The result is plain text: templates escape it like any other string.
    """
    if not text:
        return ""
    return _plain(text, normal_format(fmt))
