"""Schema migrations for the core tables, applied in order and recorded by sqlite-utils.

Add a new function at the end of its set for every schema change; never edit one
that has shipped. ``transform()`` rebuilds a table and drops its triggers: a migration
that transforms ``mentions`` must call ``_mentions_fts`` afterwards, and one that
transforms ``mentions``, ``classifications`` or ``complaints`` must recreate the
triggers m007, m008 and m009 put on it. ``monitor.store.schema`` lists every
migration's name (a read-only open checks a file against it): add new ones there too.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("amends")
# The source tables' own set (``monitor.store.source_state``), applied after the core one.
SOURCE_MIGRATIONS = Migrations("amends-sources")


def _mentions_fts(db: sqlite_utils.Database) -> None:
    db.table("mentions").enable_fts(
        ["text", "author"], create_triggers=True, tokenize="porter", replace=True
    )


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.table("mentions").create(
        {
            "id": int,
            "platform": str,
            "platform_id": str,
            "url": str,
            "author": str,
            "author_id": str,
            "reach": int,
            "engagement": int,
            "text": str,
            "lang": str,
            "thread_id": str,
            "brand": str,
            "created_at": str,
            "fetched_at": str,
            "updated_at": str,
            "raw": str,
        },
        pk="id",
        not_null={"platform", "platform_id", "text", "created_at"},
    )
    db.table("mentions").create_index(["platform", "platform_id"], unique=True)
    db.table("mentions").create_index(["created_at"])
    _mentions_fts(db)

    db.table("classifications").create(
        {
            "id": int,
            "mention_id": int,
            "model": str,
            "model_version": str,
            "complaint": int,
            "complaint_score": float,
            "sentiment": str,
            "negative": float,
            "neutral": float,
            "positive": float,
            "classified_at": str,
        },
        pk="id",
        foreign_keys=[("mention_id", "mentions", "id")],
    )
    db.table("classifications").create_index(["mention_id"])

    db.table("complaints").create(
        {
            "id": int,
            "mention_id": int,
            "priority": str,
            "assignee": str,
            "status": str,
            "due_at": str,
            "public_draft": str,
            "followup": str,  # JSON list of steps
            "created_at": str,
            "acked_at": str,
            "acked_by": str,
            "resolved_at": str,
            "resolution_note": str,
        },
        pk="id",
        foreign_keys=[("mention_id", "mentions", "id")],
        defaults={"status": "new"},
    )
    # One complaint per mention, whatever happens: re-fetches and crashes included.
    db.table("complaints").create_index(["mention_id"], unique=True)
    db.table("complaints").create_index(["status"])

    db.table("deliveries").create(
        {
            "id": int,
            "complaint_id": int,
            "contact": str,
            "status": str,  # pending → sending → sent | failed
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "sent_at": str,
        },
        pk="id",
        defaults={"status": "pending", "attempts": 0},
    )

    db.table("cursors").create(
        {"source": str, "query_key": str, "cursor": str, "updated_at": str},
        pk=("source", "query_key"),
    )


@MIGRATIONS()
def m002_paging_and_feedback(db: sqlite_utils.Database) -> None:
    complaints = db.table("complaints")
    for column, kind in (
        ("priority_reasons", str),  # JSON list shown in the page
        ("category", str),
        ("severity_cues", str),  # JSON list
        ("specifics", str),  # JSON object
        ("draft_checks", str),  # JSON list of checker findings
        ("paged_at", str),
        ("escalation_level", int),
        ("next_escalation_at", str),
        ("reminders_sent", int),
        ("group_key", str),
        ("incident_id", int),
        ("resolved_by", str),
        ("cause", str),
        ("fix", str),
        ("lesson", str),
    ):
        complaints.add_column(column, kind)
    db.execute("update complaints set escalation_level = 0, reminders_sent = 0")
    complaints.create_index(["next_escalation_at"])

    deliveries = db.table("deliveries")
    for column, kind in (
        ("kind", str),  # page | escalation | reminder | group | incident | digest | admin | test
        ("level", int),  # escalation level the row belongs to
        ("responder", str),
        ("tags", str),
        ("title", str),
        ("body", str),
        ("body_format", str),
        ("service", str),
        ("results", str),  # JSON list: one entry per attempt with apprise's per-service result
        ("created_at", str),
    ):
        deliveries.add_column(column, kind)
    # Never the same page twice to the same contact: the ledger's key.
    deliveries.create_index(["complaint_id", "kind", "level", "contact"], unique=True)
    deliveries.create_index(["status", "next_attempt_at"])

    db.table("events").create(
        {"id": int, "complaint_id": int, "event": str, "by": str, "at": str, "detail": str},
        pk="id",
    )
    db.table("events").create_index(["complaint_id"])

    db.table("feedback").create(
        {"id": int, "mention_id": int, "is_complaint": int, "labelled_by": str, "labelled_at": str},
        pk="id",
        foreign_keys=[("mention_id", "mentions", "id")],
    )

    db.table("silences").create(
        {"id": int, "brand": str, "topic": str, "until": str, "created_by": str, "reason": str},
        pk="id",
    )


@MIGRATIONS()
def m003_grouping_and_incidents(db: sqlite_utils.Database) -> None:
    db.table("complaints").add_column(
        "grouped_into", int
    )  # the complaint whose page listed this one
    db.table("incidents").create(
        {
            "id": int,
            "brand": str,
            "category": str,
            "opened_at": str,
            "last_seen_at": str,
            "complaints": int,
            "status": str,  # open | closed
        },
        pk="id",
    )


@MIGRATIONS()
def m004_category_label(db: sqlite_utils.Database) -> None:
    # The category in the draft's own words ("late delivery"), so every page about a
    # complaint names it as its first page did. Older rows get what their pages showed.
    db.table("complaints").add_column("category_label", str)
    db.execute("update complaints set category_label = replace(category, '_', ' ')")


@MIGRATIONS()
def m005_web_inbox(db: sqlite_utils.Database) -> None:
    # Responders' logins for the web inbox; passwords as argon2 hashes only.
    db.table("users").create(
        {"name": str, "password_hash": str, "created_at": str, "changed_at": str}, pk="name"
    )
    # Sessions by the SHA-256 of their id: a copy of the file holds no usable cookie.
    db.table("sessions").create(
        {"id_hash": str, "user": str, "created_at": str, "expires_at": str}, pk="id_hash"
    )
    db.table("sessions").create_index(["user"])
    # One-tap links already used (by their signature), kept until they expire anyway.
    db.table("spent_links").create({"mac": str, "spent_at": str, "expires_at": str}, pk="mac")
    # Follow-up steps ticked off, one row per complaint and step.
    db.table("followup_ticks").create(
        {"complaint_id": int, "step": int, "done": int, "by": str, "at": str},
        pk=("complaint_id", "step"),
    )
    # The inbox lists open complaints most urgent first: an index of exactly those rows.
    db.execute(
        "create index complaints_open_urgency on complaints (priority, due_at) "
        "where status != 'resolved'"
    )


@MIGRATIONS()
def m006_query_views(db: sqlite_utils.Database) -> None:
    # Indexes for the queries a million mentions made slow, and the SQL views for
    # people's own questions; both are described in monitor/store/views.py.
    from monitor.store.views import INDEXES, PAYLOADS_TABLE, VIEWS

    db.execute(PAYLOADS_TABLE)
    for statement in (*INDEXES, *VIEWS):
        db.execute(statement)


@MIGRATIONS()
def m007_unjudged_mentions(db: sqlite_utils.Database) -> None:
    # The mentions not yet judged, kept by triggers, for start-up recovery
    # (monitor/store/unjudged.py). Filling it reads every mention once (~0.5 s at a
    # million).
    from monitor.store.unjudged import UNJUDGED_SCHEMA

    for statement in UNJUDGED_SCHEMA:
        db.execute(statement)


@MIGRATIONS()
def m008_complaints_fts(db: sqlite_utils.Database) -> None:
    # A full-text index of the complaints' posts alone, kept by triggers, for searches
    # limited to complaints (monitor/store/complaint_text.py). Filling it indexes the
    # complaints once (~3 s for 100,000).
    from monitor.store.complaint_text import COMPLAINT_TEXT_SCHEMA

    for statement in COMPLAINT_TEXT_SCHEMA:
        db.execute(statement)


@MIGRATIONS()
def m009_unopened_complaints(db: sqlite_utils.Database) -> None:
    # The mentions judged a complaint and never opened, kept by triggers, for start-up
    # recovery (monitor/store/unopened.py). Filling it reads every judgement once.
    from monitor.store.unopened import UNOPENED_SCHEMA

    for statement in UNOPENED_SCHEMA:
        db.execute(statement)


@SOURCE_MIGRATIONS()
def s001_initial(db: sqlite_utils.Database) -> None:
    db.table("source_health").create(
        {
            "source": str,
            "last_success_at": str,
            "last_error": str,
            "last_error_at": str,
            "failing_since": str,  # first failure of the current run of failures
            "failures": int,  # consecutive failures, for the backoff
            "mentions_fetched": int,  # since the database was created
            "last_mentions": int,  # in the last successful poll
            "last_mention_at": str,  # the last poll that brought any mention
            "usual_gap_seconds": float,  # smoothed time between polls with mentions
            "next_poll_at": str,
            "paused": str,  # why a person must act; empty when not paused
            "paused_fingerprint": str,  # config the pause applies to
            "alerted": str,  # the alert kind already sent for the current problem
        },
        pk="source",
        defaults={"failures": 0, "mentions_fetched": 0, "last_mentions": 0},
    )
    db.table("source_reads").create(
        {"source": str, "month": str, "reads": int, "warned": int, "stopped": int},
        pk=("source", "month"),
        defaults={"reads": 0, "warned": 0, "stopped": 0},
    )
