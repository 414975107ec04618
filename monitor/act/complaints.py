"""Owning and closing a complaint: acknowledge, resolve, not a complaint, reassign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.config import Config
from monitor.core.errors import AmendsError
from monitor.store import Complaint, Resolution, Store

FALSE_ALARM_NOTE = "not a complaint (false alarm)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledged:
    complaint: Complaint
    grouped: tuple[int, ...]  # complaints listed in its page, acknowledged with it


@dataclass(frozen=True, slots=True, kw_only=True)
class Reassigned:
    complaint_id: int
    previous: str
    owner: str


def acknowledge(store: Store, complaint_id: int, *, by: str, now: datetime) -> Acknowledged:
    """``by`` owns the complaint now and its escalation stops; so do the complaints its
    page listed, which were never paged on their own."""
    with store.transaction():
        complaint = store.set_status(complaint_id, "acknowledged", by=by, now=now)
        grouped = tuple(store.grouped_into_waiting(complaint_id))
        for member in grouped:
            store.set_status(member, "acknowledged", by=by, now=now)
    return Acknowledged(complaint=complaint, grouped=grouped)


def resolve(
    store: Store, complaint_id: int, resolution: Resolution, *, by: str, now: datetime
) -> Complaint:
    """Close a complaint with what was done (a note or a fix, at least)."""
    if not (resolution.note or resolution.fix):
        raise AmendsError("say what was done: --note or --fix")
    return store.set_status(complaint_id, "resolved", by=by, now=now, resolution=resolution)


def mark_not_a_complaint(
    store: Store,
    complaint_id: int,
    resolution: Resolution | None = None,
    *,
    by: str,
    now: datetime,
) -> Complaint:
    """A false alarm: close it and label its mention "not a complaint", so the
    classifier learns from it (``amends train --feedback``)."""
    resolution = resolution or Resolution()
    if not resolution.note:
        resolution = Resolution(
            note=FALSE_ALARM_NOTE,
            cause=resolution.cause,
            fix=resolution.fix,
            lesson=resolution.lesson,
        )
    with store.transaction():
        complaint = resolve(store, complaint_id, resolution, by=by, now=now)
        store.add_feedback(complaint.mention_id, False, by, now=now)
    return complaint


def reassign(
    store: Store, config: Config, complaint_id: int, to: str, *, by: str, now: datetime
) -> Reassigned:
    """Give a complaint to another configured responder; automatic escalation stops,
    since a person chose the owner."""
    if config.responder(to) is None:
        known = ", ".join(r.name for r in config.responders)
        raise AmendsError(f"no responder named {to!r} (known: {known})")
    previous = store.reassign(complaint_id, to, by=by, now=now)
    return Reassigned(complaint_id=complaint_id, previous=previous, owner=to)
