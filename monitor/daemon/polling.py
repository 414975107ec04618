"""One poll of one source, with everything around it: cursors, health, backoff,
pauses, the monthly read budget and admin alerts.

``poll_source`` never raises for a source's trouble: it records it, decides when
to poll next and returns what was read (``None`` when nothing was polled). The
caller stores the returned batch (mentions and cursors in one transaction).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch
from monitor.store import Store
from monitor.store.source_state import Health, Spend, month_of
from sources.base import Metered, Source

logger = logging.getLogger(__name__)

Alert = Callable[[str, str], None]  # (subject, body) for the admin contacts

DEFAULT_INTERVAL = timedelta(seconds=120)
MAX_BACKOFF = timedelta(hours=1)
FAILING_ALERT_AFTER = timedelta(hours=1)
LONG_WAIT_ALERT = timedelta(hours=1)  # a rate limit this long is an outage (usage cap)
SILENCE_FACTOR = 8  # silent this many usual gaps ...
MIN_SILENCE = timedelta(hours=6)  # ... and at least this long -> alert
BUDGET_WARN = 0.8


def _no_alert(subject: str, body: str) -> None:
    logger.warning("admin alert (no admin contacts): %s: %s", subject, body)


@dataclass(frozen=True, slots=True)
class Plan:
    """What a due poll starts from, read on the database thread."""

    health: Health
    cursors: dict[str, str]
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Fetched:
    """What the network gave: a batch, or the source's error (with what it read first)."""

    batch: Batch | None = None
    error: SourceError | None = None


def poll_source(
    source: Source,
    store: Store,
    *,
    now: datetime,
    alert: Alert | None = None,
    force: bool = False,
    rng: Callable[[], float] = random.random,
) -> Batch | None:
    """Poll ``source`` if it is due; return what to store (``None``: nothing polled).

    A failed poll returns what it read before failing (``SourceError.partial``).
    ``force`` ignores the backoff and the next poll time (``amends poll``) but
    never a pause or an exhausted budget. The daemon runs the three steps on two
    threads (``plan_poll`` and ``record_poll`` on the database thread, ``fetch``
    on the source's own); here they run in turn.
    """
    plan = plan_poll(source, store, now=now, alert=alert, force=force)
    if plan is None:
        return None
    return record_poll(
        source, store, plan, fetch(source, plan, now=now), now=now, alert=alert, rng=rng
    )


def plan_poll(
    source: Source, store: Store, *, now: datetime, alert: Alert | None = None, force: bool = False
) -> Plan | None:
    """Whether ``source`` is due, and the cursors to poll from; reads the store only
    (a lifted pause and the read budget are saved by ``record_poll``)."""
    alert = alert or _no_alert
    health = store.source_health(source.name)
    fingerprint = source.config_fingerprint
    if health.paused:
        if health.paused_fingerprint == fingerprint:
            return None
        logger.info("%s: configuration changed, lifting the pause (%s)", source.name, health.paused)
        # "unpaused": a success then sends "working again"; a new pause alerts again.
        health = replace(health, paused="", paused_fingerprint="", alerted="unpaused")
    if not force and health.next_poll_at and now < health.next_poll_at:
        return None
    if not _within_budget(source, store, now, alert):
        return None
    return Plan(health=health, cursors=dict(store.cursors(source.name)), fingerprint=fingerprint)


def fetch(source: Source, plan: Plan, *, now: datetime) -> Fetched:
    """The network part: touches no database, so it may run on any thread."""
    try:
        return Fetched(batch=source.poll(plan.cursors, now=now))
    except SourceError as exc:
        return Fetched(error=exc)


def record_poll(
    source: Source,
    store: Store,
    plan: Plan,
    fetched: Fetched,
    *,
    now: datetime,
    alert: Alert | None = None,
    rng: Callable[[], float] = random.random,
) -> Batch | None:
    """Save the poll's health and read count; return the batch for the caller to store
    (on failure, what was read before it)."""
    alert = alert or _no_alert
    if fetched.error is not None:
        exc = fetched.error
        _count_reads(source, store, now, exc.reads, alert)
        store.save_source_health(
            _failed(source, plan.health, exc, now, plan.fingerprint, alert, rng)
        )
        return exc.partial
    assert fetched.batch is not None  # a Fetched holds one or the other
    _count_reads(source, store, now, fetched.batch.reads, alert)
    store.save_source_health(_succeeded(source, plan.health, fetched.batch, now, alert))
    return fetched.batch


def interval_of(source: Source) -> timedelta:
    seconds = source.settings.interval_seconds
    return timedelta(seconds=seconds) if seconds else DEFAULT_INTERVAL


def backoff(failures: int, interval: timedelta, rng: Callable[[], float]) -> timedelta:
    """Exponential backoff with jitter over the upper half: 1, 2, 4 ... intervals,
    capped at an hour, so many daemons failing together do not retry in step."""
    ceiling: timedelta = min(interval * 2 ** max(failures - 1, 0), MAX_BACKOFF)
    return ceiling * (0.5 + 0.5 * rng())


# --- outcomes ----------------------------------------------------------------------------


def _succeeded(source: Source, health: Health, batch: Batch, now: datetime, alert: Alert) -> Health:
    if health.alerted in ("failing", "paused", "unpaused", "limited"):
        alert(
            f"{source.name} is working again",
            f"{source.name} polled successfully at {now:%H:%M} UTC.",
        )
    count = len(batch.mentions)
    last_mention_at, gap = health.last_mention_at, health.usual_gap_seconds
    if count:
        if last_mention_at:
            seen = (now - last_mention_at).total_seconds()
            gap = seen if gap is None else 0.8 * gap + 0.2 * seen  # smoothed
        last_mention_at = now
    health = replace(
        health,
        last_success_at=now,
        failing_since=None,
        failures=0,
        mentions_fetched=health.mentions_fetched + count,
        last_mentions=count,
        last_mention_at=last_mention_at,
        usual_gap_seconds=gap,
        next_poll_at=now + interval_of(source),
        # A silence alert stands until mentions come back; the others end here.
        alerted="silent" if health.alerted == "silent" and not count else "",
    )
    return _check_silence(source, health, now, alert)


def _check_silence(source: Source, health: Health, now: datetime, alert: Alert) -> Health:
    if health.alerted == "silent" or health.usual_gap_seconds is None:
        return health
    if health.last_mention_at is None:
        return health
    limit = max(timedelta(seconds=health.usual_gap_seconds * SILENCE_FACTOR), MIN_SILENCE)
    silent = now - health.last_mention_at
    if silent < limit:
        return health
    hours = silent.total_seconds() / 3600
    usual = health.usual_gap_seconds / 60
    alert(
        f"{source.name} has been silent for {hours:.1f} h",
        f"{source.name} polls succeed but brought no mention for {hours:.1f} h; usually one "
        f"comes every {usual:.0f} min. Check the brand terms and the platform's search.",
    )
    return replace(health, alerted="silent")


def _failed(
    source: Source,
    health: Health,
    exc: SourceError,
    now: datetime,
    fingerprint: str,
    alert: Alert,
    rng: Callable[[], float],
) -> Health:
    message = str(exc)
    health = replace(health, last_error=message, last_error_at=now)
    if isinstance(exc, SourcePaused):
        logger.error("%s paused: %s", source.name, message)
        if health.alerted != "paused":
            alert(f"{source.name} is paused", message)
        return replace(
            health,
            paused=message,
            paused_fingerprint=fingerprint,
            next_poll_at=None,
            alerted="paused",
        )
    if isinstance(exc, RateLimited):
        logger.warning("%s: %s; next poll at %s", source.name, message, exc.retry_at)
        alerted = health.alerted
        if exc.retry_at - now >= LONG_WAIT_ALERT and alerted != "limited":
            alert(f"{source.name} stopped until {exc.retry_at:%Y-%m-%d %H:%M} UTC", message)
            alerted = "limited"
        return replace(health, next_poll_at=exc.retry_at, alerted=alerted)
    failures = health.failures + 1
    failing_since = health.failing_since or now
    logger.warning("%s poll failed (%d in a row): %s", source.name, failures, message)
    alerted = health.alerted
    if now - failing_since >= FAILING_ALERT_AFTER and alerted != "failing":
        alert(
            f"{source.name} has been failing for an hour",
            f"{failures} polls failed since {failing_since:%H:%M} UTC; last error: {message}",
        )
        alerted = "failing"
    return replace(
        health,
        failures=failures,
        failing_since=failing_since,
        next_poll_at=now + backoff(failures, interval_of(source), rng),
        alerted=alerted,
    )


# --- the monthly read budget -------------------------------------------------------------


def _within_budget(source: Source, store: Store, now: datetime, alert: Alert) -> bool:
    if not isinstance(source, Metered):
        return True
    budget = source.monthly_read_budget
    if budget is None:
        source.set_read_allowance(None)
        return True
    spent = store.source_spend(source.name, month_of(now))
    if budget - spent.reads < max(source.min_reads_per_request, 1):
        if not spent.stopped:
            _stop(source, store, spent, budget, alert)
        return False
    source.set_read_allowance(budget - spent.reads)
    return True


def _count_reads(source: Source, store: Store, now: datetime, reads: int, alert: Alert) -> None:
    if not reads:
        return
    spent = store.add_source_reads(source.name, month_of(now), reads)
    logger.info("%s: %d reads this poll, %d this month", source.name, reads, spent.reads)
    if not isinstance(source, Metered) or source.monthly_read_budget is None:
        return
    budget = source.monthly_read_budget
    if budget - spent.reads < max(source.min_reads_per_request, 1) and not spent.stopped:
        _stop(source, store, spent, budget, alert)
    elif spent.reads >= BUDGET_WARN * budget and not spent.warned:
        alert(
            f"{source.name} has used {spent.reads * 100 // budget} % of its monthly read budget",
            f"{spent.reads} of {budget} reads in {spent.month}; polling stops at the budget.",
        )
        store.mark_source_spend(source.name, spent.month, warned=True, stopped=False)


def _stop(source: Source, store: Store, spent: Spend, budget: int, alert: Alert) -> None:
    logger.error(
        "%s: monthly read budget %d spent; polling stops until next month", source.name, budget
    )
    alert(
        f"{source.name} stopped: monthly read budget spent",
        f"{spent.reads} of {budget} reads in {spent.month}. Polling resumes next month, or "
        "raise monthly_read_budget in the config.",
    )
    store.mark_source_spend(source.name, spent.month, warned=True, stopped=True)


# --- status ------------------------------------------------------------------------------


def status_rows(store: Store, *, now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Health and read spend as plain rows for ``amends status`` and logs."""
    now = now or datetime.now(UTC)
    health = [
        {
            "source": h.source,
            "state": _state_word(h, now),
            "last_success": _when(h.last_success_at),
            "last_error": h.last_error,
            "last_error_at": _when(h.last_error_at),
            "mentions_fetched": h.mentions_fetched,
            "next_poll": _when(h.next_poll_at),
        }
        for h in store.all_source_health()
    ]
    spend = [
        {"source": s.source, "month": s.month, "reads": s.reads, "stopped": s.stopped}
        for s in store.all_source_spend()
    ]
    return {"health": health, "spend": spend}


def _state_word(h: Health, now: datetime) -> str:
    if h.paused:
        return "paused"
    if h.failures:
        return f"failing ({h.failures})"
    if h.next_poll_at and h.next_poll_at - now > LONG_WAIT_ALERT:
        return "waiting"
    return "ok" if h.last_success_at else "never polled"


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"
