"""Deciding who is paged for new complaints, and queuing those pages once.

Noise control comes first: a silenced brand/topic pages nobody; P3 waits for
the digest; complaints from one author or thread within the group window make
one page listing them; a spike on one brand and category becomes one incident
page to the supervisor, and its P2/P3 complaints are not paged one by one.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from monitor.config import Config, ResponderSettings
from monitor.core.models import Mention
from monitor.page.content import (
    opened_content,
    related_item,
    texts_for,
)
from monitor.page.opened import OpenedComplaint
from monitor.page.outbox import (
    PageTexts,
    admin_reachable,
    enqueue,
    first_reachable,
    reachable,
)
from monitor.store import Store

logger = logging.getLogger(__name__)

ADMIN = "admin"  # the ledger's responder for the admin contacts (``resolve_contact``)


def page_new(
    store: Store, config: Config, opened: Sequence[OpenedComplaint], *, now: datetime
) -> None:
    groups: dict[str, list[OpenedComplaint]] = defaultdict(list)
    for complaint in opened:
        silence = store.active_silence(
            complaint.stored.mention.brand, complaint.analysis.category, now
        )
        if silence:
            _event(store, complaint.id, "silenced", now, {"silence": silence.id})
            continue
        if _joins_incident(store, config, complaint, now):
            continue
        if complaint.priority.level == "P3":
            _event(store, complaint.id, "awaiting digest", now, None)
            continue
        groups[group_key(complaint.stored.mention)].append(complaint)
    for members in groups.values():
        members.sort(key=lambda c: (c.priority.level, c.id))
        earlier = _recent_page(store, members[0], config, now)
        if earlier is not None:
            for member in members:
                store.group_into(member.id, earlier, now=now)
            continue
        lead, rest = members[0], members[1:]
        if not send_page(store, config, lead, now=now, related=rest):
            for member in rest:  # no page to list them in: each is tried on its own
                send_page(store, config, member, now=now)
            continue
        for member in rest:
            store.group_into(member.id, lead.id, now=now)


def group_key(mention: Mention) -> str:
    """Complaints with one key, opened together, make one page."""
    return f"{mention.platform}:{mention.author.lower()}"


def _recent_page(
    store: Store, complaint: OpenedComplaint, config: Config, now: datetime
) -> int | None:
    """An open complaint from the same author or thread paged within the group window."""
    mention = complaint.stored.mention
    return store.recent_page_for(
        platform=mention.platform,
        author=mention.author,
        thread_id=mention.thread_id,
        since=now - timedelta(minutes=config.paging.group_window_minutes),
        other_than=complaint.id,
    )


def send_page(
    store: Store,
    config: Config,
    complaint: OpenedComplaint,
    *,
    now: datetime,
    related: Sequence[OpenedComplaint] = (),
) -> bool:
    """The first page for a complaint; False when it reached nobody (see ``page_first``)."""
    content = opened_content(
        complaint, related=[related_item(c.id, c.stored.mention) for c in related]
    )
    return page_first(
        store,
        config,
        complaint.id,
        chain=complaint.assignment.chain or (complaint.assignment.responder,),
        level=complaint.priority.level,
        texts=texts_for(content, config),
        now=now,
    )


def page_first(
    store: Store,
    config: Config,
    complaint_id: int,
    *,
    chain: Sequence[str],
    level: str,
    texts: PageTexts,
    now: datetime,
    record_miss: bool = True,
) -> bool:
    """Page the owner (``chain[0]``) or, when they cannot be reached now, the next in
    the chain who can, passing people over as escalation does; nobody in the chain:
    the admin contacts. For P1 the owner's supervisor is told as well.

    A complaint nobody can be reached for stays ``new`` (never ``paged`` with no page
    queued), with an ``unreachable`` event; escalation's tick tries it again
    (``record_miss=False`` then, so the history is not repeated every tick)."""
    owner = chain[0]
    reach = first_reachable(config, chain, start=0, priority=level, now=now)
    target, contacts = reach.responder, reach.contacts
    if target is None and (admins := admin_reachable(config)):
        target, contacts = ADMIN, admins
    missed = {"owner": owner, "passed_over": list(reach.passed_over), "paged": target}
    if target is None:
        if record_miss:
            _event(store, complaint_id, "unreachable", now, missed)
            logger.error(
                "complaint %d reaches nobody: no one in %s and no admin contact can be "
                "reached for %s now; it stays unpaged",
                complaint_id,
                list(chain),
                level,
            )
        return False
    window = ack_window(config, level)
    escalates = window is not None and target != ADMIN  # the admin is the end of the line
    with store.transaction():
        added = enqueue(
            store,
            complaint_id=complaint_id,
            kind="page",
            level=0,
            responder=target,
            contacts=contacts,
            texts=texts,
            now=now,
        )
        boss = _supervisor(config, owner)
        if level == "P1" and boss is not None and boss.name != target:
            # Tell your supervisor: informed, not woken (their own P2 channels).
            added += enqueue(
                store,
                complaint_id=complaint_id,
                kind="page",
                level=0,
                responder=boss.name,
                contacts=reachable(boss, "P2", now),
                texts=texts,
                now=now,
            )
        if reach.passed_over:
            _event(store, complaint_id, "unreachable", now, missed)
        store.mark_paged(
            complaint_id,
            now=now,
            next_escalation_at=now + window if window and escalates else None,
            escalation_level=min(reach.step, max(len(chain) - 1, 0)),
        )
        _event(store, complaint_id, "paged", now, {"deliveries": added, "to": target})
    if reach.passed_over:
        logger.warning(
            "complaint %d: %s cannot be reached for %s now; paged %s instead",
            complaint_id,
            ", ".join(reach.passed_over),
            level,
            target,
        )
    return True


def _supervisor(config: Config, name: str) -> ResponderSettings | None:
    person = config.responder(name)
    return config.responder(person.supervisor) if person and person.supervisor else None


def ack_window(config: Config, level: str) -> timedelta | None:
    minutes = {
        "P1": config.deadlines.ack_p1_minutes,
        "P2": config.deadlines.ack_p2_minutes,
    }.get(level)
    return timedelta(minutes=minutes) if minutes else None


def _joins_incident(
    store: Store, config: Config, complaint: OpenedComplaint, now: datetime
) -> bool:
    """Count this brand+category's complaints in the spike window; at the threshold open
    an incident and page the supervisor once. True when this complaint's own page is
    suppressed (it is part of an incident and not P1)."""
    mention = complaint.stored.mention
    brand, category = mention.brand or "", complaint.analysis.category
    # A spike is posts bunched in time, so count by when they were posted: a backlog
    # fetched at once after a pause is not an outage.
    window = timedelta(minutes=config.paging.spike_window_minutes)
    recent = store.spike_complaint_ids(
        brand=brand,
        category=category,
        posted_from=mention.created_at - window,
        posted_to=mention.created_at,
    )
    if len(recent) < config.paging.spike_count:
        return False
    incident_id = store.open_incident_for(brand=brand, category=category, seen_since=now - window)
    with store.transaction():
        if incident_id is None:
            incident_id = store.open_incident(
                brand=brand, category=category, complaint_ids=recent, now=now
            )
            _page_incident(store, config, incident_id, complaint, recent, now)
        else:
            store.join_incident(incident_id, complaint.id, now=now)
    if complaint.priority.level == "P1":
        return False
    _event(store, complaint.id, "suppressed", now, {"incident": incident_id})
    return True


def _page_incident(
    store: Store,
    config: Config,
    incident_id: int,
    complaint: OpenedComplaint,
    ids: list[int],
    now: datetime,
) -> None:
    owner = config.responder(complaint.assignment.responder)
    target = config.responder(owner.supervisor) if owner and owner.supervisor else owner
    if target is None:
        return
    content = opened_content(
        complaint,
        kind="incident",
        related=[related_item(i, store.complaint(i).mention) for i in ids[-5:]],
        headline=(
            f"{len(ids)} complaints about {complaint.analysis.category_label} "
            f"({complaint.stored.mention.brand or 'brand'}) in "
            f"{config.paging.spike_window_minutes} min"
        ),
    )
    # Its complaints are held back for this one page: it must reach someone.
    name, contacts = target.name, reachable(target, "P1", now)
    if not contacts:
        name, contacts = ADMIN, admin_reachable(config)
    enqueue(
        store,
        complaint_id=-incident_id,
        kind="incident",
        level=0,
        responder=name,
        contacts=contacts,
        texts=texts_for(content, config),
        now=now,
    )
    detail: dict[str, Any] = {"incident": incident_id, "paged": name if contacts else None}
    if name != target.name:
        detail["passed_over"] = [target.name]
        logger.warning("incident %d: %s cannot be reached now", incident_id, target.name)
    _event(store, complaint.id, "incident", now, detail)


def _event(store: Store, complaint_id: int, event: str, now: datetime, detail: Any) -> None:
    store.log_event(complaint_id, event, by="amends", now=now, detail=detail)
