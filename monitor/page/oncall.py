"""Who is on call, and whether a responder is at work, at an instant.

Both work on local wall-clock time in the configured time zone and compare
instants in UTC, so a hand-off at "09:00" stays at 09:00 local across DST
changes even though that is a different UTC time in winter and summer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.config import ResponderSettings, RotationSettings

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def on_call(rotation: RotationSettings, at: datetime) -> str:
    """The member on duty at ``at`` (aware).

    Shift ``k`` starts on ``start + k * shift_days`` at ``handoff`` local time;
    members take shifts in order and wrap around (also before ``start``). A
    hand-off time that does not exist that day (skipped by a DST change) falls
    at the same wall time on the pre-change offset, i.e. just after the jump;
    one that happens twice uses the first.
    """
    _require_aware(at)
    zone = ZoneInfo(rotation.timezone)
    first = date.fromisoformat(rotation.start)
    handoff = _minutes(rotation.handoff)
    days = (at.astimezone(zone).date() - first).days
    shift = days // rotation.shift_days
    if at.astimezone(UTC) < _shift_start(first, shift, rotation.shift_days, handoff, zone):
        shift -= 1
    return rotation.members[shift % len(rotation.members)]


def _shift_start(first: date, shift: int, length: int, handoff: int, zone: ZoneInfo) -> datetime:
    day = first + timedelta(days=shift * length)
    # The offset is the one in force at the hand-off's wall time, not at the
    # shift's first midnight: a spring-forward night in between moves the UTC
    # instant, not the local time. ("24:00" rolls over to the next day.)
    wall = datetime.combine(day, time(0)) + timedelta(minutes=handoff)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def in_working_hours(responder: ResponderSettings, at: datetime) -> bool:
    """Whether ``at`` (aware) falls in the responder's working hours, in their zone.

    A range that ends before it starts ("22:00-06:00") runs overnight and
    belongs to the day it starts on: Friday 22:00 to Saturday 06:00 is work
    when Friday is a working day. Equal ends ("00:00-24:00", "09:00-09:00")
    mean the whole working day.
    """
    _require_aware(at)
    local = at.astimezone(ZoneInfo(responder.timezone))
    start_text, end_text = responder.working_hours.split("-")
    start, end = _minutes(start_text), _minutes(end_text)
    now = local.hour * 60 + local.minute
    today = _WEEKDAYS[local.weekday()]
    yesterday = _WEEKDAYS[(local.weekday() - 1) % 7]
    days = set(responder.working_days)
    if start == end:
        return today in days
    if start < end:
        return today in days and start <= now < end
    return (today in days and now >= start) or (yesterday in days and now < end)


def _minutes(clock: str) -> int:
    hours, _, minutes = clock.strip().partition(":")
    return int(hours) * 60 + int(minutes or 0)


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("on-call and working-hours checks need an aware datetime")
