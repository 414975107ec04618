"""Migration m008: the complaints' own full-text index, filled and kept by triggers."""

from __future__ import annotations

from datetime import timedelta

from monitor.store import Store
from monitor.store.complaint_text import COMPLAINT_TEXT_SCHEMA
from monitor.store.migrations import m008_complaints_fts
from monitor.store.search import MentionFilter, MentionQuery
from tests.store.conftest import NOW, POSTS, Post, _open, fill, rerun_migration


def indexed(store: Store, words: str) -> list[int]:
    """What the complaints' index alone finds, newest first."""
    rows = store._db.execute(
        "select rowid from complaints_fts where complaints_fts match ? order by rowid desc",
        [words],
    )
    return [rowid for (rowid,) in rows]


def complaints_found(store: Store, words: str) -> list[int]:
    query = MentionQuery(text=words, filters=MentionFilter(complaints_only=True))
    return [hit.id for hit in store.search(query).hits]


def test_it_holds_exactly_the_complaints_posts(filled):
    # Mentions 1, 2, 4, 5 are complaints; 3 and 6-8 share their words but are not.
    assert indexed(filled, "refund* OR kettle* OR late OR love") == [5, 4, 2, 1]
    assert complaints_found(filled, "kettle") == [5, 4]
    every = [hit.id for hit in filled.search(MentionQuery(text="kettle*")).hits]
    assert every == [8, 5, 4]


def test_the_migration_indexes_the_complaints_a_database_already_held(filled):
    rerun_migration(filled, COMPLAINT_TEXT_SCHEMA, "complaints_fts", m008_complaints_fts)
    assert indexed(filled, "refund* OR kettle*") == [5, 4, 2, 1]


def test_a_complaint_opened_later_is_found_at_once(filled):
    assert complaints_found(filled, "grinder") == []
    _open(filled, 3, Post("love the new grinder", complaint="new"), opened=NOW)
    assert complaints_found(filled, "grinder") == [3]


def test_pruned_complaints_leave_the_index_and_it_stays_consistent(tmp_path):
    store = Store.open(tmp_path / "amends.db")
    fill(store, POSTS)
    report = store.prune(older_than=NOW - timedelta(hours=20), include_complaints=True)
    assert report.complaints == 2  # mentions 4 and 5
    assert indexed(store, "kettle*") == []
    assert complaints_found(store, "refund") == [2, 1]
    store._db.execute("insert into complaints_fts (complaints_fts) values ('integrity-check')")
    store.close()


def test_an_edited_post_is_searched_by_its_new_words(filled):
    with filled.transaction():
        filled._db.execute("update mentions set text = 'the spout leaks' where id = 4")
    assert complaints_found(filled, "spout") == [4]
    assert complaints_found(filled, "lid") == []
    filled._db.execute("insert into complaints_fts (complaints_fts) values ('integrity-check')")
