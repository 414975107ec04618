"""Migration m006: the SQL views answer people's questions, and the hot queries'
plans use the indexes it adds (EXPLAIN QUERY PLAN), whatever the statistics say."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from monitor.store import Store
from monitor.store.search import MentionFilter, MentionQuery
from monitor.store.views import VIEW_NAMES
from tests.store.conftest import NOW


def reader(store: Store) -> sqlite3.Connection:
    """The file as any SQLite tool opens it, read-only."""
    return sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)


def test_every_view_answers_a_plain_select(filled):
    db = reader(filled)
    for name in VIEW_NAMES:
        db.execute(f"select * from {name}").fetchall()
    assert {"open_complaints", "sla_breaches", "daily_counts", "response_times"} <= set(VIEW_NAMES)


def test_open_complaints_and_response_times(filled):
    db = reader(filled)
    open_ = db.execute("select complaint_id, status from open_complaints order by 1").fetchall()
    assert [status for _, status in open_] == ["paged", "new", "acknowledged"]
    times = dict(
        db.execute(
            "select status, minutes_to_ack from response_times where acked_at is not null"
        ).fetchall()
    )
    assert times == {"resolved": 20.0, "acknowledged": 20.0}


def test_sla_breaches_are_complaints_left_past_their_due_time(filled):
    """Every fixture complaint was due an hour after opening; only the resolved one was
    acknowledged in time (20 min) but resolved late (200 min)."""
    db = reader(filled)
    rows = db.execute(
        "select r.status, s.ack_breached, s.resolve_breached from sla_breaches s"
        " join response_times r using (complaint_id) order by complaint_id"
    ).fetchall()
    assert rows == [("paged", 1, 1), ("new", 1, 1), ("resolved", 0, 1), ("acknowledged", 0, 1)]


def test_daily_counts_count_mentions_and_complaints(filled):
    db = reader(filled)
    counts = db.execute("select sum(mentions), sum(complaints) from daily_counts").fetchone()
    assert counts == (8, 4)
    day = (NOW - timedelta(hours=1)).date().isoformat()
    assert db.execute("select mentions from daily_counts where day = ?", [day]).fetchone()[0] >= 1


# --- plans ----------------------------------------------------------------------------

BIG = ("mentions", "classifications", "complaints", "events", "m", "c", "k", "e")


def plans(store: Store, call) -> list[str]:
    """Every statement ``call`` runs on ``store``, as EXPLAIN QUERY PLAN details."""
    statements: list[str] = []
    conn = store._db.conn  # the store's own connection: this is the store's test
    conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    details = []
    for sql in statements:
        if sql.lstrip().lower().startswith("select"):
            details += [row[3] for row in conn.execute(f"explain query plan {sql}")]
    return details


def full_scans(details: list[str]) -> list[str]:
    """Steps that read a big table whole ("SCAN m", not "SCAN m USING INDEX ..." on a
    range or the full-text index)."""
    return [d for d in details if d.startswith("SCAN") and d.split()[1] in BIG and "USING" not in d]


HOT = {
    "recent_page_for": lambda s: s.recent_page_for(
        platform="x", author="dana", thread_id=None, since=NOW - timedelta(hours=2), other_than=0
    ),
    "open_counts": lambda s: s.open_counts(),
    "due_for_escalation": lambda s: s.due_for_escalation(NOW),
    "due_for_reminder": lambda s: s.due_for_reminder(NOW),
    "awaiting_digest": lambda s: s.awaiting_digest(),
    "unreachable_unpaged": lambda s: s.unreachable_unpaged(),
    "latest_label": lambda s: s.latest_label(1),
    "spike_complaint_ids": lambda s: s.spike_complaint_ids(
        brand="Acme", category="billing", posted_from=NOW - timedelta(hours=1), posted_to=NOW
    ),
    "unclassified_mention_ids": lambda s: s.unclassified_mention_ids(),
    "unopened_complaint_mention_ids": lambda s: s.unopened_complaint_mention_ids(),
    "complaints_left_new": lambda s: s.complaints_left_new(("unreachable",)),
    "list_complaints": lambda s: s.list_complaints(limit=20),
    "list_complaints by status": lambda s: s.list_complaints(status="paged", limit=20),
    "search": lambda s: s.search(MentionQuery(text="refund", limit=20)),
    "search relevance": lambda s: s.search(MentionQuery(text="refund", order="relevance")),
    "near misses": lambda s: s.search(MentionQuery(filters=MentionFilter(near_misses=True))),
    "stats": lambda s: s.stats(since=NOW - timedelta(days=30), until=NOW),
}


@pytest.mark.parametrize("analyzed", [False, True], ids=["no statistics", "analyzed"])
@pytest.mark.parametrize("name", list(HOT))
def test_hot_queries_read_no_big_table_whole(filled, name, analyzed):
    if analyzed:
        filled.analyze()
    assert full_scans(plans(filled, lambda: HOT[name](filled))) == []


def test_the_grouping_query_starts_from_open_paged_complaints(filled):
    details = plans(filled, lambda: HOT["recent_page_for"](filled))
    assert details[0].startswith("SEARCH c USING INDEX complaints_recent_pages")


def test_the_spike_count_starts_from_the_window_s_mentions(filled):
    details = plans(filled, lambda: HOT["spike_complaint_ids"](filled))
    assert details[0].startswith("SEARCH m USING INDEX idx_mentions_created_at"), details
    assert details[1].startswith("SEARCH c USING INDEX idx_complaints_mention_id"), details


def test_listing_mentions_reads_the_newest_and_stops(filled):
    details = plans(filled, lambda: filled.search(MentionQuery(limit=20)))
    assert details[0] == "SCAN m" and not any("TEMP B-TREE" in d for d in details), details


def test_listing_complaints_reads_them_in_display_order(filled):
    details = plans(filled, lambda: HOT["list_complaints"](filled))
    assert not any("TEMP B-TREE" in d for d in details), details
