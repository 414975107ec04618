"""Commands that run the pipeline and check the configuration."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from monitor.cli.common import err_console, out_console, shorten, state
from monitor.cli.tables import plain
from monitor.core.errors import ConfigError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from monitor.daemon.demo_run import DemoReport
    from monitor.daemon.pipeline import BatchReport
    from monitor.store import Store
    from monitor.store.source_state import Health

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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from monitor.daemon.demo import demo_config, demo_sources
    from monitor.daemon.demo_run import quiet_notifiers, run_demo
    from monitor.daemon.runtime import build_runtime

    cli = state(ctx)
    db_path = cli.db_path or Path("amends-demo.db")
    config = demo_config(pages)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("loading the classifier", total=None)
        runtime = build_runtime(config, db_path, cli.model_cache(config))
        if quiet:
            runtime.deliverer.notifier_for = quiet_notifiers()
        report = run_demo(
            runtime, demo_sources(config), now=datetime.now(UTC), progress=_Bar(bar, task)
        )
    _demo_summary(runtime.store, report, db_path, pages)
    runtime.close()


@dataclass
class _Bar:
    """The demo's progress, shown on a rich progress bar."""

    bar: Progress
    task: TaskID

    def stage(self, description: str, total: int | None = None) -> None:
        self.bar.update(self.task, description=description, total=total, completed=0)

    def advance(self, count: int) -> None:
        self.bar.advance(self.task, count)


def _demo_summary(store: Store, report: DemoReport, db_path: Path, pages: Path) -> None:
    table = Table(title="amends demo: complaints opened", show_lines=False)
    for column in ("id", "pri", "platform", "author", "category", "owner", "status"):
        table.add_column(column)
    opened = sorted(store.list_complaints(limit=None), key=lambda c: (c.priority.level, c.id))
    for complaint in opened:
        status = complaint.status
        if complaint.grouped_into:
            status += f" (with #{complaint.grouped_into})"
        elif complaint.incident_id and complaint.status == "new":
            status = f"in incident {complaint.incident_id}"
        table.add_row(
            str(complaint.id),
            complaint.priority.level,
            complaint.mention.platform,
            Text(plain(complaint.mention.author, 40)),
            complaint.category,
            complaint.assignee,
            status,
        )
    out_console.print(table)
    _near_misses(store)
    counts = store.counts()
    delivery = report.delivery
    out_console.print(
        f"{report.fetched} mentions read, {report.new} new, {counts['mentions']} stored in "
        f"{db_path}; {counts['complaints']} complaints; pages sent {delivery.sent}, "
        f"retrying {delivery.retrying}, failed {delivery.failed}. Pages also in {pages}."
    )
    out_console.print(
        f"Next: amends --db {db_path} complaints · amends --db {db_path} mentions --search refund"
    )


def _near_misses(store: Store, shown: int = 5) -> None:
    """The model is not perfect: show what it passed over, closest to the line first."""
    hits = store.search_mentions(near_misses=True, limit=shown)
    if not hits:
        return
    table = Table(title="not judged complaints: the closest calls")
    for column in ("mention", "score", "platform", "author", "text"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        table.add_row(
            str(hit.id),
            f"{hit.complaint_score or 0:.2f}",
            hit.platform,
            Text(plain(hit.author, 40)),
            Text(shorten(plain(hit.text, 400), 70)),
        )
    out_console.print(table)
    out_console.print(
        "A miss? `amends label MENTION complaint`; a false alarm? "
        "`amends resolve ID --not-a-complaint`. `amends train --feedback` learns from both."
    )


def run(ctx: typer.Context) -> None:
    """Run the daemon: poll every enabled source on its schedule, page, escalate.

    SIGHUP re-reads the config (a config with problems is refused and the running one
    stays). Stops cleanly on Ctrl-C or SIGTERM (the job in progress finishes its write,
    a request in flight is dropped). Under systemd it reports readiness, reloads and
    pings the watchdog (Type=notify, WatchdogSec=). Exits 78 on a configuration error.
    """
    from monitor.daemon.runtime import build_runtime
    from monitor.daemon.scheduler import Daemon

    cli = state(ctx)
    config = cli.config()
    runtime = build_runtime(config, cli.database(config), cli.model_cache(config))
    Daemon(runtime, load_config=cli.config).run_forever()


# `amends poll` exit codes (sysexits.h), for cron jobs and scripts.
EXIT_SOURCE_FAILED = 75  # EX_TEMPFAIL: a source failed or was not polled; try again later
EXIT_NO_SOURCE = 78  # EX_CONFIG: the configuration enables no source, nothing was polled


def poll(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only print the queries each source would send.")
    ] = False,
) -> None:
    """Poll every enabled source once, process what is new, deliver pages, and exit.

    One line per source. Exit status: 0 when every source polled; 75 (EX_TEMPFAIL)
    when any failed (rate limited, server error, unreachable), is paused or was not
    polled (read budget spent), each line saying why and when it is tried next; 78
    (EX_CONFIG) when no source is enabled; 2 for any other error.
    """
    from sources import build_sources

    cli = state(ctx)
    config = cli.config()
    sources = build_sources(config)
    if not sources:
        err_console.print("no source is enabled in the configuration: nothing to poll")
        raise typer.Exit(EXIT_NO_SOURCE)
    if dry_run:
        for source in sources:
            for query in source.describe_queries():
                out_console.print(f"[bold]{source.name}[/]  {query}", highlight=False)
        return
    from monitor.daemon.runtime import build_runtime
    from monitor.daemon.scheduler import housekeeping, poll_and_process

    # Only run, demo and migrate create a database: a mistyped --db fails here.
    runtime = build_runtime(config, cli.database(config), cli.model_cache(config), create=False)
    now = datetime.now(UTC)
    runtime.deliverer.recover(now)
    failed = 0
    for source in sources:
        before = runtime.store.source_health(source.name)
        report = poll_and_process(runtime, source, now=now, force=True)
        line, ok = _poll_line(report, before, runtime.store.source_health(source.name), now)
        out_console.print(f"{source.name}: {line}", highlight=False)
        failed += not ok
    housekeeping(runtime, now=now)
    runtime.close()
    if failed:
        raise typer.Exit(EXIT_SOURCE_FAILED)


def _poll_line(
    report: BatchReport | None, before: Health, after: Health, now: datetime
) -> tuple[str, bool]:
    """What one source's poll did, in a line, and whether it succeeded. A failure is
    told by its health: polling records every error there (and logs it as a warning)."""
    counts = (
        f"{report.fetched} read, {report.new} new, {len(report.complaints)} complaint(s)"
        if report is not None
        else ""
    )
    if after.paused:
        return f"paused ({after.paused}); a person must act, see `amends status`", False
    if report is None:
        return "not polled: its monthly read budget is spent (see `amends status`)", False
    if after.last_error_at != before.last_error_at or after.failures > before.failures:
        partial = f"after {counts}; " if report.fetched else ""
        return f"failed ({partial}{after.last_error}; next try {_at(after, now)})", False
    return counts, True


def _at(health: Health, now: datetime) -> str:
    moment = health.next_poll_at
    if moment is None:
        return "not scheduled"
    moment = moment.astimezone(UTC)
    return moment.strftime("%H:%M UTC" if moment.date() == now.date() else "%Y-%m-%d %H:%M UTC")


def check_config(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="Config file (default: --config).")] = None,
) -> None:
    """Check a config file and report every problem at once, with file, line and key."""
    cli = state(ctx)
    target = path or cli.config_path
    if target is None:
        raise ConfigError(["no configuration given: pass a PATH, --config or AMENDS_CONFIG"])
    config = cli.config(path=target)
    enabled = config.sources.enabled()
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
