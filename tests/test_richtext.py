"""Texts in Moodle's formats are shown safely: HTML sanitised, Markdown rendered, text escaped."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from quizapp.richtext import render, sanitise, to_text

HOSTILE = [
    '<script>alert("x")</script>Text',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klick</a>',
    '<a href="JaVaScRiPt:alert(1)">klick</a>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">Absatz</p>',
    '<iframe src="https://example.org"></iframe>',
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"><circle/></svg>',
    '<form action="/auth/logout"><button>weg</button></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    '<base href="https://example.org/">',
    '<div onmouseover="alert(1)">über</div>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<!--<script>alert(1)</script>-->",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_html_loses_everything_that_runs(fmt, hostile):
    shown = str(render(hostile, fmt)).lower()
    for bad in (
        "<script", "onerror", "onclick", "onload", "onmouseover", "javascript:", "<iframe",
        "<style", "style=", "<svg", "<form", "<object", "<embed", "<meta", "<base", "data:",
    ):  # fmt: skip
        assert bad not in shown, (hostile, shown)


def test_html_keeps_text_tags_and_safe_links():
    shown = render(
        '<p>Der <b>Frieden</b> von <a href="https://de.wikipedia.org/">P.</a></p>', "html"
    )
    assert isinstance(shown, Markup)
    assert str(shown) == (
        'Der <b>Frieden</b> von <a href="https://de.wikipedia.org/" '
        'rel="noopener noreferrer nofollow">P.</a>'
    )
    table = str(render("<table><tr><td colspan=2>1905</td></tr></table>", "html"))
    assert '<td colspan="2">1905</td>' in table


def test_markdown_is_rendered_then_sanitised():
    assert str(render("Wer liegt in **Grants Grab**?", "markdown")) == (
        "Wer liegt in <strong>Grants Grab</strong>?"
    )
    two = str(render("Erster Absatz.\n\n* eins\n* zwei", "markdown"))
    assert "<p>Erster Absatz.</p>" in two and "<li>eins</li>" in two


@pytest.mark.parametrize("fmt", ["plain", "moodle", None, "unbekannt"])
def test_plain_and_moodle_text_is_escaped_with_line_breaks(fmt):
    shown = str(render("a < b & <b>c</b>\nzweite Zeile", fmt))
    assert shown == "a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;<br>\nzweite Zeile"


def test_to_text_gives_the_words_without_markup():
    assert to_text("<p>Portsmouth &amp; <b>Paris</b></p><script>x()</script>", "html") == (
        "Portsmouth & Paris"
    )
    assert to_text("**fett** und *kursiv*", "markdown") == "fett und kursiv"
    assert to_text("<b>bleibt</b>", "moodle") == "<b>bleibt</b>"
    assert to_text("", "html") == ""


def test_sanitise_drops_unknown_attributes_and_classes():
    assert sanitise('<span class="x" id="y" data-a="1">t</span>') == "<span>t</span>"
