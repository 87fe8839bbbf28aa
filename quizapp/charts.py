"""Small bar charts as inline SVG, rendered on the server: no CDN, no JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup


def bar_chart(
    bars: Sequence[tuple[str, float]],
    title: str,
    *,
    width: int = 640,
    height: int = 180,
    label_every: int = 1,
) -> Markup:
    """Return an accessible SVG bar chart of ``(label, value)`` pairs.

    Every bar carries a <title> with its label and value (a tooltip and screen-reader text),
    and the chart as a whole is described by ``title``.
    """
    top, bottom, left = 16, 28, 4
    plot_height = height - top - bottom
    n = max(len(bars), 1)
    slot = (width - left) / n
    peak = max((v for _, v in bars), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="none" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" '
        'class="axis"/>',
    ]
    for i, (label, value) in enumerate(bars):
        bar_height = plot_height * value / peak
        x = left + i * slot + slot * 0.15
        y = top + plot_height - bar_height
        text = f"{label}: {_number(value)}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" '
            f'class="bar"><title>{escape(text)}</title></rect>'
        )
        if value:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" class="value">'
                f"{escape(_number(value))}</text>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" class="label">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")
