"""Silencing: no pages for a brand and/or topic for a while; complaints are still
recorded (and say they were silenced)."""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.core.errors import AmendsError
from monitor.store import Silence, Store


def silence(
    store: Store,
    *,
    brand: str | None,
    topic: str | None,
    duration: timedelta,
    reason: str,
    by: str,
    now: datetime,
) -> Silence:
    if not (brand or topic):
        raise AmendsError("name a --brand and/or a --topic to silence")
    return store.add_silence(brand=brand, topic=topic, until=now + duration, by=by, reason=reason)
