"""Retention: old mentions go with everything that points at them, search follows."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from monitor.store.search import MentionQuery
from tests.store.conftest import NOW


def count(store, table: str) -> int:
    return sqlite3.connect(store.path).execute(f"select count(*) from {table}").fetchone()[0]


def test_a_dry_run_counts_and_changes_nothing(filled):
    done = filled.prune(older_than=NOW - timedelta(hours=60), dry_run=True)
    assert (done.mentions, done.complaints) == (3, 0)  # posts 6, 7, 8; none a complaint
    assert count(filled, "mentions") == 8


def test_old_mentions_go_but_complaints_stay(filled):
    done = filled.prune(older_than=NOW - timedelta(hours=40), reclaim=False)
    assert done.mentions == 3  # 6, 7, 8; 5 (50 hours old) is a complaint and stays
    assert count(filled, "mentions") == 5 and count(filled, "complaints") == 4
    assert filled.search(MentionQuery(text="easy OR friendly OR old")).hits == []
    assert count(filled, "mention_payloads") == 5
    assert count(filled, "classifications") == 5  # 8 was never judged


def test_with_complaints_their_history_goes_too_and_space_comes_back(filled):
    cutoff = NOW - timedelta(hours=10)
    would = filled.prune(older_than=cutoff, include_complaints=True, dry_run=True)
    assert (would.mentions, would.complaints) == (5, 2) and count(filled, "complaints") == 4
    done = filled.prune(older_than=cutoff, include_complaints=True)
    assert (done.mentions, done.complaints) == (5, 2)  # 4 and 5 were complaints
    assert count(filled, "complaints") == 2
    assert count(filled, "events") == len(filled.events(1)) + len(filled.events(2))
    kept = [h.id for h in filled.search(MentionQuery(text="refund OR kettle")).hits]
    assert kept == [2, 1]
    assert sqlite3.connect(filled.path).execute("pragma freelist_count").fetchone() == (0,)
    # The full-text index is whole: SQLite's own check passes.
    filled._db.execute("insert into mentions_fts (mentions_fts) values ('integrity-check')")
