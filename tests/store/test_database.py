"""The mention store on real SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from monitor.core.errors import StoreError
from monitor.core.models import Batch, Classification, Mention
from monitor.store import MAX_TEXT_CHARS, Resolution, Store
from monitor.store.migrations import MIGRATIONS

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def outside(path) -> sqlite_utils.Database:
    """Another connection to the file, as any SQLite tool would open it."""
    return sqlite_utils.Database(path)


def mention(pid: str, text: str = "my order never arrived", **extra) -> Mention:
    return Mention(
        platform=extra.pop("platform", "x"),
        platform_id=pid,
        author="dana",
        text=text,
        url=f"https://x.com/dana/status/{pid}",
        created_at=NOW - timedelta(minutes=5),
        **extra,
    )


def test_round_trip_keeps_every_field(tmp_path):
    store = Store.open(tmp_path / "a.db")
    original = mention(
        "1",
        reach=4200,
        engagement=7,
        lang="en",
        thread_id="1",
        brand="Acme",
        raw={"post": {"id": "1"}},
    )
    saved = store.save_batch(Batch(source="x", mentions=[original]), now=NOW)
    [back] = store.mentions(saved.new_ids)
    assert back.mention == original
    assert back.mention.raw == {"post": {"id": "1"}}


def test_same_mention_twice_is_stored_once_and_counters_refresh(tmp_path):
    store = Store.open(tmp_path / "a.db")
    first = store.save_batch(Batch(source="x", mentions=[mention("1", reach=10)]), now=NOW)
    again = store.save_batch(
        Batch(source="x", mentions=[mention("1", reach=99, engagement=5), mention("1")]),
        now=NOW + timedelta(minutes=1),
    )
    assert first.new_ids == [1]
    assert again.new_ids == [] and again.updated == 2
    assert store.counts()["mentions"] == 1
    [stored] = store.mentions([1])
    assert stored.mention.reach == 0  # the last fetch wins: counters follow the platform


def test_cursors_are_saved_with_the_batch_and_survive_reopen(tmp_path):
    path = tmp_path / "a.db"
    store = Store.open(path)
    store.save_batch(Batch(source="x", mentions=[mention("5")], cursors={"q1": "5"}), now=NOW)
    store.close()
    assert Store.open(path).cursors("x") == {"q1": "5"}


def test_failed_batch_writes_nothing(tmp_path):
    store = Store.open(tmp_path / "a.db")
    bad = mention("2")
    object.__setattr__(bad, "created_at", "not a datetime")  # breaks iso() mid-batch
    with pytest.raises(AttributeError):
        store.save_batch(
            Batch(source="x", mentions=[mention("1"), bad], cursors={"q": "2"}), now=NOW
        )
    assert store.counts()["mentions"] == 0
    assert store.cursors("x") == {}


def test_full_text_search_finds_words_and_ignores_fts_syntax(tmp_path):
    store = Store.open(tmp_path / "a.db")
    store.save_batch(
        Batch(
            source="x",
            mentions=[
                mention("1", "still waiting for my refund"),
                mention("2", "love the new grinder"),
            ],
        ),
        now=NOW,
    )
    assert [r.id for r in store.search_mentions(search="refund")] == [1]
    assert store.search_mentions(search='refund OR "') == []  # quoted, not a syntax error


def test_fts_follows_updates_and_deletes(tmp_path):
    store = Store.open(tmp_path / "a.db")
    store.save_batch(Batch(source="x", mentions=[mention("1", "broken lid")]), now=NOW)
    tool = outside(tmp_path / "a.db")
    tool["mentions"].update(1, {"text": "cracked carafe"})
    assert store.search_mentions(search="carafe") and not store.search_mentions(search="lid")
    tool["mentions"].delete(1)
    assert store.search_mentions(search="carafe") == []
    tool.close()


@pytest.mark.parametrize(
    "text",
    ["", "😡😡😡", "x" * 100_000, "bad \udcff bytes \x00 here"],
    ids=["empty", "emoji", "huge", "non-utf8"],
)
def test_awkward_text_is_stored_whole_or_clearly_cut(tmp_path, text):
    store = Store.open(tmp_path / "a.db")
    saved = store.save_batch(Batch(source="x", mentions=[mention("1", text)]), now=NOW)
    [back] = store.mentions(saved.new_ids)
    assert len(back.mention.text) <= MAX_TEXT_CHARS + 20
    assert "\x00" not in back.mention.text
    back.mention.text.encode("utf-8")  # always valid UTF-8
    if len(text) > MAX_TEXT_CHARS:
        assert back.mention.text.endswith("[…cut by amends]")


def test_classifications_and_unclassified_recovery(tmp_path):
    store = Store.open(tmp_path / "a.db")
    saved = store.save_batch(Batch(source="x", mentions=[mention("1"), mention("2")]), now=NOW)
    result = Classification(
        complaint=True,
        complaint_score=0.91,
        sentiment="negative",
        sentiment_scores={"negative": 0.8, "neutral": 0.15, "positive": 0.05},
        model="amends-minilm",
        model_version="abc123",
    )
    store.save_classifications([(saved.new_ids[0], result)], now=NOW)
    assert store.unclassified_mention_ids() == [saved.new_ids[1]]
    assert store.latest_classification(saved.new_ids[0]) == result


def test_wal_mode(tmp_path):
    Store.open(tmp_path / "a.db").close()
    assert outside(tmp_path / "a.db").journal_mode == "wal"


def test_migration_upgrades_an_older_file_in_place(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m002_paging_and_feedback")
    old["mentions"].insert(
        {
            "platform": "x",
            "platform_id": "7",
            "url": "u",
            "author": "a",
            "text": "late parcel",
            "created_at": NOW.isoformat(),
            "raw": "{}",
        }
    )
    old.close()
    store = Store.open(path)
    assert [r.id for r in store.search_mentions(search="parcel")] == [1]
    upgraded = outside(path)
    assert "feedback" in upgraded.table_names()
    assert "grouped_into" in upgraded["complaints"].columns_dict
    assert {m.name for m in MIGRATIONS.applied(upgraded)} >= {
        "m001_initial",
        "m003_grouping_and_incidents",
    }


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path).close()
    outside(path)["_sqlite_migrations"].insert(
        {"migration_set": "amends", "name": "m999_future", "applied_at": "2030-01-01"}
    )
    with pytest.raises(StoreError, match="newer amends"):
        Store.open(path)


def test_corrupt_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        Store.open(path)


def test_locked_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path)
    holder.execute("create table other (x)")
    holder.execute("begin exclusive")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            Store.open(path, timeout=0.1)
    finally:
        holder.rollback()
        holder.close()
    assert Store.open(path).counts()["mentions"] == 0  # fine once the lock is gone


def test_status_moves_forward_and_is_recorded(tmp_path):
    store = Store.open(tmp_path / "a.db")
    saved = store.save_batch(Batch(source="x", mentions=[mention("1")]), now=NOW)
    outside(tmp_path / "a.db")["complaints"].insert(
        {
            "mention_id": saved.new_ids[0],
            "status": "paged",
            "priority": "P2",
            "assignee": "Dana",
        }
    )
    store.set_status(1, "acknowledged", by="dana", now=NOW)
    row = store.set_status(
        1,
        "resolved",
        by="dana",
        now=NOW,
        resolution=Resolution(cause="label printer", fix="resent", lesson="check printer daily"),
    )
    assert row.status == "resolved" and row.cause == "label printer"
    with pytest.raises(StoreError, match="already resolved"):
        store.set_status(1, "paged", by="x", now=NOW)
    assert [e.event for e in store.events(1)] == ["acknowledged", "resolved"]


def test_readonly_open_of_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="amends demo"):
        Store.open(tmp_path / "missing.db", readonly=True)


def test_readonly_open_of_an_older_file_says_how_it_is_upgraded(tmp_path):
    path = tmp_path / "old.db"
    old = outside(path)
    MIGRATIONS.apply(old, stop_before="m003_grouping_and_incidents")
    old.close()
    with pytest.raises(StoreError, match="restart 'amends run'") as raised:
        Store.open(path, readonly=True)
    assert "run 'amends migrate'" in str(raised.value)
    Store.open(path).close()  # a writing open upgrades it in place
    assert Store.open(path, readonly=True).counts()["complaints"] == 0


def test_only_the_store_holds_the_connection(tmp_path):
    store = Store.open(tmp_path / "a.db")
    assert not hasattr(store, "db") and not hasattr(store, "rows")
