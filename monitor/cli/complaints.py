"""Commands people use on complaints: look them up, acknowledge, resolve, assign."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from monitor.cli.common import out_console, state, who
from monitor.cli.query import span
from monitor.cli.tables import Cell, Column, is_terminal, plain, print_json, print_table
from monitor.core.errors import AmendsError

if TYPE_CHECKING:
    from monitor.store import Complaint, Delivery, Event

# The store (sqlite-utils), the actions and the page renderer (the platform registry,
# pydantic) are imported in the commands that use them, so every call starts fast
# (tests/cli/test_app.py checks what importing the CLI loads).


def register(app: typer.Typer) -> None:
    app.command("complaints")(complaints)
    app.command("show")(show)
    app.command("ack")(ack)
    app.command("resolve")(resolve)
    app.command("assign")(assign)
    app.command("silence")(silence)
    app.command("notify-test")(notify_test)
    app.command("status")(status)


By = Annotated[str, typer.Option("--by", help="Who is doing this (default: your login name).")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def complaints(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="new, paged, acknowledged or resolved.")
    ] = None,
    assignee: Annotated[str | None, typer.Option(help="Only this responder's.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    as_json: AsJson = False,
) -> None:
    """List complaints by status, most urgent first."""
    from monitor.store import COMPLAINT_STATUSES

    if status is not None and status not in COMPLAINT_STATUSES:
        raise typer.BadParameter(
            f"{status!r} is not one of {', '.join(COMPLAINT_STATUSES)}", param_hint="--status"
        )
    with state(ctx).open_store(readonly=True) as store:
        found = store.list_complaints(status=status, assignee=assignee, limit=limit)
    if as_json:
        for complaint in found:
            print_json(out_console, _complaint_json(complaint))
        return
    rows = [
        (
            c.id,
            c.priority.level,
            c.status,
            c.assignee,
            c.due_at,
            c.mention.platform,
            c.mention.author,
            c.category,
            c.mention.text,
        )
        for c in found
    ]
    print_table(out_console, COMPLAINT_COLUMNS, rows)
    if is_terminal(out_console):
        out_console.print(f"{len(found)} complaint(s)", highlight=False)


COMPLAINT_COLUMNS = (
    Column(header="id", most=8),
    Column(header="pri", most=3),
    Column(header="status", most=12),
    Column(header="owner", most=12),
    Column(header="due (UTC)"),
    Column(header="platform", most=10, wide=True),
    Column(header="author", most=16, wide=True),
    Column(header="category", most=14, wide=True),
    Column(header="text", free=True),
)


def _when(moment: datetime | None) -> str:
    """A stored time as the store writes it ("" for none)."""
    from monitor.store.columns import iso  # the store loads once a command runs, not at start

    return iso(moment) if moment else ""


def _complaint_json(complaint: Complaint) -> dict[str, Any]:
    mention = complaint.mention
    return {
        "id": complaint.id,
        "priority": complaint.priority.level,
        "status": complaint.status,
        "assignee": complaint.assignee,
        "category": complaint.category,
        "due_at": _when(complaint.due_at) or None,
        "created_at": _when(complaint.created_at) or None,
        "platform": mention.platform,
        "author": mention.author,
        "text": mention.text,
        "url": mention.url,
    }


def show(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help="Complaint id.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="The complaint as one JSON object.")
    ] = False,
) -> None:
    """Show one complaint: the mention, the draft, the follow-up, deliveries and history."""
    from monitor.cli.views import complaint_view, print_view  # the page renderer: when shown

    with state(ctx).open_store(readonly=True) as store:
        complaint = store.complaint(complaint_id)
        deliveries = store.deliveries(complaint_id)
        events = store.events(complaint_id)
    if as_json:
        print_json(out_console, _show_json(complaint, deliveries, events))
    else:
        print_view(out_console, complaint_view(complaint, deliveries, events))


def _show_json(
    complaint: Complaint, deliveries: list[Delivery], events: list[Event]
) -> dict[str, Any]:
    listed = _complaint_json(complaint)
    return {
        **{k: listed[k] for k in ("id", "priority", "status", "assignee", "category", "due_at")},
        **{k: listed[k] for k in ("platform", "author", "url", "text")},
        "public_draft": complaint.public_draft,
        "why": list(complaint.priority.reasons),
        "checks": [asdict(f) for f in complaint.draft_checks],
        "followup": complaint.followup,
        "deliveries": [
            {
                "id": d.id,
                "kind": d.kind,
                "level": d.level,
                "responder": d.responder,
                "contact": d.contact,
                "tags": d.tags,
                "service": d.service,
                "status": d.status,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "sent_at": _when(d.sent_at) or None,
            }
            for d in deliveries
        ],
        "events": [
            {
                "id": e.id,
                "complaint_id": e.complaint_id,
                "event": e.event,
                "by": e.by,
                "at": _when(e.at),
                "detail": json.dumps(e.detail, default=str) if e.detail is not None else None,
            }
            for e in events
        ],
    }


def ack(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help="Complaint id from the page.")],
    by: By = "",
    force: Annotated[
        bool,
        typer.Option("--force", help="Take over a complaint someone else already acknowledged."),
    ] = False,
) -> None:
    """Acknowledge a complaint: you own it now, and escalation stops."""
    from monitor import act

    with state(ctx).open_store() as store:
        done = act.acknowledge(store, complaint_id, by=who(by), now=datetime.now(UTC), force=force)
    out_console.print(f"complaint {complaint_id} acknowledged by {done.complaint.acked_by}")


def resolve(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help="Complaint id.")],
    note: Annotated[str, typer.Option(help="What was done, in a sentence.")] = "",
    cause: Annotated[str, typer.Option(help="Root cause, once known.")] = "",
    fix: Annotated[str, typer.Option(help="What fixed it for the customer.")] = "",
    lesson: Annotated[str, typer.Option(help="What changes so it does not happen again.")] = "",
    not_a_complaint: Annotated[
        bool,
        typer.Option(
            "--not-a-complaint",
            help="A false alarm: close it and label the mention for `amends train --feedback`.",
        ),
    ] = False,
    by: By = "",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace the resolution of a resolved complaint (the old one stays in "
            "its history).",
        ),
    ] = False,
) -> None:
    """Resolve a complaint and record cause, fix and lesson (they feed reports)."""
    from monitor import act
    from monitor.store import Resolution

    resolution = Resolution(
        note=note or None, cause=cause or None, fix=fix or None, lesson=lesson or None
    )
    now = datetime.now(UTC)
    with state(ctx).open_store() as store:
        if not_a_complaint:
            act.mark_not_a_complaint(
                store, complaint_id, resolution, by=who(by), now=now, force=force
            )
        else:
            act.resolve(store, complaint_id, resolution, by=who(by), now=now, force=force)
    out_console.print(f"complaint {complaint_id} resolved")


def assign(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help="Complaint id.")],
    name: Annotated[str, typer.Argument(help="Responder name from the config.")],
    by: By = "",
) -> None:
    """Reassign a complaint to another responder (recorded with who and when)."""
    from monitor import act

    cli = state(ctx)
    config = cli.config()
    with cli.open_store(config=config) as store:
        act.reassign(store, config, complaint_id, name, by=who(by), now=datetime.now(UTC))
    out_console.print(f"complaint {complaint_id} now owned by {name}")


# A silence hides pages, P1s included: a long one is forgotten and hides the next outage.
LONGEST_SILENCE = timedelta(days=30)


def _duration(text: str) -> timedelta:
    length = span(text, "--for")
    if length < timedelta(minutes=1):
        raise AmendsError(f"--for {text!r}: a silence lasts at least a minute")
    if length > LONGEST_SILENCE:
        raise AmendsError(
            f"--for {text!r}: a silence lasts at most {LONGEST_SILENCE.days}d, so that it "
            "cannot hide complaints for good; set a new one when it ends"
        )
    return length


def silence(
    ctx: typer.Context,
    brand: Annotated[str | None, typer.Option(help="Only this brand (default: all).")] = None,
    topic: Annotated[
        str | None, typer.Option(help="Only this category, e.g. outage (default: all).")
    ] = None,
    duration: Annotated[str, typer.Option("--for", help="How long: 30m, 4h, 2d.")] = "1h",
    reason: Annotated[str, typer.Option(help="Why, for the record.")] = "",
    list_only: Annotated[bool, typer.Option("--list", help="Show active silences.")] = False,
    by: By = "",
) -> None:
    """Stop paging for a brand and/or topic for a while (complaints are still recorded)."""
    from monitor import act

    now = datetime.now(UTC)
    with state(ctx).open_store() as store:
        if list_only:
            for running in store.active_silences(now):
                out_console.print(
                    f"#{running.id} brand={plain(running.brand) or '*'} "
                    f"topic={plain(running.topic) or '*'} until {_when(running.until)} "
                    f"{plain(running.reason)}",
                    markup=False,
                    highlight=False,
                )
            return
        added = act.silence(
            store,
            brand=brand,
            topic=topic,
            duration=_duration(duration),
            reason=reason,
            by=who(by),
            now=now,
        )
    out_console.print(
        f"silenced brand={brand or '*'} topic={topic or '*'} until {_when(added.until)}"
    )


def notify_test(
    ctx: typer.Context,
    responder: Annotated[str, typer.Argument(help="Responder name, or 'admin'.")],
) -> None:
    """Send a test page to each of a responder's contacts and print each result."""
    from monitor.config import resolve_refs
    from monitor.page.outbox import is_phone
    from notifiers import notifier_for
    from notifiers.base import OutgoingMessage

    config = state(ctx).config()
    if responder == "admin":
        contacts = config.general.admin_contacts
    else:
        person = config.responder(responder)
        if person is None:
            raise AmendsError(f"no responder named {responder!r}")
        contacts = person.contacts
    failures = 0
    for contact in contacts:
        tags = ",".join(contact.tags) or "email"
        try:
            url = resolve_refs(contact.url.get_secret_value())
        except ValueError as exc:
            out_console.print(Text.assemble(("FAIL", "red"), f" [{tags}] {plain(str(exc))}"))
            failures += 1
            continue
        result = notifier_for(url).send(
            OutgoingMessage(
                url=url,
                title="amends test page",
                body=f"Test page for {responder}: if you can read this, this contact works.",
                body_format="text" if is_phone(contact) else "markdown",
            )
        )
        word = ("OK", "green") if result.ok else ("FAIL", "red")
        said = f" [{tags}] {plain(result.service)} {plain(result.detail, 300)}"
        out_console.print(Text.assemble(word, said), highlight=False)
        failures += not result.ok
    if failures:
        raise typer.Exit(1)


def status(ctx: typer.Context) -> None:
    """Show counts, open complaints, the delivery ledger and each source's health."""
    from monitor.daemon.polling import status_rows

    with state(ctx).open_store(readonly=True) as store:
        counts = store.counts()
        sections = status_rows(store)
    out_console.print(
        f"mentions {counts['mentions']} · complaints {counts['complaints']} "
        f"(open {counts['open']}) · pages sent {counts['deliveries_sent']}, "
        f"failed {counts['deliveries_failed']} · unreachable: {counts['unreachable']}"
        + (f" ({counts['unpaged']} reached nobody, unpaged)" if counts["unpaged"] else ""),
        highlight=False,
    )
    for title, columns in STATUS_SECTIONS.items():
        rows = [[_status_cell(row.get(key)) for key in columns] for row in sections.get(title, [])]
        if rows:
            out_console.print(f"\n{title}", highlight=False)
            print_table(out_console, list(columns.values()), rows)


# Each section of `status`: the row key behind each column.
STATUS_SECTIONS = {
    "health": {
        "source": Column(header="source", most=10),
        "state": Column(header="state", most=12),
        "last_success": Column(header="last success"),
        "next_poll": Column(header="next poll"),
        "mentions_fetched": Column(header="fetched", most=9),
        "last_error_at": Column(header="error at", wide=True),
        "last_error": Column(header="last error", free=True),
    },
    "spend": {
        "source": Column(header="source", most=10),
        "month": Column(header="month", most=7),
        "reads": Column(header="reads", most=9),
        "stopped": Column(header="stopped", most=7),
    },
}


def _status_cell(value: Any) -> Cell:
    """Status rows carry times as "YYYY-MM-DD HH:MM:SS" UTC text: shown as times again."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", value):
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, int | str) or value is None else str(value)
