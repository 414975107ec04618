"""What a period looked like: complaints by day or week, category, platform and brand,
how fast they were acknowledged and resolved, what was late, what people learnt.

Two statements per report: mentions per day (from the ``created_at`` index alone)
and one row per complaint opened in the period (from ``complaints_created``, each
joined to its mention by key); the rest is counted in Python. At a million mentions
and 100,000 complaints a 30-day report reads ~8,000 complaints (see
benchmarks/bench_query.py for the time). Complaints count by when they were opened;
mentions by when they were posted: a complaint is opened within minutes of its post.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from monitor.store.columns import iso
from monitor.store.complaints import Complaint, ComplaintsMixin

Period = Literal["day", "week"]
TOP = 5  # causes and lessons listed


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodCounts:
    start: date  # the day, or the Monday of the week
    mentions: int
    complaints: int
    by_category: dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Durations:
    """Minutes from a complaint's opening to a response, over those that got one."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stats:
    since: datetime
    until: datetime
    by: Period
    mentions: int
    complaints: int
    periods: list[PeriodCounts]
    by_category: dict[str, int]  # most first
    by_platform: dict[str, int]
    by_brand: dict[str, int]
    to_acknowledge: Durations
    to_resolve: Durations
    ack_breaches: int  # due time passed before acknowledgement (or still waiting)
    resolve_breaches: int  # due time passed before resolution (or still open)
    causes: list[tuple[str, int]]  # from resolution notes, most frequent first
    lessons: list[tuple[str, int]]

    @property
    def complaint_share(self) -> float | None:
        """Complaints per mention in the period."""
        return self.complaints / self.mentions if self.mentions else None


@dataclass(slots=True)
class _Tally:
    mentions: int = 0
    complaints: int = 0
    categories: Counter[str] = field(default_factory=Counter)


class StatsMixin(ComplaintsMixin):
    def stats(self, *, since: datetime, until: datetime, by: Period = "day") -> Stats:
        window = [iso(since), iso(until)]
        per_day = dict(
            self._db.execute(
                "select substr(created_at, 1, 10), count(*) from mentions"
                " where created_at >= ? and created_at < ? group by 1",
                window,
            ).fetchall()
        )
        rows = self._db.execute(
            "select substr(c.created_at, 1, 10), coalesce(c.category, 'other'), m.platform,"
            " coalesce(m.brand, ''),"
            # Minutes, to the hundredth (julianday's doubles are not exact).
            " round((julianday(c.acked_at) - julianday(c.created_at)) * 1440, 2),"
            " round((julianday(c.resolved_at) - julianday(c.created_at)) * 1440, 2),"
            " c.due_at is not null and coalesce(c.acked_at, ?) > c.due_at,"
            " c.due_at is not null and coalesce(c.resolved_at, ?) > c.due_at,"
            " c.cause, c.lesson"
            " from complaints c cross join mentions m on m.id = c.mention_id"
            " where c.created_at >= ? and c.created_at < ?",
            [iso(min(until, _now()))] * 2 + window,
        ).fetchall()
        periods = {start: _Tally() for start in _period_starts(since.date(), until.date(), by)}
        for day, count in per_day.items():
            periods[_bucket(day, by)].mentions += count
        for row in rows:
            tally = periods[_bucket(row[0], by)]
            tally.complaints += 1
            tally.categories[row[1]] += 1
        return Stats(
            since=since,
            until=until,
            by=by,
            mentions=sum(per_day.values()),
            complaints=len(rows),
            periods=[
                PeriodCounts(
                    start=start,
                    mentions=t.mentions,
                    complaints=t.complaints,
                    by_category=dict(t.categories),
                )
                for start, t in periods.items()
            ],
            by_category=_most(row[1] for row in rows),
            by_platform=_most(row[2] for row in rows),
            by_brand=_most(row[3] for row in rows),
            to_acknowledge=_durations(row[4] for row in rows),
            to_resolve=_durations(row[5] for row in rows),
            ack_breaches=sum(bool(row[6]) for row in rows),
            resolve_breaches=sum(bool(row[7]) for row in rows),
            causes=_top_notes(row[8] for row in rows),
            lessons=_top_notes(row[9] for row in rows),
        )

    def notable_complaints(
        self, *, since: datetime, until: datetime, limit: int = 10
    ) -> list[Complaint]:
        """The period's most urgent complaints, newest first within a priority."""
        return self._complaints(
            "where c.created_at >= ? and c.created_at < ? "
            "order by c.priority, c.created_at desc limit ?",
            [iso(since), iso(until), limit],
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _period_starts(first: date, last: date, by: Period) -> list[date]:
    start = _bucket(first.isoformat(), by)
    step = timedelta(days=7 if by == "week" else 1)
    starts = []
    while start <= last:
        starts.append(start)
        start += step
    return starts


def _bucket(day: str, by: Period) -> date:
    moment = date.fromisoformat(day)
    return moment - timedelta(days=moment.weekday()) if by == "week" else moment


def _most(values: Iterable[str]) -> dict[str, int]:
    return dict(Counter(values).most_common())


def _durations(minutes: Iterable[float | None]) -> Durations:
    known = sorted(m for m in minutes if m is not None)
    if not known:
        return Durations(count=0, median=None, p90=None)
    p90 = known[min(len(known) - 1, int(0.9 * len(known)))]
    return Durations(count=len(known), median=statistics.median(known), p90=p90)


def _top_notes(notes: Iterable[str | None]) -> list[tuple[str, int]]:
    """The most frequent notes, told apart case-insensitively, shown as first written."""
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for note in notes:
        text = " ".join((note or "").split())
        if text:
            key = text.casefold()
            counts[key] += 1
            written.setdefault(key, text)
    return [(written[key], n) for key, n in counts.most_common(TOP)]
