"""The inline SVG bar chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from quizapp.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_valid_svg_with_one_bar_per_value() -> None:
    svg = bar_chart([("Mo", 3), ("Di", 0), ("Mi", 1.5)], "Wiederholungen pro Tag")
    root = ET.fromstring(str(svg))
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == 0 and heights[0] == max(heights) and heights[2] == heights[0] / 2
    assert [b.find(f"{SVG}title").text for b in bars] == ["Mo: 3", "Di: 0", "Mi: 1,5"]
    assert root.get("aria-label") == "Wiederholungen pro Tag"


def test_labels_are_escaped() -> None:
    svg = str(bar_chart([("<script>", 1)], "a & b"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_empty_chart_renders() -> None:
    root = ET.fromstring(str(bar_chart([], "leer")))
    assert root.findall(f"{SVG}rect") == []
