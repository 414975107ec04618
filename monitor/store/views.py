"""Schema of migration m006: raw payloads moved out of the hot table, indexes for the
queries that were slow at a million mentions, and SQL views for people's questions.

These statements are what m006 ran: never edit them, add a migration instead.

Indexes, each for a query the benchmark (benchmarks/bench_query.py) timed at 1M
mentions and 100,000 complaints, with the plan tests in tests/store/test_views.py:

- ``mentions_author``: ``mentions --author`` (NOCASE, as people type handles).
- ``mentions_reach``: ``--min-reach``, when a search falls back to the filters.
- ``classifications_misses``: ``--near-misses`` walks judged-not-complaint by score
  instead of sorting a million rows (1.4 s before).
- ``complaints_listing``/``complaints_status_listing``: ``complaints`` reads the first
  rows in display order instead of sorting 100,000 (259 ms before).
- ``complaints_owner``: ``open_counts`` counts open complaints per owner from the
  index alone (26 ms before: every complaint read).
- ``complaints_recent_pages``: grouping looks only at open, paged, ungrouped
  complaints by page time (0.57-0.71 s per page before, walking every mention).
- ``complaints_created``: ``stats`` and the report read a period's complaints.
- ``events_by_kind``: "reached nobody" and "digested" looked up by event.
- ``feedback_mention``: a mention's latest label.

``mention_payloads`` keeps each mention's raw platform payload, zlib-compressed,
out of ``mentions``: a realistic payload is 1-3 KB of JSON, most of the row, and
every scan of ``mentions`` would read it. Rows stored before m006 keep theirs in
``mentions.raw``.
"""

from __future__ import annotations

PAYLOADS_TABLE = (
    "create table mention_payloads ("
    " mention_id integer primary key references mentions(id),"
    " raw blob not null)"  # zlib-compressed UTF-8 JSON
)

INDEXES = (
    "create index mentions_author on mentions (author collate nocase)",
    "create index mentions_reach on mentions (reach)",
    "create index classifications_misses on classifications (complaint, complaint_score desc)",
    "create index complaints_listing on complaints (priority, created_at desc)",
    "create index complaints_status_listing on complaints (status, priority, created_at desc)",
    "create index complaints_owner on complaints (status, assignee)",
    "create index complaints_recent_pages on complaints (paged_at)"
    " where status in ('paged', 'acknowledged') and grouped_into is null",
    "create index complaints_created on complaints (created_at)",
    "create index events_by_kind on events (event, complaint_id)",
    "create index feedback_mention on feedback (mention_id)",
)

# Times are stored as ISO 8601 UTC text ("2026-11-23T09:15:00+00:00"): they compare as
# text and SQLite's date functions read them.
_NOW = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"

VIEWS = (
    # A mention's newest judgement (a new model may judge it again).
    "create view latest_classifications as"
    " select c.* from classifications c"
    " where c.id = (select max(id) from classifications where mention_id = c.mention_id)",
    # Everything not yet resolved, with the post.
    "create view open_complaints as"
    " select c.id as complaint_id, c.priority, c.status, c.assignee, c.category,"
    " c.created_at as opened_at, c.due_at, c.paged_at, c.acked_at, c.acked_by,"
    " m.platform, m.brand, m.author, m.reach, m.url, m.text, m.created_at as posted_at"
    " from complaints c join mentions m on m.id = c.mention_id"
    " where c.status in ('new', 'paged', 'acknowledged')",
    # Minutes from opening to acknowledgement and to resolution, per complaint.
    "create view response_times as"
    " select c.id as complaint_id, c.priority, c.status, c.category, c.assignee,"
    " m.platform, m.brand, c.created_at as opened_at, c.due_at, c.acked_at, c.resolved_at,"
    " round((julianday(c.acked_at) - julianday(c.created_at)) * 1440, 1) as minutes_to_ack,"
    " round((julianday(c.resolved_at) - julianday(c.created_at)) * 1440, 1)"
    " as minutes_to_resolve"
    " from complaints c join mentions m on m.id = c.mention_id",
    # Complaints whose due time passed before someone acknowledged or resolved them
    # (or passed already, while they are still waiting).
    "create view sla_breaches as"
    " select complaint_id, priority, status, category, assignee, platform, brand,"
    " opened_at, due_at, acked_at, resolved_at,"
    f" coalesce(acked_at, {_NOW}) > due_at as ack_breached,"
    f" coalesce(resolved_at, {_NOW}) > due_at as resolve_breached"
    " from response_times"
    f" where due_at is not null and coalesce(resolved_at, {_NOW}) > due_at",
    # Mentions per day (by post time) and complaints per day (by opening time).
    "create view daily_counts as"
    " select day, sum(mentions) as mentions, sum(complaints) as complaints from ("
    " select substr(created_at, 1, 10) as day, count(*) as mentions, 0 as complaints"
    " from mentions group by 1"
    " union all"
    " select substr(created_at, 1, 10), 0, count(*) from complaints group by 1"
    ") group by day",
    # Complaints per day by category, platform and brand, for faceting.
    "create view daily_complaints as"
    " select substr(c.created_at, 1, 10) as day, c.category, m.platform, m.brand,"
    " count(*) as complaints"
    " from complaints c join mentions m on m.id = c.mention_id group by 1, 2, 3, 4",
    # What responders wrote when they closed complaints.
    "create view resolutions as"
    " select c.id as complaint_id, c.category, m.brand, c.resolved_at, c.resolved_by,"
    " c.resolution_note, c.cause, c.fix, c.lesson"
    " from complaints c join mentions m on m.id = c.mention_id"
    " where c.status = 'resolved'",
)

VIEW_NAMES = tuple(statement.split()[2] for statement in VIEWS)
