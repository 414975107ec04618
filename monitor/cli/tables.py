"""Printing what the database holds: cleaned cells, tables that fit the terminal, JSON lines.

Every string printed here may come from a post's author or a remote server, so each
cell goes through the same ``clean_text`` as a page (no control, bidi or zero-width
characters, one line) and is printed as plain text, never as rich markup. On a
terminal a table keeps one line per row: the free-text column takes what room is
left and is cut with "…", and the columns marked ``wide`` appear only when there is
room for them. When stdout is not a terminal the rows are tab-separated, every
column, with nothing cut, for ``cut``, ``awk`` and spreadsheets.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.text import Text

GAP = "  "
MIN_FREE = 36  # the free-text column keeps at least this many cells before wide columns show

# Characters a terminal may act on or that reorder what it shows: escaped in JSON output.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

Cell = str | int | datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    header: str
    most: int = 16  # the widest a cell is shown on a terminal
    wide: bool = False  # shown on a terminal only when the free-text column keeps room
    free: bool = False  # the free-text column: takes what room is left


def plain(text: str | None, limit: int | None = None) -> str:
    """``text`` cleaned as pages clean it, on one line; cut only beyond ``limit``."""
    if not text:
        return ""
    from monitor.page.render import clean_text  # loads the platform registry: when needed

    room = limit if limit is not None else 2 * len(text) + 64  # NFKC may lengthen it
    return " ".join(clean_text(text, room, defang=False).split())


def is_terminal(console: Console) -> bool:
    isatty = getattr(console.file, "isatty", None)
    return bool(isatty and isatty())


def moment(value: datetime | None, *, year: bool = True) -> str:
    """A UTC time to the minute: "2026-11-23 12:05", or "11-23 12:05" where room is short."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M" if year else "%m-%d %H:%M")


def print_table(
    console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]
) -> None:
    if not is_terminal(console):
        _print_tsv(console, columns, rows)
        return
    shown, year = _fit(columns, rows, console.width)
    _print_line(console, [(col.header, width) for col, width, _ in shown], bold=True)
    for row in rows:
        _print_line(console, [(_cell(row[i], year=year), width) for _, width, i in shown])


Fitted = list[tuple[Column, int, int]]  # (column, cells wide, its index in a row)


def _fit(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int
) -> tuple[Fitted, bool]:
    """Every column if the free-text one keeps ``MIN_FREE`` cells, else the narrow set with
    times shown without their year; and whether times show their year."""
    full = _widths(columns, range(len(columns)), rows, width, year=True)
    if all(w >= MIN_FREE for col, w, _ in full if col.free):
        return full, True
    narrow = [i for i, col in enumerate(columns) if not col.wide]
    return _widths(columns, narrow, rows, width, year=False), False


def _widths(
    columns: Sequence[Column],
    keep: Iterable[int],
    rows: Sequence[Sequence[Cell]],
    width: int,
    *,
    year: bool,
) -> Fitted:
    fitted = []
    for i in keep:
        col = columns[i]
        if col.free:
            fitted.append((col, 0, i))
            continue
        longest = max((cell_len(_cell(row[i], year=year)) for row in rows), default=0)
        fitted.append((col, max(cell_len(col.header), min(longest, col.most)), i))
    room = max(width - sum(w for _, w, _ in fitted) - len(GAP) * (len(fitted) - 1), 10)
    return [(col, room if col.free else w, i) for col, w, i in fitted]


def _cell(value: Cell, *, year: bool = True) -> str:
    if isinstance(value, datetime):
        return moment(value, year=year)
    if isinstance(value, int):
        return str(value)
    return plain(value, 400)


def _print_line(console: Console, cells: list[tuple[str, int]], *, bold: bool = False) -> None:
    parts = [_cut(text, width) for text, width in cells]
    console.print(Text(GAP.join(parts).rstrip(), style="bold" if bold else ""), soft_wrap=True)


def _cut(text: str, width: int) -> str:
    """``text`` padded or cut to ``width`` terminal cells, a cut marked with "…"."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _print_tsv(console: Console, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> None:
    out = console.file
    out.write("\t".join(col.header for col in columns) + "\n")
    for row in rows:
        out.write("\t".join(_tsv_cell(value) for value in row) + "\n")
    out.flush()


def _tsv_cell(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return str(value) if isinstance(value, int) else plain(value)


def print_json(console: Console, value: Any) -> None:
    """One JSON line, the text kept as stored but every character a terminal could act
    on (ESC, bidi overrides, C1 controls...) written as a ``\\uXXXX`` escape."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    console.file.write("".join(_escape(ch) for ch in text) + "\n")


def _escape(ch: str) -> str:
    if unicodedata.category(ch) not in _UNSAFE:
        return ch
    code = ord(ch)
    if code > 0xFFFF:  # JSON escapes name UTF-16 units
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
