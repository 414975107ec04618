"""Find the line of each key in a TOML text, so config errors can name it.

``tomllib`` keeps no positions, so this reads the text line by line, tracking
the current table and how many times each array of tables has opened.
It handles what a hand-written config uses: ``[a.b]``, ``[[a]]``, ``key = value``
and dotted keys. Multi-line values are attributed to their first line.
"""

from __future__ import annotations

import re

_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
_PART = r'(?:[A-Za-z0-9_-]+|"[^"]*")'
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")

Loc = tuple[str | int, ...]


def _split(dotted: str) -> list[str]:
    return [p.strip().strip('"') for p in re.findall(r'"[^"]*"|[^.]+', dotted)]


def key_lines(text: str) -> dict[Loc, int]:
    lines: dict[Loc, int] = {}
    counts: dict[Loc, int] = {}  # times each array of tables has opened
    table: Loc = ()
    depth = 0  # open brackets of a multi-line value: keys inside are not top-level

    def resolve(parts: list[str]) -> Loc:
        # Inside [[a]] a later [a.b] means the last element of a.
        loc: Loc = ()
        for part in parts:
            loc += (part,)
            if loc in counts:
                loc += (counts[loc] - 1,)
        return loc

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split("#", 1)[0] if '"' not in line else line
        if depth == 0:
            if m := _ARRAY.match(line):
                parts = _split(m.group(1))
                base = (*resolve(parts[:-1]), parts[-1])
                counts[base] = counts.get(base, 0) + 1
                table = (*base, counts[base] - 1)
                lines.setdefault(base, number)
                lines[table] = number
                continue
            if m := _TABLE.match(line):
                table = resolve(_split(m.group(1)))
                lines[table] = number
                continue
            if m := _KEY.match(line):
                lines[table + tuple(_split(m.group(1)))] = number
        depth += stripped.count("[") + stripped.count("{")
        depth -= stripped.count("]") + stripped.count("}")
        depth = max(depth, 0)
    return lines
