"""Deciding who is paged for new complaints, and queuing those pages once.

Noise control comes first: a silenced brand/topic pages nobody; P3 waits for
the digest; complaints from one author or thread within the group window make
one page listing them; a spike on one brand and category becomes one incident
page to the supervisor, and its P2/P3 complaints are not paged one by one.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.page.outbox import PageTexts, Rendered, channels_for, enqueue
from monitor.page.render import PageContent, RelatedItem, render_email, render_sms
from monitor.store import Store, iso, parse_iso

if TYPE_CHECKING:
    from monitor.config import Config
    from monitor.daemon.pipeline import OpenedComplaint, Pipeline

logger = logging.getLogger(__name__)


def texts_for(content: PageContent, config: Config) -> PageTexts:
    email = render_email(content)
    sms = render_sms(content, config.paging.sms_max_chars)
    return PageTexts(
        email=Rendered(title=email.title, body=email.body),
        sms=Rendered(title=sms.title, body=sms.body),
    )


def active_silence(store: Store, brand: str | None, topic: str, now: datetime) -> dict | None:
    rows = store.rows(
        "select * from silences where until > ? and (brand is null or brand = ?) "
        "and (topic is null or topic = ?) order by id limit 1",
        [iso(now), brand or "", topic],
    )
    return next(iter(rows), None)


def page_new(pipeline: Pipeline, opened: Sequence[OpenedComplaint], *, now: datetime) -> None:
    store, config = pipeline.store, pipeline.config
    groups: dict[str, list[OpenedComplaint]] = defaultdict(list)
    for complaint in opened:
        silence = active_silence(
            store, complaint.stored.mention.brand, complaint.analysis.category, now
        )
        if silence:
            _event(store, complaint.id, "silenced", now, {"silence": silence["id"]})
            continue
        if _joins_incident(pipeline, complaint, now):
            continue
        if complaint.priority.level == "P3":
            _event(store, complaint.id, "awaiting digest", now, None)
            continue
        groups[_group_key(complaint)].append(complaint)
    for members in groups.values():
        members.sort(key=lambda c: (c.priority.level, c.id))
        earlier = _recent_page(store, members[0], config, now)
        if earlier is not None:
            for member in members:
                _attach(store, member.id, earlier, now)
            continue
        lead, rest = members[0], members[1:]
        send_page(pipeline, lead, now=now, related=rest)
        for member in rest:
            _attach(store, member.id, lead.id, now)


def _group_key(complaint: OpenedComplaint) -> str:
    mention = complaint.stored.mention
    return f"{mention.platform}:{mention.author.lower()}"


def _recent_page(
    store: Store, complaint: OpenedComplaint, config: Config, now: datetime
) -> int | None:
    """An open complaint from the same author or thread paged within the group window."""
    mention = complaint.stored.mention
    since = iso(now - timedelta(minutes=config.paging.group_window_minutes))
    row = store.db.execute(
        "select c.id from complaints c join mentions m on m.id = c.mention_id "
        "where c.status in ('paged', 'acknowledged') and c.grouped_into is null "
        "and c.paged_at >= ? and c.id != ? and m.platform = ? "
        "and (lower(m.author) = ? or (m.thread_id is not null and m.thread_id = ?)) "
        "order by c.id limit 1",
        [since, complaint.id, mention.platform, mention.author.lower(), mention.thread_id],
    ).fetchone()
    return row[0] if row else None


def _attach(store: Store, complaint_id: int, lead_id: int, now: datetime) -> None:
    lead = store.complaint(lead_id)
    with store.transaction():
        store.db["complaints"].update(
            complaint_id,
            {
                "grouped_into": lead_id,
                "assignee": lead["assignee"],
                "status": "paged",
                "paged_at": iso(now),
            },
        )
        _event(store, complaint_id, "grouped", now, {"into": lead_id})


def send_page(
    pipeline: Pipeline,
    complaint: OpenedComplaint,
    *,
    now: datetime,
    related: Sequence[OpenedComplaint] = (),
) -> int:
    """The first page for a complaint: owner (and, for P1, the supervisor)."""
    store, config = pipeline.store, pipeline.config
    row = store.complaint(complaint.id)
    content = content_for(row, kind="page", related=[_related(c) for c in related])
    texts = texts_for(content, config)
    owner = config.responder(complaint.assignment.responder)
    level = complaint.priority.level
    added = 0
    with store.transaction():
        if owner is not None:
            added += enqueue(
                store,
                complaint_id=complaint.id,
                kind="page",
                level=0,
                responder=owner.name,
                contacts=channels_for(owner, level, now),
                texts=texts,
                now=now,
            )
            if level == "P1" and owner.supervisor and (boss := config.responder(owner.supervisor)):
                # Tell your supervisor: informed, not woken (their own P2 channels).
                added += enqueue(
                    store,
                    complaint_id=complaint.id,
                    kind="page",
                    level=0,
                    responder=boss.name,
                    contacts=channels_for(boss, "P2", now),
                    texts=texts,
                    now=now,
                )
        window = ack_window(config, level)
        store.db["complaints"].update(
            complaint.id,
            {
                "status": "paged",
                "paged_at": iso(now),
                "next_escalation_at": iso(now + window) if window else None,
            },
        )
        _event(store, complaint.id, "paged", now, {"deliveries": added})
    if added == 0:
        logger.warning(
            "complaint %d: %s has no contact for %s now",
            complaint.id,
            complaint.assignment.responder,
            level,
        )
    return added


def ack_window(config: Config, level: str) -> timedelta | None:
    minutes = {
        "P1": config.deadlines.ack_p1_minutes,
        "P2": config.deadlines.ack_p2_minutes,
    }.get(level)
    return timedelta(minutes=minutes) if minutes else None


def _joins_incident(pipeline: Pipeline, complaint: OpenedComplaint, now: datetime) -> bool:
    """Count this brand+category's complaints in the spike window; at the threshold open
    an incident and page the supervisor once. True when this complaint's own page is
    suppressed (it is part of an incident and not P1)."""
    store, config = pipeline.store, pipeline.config
    mention = complaint.stored.mention
    brand, category = mention.brand or "", complaint.analysis.category
    # A spike is posts bunched in time, so count by when they were posted: a backlog
    # fetched at once after a pause is not an outage.
    window = timedelta(minutes=config.paging.spike_window_minutes)
    since = iso(now - window)
    recent = store.db.execute(
        "select c.id from complaints c join mentions m on m.id = c.mention_id "
        "where coalesce(m.brand, '') = ? and c.category = ? and m.created_at >= ? "
        "and m.created_at <= ? order by c.id",
        [brand, category, iso(mention.created_at - window), iso(mention.created_at)],
    ).fetchall()
    if len(recent) < config.paging.spike_count:
        return False
    incident = store.db.execute(
        "select id from incidents where brand = ? and category = ? and status = 'open' "
        "and last_seen_at >= ?",
        [brand, category, since],
    ).fetchone()
    with store.transaction():
        if incident is None:
            incidents = store.db["incidents"]
            incidents.insert(
                {
                    "brand": brand,
                    "category": category,
                    "opened_at": iso(now),
                    "last_seen_at": iso(now),
                    "complaints": len(recent),
                    "status": "open",
                }
            )
            incident_id = int(incidents.last_pk)
            ids = [r[0] for r in recent]
            store.db.execute(
                f"update complaints set incident_id = ? where id in ({','.join('?' * len(ids))})",
                [incident_id, *ids],
            )
            _page_incident(pipeline, incident_id, complaint, ids, now)
        else:
            incident_id = incident[0]
            store.db.execute(
                "update incidents set last_seen_at = ?, complaints = complaints + 1 where id = ?",
                [iso(now), incident_id],
            )
            store.db["complaints"].update(complaint.id, {"incident_id": incident_id})
    if complaint.priority.level == "P1":
        return False
    _event(store, complaint.id, "suppressed", now, {"incident": incident_id})
    return True


def _page_incident(
    pipeline: Pipeline, incident_id: int, complaint: OpenedComplaint, ids: list[int], now: datetime
) -> None:
    store, config = pipeline.store, pipeline.config
    owner = config.responder(complaint.assignment.responder)
    target = config.responder(owner.supervisor) if owner and owner.supervisor else owner
    if target is None:
        return
    samples = [store.complaint(i) for i in ids[-5:]]
    content = content_for(
        store.complaint(complaint.id),
        kind="incident",
        related=[
            RelatedItem(complaint_id=s["id"], author=s["author"], text=s["text"], url=s["url"])
            for s in samples
        ],
        headline=(
            f"{len(ids)} complaints about {complaint.analysis.category_label} "
            f"({complaint.stored.mention.brand or 'brand'}) in "
            f"{config.paging.spike_window_minutes} min"
        ),
    )
    enqueue(
        store,
        complaint_id=-incident_id,
        kind="incident",
        level=0,
        responder=target.name,
        contacts=channels_for(target, "P1", now),
        texts=texts_for(content, config),
        now=now,
    )
    _event(store, complaint.id, "incident", now, {"incident": incident_id, "paged": target.name})


def _related(complaint: OpenedComplaint) -> RelatedItem:
    mention = complaint.stored.mention
    return RelatedItem(
        complaint_id=complaint.id, author=mention.author, text=mention.text, url=mention.url
    )


def content_for(
    row: dict[str, Any],
    *,
    kind: str,
    related: Sequence[RelatedItem] = (),
    headline: str | None = None,
) -> PageContent:
    """Everything a page shows, from a complaint row joined with its mention."""
    from monitor.core.models import Draft, Finding, Priority

    draft = Draft(
        category=row["category"] or "other",
        public_reply=row["public_draft"] or "",
        followup=json.loads(row["followup"] or "[]"),
        due_minutes=0,
        checks=[Finding(**f) for f in json.loads(row["draft_checks"] or "[]")],
    )
    return PageContent(
        complaint_id=row["id"],
        kind=kind,
        priority=Priority(
            level=row["priority"], reasons=tuple(json.loads(row["priority_reasons"] or "[]"))
        ),
        platform=row["platform"],
        author=row["author"],
        category_label=(row["category"] or "other").replace("_", " "),
        text=row["text"],
        url=row["url"],
        reach=row["reach"] or 0,
        draft=draft,
        due_at=parse_iso(row["due_at"]),
        assignee=row["assignee"],
        related=list(related),
        headline=headline,
    )


def _event(store: Store, complaint_id: int, event: str, now: datetime, detail: Any) -> None:
    store.log_event(complaint_id, event, by="amends", now=now, detail=detail)
