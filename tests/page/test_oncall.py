"""On-call rotation and working hours on local wall-clock time, across zones and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.config import ResponderSettings, RotationSettings
from monitor.page.oncall import in_working_hours, on_call

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def rotation(**changes: object) -> RotationSettings:
    values: dict[str, object] = dict(
        name="support",
        members=["ana", "ben", "cy"],
        handoff="09:00",
        timezone="Europe/London",
        shift_days=7,
        start="2026-01-05",  # a Monday
    )
    values.update(changes)
    return RotationSettings(**values)  # type: ignore[arg-type]


def responder(**changes: object) -> ResponderSettings:
    values: dict[str, object] = dict(
        name="Dana", timezone="Europe/London", working_hours="09:00-17:30"
    )
    values.update(changes)
    return ResponderSettings(**values)  # type: ignore[arg-type]


# --- rotation --------------------------------------------------------------------------


def test_handoff_boundary_is_exact() -> None:
    week = rotation()
    handoff = datetime(2026, 1, 12, 9, 0, tzinfo=LONDON)  # second shift starts
    assert on_call(week, handoff - timedelta(seconds=1)) == "ana"
    assert on_call(week, handoff) == "ben"
    assert on_call(week, datetime(2026, 1, 5, 8, 59, tzinfo=LONDON)) == "cy"  # before start
    assert on_call(week, datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)) == "ana"


def test_rotation_wraps_around() -> None:
    daily = rotation(shift_days=1)
    start = datetime(2026, 1, 5, 12, 0, tzinfo=LONDON)
    names = [on_call(daily, start + timedelta(days=d)) for d in range(7)]
    assert names == ["ana", "ben", "cy", "ana", "ben", "cy", "ana"]


def test_same_instant_in_two_time_zones() -> None:
    # 2026-01-12 10:00 UTC: 10:00 in London (ben took over at 09:00) but
    # 05:00 in New York, where the hand-off to ben is still four hours away.
    instant = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    assert on_call(rotation(timezone="Europe/London"), instant) == "ben"
    assert on_call(rotation(timezone="America/New_York"), instant) == "ana"
    # 19:00 in Tokyo: ben since 09:00 Tokyo.
    assert on_call(rotation(timezone="Asia/Tokyo"), instant) == "ben"
    assert (
        on_call(rotation(timezone="Asia/Tokyo"), datetime(2026, 1, 12, 8, 59, tzinfo=TOKYO))
        == "ana"
    )


def test_handoff_stays_at_local_time_across_dst() -> None:
    # Clocks go forward in London on 2026-03-29; a daily 09:00 hand-off is
    # 09:00 UTC the day before and 08:00 UTC that day.
    daily = rotation(shift_days=1, start="2026-03-27")  # ana on the 27th, ben 28th, cy 29th
    assert on_call(daily, datetime(2026, 3, 28, 8, 59, tzinfo=UTC)) == "ana"
    assert on_call(daily, datetime(2026, 3, 28, 9, 0, tzinfo=UTC)) == "ben"
    assert on_call(daily, datetime(2026, 3, 29, 7, 59, tzinfo=UTC)) == "ben"
    assert on_call(daily, datetime(2026, 3, 29, 8, 0, tzinfo=UTC)) == "cy"
    # And back in October (2026-10-25): 09:00 BST the day before, 09:00 GMT after.
    autumn = rotation(shift_days=1, start="2026-10-23")
    assert on_call(autumn, datetime(2026, 10, 24, 7, 59, tzinfo=UTC)) == "ana"
    assert on_call(autumn, datetime(2026, 10, 24, 8, 0, tzinfo=UTC)) == "ben"
    assert on_call(autumn, datetime(2026, 10, 25, 8, 59, tzinfo=UTC)) == "ben"
    assert on_call(autumn, datetime(2026, 10, 25, 9, 0, tzinfo=UTC)) == "cy"


def test_handoff_in_the_skipped_hour() -> None:
    # New York skips 02:00-03:00 on 2026-03-08; a 02:30 hand-off happens when
    # the clock jumps, at 07:30 UTC (03:30 EDT), not an hour early or a day late.
    nightly = rotation(
        timezone="America/New_York", handoff="02:30", shift_days=1, start="2026-03-07"
    )
    assert on_call(nightly, datetime(2026, 3, 8, 7, 29, tzinfo=UTC)) == "ana"
    assert on_call(nightly, datetime(2026, 3, 8, 7, 30, tzinfo=UTC)) == "ben"


def test_week_long_shift_across_dst_keeps_its_length_in_local_time() -> None:
    week = rotation(timezone="America/New_York", start="2026-03-02")  # Monday
    assert on_call(week, datetime(2026, 3, 9, 8, 59, tzinfo=NEW_YORK)) == "ana"
    assert on_call(week, datetime(2026, 3, 9, 9, 0, tzinfo=NEW_YORK)) == "ben"
    assert datetime(2026, 3, 9, 9, 0, tzinfo=NEW_YORK).astimezone(UTC).hour == 13


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        on_call(rotation(), datetime(2026, 1, 5, 9, 0))


# --- working hours ---------------------------------------------------------------------


def test_working_hours_in_the_responders_zone() -> None:
    dana = responder()  # London, 09:00-17:30, Mon-Fri
    monday = datetime(2026, 1, 5, tzinfo=LONDON)
    assert not in_working_hours(dana, monday.replace(hour=8, minute=59))
    assert in_working_hours(dana, monday.replace(hour=9))
    assert in_working_hours(dana, monday.replace(hour=17, minute=29))
    assert not in_working_hours(dana, monday.replace(hour=17, minute=30))
    # 14:00 UTC is 09:00 in New York: the New York responder has just started.
    kim = responder(timezone="America/New_York")
    assert in_working_hours(kim, datetime(2026, 1, 5, 14, 0, tzinfo=UTC))
    assert not in_working_hours(kim, datetime(2026, 1, 5, 13, 59, tzinfo=UTC))


def test_weekends_are_off_unless_listed() -> None:
    saturday = datetime(2026, 1, 10, 12, 0, tzinfo=LONDON)
    assert not in_working_hours(responder(), saturday)
    assert in_working_hours(responder(working_days=["sat", "sun"]), saturday)
    assert not in_working_hours(responder(working_days=["sat", "sun"]), saturday.replace(day=12))


def test_weekday_is_taken_in_the_responders_zone() -> None:
    # Friday 23:30 UTC is already Saturday 08:30 in Tokyo: a Mon-Fri Tokyo
    # responder with 08:00-18:00 hours is off, though it is Friday in UTC.
    tokyo = responder(timezone="Asia/Tokyo", working_hours="08:00-18:00")
    assert not in_working_hours(tokyo, datetime(2026, 1, 9, 23, 30, tzinfo=UTC))
    assert in_working_hours(tokyo, datetime(2026, 1, 8, 23, 30, tzinfo=UTC))


def test_overnight_hours_belong_to_the_day_they_start() -> None:
    night = responder(working_hours="22:00-06:00")  # Mon-Fri nights
    friday = datetime(2026, 1, 9, tzinfo=LONDON)
    assert in_working_hours(night, friday.replace(hour=23))
    assert in_working_hours(night, friday.replace(day=10, hour=5, minute=59))  # Sat morning
    assert not in_working_hours(night, friday.replace(day=10, hour=6))
    assert not in_working_hours(night, friday.replace(day=10, hour=23))  # Sat night: off
    assert not in_working_hours(night, friday.replace(day=5, hour=3))  # Mon 03:00: Sunday's night
    assert in_working_hours(night, friday.replace(day=6, hour=3))  # Tue 03:00: Monday's night
    assert not in_working_hours(night, friday.replace(hour=12))


def test_working_hours_follow_local_time_across_dst() -> None:
    dana = responder()
    # 08:30 UTC is 08:30 GMT on Friday 27 March and 09:30 BST on Monday 30 March.
    assert not in_working_hours(dana, datetime(2026, 3, 27, 8, 30, tzinfo=UTC))
    assert in_working_hours(dana, datetime(2026, 3, 30, 8, 30, tzinfo=UTC))


def test_whole_day_ranges() -> None:
    always = responder(working_hours="00:00-24:00")
    monday = datetime(2026, 1, 5, tzinfo=LONDON)
    assert in_working_hours(always, monday)
    assert in_working_hours(always, monday.replace(hour=23, minute=59))
    assert not in_working_hours(always, monday.replace(day=4, hour=12))  # Sunday
    assert in_working_hours(responder(working_hours="09:00-09:00"), monday.replace(hour=3))
