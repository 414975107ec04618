"""Charts as inline SVG: drawn here, no script and no library, so the report is one
file that opens anywhere. Every label is escaped; categories, brands and platforms
are names people configured, but the report treats them as text all the same."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# Colour-blind-safe (Okabe-Ito), then greys for the long tail.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
    "#56B4E9", "#F0E442", "#000000", "#999999", "#BBBBBB",
)  # fmt: skip
WIDTH, HEIGHT = 720, 240
_LEFT, _BOTTOM, _TOP = 44, 28, 10


def colour(index: int) -> str:
    return PALETTE[min(index, len(PALETTE) - 1)]


def stacked_bars(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], *, title: str
) -> str:
    """One bar per label, stacked by series (name, one value per label), with a legend."""
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    most = max(totals, default=0) or 1
    plot_h = HEIGHT - _BOTTOM - _TOP
    step = (WIDTH - _LEFT) / max(len(labels), 1)
    bar_w = max(step * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 24}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{_LEFT}" y1="{HEIGHT - _BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - _BOTTOM}" '
        'stroke="#444"/>',
        f'<text x="{_LEFT - 6}" y="{_TOP + 10}" text-anchor="end" font-size="11">{most:,}</text>',
        f'<text x="{_LEFT - 6}" y="{HEIGHT - _BOTTOM}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, label in enumerate(labels):
        x = _LEFT + i * step + (step - bar_w) / 2
        y = float(HEIGHT - _BOTTOM)
        for index, (name, values) in enumerate(series):
            h = values[i] / most * plot_h
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour(index)}"><title>{escape(label)}: {escape(name)} '
                f"{values[i]:,}</title></rect>"
            )
        if len(labels) <= 16 or i % max(len(labels) // 8, 1) == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - _BOTTOM + 14}" '
                f'text-anchor="middle" font-size="10">{escape(label[-5:])}</text>'
            )
    parts.extend(_legend([name for name, _ in series]))
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    x = float(_LEFT)
    for index, name in enumerate(names):
        shown = escape(name[:24])
        parts.append(
            f'<rect x="{x:.0f}" y="{HEIGHT + 6}" width="10" height="10" fill="{colour(index)}"/>'
            f'<text x="{x + 14:.0f}" y="{HEIGHT + 15}" font-size="11">{shown}</text>'
        )
        x += 24 + 7 * min(len(name), 24)
    return parts


def horizontal_bars(rows: Sequence[tuple[str, int]], *, title: str) -> str:
    """One labelled bar per row, longest first as given."""
    height = 22 * len(rows) + 8
    most = max((value for _, value in rows), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + 22 * i
        w = value / most * (WIDTH - 260)
        parts.append(
            f'<text x="150" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(label[:28])}</text>"
            f'<rect x="158" y="{y}" width="{max(w, 1):.1f}" height="16" fill="{colour(i)}"/>'
            f'<text x="{164 + w:.1f}" y="{y + 13}" font-size="12">{value:,}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
