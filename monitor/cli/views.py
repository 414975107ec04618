"""``amends show`` for a person: one complaint as a short report, every string cleaned.

The report is a list of (prefix, text) lines: on a terminal the text wraps under
itself, after its prefix; elsewhere each line stays whole, for grep.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor.cli.tables import is_terminal, moment, plain
from monitor.page.render import clean_text
from sources import platform

if TYPE_CHECKING:
    from monitor.store import Complaint, Delivery, Event

TEXT_MAX = 4000  # characters of a post or draft shown; the rest is announced as cut
ITEM = "  - "
Line = tuple[str, str]  # (prefix, text)


def print_view(console: Console, lines: list[Line]) -> None:
    terminal = is_terminal(console)
    for prefix, text in lines:
        if not terminal or not prefix:
            console.print(Text(prefix + text), soft_wrap=not terminal)
            continue
        grid = Table.grid()
        grid.add_column(width=len(prefix), no_wrap=True)
        grid.add_column()
        grid.add_row(prefix, Text(text))
        console.print(grid)


def complaint_view(
    complaint: Complaint, deliveries: list[Delivery], events: list[Event]
) -> list[Line]:
    return [
        *_heading(complaint),
        *_section("Post", _block(complaint.mention.text)),
        *_section(f"Why {complaint.priority.level}", _items(complaint.priority.reasons)),
        *_section("Public draft", _block(complaint.public_draft)),
        *_section(
            "Draft checks", _items([f"{f.message} ({f.code})" for f in complaint.draft_checks])
        ),
        *_section("Follow-up", _items(complaint.followup)),
        *_section("Resolution", list(_resolution(complaint))),
        *_section("Deliveries", [_delivery(d) for d in deliveries]),
        *_section("History", [_event(e) for e in events]),
    ]


def _heading(complaint: Complaint) -> list[Line]:
    mention = complaint.mention
    where = platform(mention.platform)
    due = f" · due {moment(complaint.due_at)} UTC" if complaint.due_at else ""
    return [
        (
            "",
            f"complaint {complaint.id} · {complaint.priority.level} · {complaint.status} · "
            f"owner {plain(complaint.assignee)}{due}",
        ),
        (
            "",
            f"{where.display} · {plain(mention.author, 80)} · {mention.reach:,} "
            f"{where.reach_word} · {plain(complaint.category_label or complaint.category)}",
        ),
        ("", plain(mention.url, 500)),
    ]


def _section(title: str, lines: list[Line]) -> list[Line]:
    return [("", ""), ("", title), *lines] if lines else []


def _block(text: str) -> list[Line]:
    """Text as written, line breaks kept, indented."""
    if not text:
        return []
    return [("  ", line) for line in clean_text(text, TEXT_MAX, defang=False).split("\n")]


def _items(items: tuple[str, ...] | list[str]) -> list[Line]:
    return [(ITEM, plain(item)) for item in items]


def _resolution(complaint: Complaint) -> Iterator[Line]:
    for word, value in (
        ("note", complaint.resolution_note),
        ("cause", complaint.cause),
        ("fix", complaint.fix),
        ("lesson", complaint.lesson),
    ):
        if value:
            yield ("  ", f"{word}: {plain(value)}")


def _delivery(d: Delivery) -> Line:
    """Which contact (its responder and tags) through which service, and how it went."""
    contact = f"{plain(d.responder)} ({', '.join(plain(t) for t in d.tags) or 'email'})"
    via = f" via {plain(d.service)}" if d.service and d.service != "-" else ""
    tries = f"{d.attempts} attempt{'s' if d.attempts != 1 else ''}"
    if d.status == "sent":
        outcome = f"sent {moment(d.sent_at)} UTC ({tries})"
    elif d.status == "failed":
        outcome = f"failed after {tries}: {plain(d.last_error, 200)}"
    else:
        error = f"; last error: {plain(d.last_error, 200)}" if d.last_error else ""
        outcome = f"{d.status} ({tries}){error}"
    return (ITEM, f"#{d.id} {d.kind} level {d.level} → {contact}{via}: {outcome}")


def _event(e: Event) -> Line:
    shown = json.dumps(e.detail, ensure_ascii=False, default=str)
    detail = f" {plain(shown, 200)}" if e.detail is not None else ""
    return (ITEM, f"{moment(e.at)} {e.event} by {plain(e.by, 60)}{detail}")
