"""How values are written to columns and read back: times, text, JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

MAX_TEXT_CHARS = 40_000  # Reddit's own post limit; anything longer is cut and flagged


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def iso_or_none(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def parse_or_none(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


def clean_for_storage(text: str) -> str:
    """Text SQLite can hold: lone surrogates (undecodable bytes) replaced, NULs dropped,
    length capped."""
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS] + " […cut by amends]"
    return text


def to_json(value: Any) -> str:
    return json.dumps(value, default=str)


def from_json(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty
