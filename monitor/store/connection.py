"""Opening the one SQLite file: pragmas, migrations, transactions.

WAL mode so the CLI and any SQLite tool can read while the daemon writes.
Every write goes through ``atomic()`` (``transaction()`` outside the store);
``with conn:`` would not roll back sqlite-utils writes. The schema is built by
migrations: opening a file to write upgrades it in place, and a file from a
newer amends is refused.

The connection is ``_db``: only the store's own modules run SQL on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Self

import sqlite_utils
from sqlite_utils.db import Table

import monitor.store.source_state as source_state
from monitor.core.errors import StoreError
from monitor.store.migrations import MIGRATIONS


class Connection:
    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self._db = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False, timeout: float = 10.0) -> Self:
        """``readonly``: never write, not even a migration (the CLI's lookups)."""
        path = Path(path)
        if readonly and not path.exists():
            raise StoreError(f"{path}: no such database (run 'amends demo' or 'amends run' first)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
            store = cls(sqlite_utils.Database(conn), path)
            store._prepare(readonly, timeout)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain_sqlite(path, exc)) from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the database: {exc.strerror}") from None
        return store

    def _prepare(self, readonly: bool, timeout: float) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("select count(*) from sqlite_master").fetchone()  # detects non-SQLite
        known = {m.name for m in MIGRATIONS._migrations}
        unknown = [m.name for m in MIGRATIONS.applied(self._db) if m.name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: this database was written by a newer amends "
                f"(migrations {', '.join(unknown)}); upgrade amends or use another file"
            )
        if readonly:
            if pending := MIGRATIONS.pending(self._db):
                raise StoreError(
                    f"{self.path}: this database was written by an older amends and needs "
                    f"upgrading ({', '.join(m.name for m in pending)}); amends upgrades it in "
                    "place whenever it opens it to write: restart 'amends run', or run "
                    "'amends poll' once"
                )
            return
        if self.path is not None:
            self._db.enable_wal()
        MIGRATIONS.apply(self._db)
        source_state.prepare(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[Any]:
        """One transaction around several store calls; nested ones become savepoints."""
        return self._db.atomic()

    def _table(self, name: str) -> Table:
        return self._db.table(name)

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """Insert one row; returns its id."""
        inserted = self._table(table).insert(row)
        assert inserted.last_pk is not None  # every table inserted into has an id
        return int(inserted.last_pk)

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        return self._db.query(sql, list(params))

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._db.execute(sql, list(params)).fetchone()
        return row[0] if row else None


def _explain_sqlite(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return (
            f"{path}: not a usable SQLite database ({text}); "
            "restore it from a backup or move it away"
        )
    if "locked" in text:
        return f"{path}: database is locked by another process (is 'amends run' already running?)"
    return f"{path}: database error: {text}"
