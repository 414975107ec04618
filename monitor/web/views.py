"""What the templates show, made safe and readable here.

Every string a post's author controls goes through the pages' own cleaning
(``clean_text``: control, zero-width and bidi characters removed, addresses
defanged) before the template escapes it, so the inbox shows a post exactly as
an e-mail page does: as inert text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.page.render import author_handle, clean_text, defang_links, platform_link
from monitor.store import Complaint, Delivery, Event
from monitor.store.inbox import Tick
from sources import platform as platform_of

POST_CHARS = 5_000  # of a post on its page; the rest is cut, and said so
SNIPPET_CHARS = 140  # of a post in the inbox list


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    return _span(now - moment)


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 1440} d"


@dataclass(frozen=True, slots=True, kw_only=True)
class Due:
    text: str  # "in 20 min", "overdue 1 h 05"
    overdue: bool
    at: str  # ISO time, for a <time> element


def due(complaint: Complaint, now: datetime) -> Due | None:
    if complaint.due_at is None or complaint.status == "resolved":
        return None
    late = complaint.due_at <= now
    span = _span(complaint.due_at - now)
    return Due(
        text=f"overdue {span}" if late else f"in {span}",
        overdue=late,
        at=complaint.due_at.isoformat(timespec="minutes"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One complaint in the inbox list."""

    id: int
    level: str
    status: str
    state: str  # the status in words: "acknowledged by Dana Kim"
    platform: str
    handle: str
    reach: str
    category: str
    owner: str
    age: str
    due: Due | None
    snippet: str


def row(complaint: Complaint, now: datetime) -> Row:
    mention = complaint.mention
    where = platform_of(mention.platform)
    return Row(
        id=complaint.id,
        level=complaint.priority.level,
        status=complaint.status,
        state=(
            f"acknowledged by {_line(complaint.acked_by, 60)}"
            if complaint.status == "acknowledged" and complaint.acked_by
            else complaint.status
        ),
        platform=_line(where.display, 20),
        handle=author_handle(mention.platform, mention.author),
        reach=f"{mention.reach:,} {where.reach_word}" if mention.reach else "",
        category=_line(complaint.category_label, 40),
        owner=_line(complaint.assignee or "", 60),
        age=ago(mention.created_at, now),
        due=due(complaint, now),
        snippet=_line(mention.text, SNIPPET_CHARS),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    index: int
    text: str
    done: bool
    by: str  # who ticked it, and when, for the label
    when: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sent:
    """A line of the delivery ledger."""

    kind: str
    level: int
    responder: str
    channel: str
    service: str
    status: str
    attempts: int
    when: str
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Said:
    """A line of the history."""

    event: str
    by: str
    when: str
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    """One complaint, everything its page shows."""

    row: Row
    text: str  # the post, cleaned; a template escapes it
    post_link: str | None  # only a link on the platform's own host
    brand: str
    reasons: list[str]
    draft: str
    findings: list[tuple[str, str]]
    steps: list[Step]
    sent: list[Sent]
    history: list[Said]
    acked_by: str
    resolution: list[tuple[str, str]]  # (what, said) of a resolved complaint
    topic: str  # the category key a silence names


def page(
    complaint: Complaint,
    ticks: dict[int, Tick],
    deliveries: list[Delivery],
    events: list[Event],
    now: datetime,
) -> Page:
    mention = complaint.mention
    return Page(
        row=row(complaint, now),
        text=clean_text(mention.text, POST_CHARS),
        post_link=platform_link(mention.url, mention.platform),
        brand=_line(mention.brand or "", 60),
        reasons=[_line(r, 80) for r in complaint.priority.reasons[:10]],
        # The reply is ours to post, so a support link in it stays readable; only
        # script schemes are defanged, as the e-mail page does.
        draft=defang_links(clean_text(complaint.public_draft, 5_000, defang=False), web=False),
        findings=[(_line(f.code, 40), _line(f.message, 200)) for f in complaint.draft_checks],
        steps=[_step(i, text, ticks.get(i), now) for i, text in enumerate(complaint.followup)],
        sent=[_sent(d) for d in deliveries],
        history=[_said(e) for e in events],
        acked_by=_line(complaint.acked_by or "", 60),
        resolution=[
            (what, _line(said, 300))
            for what, said in (
                ("Note", complaint.resolution_note),
                ("Cause", complaint.cause),
                ("Fix", complaint.fix),
                ("Lesson", complaint.lesson),
            )
            if said
        ],
        topic=complaint.category,
    )


def _step(index: int, text: str, tick: Tick | None, now: datetime) -> Step:
    done = tick is not None and tick.done
    return Step(
        index=index,
        text=_line(text, 300),
        done=done,
        by=_line(tick.by, 60) if tick else "",
        when=f"{ago(tick.at, now)} ago" if tick else "",
    )


def _sent(delivery: Delivery) -> Sent:
    return Sent(
        kind=delivery.kind,
        level=delivery.level,
        responder=_line(delivery.responder, 60),
        channel=", ".join(delivery.tags) or "email",
        service=_line(delivery.service or "", 40),
        status=delivery.status,
        attempts=delivery.attempts,
        when=stamp(delivery.sent_at),
        error=_line(delivery.last_error or "", 200),
    )


def _said(event: Event) -> Said:
    detail = "" if event.detail is None else json.dumps(event.detail, default=str)
    return Said(
        event=_line(event.event, 40),
        by=_line(event.by, 60),
        when=stamp(event.at),
        detail=_line(detail, 300),
    )


def stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def _line(text: str, limit: int) -> str:
    return clean_text(text, limit).replace("\n", " ")
