"""Time-driven paging: escalation of unacknowledged pages, overdue follow-up reminders,
and the P3 digest. Each function takes ``now`` so tests drive time by hand."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from monitor.config import Config
from monitor.page.dispatch import ack_window, content_for, texts_for
from monitor.page.outbox import channels_for, enqueue
from monitor.page.render import RelatedItem
from monitor.page.routing import _chain
from monitor.store import Store, iso, parse_iso

logger = logging.getLogger(__name__)


def chain_for(store: Store, config: Config, complaint_id: int) -> tuple[str, ...]:
    """The escalation chain recorded when the complaint was opened (owner, backup,
    supervisor), re-rooted at the current owner if it was reassigned."""
    row = store.complaint(complaint_id)
    opened = next((e for e in store.events(complaint_id) if e["event"] == "opened"), None)
    chain = tuple(json.loads(opened["detail"]).get("chain", [])) if opened else ()
    if not chain or chain[0] != row["assignee"]:
        chain = _chain(config, row["assignee"], None)
    return chain


def escalate_due(store: Store, config: Config, *, now: datetime) -> int:
    """Pages not acknowledged within their window go to the next person in the chain."""
    due = list(
        store.rows(
            "select id, priority, escalation_level from complaints where status = 'paged' "
            "and grouped_into is null and next_escalation_at is not null "
            "and next_escalation_at <= ?",
            [iso(now)],
        )
    )
    escalated = 0
    for row in due:
        chain = chain_for(store, config, row["id"])
        window = ack_window(config, row["priority"])
        level, skipped, contacts = row["escalation_level"] + 1, [], []
        # Someone who cannot be reached now (quiet hours, no contact) is passed over.
        while level < len(chain):
            person = config.responder(chain[level])
            contacts = channels_for(person, row["priority"], now) if person else []
            if contacts:
                break
            skipped.append(chain[level])
            level += 1
        if level >= len(chain) or window is None:
            with store.transaction():
                store.db["complaints"].update(row["id"], {"next_escalation_at": None})
                store.log_event(
                    row["id"],
                    "escalation exhausted",
                    by="amends",
                    now=now,
                    detail={"chain": list(chain), "unreachable": skipped},
                )
            continue
        content = content_for(store.complaint(row["id"]), kind="escalation")
        with store.transaction():
            enqueue(
                store,
                complaint_id=row["id"],
                kind="escalation",
                level=level,
                responder=chain[level],
                contacts=contacts,
                texts=texts_for(content, config),
                now=now,
            )
            store.db["complaints"].update(
                row["id"], {"escalation_level": level, "next_escalation_at": iso(now + window)}
            )
            store.log_event(
                row["id"],
                "escalated",
                by="amends",
                now=now,
                detail={"level": level, "to": chain[level], "passed_over": skipped},
            )
        escalated += 1
    return escalated


def remind_overdue(store: Store, config: Config, *, now: datetime) -> int:
    """An overdue follow-up reminds the owner; still overdue an ack window later, the
    supervisor."""
    rows = list(
        store.rows(
            "select id, priority, assignee, due_at, reminders_sent from complaints "
            "where status in ('paged', 'acknowledged') and grouped_into is null "
            "and due_at <= ? and reminders_sent < 2",
            [iso(now)],
        )
    )
    sent = 0
    for row in rows:
        step = row["reminders_sent"]
        grace = ack_window(config, row["priority"]) or timedelta(hours=1)
        if step == 1 and parse_iso(row["due_at"]) + grace > now:
            continue
        owner = config.responder(row["assignee"])
        target = (
            owner
            if step == 0
            else (config.responder(owner.supervisor) if owner and owner.supervisor else None)
        )
        content = content_for(store.complaint(row["id"]), kind="reminder")
        with store.transaction():
            if target is not None:
                enqueue(
                    store,
                    complaint_id=row["id"],
                    kind="reminder",
                    level=step,
                    responder=target.name,
                    contacts=channels_for(target, "P2", now),
                    texts=texts_for(content, config),
                    now=now,
                )
            store.db["complaints"].update(row["id"], {"reminders_sent": step + 1})
            store.log_event(
                row["id"],
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
    rows = list(
        store.rows(
            "select c.id, c.assignee, m.author, m.text, m.url from complaints c "
            "join mentions m on m.id = c.mention_id where c.priority = 'P3' "
            "and c.status = 'new' and c.id not in "
            "(select complaint_id from events where event = 'digested') order by c.id"
        )
    )
    by_person: dict[str, list[dict]] = {}
    for row in rows:
        by_person.setdefault(row["assignee"], []).append(row)
    period = digest_period(config, now)
    for name, items in by_person.items():
        person = config.responder(name)
        if person is None:
            continue
        first = store.complaint(items[0]["id"])
        content = content_for(
            first,
            kind="digest",
            related=[
                RelatedItem(complaint_id=i["id"], author=i["author"], text=i["text"], url=i["url"])
                for i in items
            ],
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
                    item["id"], "digested", by="amends", now=now, detail={"period": period}
                )
    return len(rows)
