"""What amends remembers about each source between polls and restarts.

Health (last success, last error, next poll time, pause), and reads billed per
calendar month for paid APIs. Its own migration set, so the source tables
evolve without touching the core schema; every write is inside ``db.atomic()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from monitor.store.columns import iso_or_none, parse_or_none

MIGRATIONS = Migrations("amends-sources")


@MIGRATIONS()
def s001_initial(db: sqlite_utils.Database) -> None:
    db.table("source_health").create(
        {
            "source": str,
            "last_success_at": str,
            "last_error": str,
            "last_error_at": str,
            "failing_since": str,  # first failure of the current run of failures
            "failures": int,  # consecutive failures, for the backoff
            "mentions_fetched": int,  # since the database was created
            "last_mentions": int,  # in the last successful poll
            "last_mention_at": str,  # the last poll that brought any mention
            "usual_gap_seconds": float,  # smoothed time between polls with mentions
            "next_poll_at": str,
            "paused": str,  # why a person must act; empty when not paused
            "paused_fingerprint": str,  # config the pause applies to
            "alerted": str,  # the alert kind already sent for the current problem
        },
        pk="source",
        defaults={"failures": 0, "mentions_fetched": 0, "last_mentions": 0},
    )
    db.table("source_reads").create(
        {"source": str, "month": str, "reads": int, "warned": int, "stopped": int},
        pk=("source", "month"),
        defaults={"reads": 0, "warned": 0, "stopped": 0},
    )


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


def health(db: sqlite_utils.Database, source: str) -> Health:
    rows = list(db["source_health"].rows_where("source = ?", [source]))
    return _health(rows[0]) if rows else Health(source=source)


def all_health(db: sqlite_utils.Database) -> list[Health]:
    if not db["source_health"].exists():
        return []
    return [_health(r) for r in db["source_health"].rows_where(order_by="source")]


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


def save_health(db: sqlite_utils.Database, value: Health) -> None:
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


def spend(db: sqlite_utils.Database, source: str, month: str) -> Spend:
    rows = list(db["source_reads"].rows_where("source = ? and month = ?", [source, month]))
    row = rows[0] if rows else {"reads": 0, "warned": 0, "stopped": 0}
    return Spend(
        source=source,
        month=month,
        reads=row["reads"],
        warned=bool(row["warned"]),
        stopped=bool(row["stopped"]),
    )


def all_spend(db: sqlite_utils.Database) -> list[Spend]:
    if not db["source_reads"].exists():
        return []
    return [
        Spend(
            source=r["source"],
            month=r["month"],
            reads=r["reads"],
            warned=bool(r["warned"]),
            stopped=bool(r["stopped"]),
        )
        for r in db["source_reads"].rows_where(order_by="month desc, source")
    ]


def add_reads(db: sqlite_utils.Database, source: str, month: str, reads: int) -> Spend:
    with db.atomic():
        db.execute(
            "insert into source_reads (source, month, reads) values (?, ?, ?) "
            "on conflict (source, month) do update set reads = reads + excluded.reads",
            [source, month, reads],
        )
    return spend(db, source, month)


def mark_spend(
    db: sqlite_utils.Database, source: str, month: str, *, warned: bool, stopped: bool
) -> None:
    with db.atomic():
        db.execute(
            "insert into source_reads (source, month, warned, stopped) values (?, ?, ?, ?) "
            "on conflict (source, month) do update set warned = excluded.warned, "
            "stopped = excluded.stopped",
            [source, month, int(warned), int(stopped)],
        )
