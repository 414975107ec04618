"""Owning and closing a complaint: acknowledge, resolve, not a complaint, reassign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

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


class AlreadyDone(AmendsError):
    """An acknowledgement or a resolution would replace an earlier one: done only when
    asked for (``force``), and the earlier one stays in the complaint's history.

    ``fact`` is what happened before, for any front end; the message adds how the CLI
    asks for it anyway (``--force``), which the web inbox offers as a button instead."""

    def __init__(self, fact: str, *, forcing: str = "") -> None:
        self.fact = fact
        super().__init__(f"{fact}; --force {forcing}" if forcing else fact)


def acknowledge(
    store: Store, complaint_id: int, *, by: str, now: datetime, force: bool = False
) -> Acknowledged:
    """``by`` owns the complaint now and its escalation stops; so do the complaints its
    page listed, which were never paged on their own. Taking over an acknowledged
    complaint needs ``force``; a resolved one cannot be acknowledged."""
    current = store.complaint(complaint_id)
    if current.status == "resolved":
        raise AlreadyDone(f"complaint {complaint_id} is already {_done_by(current, 'resolved')}")
    previous = None
    if current.status == "acknowledged":
        if not force:
            raise AlreadyDone(
                f"complaint {complaint_id} was already {_done_by(current, 'acknowledged')}",
                forcing="takes it over (the earlier acknowledgement stays in its history)",
            )
        previous = {"by": current.acked_by, "at": _stamp(current.acked_at)}
    with store.transaction():
        complaint = store.set_status(
            complaint_id, "acknowledged", by=by, now=now, previous=previous
        )
        grouped = tuple(store.grouped_into_waiting(complaint_id))
        for member in grouped:
            store.set_status(member, "acknowledged", by=by, now=now)
    return Acknowledged(complaint=complaint, grouped=grouped)


def resolve(
    store: Store,
    complaint_id: int,
    resolution: Resolution,
    *,
    by: str,
    now: datetime,
    force: bool = False,
) -> Complaint:
    """Close a complaint with what was done (a note or a fix, at least). Replacing the
    resolution of a resolved complaint needs ``force``."""
    if not (resolution.note or resolution.fix):
        raise AmendsError("say what was done: --note or --fix")
    current = store.complaint(complaint_id)
    previous = None
    if current.status == "resolved":
        if not force:
            raise AlreadyDone(
                f"complaint {complaint_id} was already {_done_by(current, 'resolved')} "
                f"({current.resolution_note or current.fix})",
                forcing="replaces the resolution (the earlier one stays in its history)",
            )
        previous = {
            "by": current.resolved_by,
            "at": _stamp(current.resolved_at),
            "note": current.resolution_note,
            "cause": current.cause,
            "fix": current.fix,
            "lesson": current.lesson,
        }
    return store.set_status(
        complaint_id, "resolved", by=by, now=now, resolution=resolution, previous=previous
    )


def _done_by(complaint: Complaint, what: str) -> str:
    if what == "resolved":
        who, when = complaint.resolved_by, complaint.resolved_at
    else:
        who, when = complaint.acked_by, complaint.acked_at
    return f"{what} by {who} at {_stamp(when)}"


def _stamp(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else None


def mark_not_a_complaint(
    store: Store,
    complaint_id: int,
    resolution: Resolution | None = None,
    *,
    by: str,
    now: datetime,
    force: bool = False,
) -> Complaint:
    """A false alarm: close it and label its mention "not a complaint", so the
    classifier learns from it (``amends train --feedback``). Labelled so already, the
    label is not added twice."""
    resolution = resolution or Resolution()
    if not resolution.note:
        resolution = Resolution(
            note=FALSE_ALARM_NOTE,
            cause=resolution.cause,
            fix=resolution.fix,
            lesson=resolution.lesson,
        )
    with store.transaction():
        complaint = resolve(store, complaint_id, resolution, by=by, now=now, force=force)
        if store.latest_label(complaint.mention_id) is not False:
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
