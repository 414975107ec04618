"""Time-driven paging: escalation of unacknowledged pages, overdue follow-up reminders,
and the P3 digest. Each function takes ``now`` so tests drive time by hand."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from monitor.config import Config
from monitor.page.content import related_item, stored_content, texts_for
from monitor.page.dispatch import ack_window, page_first
from monitor.page.outbox import channels_for, enqueue, first_reachable
from monitor.page.routing import escalation_chain
from monitor.store import Complaint, Store

logger = logging.getLogger(__name__)


def chain_for(store: Store, config: Config, complaint: Complaint) -> tuple[str, ...]:
    """The escalation chain recorded when the complaint was opened (owner, backup,
    supervisor), re-rooted at the current owner if it was reassigned."""
    chain = store.recorded_chain(complaint.id)
    if not chain or chain[0] != complaint.assignee:
        chain = escalation_chain(config, complaint.assignee, None)
    return chain


def escalate_due(store: Store, config: Config, *, now: datetime) -> int:
    """Pages not acknowledged within their window go to the next person in the chain;
    complaints that reached nobody when opened are tried again first."""
    retry_unreachable(store, config, now=now)
    escalated = 0
    for complaint in store.due_for_escalation(now):
        chain = chain_for(store, config, complaint)
        level = complaint.priority.level
        window = ack_window(config, level)
        # Someone who cannot be reached now (quiet hours, no contact) is passed over.
        reach = first_reachable(
            config, chain, start=complaint.escalation_level + 1, priority=level, now=now
        )
        step, skipped, contacts = reach.step, list(reach.passed_over), reach.contacts
        if reach.responder is None or window is None:
            with store.transaction():
                store.stop_escalation(complaint.id)
                store.log_event(
                    complaint.id,
                    "escalation exhausted",
                    by="amends",
                    now=now,
                    detail={"chain": list(chain), "unreachable": skipped},
                )
            continue
        content = stored_content(complaint, kind="escalation")
        with store.transaction():
            enqueue(
                store,
                complaint_id=complaint.id,
                kind="escalation",
                level=step,
                responder=chain[step],
                contacts=contacts,
                texts=texts_for(content, config),
                now=now,
            )
            store.mark_escalated(complaint.id, level=step, next_escalation_at=now + window)
            store.log_event(
                complaint.id,
                "escalated",
                by="amends",
                now=now,
                detail={"level": step, "to": chain[step], "passed_over": skipped},
            )
        escalated += 1
    return escalated


def retry_unreachable(store: Store, config: Config, *, now: datetime) -> int:
    """Complaints left unpaged because nobody could be reached: page them as soon as
    someone can be (working hours begin, a secret file is back). Returns how many."""
    paged = 0
    for complaint in store.unreachable_unpaged():
        content = stored_content(complaint, kind="page")
        paged += page_first(
            store,
            config,
            complaint.id,
            chain=chain_for(store, config, complaint),
            level=complaint.priority.level,
            texts=texts_for(content, config),
            now=now,
            record_miss=False,
        )
    return paged


def remind_overdue(store: Store, config: Config, *, now: datetime) -> int:
    """An overdue follow-up reminds the owner; still overdue an ack window later, the
    supervisor."""
    sent = 0
    for due in store.due_for_reminder(now):
        step = due.reminders_sent
        grace = ack_window(config, due.priority) or timedelta(hours=1)
        if step == 1 and due.due_at is not None and due.due_at + grace > now:
            continue
        complaint = store.complaint(due.complaint_id)
        owner = config.responder(complaint.assignee)
        target = (
            owner
            if step == 0
            else (config.responder(owner.supervisor) if owner and owner.supervisor else None)
        )
        content = stored_content(complaint, kind="reminder")
        with store.transaction():
            if target is not None:
                enqueue(
                    store,
                    complaint_id=complaint.id,
                    kind="reminder",
                    level=step,
                    responder=target.name,
                    contacts=channels_for(target, "P2", now),
                    texts=texts_for(content, config),
                    now=now,
                )
            store.set_reminders_sent(complaint.id, step + 1)
            store.log_event(
                complaint.id,
                "reminder",
                by="amends",
                now=now,
                detail={"to": target.name if target else None},
            )
        sent += 1
    return sent


def digest_period(config: Config, now: datetime) -> int:
    hours = 1 if config.paging.digest == "hourly" else 24
    return int(now.timestamp() // (hours * 3600))


def send_digests(store: Store, config: Config, *, now: datetime) -> int:
    """One email per responder listing P3 complaints not yet in a digest."""
    waiting = store.awaiting_digest()
    by_person: dict[str, list[Complaint]] = {}
    for complaint in waiting:
        by_person.setdefault(complaint.assignee, []).append(complaint)
    period = digest_period(config, now)
    for name, items in by_person.items():
        person = config.responder(name)
        if person is None:
            continue
        content = stored_content(
            items[0],
            kind="digest",
            related=[related_item(item.id, item.mention) for item in items],
            headline=f"{len(items)} low-priority complaint(s) for {name}",
        )
        emails = [c for c in person.contacts if not c.tags or "email" in c.tags]
        with store.transaction():
            enqueue(
                store,
                complaint_id=0,
                kind=f"digest:{name}",
                level=period,
                responder=name,
                contacts=emails,
                texts=texts_for(content, config),
                now=now,
            )
            for item in items:
                store.log_event(
                    item.id, "digested", by="amends", now=now, detail={"period": period}
                )
    return len(waiting)
