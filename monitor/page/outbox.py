"""The delivery ledger's write side: which contacts a page goes to, queued once.

A ledger row is keyed by (complaint, kind, level, contact): queuing the same page
again is a no-op, so a re-fetch, a retry of the pipeline or a restart can never
page the same contact twice for the same thing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from monitor.config import Config, Contact, ResponderSettings, resolve_refs
from monitor.page.oncall import in_working_hours
from monitor.page.render import Rendered
from monitor.store import NewDelivery, Store

PHONE_TAGS = frozenset({"phone", "sms"})  # channels that wake a person up
CHANNELS_BY_PRIORITY = {
    "P1": frozenset({"phone", "sms", "push", "email"}),
    "P2": frozenset({"push", "email"}),
    "P3": frozenset({"email"}),  # P3 goes out as a digest, never a page
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PageTexts:
    email: Rendered  # Markdown, for mail and push
    sms: Rendered  # short plain text with the link
    # Pages with one-tap links are rendered again for each recipient: a link names them.
    per_recipient: Callable[[str], PageTexts] | None = field(default=None, compare=False)


def contact_key(responder: str, contact: Contact) -> str:
    """A stable ledger key for a contact that holds no secret: the URL as written in
    the config (references unresolved), hashed."""
    raw = contact.url.get_secret_value()
    return f"{responder}:{hashlib.sha256(raw.encode()).hexdigest()[:16]}"


def is_phone(contact: Contact) -> bool:
    return bool(PHONE_TAGS.intersection(contact.tags))


def channels_for(person: ResponderSettings, priority: str, now: datetime) -> list[Contact]:
    """The contacts a page of this priority reaches now. Outside working hours only
    P1 reaches a phone (push included); untagged contacts count as email."""
    wanted = CHANNELS_BY_PRIORITY[priority]
    at_work = in_working_hours(person, now)
    chosen = []
    for contact in person.contacts:
        tags = set(contact.tags) or {"email"}
        if not tags & wanted:
            continue
        wakes_someone = bool(tags & (PHONE_TAGS | {"push"}))
        if wakes_someone and priority != "P1" and not at_work:
            continue
        chosen.append(contact)
    return chosen


@dataclass(frozen=True, slots=True, kw_only=True)
class Reach:
    """Who in an escalation chain a page reaches now, and who was passed over."""

    step: int  # their place in the chain (len(chain) when nobody can be reached)
    responder: str | None  # None: nobody in the chain
    contacts: list[Contact]
    passed_over: tuple[str, ...]  # before them: no contact for this priority now


def reachable(person: ResponderSettings, priority: str, now: datetime) -> list[Contact]:
    """``channels_for``, less contacts whose ``${...}`` references do not resolve now
    (a secret file gone, a variable unset): a page queued to them reaches nobody."""
    return [c for c in channels_for(person, priority, now) if _resolves(c)]


def first_reachable(
    config: Config, chain: Sequence[str], *, start: int, priority: str, now: datetime
) -> Reach:
    """The first person from ``chain[start]`` on who can be reached for ``priority`` now."""
    passed: list[str] = []
    for step in range(start, len(chain)):
        person = config.responder(chain[step])
        contacts = reachable(person, priority, now) if person else []
        if contacts:
            return Reach(
                step=step, responder=chain[step], contacts=contacts, passed_over=tuple(passed)
            )
        passed.append(chain[step])
    return Reach(step=len(chain), responder=None, contacts=[], passed_over=tuple(passed))


def admin_reachable(config: Config) -> list[Contact]:
    """The admin contacts that resolve now: every one, whatever its tags or the hour."""
    return [c for c in config.general.admin_contacts if _resolves(c)]


def _resolves(contact: Contact) -> bool:
    try:
        resolve_refs(contact.url.get_secret_value())
    except ValueError:
        return False
    return True


def enqueue(
    store: Store,
    *,
    complaint_id: int,
    kind: str,
    level: int,
    responder: str,
    contacts: list[Contact],
    texts: PageTexts,
    now: datetime,
) -> int:
    """Queue one message per contact; returns how many rows were new."""
    if texts.per_recipient is not None:
        texts = texts.per_recipient(responder)
    added = 0
    for contact in contacts:
        phone = is_phone(contact)
        rendered = texts.sms if phone else texts.email
        added += store.queue_delivery(
            NewDelivery(
                complaint_id=complaint_id,
                kind=kind,
                level=level,
                contact=contact_key(responder, contact),
                responder=responder,
                tags=list(contact.tags),
                title=rendered.title,
                body=rendered.body,
                body_format="text" if phone else "markdown",
            ),
            now=now,
        )
    return added


def resolve_contact(config: Config, key: str) -> tuple[str, Contact] | None:
    """Find the contact behind a ledger key (responder or admin) in the current config."""
    people = [(p.name, p.contacts) for p in config.responders]
    people.append(("admin", config.general.admin_contacts))
    for name, contacts in people:
        for contact in contacts:
            if contact_key(name, contact) == key:
                return name, contact
    return None
