"""Upgrading a database's schema, with a backup copy taken first.

Only ``amends migrate`` and the daemon (``run``, ``demo``) change a schema; the
other commands refuse an older file and say so, so an operator's ``ack`` never
alters the schema under a running daemon of another version.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from monitor.store.migrations import MIGRATIONS, SOURCE_MIGRATIONS

# The core schema, then the source tables' own set.
_SETS = (MIGRATIONS, SOURCE_MIGRATIONS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Upgrade:
    """What opening a file to write did to its schema."""

    before: str | None  # the last core migration it had; None: a new file
    after: str  # the last core migration it has now
    applied: tuple[str, ...]  # migrations run now, in order
    backup: Path | None  # the copy taken before them (None for a new file)


def pending(db: sqlite_utils.Database) -> list[str]:
    return [m.name for migrations in _SETS for m in migrations.pending(db)]


def upgrade(db: sqlite_utils.Database, path: Path | None, *, now: datetime) -> Upgrade:
    """Apply every pending migration; an existing schema is copied aside first."""
    applied = MIGRATIONS.applied(db)
    before = applied[-1].name if applied else None
    todo = pending(db)
    backup = None
    if todo and before is not None and path is not None:
        backup = backup_copy(db.conn, path, before, now=now)
    for migrations in _SETS:
        migrations.apply(db)
    after = MIGRATIONS.applied(db)[-1].name
    return Upgrade(before=before, after=after, applied=tuple(todo), backup=backup)


def backup_copy(conn: sqlite3.Connection, path: Path, schema: str, *, now: datetime) -> Path:
    """``amends.db.bak-<schema>-<UTC time>`` beside the file. SQLite's backup API copies
    what the WAL holds too, where copying the file alone would miss it."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-{schema.split('_')[0]}-{stamp}")
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target
