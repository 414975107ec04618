"""Reading ``amends classify`` input: one mention a line, each line checked alone.

Lines are decoded one by one, so a stray byte or a broken JSON line is reported
with its number instead of failing the whole stream, and the lines before it
still count.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from monitor.core.errors import AmendsError


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-based line number
    text: str
    brand: str | None


@dataclass(frozen=True, slots=True)
class BadLine:
    number: int
    reason: str


def open_input(source: str) -> BinaryIO:
    """The file (or stdin for "-") as bytes; a missing or unreadable one is one clear line."""
    if source == "-":
        return sys.stdin.buffer
    path = Path(source)
    if path.is_dir():
        raise AmendsError(f"{source}: is a folder; give a file with one mention per line")
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise AmendsError(f"{source}: no such file") from None
    except OSError as exc:
        raise AmendsError(f"{source}: cannot read it: {exc.strerror}") from None


def parse_lines(stream: BinaryIO, *, jsonl: bool) -> Iterator[Item | BadLine]:
    for number, raw in enumerate(stream, 1):
        try:
            line = raw.decode("utf-8").removesuffix("\n").removesuffix("\r")
        except UnicodeDecodeError as exc:
            yield BadLine(
                number,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "convert the file first, e.g. iconv -f latin1 -t utf-8",
            )
            continue
        yield _json_item(number, line) if jsonl and line.strip() else Item(number, line, None)


def _json_item(number: int, line: str) -> Item | BadLine:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(number, f"not JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        return BadLine(number, "not a JSON object with a 'text' field")
    text, brand = obj.get("text"), obj.get("brand")
    if not isinstance(text, str | None):
        return BadLine(number, f"'text' is a {type(text).__name__}, not a string")
    if not isinstance(brand, str | None):
        return BadLine(number, f"'brand' is a {type(brand).__name__}, not a string")
    return Item(number, text or "", brand)
