"""Asking the database questions: ``mentions``, ``stats``, ``export``, ``report``, ``prune``.

The store, the report and their libraries are imported inside each command, so a
call pays only for what it uses (see README, "Querying the database").
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Literal

import typer

from monitor.cli.common import err_console, out_console, state
from monitor.cli.tables import Column, is_terminal, print_json, print_table
from monitor.core.errors import AmendsError

if TYPE_CHECKING:
    from monitor.store import MentionHit
    from monitor.store.search import MentionFilter


def register(app: typer.Typer) -> None:
    app.command("mentions")(mentions)
    app.command("stats")(stats)
    app.command("export")(export)
    app.command("report")(report)
    app.command("prune")(prune)


# --- times ---------------------------------------------------------------------------

_SPANS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_SPANS["w"] = timedelta(weeks=1)


def span(text: str, option: str) -> timedelta:
    """ "30m", "24h", "7d", "2w" as a length of time."""
    found = re.fullmatch(r"(\d{1,6})\s*([mhdw])", text.strip().lower())
    if not found:
        raise AmendsError(f"{option} {text!r}: use a length such as 24h, 7d or 2w")
    return int(found.group(1)) * _SPANS[found.group(2)]


def moment(text: str | None, option: str, *, now: datetime) -> datetime | None:
    """A relative time back from now ("7d", "24h") or an absolute one ("2026-11-01",
    "2026-11-01T09:00", UTC unless it says otherwise)."""
    if text is None:
        return None
    if re.fullmatch(r"\s*\d{1,6}\s*[mhdw]\s*", text.lower()):
        return now - span(text, option)
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        raise AmendsError(
            f"{option} {text!r}: use a date (2026-11-01), a time (2026-11-01T09:00) "
            "or a length back from now (24h, 7d)"
        ) from None
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found


# --- the filters every listing shares ---------------------------------------------------

Since = Annotated[
    str | None, typer.Option(help="Posted at or after: 7d, 24h, or a date (2026-11-01).")
]
Until = Annotated[str | None, typer.Option(help="Posted before: 24h, or a date.")]
Platform = Annotated[str | None, typer.Option(help="Only this platform's mentions.")]
Brand = Annotated[str | None, typer.Option(help="Only this brand.")]
Author = Annotated[str | None, typer.Option(help="Only this author's handle (any case).")]
OnlyComplaints = Annotated[
    bool, typer.Option("--complaints", help="Only mentions a complaint was opened for.")
]
Status = Annotated[
    str | None, typer.Option(help="Complaints in this status: new, paged, acknowledged, resolved.")
]
PriorityOpt = Annotated[str | None, typer.Option("--priority", help="Complaints of P1, P2 or P3.")]
Category = Annotated[str | None, typer.Option(help="Complaints in this category.")]
MinReach = Annotated[
    int | None, typer.Option("--min-reach", min=0, help="Authors with at least this reach.")
]
Search = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        help='Full-text search: words, "a phrase", OR, NOT, prefix*, (grouping).',
    ),
]


def _filter(
    *,
    since: str | None,
    until: str | None,
    platform: str | None,
    brand: str | None,
    author: str | None,
    complaints_only: bool,
    status: str | None,
    priority: str | None,
    category: str | None,
    min_reach: int | None,
    near_misses: bool = False,
) -> MentionFilter:
    from monitor.store import COMPLAINT_STATUSES
    from monitor.store.search import MentionFilter

    if status is not None and status not in COMPLAINT_STATUSES:
        raise typer.BadParameter(
            f"{status!r} is not one of {', '.join(COMPLAINT_STATUSES)}", param_hint="--status"
        )
    if priority is not None and priority.upper() not in ("P1", "P2", "P3"):
        raise typer.BadParameter(f"{priority!r} is not P1, P2 or P3", param_hint="--priority")
    now = datetime.now(UTC)
    return MentionFilter(
        since=moment(since, "--since", now=now),
        until=moment(until, "--until", now=now),
        platform=platform,
        brand=brand,
        author=author,
        complaints_only=complaints_only,
        status=status,
        priority=priority.upper() if priority else None,
        category=category,
        min_reach=min_reach,
        near_misses=near_misses,
    )


_FILTER_OPTIONS = (
    "since", "until", "platform", "brand", "author", "complaints_only", "status",
    "priority", "category", "min_reach",
)  # fmt: skip


def _filter_options(given: dict[str, Any]) -> dict[str, Any]:
    """The filter options among a command's parameters (``mentions`` and ``export``
    take the same ones)."""
    return {name: given[name] for name in _FILTER_OPTIONS}


def _said_literal(text: str | None, reason: str | None) -> None:
    if reason is None:
        return
    err_console.print(
        f"amends: {text!r} is not full-text query syntax ({reason}); searched for its words "
        'as written. Syntax: "a phrase", AND / OR / NOT in capitals, prefix*, (grouping).',
        markup=False,
        highlight=False,
    )


# --- mentions ------------------------------------------------------------------------

Format = Literal["table", "json", "csv"]


def mentions(
    ctx: typer.Context,
    search: Search = None,
    since: Since = None,
    until: Until = None,
    platform: Platform = None,
    brand: Brand = None,
    author: Author = None,
    complaints_only: OnlyComplaints = False,
    status: Status = None,
    priority: PriorityOpt = None,
    category: Category = None,
    min_reach: MinReach = None,
    near_misses: Annotated[
        bool,
        typer.Option(
            "--near-misses",
            help="Mentions judged not to be complaints, highest score first: what to check "
            "when tuning the threshold (label misses with `amends label ID complaint`).",
        ),
    ] = False,
    sort: Annotated[
        str, typer.Option(help="time (newest first) or relevance (best match first).")
    ] = "time",
    output: Annotated[str, typer.Option("--format", help="table, json (lines) or csv.")] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
) -> None:
    """List or search stored mentions, newest first."""
    from monitor.store.search import MentionQuery

    if (complaints_only or status or priority or category) and near_misses:
        raise AmendsError("--near-misses lists mentions that are not complaints: drop the rest")
    if sort not in ("time", "relevance"):
        raise typer.BadParameter(f"{sort!r} is not time or relevance", param_hint="--sort")
    shape = "json" if as_json else output
    if shape not in ("table", "json", "csv"):
        raise typer.BadParameter(f"{output!r} is not table, json or csv", param_hint="--format")
    filters = _filter(near_misses=near_misses, **_filter_options(locals()))
    query = MentionQuery(text=search, filters=filters, order=sort, limit=limit)  # type: ignore[arg-type]
    with state(ctx).open_store(readonly=True) as store:
        found = store.search(query)
    _said_literal(search, found.literal_because)
    if shape == "json":
        for hit in found.hits:
            print_json(out_console, mention_json(hit))
    elif shape == "csv":
        write_csv(out_console.file, [_as_row(hit) for hit in found.hits])
    else:
        _print_mentions(found.hits)


MENTION_COLUMNS = (
    Column(header="id", most=8),
    Column(header="when (UTC)"),
    Column(header="platform", most=10, wide=True),
    Column(header="author", most=16),
    Column(header="reach", most=9, wide=True),
    Column(header="complaint", most=14),
    Column(header="text", free=True),
)


def _print_mentions(hits: list[MentionHit]) -> None:
    rows = [
        (
            hit.id,
            hit.created_at,
            hit.platform,
            hit.author,
            hit.reach,
            _judged(hit),
            hit.text,
        )
        for hit in hits
    ]
    print_table(out_console, MENTION_COLUMNS, rows)
    if is_terminal(out_console):
        out_console.print(f"{len(hits)} mention(s)", highlight=False)


def _judged(hit: MentionHit) -> str:
    """ "#12 paged" for a complaint, else the model's verdict and score."""
    if hit.complaint_id is not None:
        return f"#{hit.complaint_id} {hit.status}"
    if hit.complaint is None:
        return ""
    return f"{'yes' if hit.complaint else 'no'} {hit.complaint_score or 0:.2f}"


def _as_row(hit: MentionHit) -> tuple[Any, ...]:
    """A hit as ``mention_rows`` gives it (for ``--format csv``)."""
    from monitor.store.search import ROW_FIELDS

    row = mention_json(hit)
    return tuple(row[name] for name in ROW_FIELDS)


def mention_json(hit: MentionHit) -> dict[str, Any]:
    row = asdict(hit)
    row["created_at"] = hit.created_at.isoformat()
    row["complaint"] = None if hit.complaint is None else int(hit.complaint)  # 0/1, as stored
    return row


# --- export --------------------------------------------------------------------------


def write_csv(out: IO[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """CSV with a header row (``ROW_FIELDS`` but relevance) for a page of hits; cells
    a post's writer controls that start like a formula are defused, as the store's
    ``mention_csv_lines`` does for exports."""
    from monitor.store.search import FORMULA_STARTS, ROW_FIELDS, WRITER_FIELDS

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROW_FIELDS[:-1])
    writers_cells = [ROW_FIELDS.index(name) for name in WRITER_FIELDS]
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007 - the count is the result
        cells = list(row[:-1])
        for i in writers_cells:
            if cells[i] and cells[i].startswith(FORMULA_STARTS):
                cells[i] = "'" + cells[i]
        writer.writerow(cells)
    return count


def write_lines(out: IO[str], lines: Iterable[str]) -> int:
    """Lines as they come (JSON lines from the store)."""
    count = 0
    write = out.write
    for count, line in enumerate(lines, 1):  # noqa: B007 - the count is the result
        write(line + "\n")
    return count


def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
    shape: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    search: Search = None,
    since: Since = None,
    until: Until = None,
    platform: Platform = None,
    brand: Brand = None,
    author: Author = None,
    complaints_only: OnlyComplaints = False,
    status: Status = None,
    priority: PriorityOpt = None,
    category: Category = None,
    min_reach: MinReach = None,
) -> None:
    """Write every mention the filters keep as CSV or JSON lines, newest first."""
    from monitor.store.search import ROW_FIELDS, MentionQuery

    if shape not in ("csv", "jsonl"):
        raise typer.BadParameter(f"{shape!r} is not csv or jsonl", param_hint="--format")
    filters = _filter(**_filter_options(locals()))
    query = MentionQuery(text=search, filters=filters, limit=None)
    if output is None and is_terminal(out_console):
        raise AmendsError("export writes data for files: add --output FILE or a pipe")
    with (
        state(ctx).open_store(readonly=True) as store,
        output.open("w", encoding="utf-8", newline="")
        if output
        else nullcontext(sys.stdout) as out,
    ):
        if shape == "csv":
            out.write(",".join(ROW_FIELDS[:-1]) + "\n")
            count = write_lines(out, store.mention_csv_lines(query))
        else:
            count = write_lines(out, store.mention_json_lines(query))
    err_console.print(f"{count:,} mention(s) exported", highlight=False)


# --- stats and the report -----------------------------------------------------------------


def stats(
    ctx: typer.Context,
    since: Annotated[str, typer.Option(help="From: 30d, 2w, or a date.")] = "30d",
    until: Annotated[str | None, typer.Option(help="To (default: now).")] = None,
    by: Annotated[str, typer.Option(help="day or week.")] = "day",
    shape: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Complaints per day or week by category, platform and brand; response times,
    SLA breaches, and what resolutions say went wrong."""
    from monitor.report.summary import as_dict

    if by not in ("day", "week"):
        raise typer.BadParameter(f"{by!r} is not day or week", param_hint="--by")
    if shape not in ("text", "json"):
        raise typer.BadParameter(f"{shape!r} is not text or json", param_hint="--format")
    start, end = _window(since, until)
    with state(ctx).open_store(readonly=True) as store:
        found = store.stats(since=start, until=end, by=by)  # type: ignore[arg-type]
    if shape == "json":
        print_json(out_console, as_dict(found))
        return
    _print_stats(found)


def _window(since: str, until: str | None) -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    start = moment(since, "--since", now=now)
    end = moment(until, "--until", now=now) or now
    assert start is not None
    if start >= end:
        raise AmendsError("--since must be before --until")
    return start, end


def _print_stats(found: Any) -> None:
    from monitor.report.chart import bar_chart
    from monitor.report.summary import headline, period_label

    say = out_console.print
    for what, value in headline(found):
        say(f"{what:<30} {value}", highlight=False, markup=False)
    say(f"\ncomplaints per {found.by}", highlight=False)
    trend = [(period_label(found, i), p.complaints) for i, p in enumerate(found.periods)]
    width = max(min(out_console.width, 100) - 32, 10)
    for line in bar_chart(trend, width=width):
        say(line, highlight=False, markup=False)
    for title, counts in (
        ("category", found.by_category),
        ("platform", found.by_platform),
        ("brand", found.by_brand),
    ):
        rows = [(name or "(none)", n) for name, n in counts.items()]
        if rows:
            say(f"\nby {title}", highlight=False)
            print_table(out_console, (Column(header=title, most=24), Column(header="n")), rows)
    for title, notes in (("top causes", found.causes), ("lessons", found.lessons)):
        if notes:
            say(f"\n{title}", highlight=False)
            print_table(
                out_console,
                (Column(header="n"), Column(header=title, free=True)),
                [(n, text) for text, n in notes],
            )


def report(
    ctx: typer.Context,
    html: Annotated[Path, typer.Option("--html", help="Write the report to this file.")],
    since: Annotated[str, typer.Option(help="From: 7d, 2w, or a date.")] = "7d",
    until: Annotated[str | None, typer.Option(help="To (default: now).")] = None,
    by: Annotated[str, typer.Option(help="day or week.")] = "day",
) -> None:
    """Write the weekly review as one self-contained HTML file (charts inline, nothing
    loaded from elsewhere)."""
    from monitor.report.html import render_report

    if by not in ("day", "week"):
        raise typer.BadParameter(f"{by!r} is not day or week", param_hint="--by")
    start, end = _window(since, until)
    with state(ctx).open_store(readonly=True) as store:
        found = store.stats(since=start, until=end, by=by)  # type: ignore[arg-type]
        notable = store.notable_complaints(since=start, until=end)
    page = render_report(
        found, notable, generated=datetime.now(UTC), title="amends: complaints review"
    )
    html.write_text(page, encoding="utf-8")
    out_console.print(f"report written to {html}", markup=False, highlight=False)


# --- retention -----------------------------------------------------------------------------


def prune(
    ctx: typer.Context,
    older_than: Annotated[
        str, typer.Option("--older-than", help="Remove mentions posted longer ago: 365d, 52w.")
    ] = "365d",
    include_complaints: Annotated[
        bool,
        typer.Option(
            "--include-complaints",
            help="Remove old complaints too, with their mentions and history.",
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say how many would go.")] = False,
    reclaim: Annotated[
        bool,
        typer.Option(
            "--reclaim/--no-reclaim",
            help="Give the space back (VACUUM: rewrites the file, writers wait meanwhile).",
        ),
    ] = True,
) -> None:
    """Remove old mentions that are not complaints (keeping the search index in step),
    then reclaim the space."""
    cutoff = datetime.now(UTC) - span(older_than, "--older-than")
    with state(ctx).open_store() as store:
        done = store.prune(
            older_than=cutoff,
            include_complaints=include_complaints,
            dry_run=dry_run,
            reclaim=reclaim,
        )
    verb = "would remove" if dry_run else "removed"
    said = f"{verb} {done.mentions:,} mention(s) posted before {cutoff:%Y-%m-%d %H:%M} UTC"
    if include_complaints:
        said += f", {done.complaints:,} of them complaints"
    if not dry_run and reclaim and done.mentions:
        said += f"; file {done.bytes_before / 1e6:.1f} MB -> {done.bytes_after / 1e6:.1f} MB"
    out_console.print(said, markup=False, highlight=False)
