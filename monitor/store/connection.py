"""Opening the one SQLite file: pragmas, migrations, transactions.

WAL mode so the CLI and any SQLite tool can read while the daemon writes.
Every write goes through ``atomic()`` (``transaction()`` outside the store);
``with conn:`` would not roll back sqlite-utils writes. Each write transaction
begins IMMEDIATE: it waits for the write lock up to the busy timeout, where a
deferred one that read first fails at once ("database is locked") while the
daemon writes, since SQLite cannot wait for a lock on a snapshot it may not
extend. The schema is built by migrations (``upgrade``); a file from a newer
amends is refused.

The connection is ``_db``: only the store's own modules run SQL on it.

Readers never block the writer in WAL mode, but a read transaction left open
keeps every WAL frame after its snapshot, so the WAL grows until it ends: the
store's reads are short statements, never a transaction held open, and the
daemon checkpoints on a schedule (``maintain``), with ``journal_size_limit``
shrinking the file back once a checkpoint has caught up.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Self

from monitor.core.errors import StoreError


def _sqlite_utils_without_numpy() -> ModuleType:
    """sqlite-utils, imported without loading numpy where nothing has yet.

    sqlite-utils imports numpy (0.2 s, a third of a CLI call) only to map numpy scalar
    types to column types when it creates a table from values; amends creates its
    tables from Python types, so the mapping is never used. A ``None`` entry in
    ``sys.modules`` makes its ``import numpy`` fail as if numpy were absent; the entry
    is removed at once, so a later ``import numpy`` (the classifier) loads it as usual.
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return importlib.import_module("sqlite_utils")
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("sqlite_utils")
    finally:
        if sys.modules.get("numpy", False) is None:
            del sys.modules["numpy"]


if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.db import Table

    from monitor.store.upgrade import Upgrade
else:
    sqlite_utils = _sqlite_utils_without_numpy()

logger = logging.getLogger(__name__)

# The WAL file is cut back to this size after a checkpoint that caught up (SQLite
# otherwise keeps it at its largest, however briefly it was that large).
WAL_SIZE_LIMIT = 64 * 1024 * 1024
# ``PRAGMA optimize`` samples this many rows per index instead of reading whole
# tables: ANALYZE over a million mentions takes seconds, a sample milliseconds.
ANALYSIS_LIMIT = 1000


class _Database(sqlite_utils.Database):
    """sqlite-utils' database whose outermost ``atomic()`` begins IMMEDIATE."""

    @contextmanager
    def atomic(self) -> Iterator[_Database]:
        if self.conn.in_transaction:  # nested: sqlite-utils makes it a savepoint
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


class Connection:
    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self._db = db
        self.path = path
        self.upgraded: Upgrade | None = None  # what opening it did to the schema

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        readonly: bool = False,
        create: bool = True,
        upgrade: bool = True,
        timeout: float = 10.0,
    ) -> Self:
        """``readonly``: never write (the CLI's lookups). ``create``: a missing file
        becomes a new database (the daemon, the demo, ``migrate``), else it is an
        error. ``upgrade``: migrate an older schema, backing the file up first;
        else an older file is refused with what to run."""
        path = Path(path)
        if (readonly or not create) and not path.exists():
            raise StoreError(
                f"{path}: no such database; check --db or general.database "
                "('amends run', 'amends demo' and 'amends migrate' create one)"
            )
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            # IMMEDIATE: the driver's own implicit transactions take the write lock first too.
            conn = sqlite3.connect(
                path, timeout=timeout, check_same_thread=False, isolation_level="IMMEDIATE"
            )
            store = cls(_Database(conn), path)
            store._prepare(readonly=readonly, upgrade=upgrade and not readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain_sqlite(path, exc)) from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the database: {exc.strerror}") from None
        return store

    def _prepare(self, *, readonly: bool, upgrade: bool) -> None:
        # Imported here: sqlite-utils' migration support is only needed once a file is open.
        from monitor.store.migrations import MIGRATIONS
        from monitor.store.upgrade import pending
        from monitor.store.upgrade import upgrade as upgrade_schema

        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("select count(*) from sqlite_master").fetchone()  # detects non-SQLite
        known = {m.name for m in MIGRATIONS._migrations}
        unknown = [m.name for m in MIGRATIONS.applied(self._db) if m.name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: this database was written by a newer amends "
                f"(migrations {', '.join(unknown)}); upgrade amends or use another file"
            )
        if not upgrade and (todo := pending(self._db)):
            raise StoreError(
                f"{self.path}: this database was written by an older amends and needs "
                f"upgrading ({', '.join(todo)}): run 'amends migrate' (it keeps a backup "
                "copy), or restart 'amends run', which does the same"
            )
        if readonly:
            return
        if self.path is not None:
            self._db.enable_wal()
            self._db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        if upgrade:
            self.upgraded = upgrade_schema(self._db, self.path, now=datetime.now(UTC))
            if self.upgraded.backup is not None:
                logger.info(
                    "%s: upgraded the schema from %s (%s); the file before is at %s",
                    self.path,
                    self.upgraded.before,
                    ", ".join(self.upgraded.applied),
                    self.upgraded.backup,
                )

    def close(self) -> None:
        self._db.close()

    def maintain(self) -> tuple[int, int]:
        """The daemon's scheduled upkeep: checkpoint the WAL without waiting for readers
        (a reader holding an old snapshot only delays the frames it still needs), then
        refresh the planner's statistics where they are stale (``PRAGMA optimize``
        with a sampling limit, milliseconds at a million mentions). Returns the WAL's
        frames and how many of them are now in the database file."""
        _busy, frames, done = self._db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self._db.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        self._db.execute("PRAGMA optimize")
        return int(frames), int(done)

    def analyze(self) -> None:
        """Statistics for every table and index, sampled (see ``ANALYSIS_LIMIT``)."""
        self._db.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        self._db.execute("ANALYZE")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[Any]:
        """One transaction around several store calls; nested ones become savepoints.
        It takes the write lock when it begins (see the module's note)."""
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
