"""What a period looked like: complaints by day or week, category, platform and brand,
how fast they were acknowledged and resolved, what was late, what people learnt.

Mentions are counted per day from the ``created_at`` index alone. The complaints
opened in the period (``complaints_created``, each joined to its mention by key for
the platform and brand) are counted by SQLite, grouped by day, category, platform and
brand; only their response times and distinct notes come back to Python. Fetching one
row per complaint and counting in Python took 2.1 s for a year at a million mentions
and 100,000 complaints, this 0.8 s, of which 0.4 s is reading each complaint's
mention for its platform and brand and 0.12 s the response times (see
benchmarks/bench_query.py). A covering index of the complaints' columns read here
was tried and dropped: the time goes to the mentions and to computing durations, not
to the complaints' rows. Complaints count by when they were opened, mentions by when
they were posted: a complaint is opened within minutes of its post.
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
        per_day = self._mentions_per_day(since, until)
        # Minutes, to the hundredth, from whole seconds (times are stored to the second):
        # unixepoch() parses in half the time julianday() took (0.12 against 0.23 s a year).
        ack = "round((unixepoch(c.acked_at) - unixepoch(c.created_at)) / 60.0, 2)"
        resolve = "round((unixepoch(c.resolved_at) - unixepoch(c.created_at)) / 60.0, 2)"
        now = iso(min(until, _now()))
        groups = self._db.execute(
            "select substr(c.created_at, 1, 10), coalesce(c.category, 'other'), m.platform,"
            " coalesce(m.brand, ''), count(*),"
            " sum(c.due_at is not null and coalesce(c.acked_at, ?) > c.due_at),"
            " sum(c.due_at is not null and coalesce(c.resolved_at, ?) > c.due_at)"
            " from complaints c cross join mentions m on m.id = c.mention_id"
            " where c.created_at >= ? and c.created_at < ? group by 1, 2, 3, 4",
            [now, now, *window],
        ).fetchall()
        times = self._db.execute(
            f"select {ack}, {resolve} from complaints c where c.created_at >= ?"
            " and c.created_at < ? and (c.acked_at is not null or c.resolved_at is not null)",
            window,
        ).fetchall()
        notes = self._db.execute(
            "select cause, lesson, count(*) from complaints c where c.created_at >= ?"
            " and c.created_at < ? and (c.cause != '' or c.lesson != '') group by 1, 2",
            window,
        ).fetchall()
        periods = {start: _Tally() for start in _period_starts(since.date(), until.date(), by)}
        for day, count in per_day.items():
            periods[_bucket(day, by)].mentions += count
        categories: Counter[str] = Counter()
        platforms: Counter[str] = Counter()
        brands: Counter[str] = Counter()
        for day, category, platform, brand, count, _ack_late, _resolve_late in groups:
            tally = periods[_bucket(day, by)]
            tally.complaints += count
            tally.categories[category] += count
            categories[category] += count
            platforms[platform] += count
            brands[brand] += count
        return Stats(
            since=since,
            until=until,
            by=by,
            mentions=sum(per_day.values()),
            complaints=sum(row[4] for row in groups),
            periods=[
                PeriodCounts(
                    start=start,
                    mentions=t.mentions,
                    complaints=t.complaints,
                    by_category=dict(t.categories),
                )
                for start, t in periods.items()
            ],
            by_category=dict(categories.most_common()),
            by_platform=dict(platforms.most_common()),
            by_brand=dict(brands.most_common()),
            to_acknowledge=_durations(row[0] for row in times),
            to_resolve=_durations(row[1] for row in times),
            ack_breaches=sum(row[5] for row in groups),
            resolve_breaches=sum(row[6] for row in groups),
            causes=_top_notes((cause, n) for cause, _lesson, n in notes),
            lessons=_top_notes((lesson, n) for _cause, lesson, n in notes),
        )

    def _mentions_per_day(self, since: datetime, until: datetime) -> dict[str, int]:
        """Mentions posted each day of the window (its first and last day in part): one
        count of a range of the ``created_at`` index per day. Grouping the window's
        mentions by day instead sorts all of them (0.8 s for a year at 1M; this 0.1 s)."""
        counts: dict[str, int] = {}
        day, start, end = since.date(), iso(since), iso(until)
        while day <= until.date():
            following = day + timedelta(days=1)
            counts[day.isoformat()] = int(
                self._one(
                    "select count(*) from mentions where created_at >= ? and created_at < ?",
                    [max(start, day.isoformat()), min(end, following.isoformat())],
                )
            )
            day = following
        return counts

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


def _top_notes(notes: Iterable[tuple[str | None, int]]) -> list[tuple[str, int]]:
    """The most frequent notes (each given with how often it was written exactly so),
    told apart case-insensitively, shown as first written."""
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for note, times in notes:
        text = " ".join((note or "").split())
        if text:
            key = text.casefold()
            counts[key] += times
            written.setdefault(key, text)
    return [(written[key], n) for key, n in counts.most_common(TOP)]
