"""Labelling a mention complaint or not: the examples ``amends train --feedback`` learns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class Label:
    mention_id: int
    is_complaint: bool
    by: str
    at: datetime


def label(store: Store, mention_id: int, is_complaint: bool, *, by: str, now: datetime) -> Label:
    """Record a person's verdict on a mention; the newest label per mention counts."""
    store.add_feedback(mention_id, is_complaint, by, now=now)
    return Label(mention_id=mention_id, is_complaint=is_complaint, by=by, at=now)


def label_complaint(
    store: Store, complaint_id: int, is_complaint: bool, *, by: str, now: datetime
) -> Label:
    """Label the mention behind a complaint (the id pages show)."""
    return label(store, store.complaint(complaint_id).mention_id, is_complaint, by=by, now=now)
