"""The stats in the words and numbers people read: durations in hours and minutes,
shares as percentages, a dictionary for JSON."""

from __future__ import annotations

from typing import Any

from monitor.store.stats import Durations, Stats


def minutes(value: float | None) -> str:
    """``95.0`` → "1 h 35 min"; ``None`` → "–" (nothing to measure)."""
    if value is None:
        return "–"
    if value < 1:
        return f"{value * 60:.0f} s"
    if value < 60:
        return f"{value:.0f} min"
    if value < 48 * 60:
        hours, rest = divmod(round(value), 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{value / 1440:.1f} days"


def share(stats: Stats) -> str:
    found = stats.complaint_share
    return "–" if found is None else f"{found:.1%}"


def period_label(stats: Stats, index: int) -> str:
    start = stats.periods[index].start
    return f"week of {start:%Y-%m-%d}" if stats.by == "week" else f"{start:%Y-%m-%d}"


def headline(stats: Stats) -> list[tuple[str, str]]:
    """(what, value) pairs for the top of a report."""
    return [
        ("mentions", f"{stats.mentions:,}"),
        ("complaints", f"{stats.complaints:,}"),
        ("complaint share", share(stats)),
        ("median time to acknowledge", minutes(stats.to_acknowledge.median)),
        ("p90 time to acknowledge", minutes(stats.to_acknowledge.p90)),
        ("median time to resolve", minutes(stats.to_resolve.median)),
        ("p90 time to resolve", minutes(stats.to_resolve.p90)),
        ("late acknowledgements (SLA)", f"{stats.ack_breaches:,}"),
        ("late resolutions (SLA)", f"{stats.resolve_breaches:,}"),
    ]


def as_dict(stats: Stats) -> dict[str, Any]:
    """The stats as JSON-ready data; durations in minutes."""

    def durations(d: Durations) -> dict[str, Any]:
        return {"count": d.count, "median_minutes": d.median, "p90_minutes": d.p90}

    return {
        "since": stats.since.isoformat(),
        "until": stats.until.isoformat(),
        "by": stats.by,
        "mentions": stats.mentions,
        "complaints": stats.complaints,
        "complaint_share": stats.complaint_share,
        "periods": [
            {
                "start": p.start.isoformat(),
                "mentions": p.mentions,
                "complaints": p.complaints,
                "by_category": p.by_category,
            }
            for p in stats.periods
        ],
        "by_category": stats.by_category,
        "by_platform": stats.by_platform,
        "by_brand": stats.by_brand,
        "time_to_acknowledge": durations(stats.to_acknowledge),
        "time_to_resolve": durations(stats.to_resolve),
        "sla_breaches": {"acknowledge": stats.ack_breaches, "resolve": stats.resolve_breaches},
        "top_causes": [{"cause": text, "complaints": n} for text, n in stats.causes],
        "top_lessons": [{"lesson": text, "complaints": n} for text, n in stats.lessons],
    }
