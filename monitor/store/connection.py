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

import functools
import importlib
import logging
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Self

from monitor.core.errors import StoreError


def _import_sqlite_utils_without_numpy() -> None:
    """Import sqlite-utils without loading numpy where nothing has yet.

    sqlite-utils imports numpy (0.2 s, a third of a CLI call) only to map numpy scalar
    types to column types when it creates a table from values; amends creates its
    tables from Python types, so the mapping is never used. A ``None`` entry in
    ``sys.modules`` makes its ``import numpy`` fail as if numpy were absent; the entry
    is removed at once, so a later ``import numpy`` (the classifier) loads it as usual.
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        importlib.import_module("sqlite_utils")
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        importlib.import_module("sqlite_utils")
    finally:
        if sys.modules.get("numpy", False) is None:
            del sys.modules["numpy"]


if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.db import Table

    from monitor.store.upgrade import Upgrade

logger = logging.getLogger(__name__)

# The WAL file is cut back to this size after a checkpoint that caught up (SQLite
# otherwise keeps it at its largest, however briefly it was that large).
WAL_SIZE_LIMIT = 64 * 1024 * 1024
# ``PRAGMA optimize`` samples this many rows per index instead of reading whole
# tables: ANALYZE over a million mentions takes seconds, a sample milliseconds.
ANALYSIS_LIMIT = 1000

Params = Sequence[Any] | dict[str, Any] | None


class Handle(Protocol):
    """What the store's modules call on the open file: sqlite-utils' ``Database`` for
    a connection that writes, ``_Reader`` for a read-only one."""

    conn: sqlite3.Connection

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor: ...
    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]: ...
    def atomic(self) -> AbstractContextManager[Any]: ...
    def table(self, table_name: str) -> Table: ...
    def enable_wal(self) -> None: ...
    def close(self) -> None: ...


@functools.cache
def _writer_class() -> type[sqlite_utils.Database]:
    """sqlite-utils' database whose outermost ``atomic()`` begins IMMEDIATE. Built on
    first use: importing sqlite-utils takes 0.1 s, which read-only opens never pay."""
    _import_sqlite_utils_without_numpy()
    import sqlite_utils

    class _Database(sqlite_utils.Database):
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

    return _Database


class _Reader:
    """A read-only open: the plain connection with the calls the store's reads make.
    The CLI's lookups (``mentions``, ``complaints``, ``stats``, ...) open one, so a
    whole call never imports sqlite-utils."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        # SQLite itself refuses any write on this connection, whatever runs it.
        conn.execute("PRAGMA query_only = ON")
        self.conn = conn

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters if parameters is not None else ())

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        cursor = self.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    @contextmanager
    def atomic(self) -> Iterator[_Reader]:
        # One snapshot for several reads; nothing to commit.
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            self.conn.execute("COMMIT")

    def table(self, table_name: str) -> Table:
        raise StoreError(f"the database was opened read-only: cannot write to {table_name}")

    def enable_wal(self) -> None:
        raise StoreError("the database was opened read-only: cannot change its journal")

    def close(self) -> None:
        self.conn.close()


class Connection:
    def __init__(self, db: Handle, path: Path | None) -> None:
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
            store = cls(_Reader(conn) if readonly else _writer_class()(conn), path)
            store._prepare(readonly=readonly, upgrade=upgrade and not readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain_sqlite(path, exc)) from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the database: {exc.strerror}") from None
        return store

    def _prepare(self, *, readonly: bool, upgrade: bool) -> None:
        from monitor.store.schema import schema_state

        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("select count(*) from sqlite_master").fetchone()  # detects non-SQLite
        schema = schema_state(self._db.conn)
        if schema.unknown:
            raise StoreError(
                f"{self.path}: this database was written by a newer amends "
                f"(migrations {', '.join(schema.unknown)}); upgrade amends or use another file"
            )
        if not upgrade and schema.pending:
            raise StoreError(
                f"{self.path}: this database was written by an older amends and needs "
                f"upgrading ({', '.join(schema.pending)}): run 'amends migrate' (it keeps a "
                "backup copy), or restart 'amends run', which does the same"
            )
        if readonly:
            return
        if self.path is not None:
            self._db.enable_wal()
            self._db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        if upgrade:
            # Imported here: sqlite-utils' migration support is only needed to write.
            from monitor.store.upgrade import upgrade as upgrade_schema

            assert isinstance(self._db, _writer_class())  # only a read-only open is not
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
