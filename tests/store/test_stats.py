"""A period's numbers from the fixture database, checked by hand."""

from __future__ import annotations

from datetime import date, timedelta

from tests.store.conftest import NOW


def test_counts_by_category_platform_and_brand(filled):
    stats = filled.stats(since=NOW - timedelta(days=7), until=NOW)
    assert (stats.mentions, stats.complaints) == (6, 4)  # posts 1-6 are inside a week
    assert stats.complaint_share == 4 / 6
    assert stats.by_category == {"refund": 2, "product_defect": 1, "delivery": 1}
    assert stats.by_platform == {"x": 3, "reddit": 1}
    assert stats.by_brand == {"Acme": 4}


def test_periods_cover_the_window_day_by_day_or_by_week(filled):
    daily = filled.stats(since=NOW - timedelta(days=3), until=NOW, by="day")
    assert [p.start for p in daily.periods] == [
        (NOW - timedelta(days=d)).date() for d in (3, 2, 1, 0)
    ]
    assert sum(p.complaints for p in daily.periods) == daily.complaints
    assert sum(p.mentions for p in daily.periods) == daily.mentions
    today = daily.periods[-1]
    assert today.by_category == {"refund": 2}
    weekly = filled.stats(since=NOW - timedelta(days=20), until=NOW, by="week")
    assert all(p.start.weekday() == 0 for p in weekly.periods)  # Mondays
    assert weekly.periods[0].start <= (NOW - timedelta(days=20)).date()
    assert isinstance(weekly.periods[-1].start, date)


def test_response_times_breaches_causes_and_lessons(filled):
    stats = filled.stats(since=NOW - timedelta(days=7), until=NOW)
    # Two acknowledged, both 20 minutes after opening; one resolved, 200 minutes after.
    assert (stats.to_acknowledge.count, stats.to_acknowledge.median) == (2, 20.0)
    assert stats.to_resolve.median == 200.0 and stats.to_resolve.p90 == 200.0
    # Due an hour after opening, judged as of the period's end: the new one (3 h old)
    # is late for both; the paged one is not due yet; the resolved one was acknowledged
    # in time but resolved late; the acknowledged one is past due, still open.
    assert (stats.ack_breaches, stats.resolve_breaches) == (1, 3)
    assert stats.causes == [("Courier lost it", 1)] and stats.lessons == [("track parcels", 1)]


def test_an_empty_period_has_no_durations(filled):
    stats = filled.stats(since=NOW - timedelta(days=900), until=NOW - timedelta(days=800))
    assert stats.complaints == 0 and stats.complaint_share is None
    assert stats.to_acknowledge.median is None and stats.causes == []


def test_notable_complaints_are_the_most_urgent_first(filled):
    found = filled.notable_complaints(since=NOW - timedelta(days=7), until=NOW, limit=2)
    assert [c.priority.level for c in found] == ["P1", "P2"]


def test_a_window_inside_a_day_counts_only_what_it_holds(filled):
    # Posts 1-3 were 1, 3 and 5 hours before NOW: only post 2 is 2-4 hours back.
    stats = filled.stats(since=NOW - timedelta(hours=4), until=NOW - timedelta(hours=2))
    assert (stats.mentions, stats.complaints) == (1, 1)
    assert [(p.start, p.mentions) for p in stats.periods] == [(NOW.date(), 1)]
