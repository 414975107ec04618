"""Opening the file: waiting for the daemon's write lock, creating, upgrading."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest
import sqlite_utils

from monitor.core.errors import StoreError
from monitor.store import Store
from monitor.store.migrations import MIGRATIONS
from monitor.store.source_state import Health

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _with_a_paged_complaint(path) -> None:
    Store.open(path).close()
    db = sqlite_utils.Database(path)
    mention = db["mentions"].insert(
        {"platform": "x", "platform_id": "1", "text": "late", "created_at": NOW.isoformat()}
    )
    db["complaints"].insert(
        {"mention_id": mention.last_pk, "status": "paged", "priority": "P2", "assignee": "Dana"}
    )
    db.close()


class _Writer(threading.Thread):
    """Another process's connection (the daemon) holding the write lock for ``hold`` s."""

    def __init__(self, path, hold: float) -> None:
        super().__init__(daemon=True)
        self.path, self.hold = path, hold
        self.locked = threading.Event()
        self.released_at = 0.0

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("begin immediate")
        conn.execute("update complaints set priority = 'P1' where id = 1")
        self.locked.set()
        time.sleep(self.hold)
        self.released_at = time.monotonic()
        conn.execute("commit")
        conn.close()


@pytest.mark.parametrize("in_transaction", [True, False])
def test_a_write_waits_for_the_daemons_write_lock(tmp_path, in_transaction):
    """`amends ack` while the daemon writes: read, then write, in one transaction.
    A deferred transaction cannot wait there (WAL) and failed at once."""
    path = tmp_path / "amends.db"
    _with_a_paged_complaint(path)
    store = Store.open(path, timeout=10)
    writer = _Writer(path, hold=1.0)
    writer.start()
    assert writer.locked.wait(5)
    started = time.monotonic()
    if in_transaction:
        with store.transaction():
            store.complaint(1)  # the read that starts the snapshot
            store.set_status(1, "acknowledged", by="dana", now=NOW)
    else:
        store.set_status(1, "acknowledged", by="dana", now=NOW)
    done = time.monotonic()
    writer.join()
    assert done >= writer.released_at  # it waited for the lock, then wrote
    assert done - started >= 0.8
    after = store.complaint(1)
    assert (after.status, after.acked_by, after.priority.level) == ("acknowledged", "dana", "P1")
    store.close()


def test_a_write_gives_up_after_the_busy_timeout(tmp_path):
    path = tmp_path / "amends.db"
    _with_a_paged_complaint(path)
    store = Store.open(path, timeout=0.3)
    writer = _Writer(path, hold=2.0)
    writer.start()
    assert writer.locked.wait(5)
    with pytest.raises(sqlite3.OperationalError, match="locked"), store.transaction():
        store.set_status(1, "acknowledged", by="dana", now=NOW)
    writer.join()
    assert store.complaint(1).status == "paged"  # nothing half-written
    store.close()


def test_a_transaction_that_fails_writes_nothing_and_nesting_still_works(tmp_path):
    path = tmp_path / "amends.db"
    _with_a_paged_complaint(path)
    store = Store.open(path)
    with pytest.raises(RuntimeError), store.transaction():
        store.set_status(1, "acknowledged", by="dana", now=NOW)
        raise RuntimeError("crash mid-transaction")
    assert store.complaint(1).status == "paged"
    with store.transaction():
        # The inner one is a savepoint: only its own work is undone.
        with pytest.raises(StoreError), store.transaction():
            store.set_status(1, "acknowledged", by="dana", now=NOW)
            store.set_status(1, "new", by="dana", now=NOW)
        store.set_status(1, "resolved", by="dana", now=NOW)
    assert [e.event for e in store.events(1)] == ["resolved"]
    store.close()


def test_only_a_creating_open_makes_a_missing_file_or_its_folders(tmp_path):
    missing = tmp_path / "typo" / "amends.db"
    for readonly in (False, True):
        with pytest.raises(StoreError, match="no such database; check --db"):
            Store.open(missing, readonly=readonly, create=False)
    assert not (tmp_path / "typo").exists()
    Store.open(missing).close()  # the daemon's open creates both
    assert missing.exists()


def _older_file(path) -> None:
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m003_grouping_and_incidents")
    old["mentions"].insert(
        {"platform": "x", "platform_id": "9", "text": "kept", "created_at": NOW.isoformat()}
    )
    old.close()


def test_an_older_file_is_refused_unless_the_open_may_upgrade(tmp_path):
    path = tmp_path / "old.db"
    _older_file(path)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="run 'amends migrate'"):
            Store.open(path, readonly=readonly, create=False, upgrade=False)
    assert not list(tmp_path.glob("old.db.bak-*"))  # a refusal copies nothing


def test_upgrading_copies_the_file_aside_first(tmp_path):
    path = tmp_path / "old.db"
    _older_file(path)
    store = Store.open(path)
    done = store.upgraded
    assert done is not None and done.before == "m002_paging_and_feedback"
    assert done.applied[:2] == ("m003_grouping_and_incidents", "m004_category_label")
    assert done.after == MIGRATIONS._migrations[-1].name
    assert done.backup is not None and done.backup.name.startswith("old.db.bak-m002-")
    store.close()
    backup = sqlite_utils.Database(done.backup)
    assert [m.name for m in MIGRATIONS.applied(backup)][-1] == "m002_paging_and_feedback"
    assert [r["text"] for r in backup["mentions"].rows] == ["kept"]  # the data came along
    again = Store.open(path)
    assert again.upgraded is not None and again.upgraded.applied == ()  # nothing left to do
    assert again.upgraded.backup is None
    again.close()


def test_a_read_only_reader_never_blocks_the_daemons_writes(tmp_path):
    """A SQLite tool (datasette, sqlite3 -readonly) with a read open on the file: the
    daemon writes on without waiting, the reader keeps its snapshot, and the WAL
    frames it still needs are checkpointed once it lets go."""
    from monitor.core.models import Batch, Mention

    path = tmp_path / "amends.db"
    daemon = Store.open(path, timeout=0.2)  # a blocked write would fail within 0.2 s
    tool = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    tool.execute("begin")
    assert tool.execute("select count(*) from mentions").fetchone() == (0,)
    started = time.monotonic()
    for n in range(50):
        mention = Mention(
            platform="x",
            platform_id=str(n),
            author="a",
            text=f"post {n}",
            url="https://example.test",
            created_at=NOW,
        )
        daemon.save_batch(Batch(source="x", mentions=[mention]), now=NOW)
    assert time.monotonic() - started < 5
    assert daemon.counts()["mentions"] == 50
    assert tool.execute("select count(*) from mentions").fetchone() == (0,)  # its snapshot
    frames, done = daemon.maintain()
    assert done < frames  # what the reader may still need stays in the WAL
    tool.execute("commit")
    tool.close()
    frames, done = daemon.maintain()
    assert done == frames
    daemon.close()


def test_opening_the_store_does_not_load_numpy():
    """sqlite-utils would import numpy (0.2 s of every CLI call) for nothing amends uses."""
    import subprocess
    import sys

    code = "import sys, monitor.store; print('numpy' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.stdout.strip() == "False", shown.stderr


def test_a_read_only_open_reads_but_refuses_to_write(tmp_path):
    path = tmp_path / "amends.db"
    with Store.open(path) as store:
        store.save_source_health(Health(source="feed", failures=2))
    reader = Store.open(path, readonly=True)
    assert reader.source_health("feed").failures == 2
    with pytest.raises(StoreError, match="opened read-only"):
        reader.save_source_health(Health(source="feed", failures=3))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # a write by plain SQL
        reader.add_source_reads("feed", "2026-11", 5)
    with reader.transaction():  # one snapshot for several reads
        assert reader.counts()["mentions"] == 0
    reader.close()
    with Store.open(path, readonly=True) as again:
        assert again.source_health("feed").failures == 2
