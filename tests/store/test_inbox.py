"""The inbox's questions on a real SQLite file: order, filters, search, ticks, drafts,
and the open complaints read through their own index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.core.models import Finding
from monitor.store import Store
from monitor.store.inbox import InboxQuery
from tests.web.conftest import open_complaint

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_most_urgent_first_then_the_earliest_due(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        late = open_complaint(store, "1", level="P2", due_in=timedelta(hours=1), now=NOW)
        soon = open_complaint(store, "2", level="P2", due_in=timedelta(minutes=5), now=NOW)
        p1 = open_complaint(store, "3", level="P1", due_in=timedelta(hours=3), now=NOW)
        page = store.inbox(InboxQuery())
        assert [c.id for c in page.complaints] == [p1, soon, late] and not page.more
        assert [c.id for c in store.inbox(InboxQuery(limit=2)).complaints] == [p1, soon]
        assert store.inbox(InboxQuery(limit=2)).more
        assert [
            c.id for c in store.inbox(InboxQuery(search="parcel", priority="P1")).complaints
        ] == [p1]


def test_the_open_list_reads_its_own_index(tmp_path):
    from monitor.store.inbox import _inbox_where

    with Store.open(tmp_path / "a.db") as store:
        where, params = _inbox_where(InboxQuery())
        plan = " ".join(
            str(row)
            for row in store._db.execute(
                "explain query plan select c.id from complaints c where "
                + " and ".join(where)
                + " order by c.priority, c.due_at, c.id limit 50",
                params,
            ).fetchall()
        )
    assert "complaints_open_urgency" in plan


def test_ticks_and_draft_edits_are_kept_with_their_history(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1", now=NOW)
        store.set_followup_tick(cid, 1, done=True, text="Call the courier", by="Dana", now=NOW)
        store.set_followup_tick(cid, 1, done=False, text="Call the courier", by="Lee", now=NOW)
        tick = store.followup_ticks(cid)[1]
        assert (tick.done, tick.by) == (False, "Lee")
        before = store.complaint(cid).public_draft
        said = store.set_public_draft(
            cid, "New words.", [Finding(code="x", message="y")], by="Dana", now=NOW
        )
        complaint = store.complaint(cid)
        assert said == before and complaint.public_draft == "New words."
        assert [f.code for f in complaint.draft_checks] == ["x"]
        events = store.events(cid)
        assert [e.event for e in events][-3:] == [
            "follow-up done",
            "follow-up reopened",
            "draft edited",
        ]
        assert events[-1].detail["previous"] == before
        assert store.history_mark() == events[-1].id
