"""Working through a complaint's private follow-up: ticking its steps off."""

from __future__ import annotations

from datetime import datetime

from monitor.core.errors import AmendsError
from monitor.store import Store


def tick_followup(
    store: Store, complaint_id: int, step: int, *, done: bool, by: str, now: datetime
) -> None:
    """Mark follow-up step ``step`` (from 0) done, or not done again; recorded with who
    and when, and kept across restarts."""
    steps = store.complaint(complaint_id).followup
    if not 0 <= step < len(steps):
        raise AmendsError(
            f"complaint {complaint_id} has {len(steps)} follow-up step(s); no step {step + 1}"
        )
    store.set_followup_tick(complaint_id, step, done=done, text=steps[step], by=by, now=now)
