"""Commands that run the pipeline and check the configuration."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from monitor.cli.common import err_console, out_console, shorten, state
from monitor.core.errors import ConfigError

logger = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    app.command("run")(run)
    app.command("poll")(poll)
    app.command("check-config")(check_config)
    app.command("config")(show_config)


def demo(
    ctx: typer.Context,
    pages: Annotated[
        Path, typer.Option(help="Where the demo's file notifier writes pages (JSON lines).")
    ] = Path("amends-demo-pages.jsonl"),
    quiet: Annotated[bool, typer.Option(help="Do not print each page in the terminal.")] = False,
) -> None:
    """Run the real pipeline on a bundled sample: no accounts, no network.

    Stores ~40 sample mentions in a SQLite file (--db, default amends-demo.db), classifies
    them with the packaged model, drafts replies, routes and pages to the terminal and to
    a local file. Afterwards try `amends --db amends-demo.db complaints`.
    """
    from monitor.daemon.demo import demo_config, demo_sources
    from monitor.daemon.pipeline import process_batch
    from monitor.daemon.runtime import build_runtime
    from monitor.page.escalation import send_digests

    cli = state(ctx)
    db_path = cli.db_path or Path("amends-demo.db")
    config = demo_config(pages)
    now = datetime.now(UTC)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("loading the classifier", total=None)
        runtime = build_runtime(config, db_path, cli.model_cache(config))
        if quiet:
            runtime.deliverer.notifier_for = _quiet_notifiers()
        sources = demo_sources(config)
        batches = [s.poll(runtime.store.cursors(s.name), now=now) for s in sources]
        total = sum(len(b.mentions) for b in batches)
        progress.update(task, description="judging mentions", total=total, completed=0)
        reports = []
        for batch in batches:
            for start in range(0, max(len(batch.mentions), 1), 8):
                part = batch.mentions[start : start + 8]
                cursors = batch.cursors if start + 8 >= len(batch.mentions) else {}
                chunk = type(batch)(source=batch.source, mentions=part, cursors=cursors)
                reports.append(process_batch(runtime.pipeline, chunk, now=now))
                progress.advance(task, len(part))
        progress.update(task, description="delivering pages", total=None)
        send_digests(runtime.store, config, now=now)
        delivery = runtime.deliverer.run_due(now)
    _demo_summary(runtime, reports, delivery, db_path, pages)
    runtime.close()


def _quiet_notifiers():
    from notifiers import notifier_for
    from notifiers.base import OutgoingMessage, SendResult

    class Silent:
        def send(self, message: OutgoingMessage) -> SendResult:
            return SendResult(ok=True, service="terminal (quiet)")

    def pick(url: str):
        return Silent() if url.startswith("terminal://") else notifier_for(url)

    return pick


def _demo_summary(runtime, reports, delivery, db_path: Path, pages: Path) -> None:
    store = runtime.store
    fetched = sum(r.fetched for r in reports)
    new = sum(r.new for r in reports)
    table = Table(title="amends demo: complaints opened", show_lines=False)
    for column in ("id", "pri", "platform", "author", "category", "owner", "status"):
        table.add_column(column)
    for row in store.rows(
        "select c.id, c.priority, m.platform, m.author, c.category, c.assignee, c.status, "
        "c.grouped_into, c.incident_id from complaints c join mentions m on m.id = c.mention_id "
        "order by c.priority, c.id"
    ):
        status = row["status"]
        if row["grouped_into"]:
            status += f" (with #{row['grouped_into']})"
        elif row["incident_id"] and row["status"] == "new":
            status = f"in incident {row['incident_id']}"
        table.add_row(
            str(row["id"]),
            row["priority"],
            row["platform"],
            row["author"],
            row["category"],
            row["assignee"],
            status,
        )
    out_console.print(table)
    _near_misses(store)
    counts = store.counts()
    out_console.print(
        f"{fetched} mentions read, {new} new, {counts['mentions']} stored in {db_path}; "
        f"{counts['complaints']} complaints; pages sent {delivery.sent}, "
        f"retrying {delivery.retrying}, failed {delivery.failed}. Pages also in {pages}."
    )
    out_console.print(
        f"Next: amends --db {db_path} complaints · amends --db {db_path} mentions --search refund"
    )


def _near_misses(store, shown: int = 5) -> None:
    """The model is not perfect: show what it passed over, closest to the line first."""
    rows = store.search_mentions(near_misses=True, limit=shown)
    if not rows:
        return
    table = Table(title="not judged complaints: the closest calls")
    for column in ("mention", "score", "platform", "author", "text"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["id"]),
            f"{row['complaint_score']:.2f}",
            row["platform"],
            row["author"],
            shorten(row["text"], 70),
        )
    out_console.print(table)
    out_console.print(
        "A miss? `amends label MENTION complaint`; a false alarm? "
        "`amends resolve ID --not-a-complaint`. `amends train --feedback` learns from both."
    )


def run(ctx: typer.Context) -> None:
    """Run the daemon: poll every enabled source on its schedule, page, escalate.

    Stops cleanly on Ctrl-C or SIGTERM (the job in progress finishes its write). Under
    systemd it reports readiness and pings the watchdog (Type=notify, WatchdogSec=).
    """
    from monitor.daemon.runtime import build_runtime
    from monitor.daemon.scheduler import Daemon

    cli = state(ctx)
    config = cli.config()
    runtime = build_runtime(config, cli.database(config), cli.model_cache(config))
    Daemon(runtime).run_forever()


def poll(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only print the queries each source would send.")
    ] = False,
) -> None:
    """Poll every enabled source once, process what is new, deliver pages, and exit."""
    from sources import build_sources

    cli = state(ctx)
    config = cli.config()
    sources = build_sources(config)
    if dry_run:
        for source in sources:
            for query in source.describe_queries():
                out_console.print(f"[bold]{source.name}[/]  {query}", highlight=False)
        if not sources:
            err_console.print("no source is enabled in the configuration")
        return
    from monitor.daemon.runtime import build_runtime
    from monitor.daemon.scheduler import housekeeping, poll_and_process

    runtime = build_runtime(config, cli.database(config), cli.model_cache(config))
    now = datetime.now(UTC)
    runtime.deliverer.recover(now)
    for source in sources:
        report = poll_and_process(runtime, source, now=now, force=True)
        if report is None:
            out_console.print(f"{source.name}: not polled (see `amends status`)")
        else:
            out_console.print(
                f"{source.name}: {report.fetched} read, {report.new} new, "
                f"{len(report.complaints)} complaint(s)"
            )
    housekeeping(runtime, now=now)
    runtime.close()


def check_config(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="Config file (default: --config).")] = None,
) -> None:
    """Check a config file and report every problem at once, with file, line and key."""
    from monitor.config import load_config

    target = path or state(ctx).config_path
    if target is None:
        raise ConfigError(["no configuration given: pass a PATH, --config or AMENDS_CONFIG"])
    config = load_config(target)
    enabled = [n for n in ("x", "reddit") if getattr(config.sources, n).enabled]
    out_console.print(
        f"{target}: OK ({len(config.brands)} brand(s), {len(config.responders)} responder(s), "
        f"sources: {', '.join(enabled) or 'none enabled'})",
        highlight=False,
    )


def show_config(ctx: typer.Context) -> None:
    """Print the effective configuration (defaults filled in) with secrets masked."""
    from monitor.config import masked

    config = state(ctx).config()
    print(json.dumps(masked(config), indent=2, ensure_ascii=False))
