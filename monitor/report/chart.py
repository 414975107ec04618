"""A small chart for the terminal: one bar per period, in eighths of a cell."""

from __future__ import annotations

from collections.abc import Sequence

_EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"


def bar(value: float, most: float, width: int) -> str:
    """``value`` as a bar out of ``width`` cells, ``most`` filling them all; any value
    above zero shows at least a sliver."""
    if most <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / most * width * 8))
    whole, part = divmod(eighths, 8)
    return FULL * whole + (_EIGHTHS[part] if part else "")


def bar_chart(rows: Sequence[tuple[str, int]], width: int = 40) -> list[str]:
    """``label  bar  value`` lines, labels and values aligned."""
    if not rows:
        return []
    most = max(value for _, value in rows)
    label_width = max(len(label) for label, _ in rows)
    value_width = max(len(f"{value:,}") for _, value in rows)
    room = max(width, 8)
    return [
        f"{label:<{label_width}}  {f'{value:,}':>{value_width}}  {bar(value, most, room)}".rstrip()
        for label, value in rows
    ]
