"""What amends remembers about each source between polls and restarts.

Health (last success, last error, next poll time, pause), and reads billed per
calendar month for paid APIs. Its own migration set (``SOURCE_MIGRATIONS`` in
``monitor.store.migrations``), so the source tables evolve without touching the core
schema; every write is inside ``db.atomic()``. Reads are plain SQL, so a read-only
handle answers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor.store.columns import iso_or_none, parse_or_none
from monitor.store.connection import Handle


@dataclass(frozen=True, slots=True, kw_only=True)
class Health:
    source: str
    last_success_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    failing_since: datetime | None = None
    failures: int = 0
    mentions_fetched: int = 0
    last_mentions: int = 0
    last_mention_at: datetime | None = None
    usual_gap_seconds: float | None = None
    next_poll_at: datetime | None = None
    paused: str = ""
    paused_fingerprint: str = ""
    alerted: str = ""


def health(db: Handle, source: str) -> Health:
    rows = list(db.query("select * from source_health where source = ?", [source]))
    return _health(rows[0]) if rows else Health(source=source)


def all_health(db: Handle) -> list[Health]:
    return [_health(r) for r in db.query("select * from source_health order by source")]


def _health(row: dict[str, Any]) -> Health:
    return Health(
        source=row["source"],
        last_success_at=parse_or_none(row["last_success_at"]),
        last_error=row["last_error"] or "",
        last_error_at=parse_or_none(row["last_error_at"]),
        failing_since=parse_or_none(row["failing_since"]),
        failures=row["failures"] or 0,
        mentions_fetched=row["mentions_fetched"] or 0,
        last_mentions=row["last_mentions"] or 0,
        last_mention_at=parse_or_none(row["last_mention_at"]),
        usual_gap_seconds=row["usual_gap_seconds"],
        next_poll_at=parse_or_none(row["next_poll_at"]),
        paused=row["paused"] or "",
        paused_fingerprint=row["paused_fingerprint"] or "",
        alerted=row["alerted"] or "",
    )


def save_health(db: Handle, value: Health) -> None:
    row = {
        "source": value.source,
        "last_success_at": iso_or_none(value.last_success_at),
        "last_error": value.last_error,
        "last_error_at": iso_or_none(value.last_error_at),
        "failing_since": iso_or_none(value.failing_since),
        "failures": value.failures,
        "mentions_fetched": value.mentions_fetched,
        "last_mentions": value.last_mentions,
        "last_mention_at": iso_or_none(value.last_mention_at),
        "usual_gap_seconds": value.usual_gap_seconds,
        "next_poll_at": iso_or_none(value.next_poll_at),
        "paused": value.paused,
        "paused_fingerprint": value.paused_fingerprint,
        "alerted": value.alerted,
    }
    with db.atomic():
        db.table("source_health").upsert(row, pk="source")


# --- billed reads ------------------------------------------------------------------------


def month_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


@dataclass(frozen=True, slots=True, kw_only=True)
class Spend:
    source: str
    month: str
    reads: int
    warned: bool  # the 80 % warning went out this month
    stopped: bool  # the budget ran out this month


def spend(db: Handle, source: str, month: str) -> Spend:
    rows = list(
        db.query("select * from source_reads where source = ? and month = ?", [source, month])
    )
    row = rows[0] if rows else {"reads": 0, "warned": 0, "stopped": 0}
    return Spend(
        source=source,
        month=month,
        reads=row["reads"],
        warned=bool(row["warned"]),
        stopped=bool(row["stopped"]),
    )


def all_spend(db: Handle) -> list[Spend]:
    return [
        Spend(
            source=r["source"],
            month=r["month"],
            reads=r["reads"],
            warned=bool(r["warned"]),
            stopped=bool(r["stopped"]),
        )
        for r in db.query("select * from source_reads order by month desc, source")
    ]


def add_reads(db: Handle, source: str, month: str, reads: int) -> Spend:
    with db.atomic():
        db.execute(
            "insert into source_reads (source, month, reads) values (?, ?, ?) "
            "on conflict (source, month) do update set reads = reads + excluded.reads",
            [source, month, reads],
        )
    return spend(db, source, month)


def mark_spend(db: Handle, source: str, month: str, *, warned: bool, stopped: bool) -> None:
    with db.atomic():
        db.execute(
            "insert into source_reads (source, month, warned, stopped) values (?, ?, ?, ?) "
            "on conflict (source, month) do update set warned = excluded.warned, "
            "stopped = excluded.stopped",
            [source, month, int(warned), int(stopped)],
        )
