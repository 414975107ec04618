"""Responder actions on a real SQLite file: each does its job and is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor import act
from monitor.config import parse_config
from monitor.core.errors import AmendsError
from monitor.core.models import Batch, Draft, Mention, Priority
from monitor.store import NewComplaint, Resolution, Store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Kim"
[[responders.contacts]]
url = "terminal://"

[[responders]]
name = "Lee Park"
[[responders.contacts]]
url = "terminal://"
"""


def open_complaint(store: Store, pid: str, *, author: str = "maya") -> int:
    saved = store.save_batch(
        Batch(
            source="x",
            mentions=[
                Mention(
                    platform="x",
                    platform_id=pid,
                    author=author,
                    text=f"@acme parcel {pid} never came",
                    url=f"https://x.com/{author}/status/{pid}",
                    created_at=NOW - timedelta(minutes=3),
                    brand="Acme",
                )
            ],
        ),
        now=NOW,
    )
    return store.insert_complaint(
        NewComplaint(
            mention_id=saved.new_ids[0],
            priority=Priority(level="P2", reasons=("complaint",)),
            category="delivery",
            category_label="late delivery",
            severity_cues=(),
            specifics={},
            assignee="Dana Kim",
            assigned_why="default",
            chain=("Dana Kim", "Lee Park"),
            due_at=NOW + timedelta(hours=4),
            draft=Draft(category="delivery", public_reply="Sorry!", followup=[], due_minutes=240),
            group_key=f"x:{author}",
        ),
        now=NOW,
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "amends.db") as opened:
        yield opened


def test_acknowledging_a_page_acknowledges_the_complaints_it_listed(store):
    lead, member, other = (open_complaint(store, p) for p in ("1", "2", "3"))
    store.mark_paged(lead, now=NOW, next_escalation_at=NOW + timedelta(hours=1))
    store.group_into(member, lead, now=NOW)
    store.mark_paged(other, now=NOW, next_escalation_at=None)
    later = NOW + timedelta(minutes=5)

    done = act.acknowledge(store, lead, by="dana", now=later)

    assert done.grouped == (member,)
    assert done.complaint.acked_by == "dana" and done.complaint.acked_at == later
    assert done.complaint.next_escalation_at is None
    assert store.complaint(member).status == "acknowledged"
    assert store.complaint(other).status == "paged"  # not in the page: untouched
    [event] = [e for e in store.events(member) if e.event == "acknowledged"]
    assert (event.by, event.at) == ("dana", later)


def test_resolving_needs_what_was_done_and_records_it(store):
    complaint_id = open_complaint(store, "1")
    with pytest.raises(AmendsError, match="what was done"):
        act.resolve(store, complaint_id, Resolution(cause="printer"), by="dana", now=NOW)
    assert store.complaint(complaint_id).status == "new"

    closed = act.resolve(
        store, complaint_id, Resolution(fix="resent", lesson="check daily"), by="dana", now=NOW
    )

    assert (closed.status, closed.fix, closed.lesson) == ("resolved", "resent", "check daily")
    assert closed.resolved_by == closed.acked_by == "dana"
    [event] = [e for e in store.events(complaint_id) if e.event == "resolved"]
    assert event.detail["fix"] == "resent"


def test_not_a_complaint_closes_it_and_teaches_the_classifier(store):
    complaint_id = open_complaint(store, "1")

    closed = act.mark_not_a_complaint(store, complaint_id, by="sam", now=NOW)

    assert closed.status == "resolved"
    assert closed.resolution_note == "not a complaint (false alarm)"
    assert store.feedback_examples() == [("@acme parcel 1 never came", False)]


def test_a_false_alarm_keeps_the_responders_own_note(store):
    complaint_id = open_complaint(store, "1")
    closed = act.mark_not_a_complaint(
        store, complaint_id, Resolution(note="a joke between friends"), by="sam", now=NOW
    )
    assert closed.resolution_note == "a joke between friends"
    assert store.feedback_examples() == [("@acme parcel 1 never came", False)]


def test_reassigning_names_a_configured_responder_and_stops_escalation(store):
    config = parse_config(CONFIG)
    complaint_id = open_complaint(store, "1")
    store.mark_paged(complaint_id, now=NOW, next_escalation_at=NOW + timedelta(hours=1))
    with pytest.raises(AmendsError, match="known: Dana Kim, Lee Park"):
        act.reassign(store, config, complaint_id, "Nobody", by="sam", now=NOW)

    moved = act.reassign(store, config, complaint_id, "Lee Park", by="sam", now=NOW)

    assert (moved.previous, moved.owner) == ("Dana Kim", "Lee Park")
    complaint = store.complaint(complaint_id)
    assert complaint.assignee == "Lee Park" and complaint.next_escalation_at is None
    [event] = [e for e in store.events(complaint_id) if e.event == "assigned"]
    assert (event.by, event.detail) == ("sam", {"from": "Dana Kim", "to": "Lee Park"})


def test_acknowledging_twice_is_refused_unless_forced_and_history_is_kept(store):
    complaint_id = open_complaint(store, "1")
    act.acknowledge(store, complaint_id, by="dana", now=NOW)
    later = NOW + timedelta(minutes=7)
    with pytest.raises(act.AlreadyDone, match=r"already acknowledged by dana at .*--force"):
        act.acknowledge(store, complaint_id, by="lee", now=later)
    assert store.complaint(complaint_id).acked_by == "dana"
    assert [e.by for e in store.events(complaint_id) if e.event == "acknowledged"] == ["dana"]

    taken = act.acknowledge(store, complaint_id, by="lee", now=later, force=True)

    assert (taken.complaint.acked_by, taken.complaint.acked_at) == ("lee", later)
    acks = [e for e in store.events(complaint_id) if e.event == "acknowledged"]
    assert [e.by for e in acks] == ["dana", "lee"]
    assert acks[1].detail == {"previous": {"by": "dana", "at": "2026-11-23 10:00 UTC"}}


def test_a_resolved_complaint_cannot_be_acknowledged(store):
    complaint_id = open_complaint(store, "1")
    act.resolve(store, complaint_id, Resolution(note="refunded"), by="sam", now=NOW)
    for force in (False, True):
        with pytest.raises(act.AlreadyDone, match="already resolved by sam"):
            act.acknowledge(store, complaint_id, by="dana", now=NOW, force=force)
    assert store.complaint(complaint_id).acked_by == "sam"


def test_resolving_twice_is_refused_unless_forced_and_the_first_resolution_is_kept(store):
    complaint_id = open_complaint(store, "1")
    act.resolve(store, complaint_id, Resolution(note="refunded"), by="dana", now=NOW)
    with pytest.raises(act.AlreadyDone, match=r"already resolved by dana .*\(refunded\).*--force"):
        act.resolve(store, complaint_id, Resolution(note="sent again"), by="lee", now=NOW)
    assert store.complaint(complaint_id).resolution_note == "refunded"

    later = NOW + timedelta(hours=1)
    again = act.resolve(
        store, complaint_id, Resolution(note="sent again"), by="lee", now=later, force=True
    )

    assert (again.resolution_note, again.resolved_by) == ("sent again", "lee")
    resolved = [e for e in store.events(complaint_id) if e.event == "resolved"]
    assert [e.detail["resolution_note"] for e in resolved] == ["refunded", "sent again"]
    assert resolved[1].detail["previous"]["note"] == "refunded"


def test_a_false_alarm_twice_is_refused_and_never_labelled_twice(store, tmp_path):
    import sqlite3

    complaint_id = open_complaint(store, "1")
    act.mark_not_a_complaint(store, complaint_id, by="sam", now=NOW)
    with pytest.raises(act.AlreadyDone):
        act.mark_not_a_complaint(store, complaint_id, by="sam", now=NOW)
    act.mark_not_a_complaint(
        store, complaint_id, Resolution(note="a joke"), by="sam", now=NOW, force=True
    )
    assert store.complaint(complaint_id).resolution_note == "a joke"
    with sqlite3.connect(tmp_path / "amends.db") as db:  # as any SQLite tool reads it
        assert db.execute("select count(*) from feedback").fetchone() == (1,)
