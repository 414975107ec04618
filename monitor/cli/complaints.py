"""Commands people use on the database: look things up, acknowledge, resolve, assign."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from monitor.cli.common import out_console, shorten, state, who
from monitor.core.errors import AmendsError
from monitor.store import Store, iso


def register(app: typer.Typer) -> None:
    app.command("mentions")(mentions)
    app.command("complaints")(complaints)
    app.command("show")(show)
    app.command("ack")(ack)
    app.command("resolve")(resolve)
    app.command("assign")(assign)
    app.command("silence")(silence)
    app.command("notify-test")(notify_test)
    app.command("status")(status)


def _store(ctx: typer.Context, *, readonly: bool = False) -> Store:
    cli = state(ctx)
    config = None
    if cli.db_path is None and cli.config_path is not None:
        config = cli.config()
    return Store.open(cli.database(config), readonly=readonly)


By = Annotated[str, typer.Option("--by", help="Who is doing this (default: your login name).")]
AsJson = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def mentions(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Full-text search.")] = None,
    platform: Annotated[str | None, typer.Option(help="x, reddit, ...")] = None,
    brand: Annotated[str | None, typer.Option(help="Only this brand.")] = None,
    complaints_only: Annotated[bool, typer.Option("--complaints", help="Only complaints.")] = False,
    near_misses: Annotated[
        bool,
        typer.Option(
            "--near-misses",
            help="Mentions judged not to be complaints, highest score first: what to check "
            "when tuning the threshold (label misses with `amends label ID complaint`).",
        ),
    ] = False,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
    as_json: AsJson = False,
) -> None:
    """List or search stored mentions, newest first."""
    if complaints_only and near_misses:
        raise AmendsError("--complaints and --near-misses exclude each other")
    store = _store(ctx, readonly=True)
    rows = store.search_mentions(
        search=search,
        platform=platform,
        brand=brand,
        complaints_only=complaints_only,
        near_misses=near_misses,
        limit=limit,
    )
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    table = Table()
    for column in ("id", "when", "platform", "author", "reach", "complaint", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        flag = (
            ""
            if row["complaint"] is None
            else f"{'yes' if row['complaint'] else 'no'} {row['complaint_score']:.2f}"
        )
        table.add_row(
            str(row["id"]),
            row["created_at"][:16],
            row["platform"],
            row["author"],
            str(row["reach"]),
            flag,
            shorten(row["text"], 90),
        )
    out_console.print(table)
    out_console.print(f"{len(rows)} mention(s)")


def complaints(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="new, paged, acknowledged or resolved.")
    ] = None,
    assignee: Annotated[str | None, typer.Option(help="Only this responder's.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    as_json: AsJson = False,
) -> None:
    """List complaints by status, most urgent first."""
    store = _store(ctx, readonly=True)
    rows = store.list_complaints(status=status, assignee=assignee, limit=limit)
    if as_json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return
    table = Table()
    for column in ("id", "pri", "status", "owner", "category", "due", "platform", "author", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["priority"],
            row["status"],
            row["assignee"],
            row["category"],
            (row["due_at"] or "")[:16],
            row["platform"],
            row["author"],
            shorten(row["text"], 60),
        )
    out_console.print(table)
    out_console.print(f"{len(rows)} complaint(s)")


def show(ctx: typer.Context, complaint_id: Annotated[int, typer.Argument(help="Complaint id.")]):
    """Show one complaint: the mention, the draft, the follow-up, deliveries and history."""
    store = _store(ctx, readonly=True)
    row = store.complaint(complaint_id)
    print(
        json.dumps(
            {
                **{
                    k: row[k]
                    for k in (
                        "id",
                        "priority",
                        "status",
                        "assignee",
                        "category",
                        "due_at",
                        "platform",
                        "author",
                        "url",
                        "text",
                        "public_draft",
                    )
                },
                "why": json.loads(row["priority_reasons"] or "[]"),
                "checks": json.loads(row["draft_checks"] or "[]"),
                "followup": json.loads(row["followup"] or "[]"),
                "deliveries": list(
                    store.rows(
                        "select id, kind, level, responder, status, attempts, last_error, sent_at "
                        "from deliveries where complaint_id = ? order by id",
                        [complaint_id],
                    )
                ),
                "events": store.events(complaint_id),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


def ack(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help="Complaint id from the page.")],
    by: By = "",
) -> None:
    """Acknowledge a complaint: you own it now, and escalation stops."""
    store = _store(ctx)
    now, responder = datetime.now(UTC), who(by)
    row = store.set_status(complaint_id, "acknowledged", by=responder, now=now)
    for member in store.rows(
        "select id from complaints where grouped_into = ? and status = 'paged'", [complaint_id]
    ):
        store.set_status(member["id"], "acknowledged", by=responder, now=now)
    out_console.print(f"complaint {complaint_id} acknowledged by {row['acked_by']}")


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
) -> None:
    """Resolve a complaint and record cause, fix and lesson (they feed reports)."""
    if not_a_complaint and not note:
        note = "not a complaint (false alarm)"
    if not (note or fix):
        raise AmendsError("say what was done: --note or --fix")
    store = _store(ctx)
    store.set_status(
        complaint_id,
        "resolved",
        by=who(by),
        now=datetime.now(UTC),
        resolution_note=note or None,
        cause=cause or None,
        fix=fix or None,
        lesson=lesson or None,
    )
    if not_a_complaint:
        store.add_feedback(store.complaint(complaint_id)["mention_id"], False, who(by))
    out_console.print(f"complaint {complaint_id} resolved")


def assign(
    ctx: typer.Context,
    complaint_id: Annotated[int, typer.Argument(help="Complaint id.")],
    name: Annotated[str, typer.Argument(help="Responder name from the config.")],
    by: By = "",
) -> None:
    """Reassign a complaint to another responder (recorded with who and when)."""
    cli = state(ctx)
    config = cli.config()
    if config.responder(name) is None:
        known = ", ".join(r.name for r in config.responders)
        raise AmendsError(f"no responder named {name!r} (known: {known})")
    store = Store.open(cli.database(config))
    store.reassign(complaint_id, name, by=who(by), now=datetime.now(UTC))
    out_console.print(f"complaint {complaint_id} now owned by {name}")


def _duration(text: str) -> timedelta:
    match = re.fullmatch(r"(\d+)\s*([mhd])", text.strip().lower())
    if not match:
        raise AmendsError(f"duration {text!r}: use e.g. 30m, 4h or 2d")
    value, unit = int(match.group(1)), match.group(2)
    return timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: value})


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
    store = _store(ctx)
    now = datetime.now(UTC)
    if list_only:
        for row in store.rows("select * from silences where until > ? order by until", [iso(now)]):
            out_console.print(
                f"#{row['id']} brand={row['brand'] or '*'} "
                f"topic={row['topic'] or '*'} until {row['until']} {row['reason']}"
            )
        return
    if not (brand or topic):
        raise AmendsError("name a --brand and/or a --topic to silence")
    until = now + _duration(duration)
    with store.transaction():
        store.db["silences"].insert(
            {
                "brand": brand,
                "topic": topic,
                "until": iso(until),
                "created_by": who(by),
                "reason": reason,
            }
        )
    out_console.print(f"silenced brand={brand or '*'} topic={topic or '*'} until {iso(until)}")


def notify_test(
    ctx: typer.Context,
    responder: Annotated[str, typer.Argument(help="Responder name, or 'admin'.")],
) -> None:
    """Send a test page to each of a responder's contacts and print each result."""
    from monitor.config import resolve_refs
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
            out_console.print(f"[red]FAIL[/] [{tags}] {exc}")
            failures += 1
            continue
        result = notifier_for(url).send(
            OutgoingMessage(
                url=url,
                title="amends test page",
                body=f"Test page for {responder}: if you can read this, this contact works.",
                body_format="text" if {"phone", "sms"} & set(contact.tags) else "markdown",
            )
        )
        word = "[green]OK[/]" if result.ok else "[red]FAIL[/]"
        out_console.print(f"{word} [{tags}] {result.service} {result.detail}", highlight=False)
        failures += not result.ok
    if failures:
        raise typer.Exit(1)


def status(ctx: typer.Context) -> None:
    """Show counts, open complaints, the delivery ledger and each source's health."""
    from monitor.daemon.polling import status_rows

    store = _store(ctx, readonly=True)
    counts = store.counts()
    out_console.print(
        f"mentions {counts['mentions']} · complaints {counts['complaints']} "
        f"(open {counts['open']}) · pages sent {counts['deliveries_sent']}, "
        f"failed {counts['deliveries_failed']}"
    )
    for section, rows in status_rows(store).items():
        if not rows:
            continue
        table = Table(title=section)
        for column in rows[0]:
            table.add_column(str(column), overflow="fold")
        for row in rows:
            table.add_row(*(str(v) if v is not None else "" for v in row.values()))
        out_console.print(table)
