"""``amends sources``: each source's health, the queries it sends and its paid read spend."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from monitor.cli.common import out_console, state
from monitor.cli.tables import plain

if TYPE_CHECKING:  # the sources package loads every platform's settings (pydantic)
    from sources.base import Source


def register(app: typer.Typer) -> None:
    app.command("sources")(sources)


def sources(ctx: typer.Context) -> None:
    """Show each enabled source's health, its queries and its paid reads against the budget."""
    from monitor.daemon.polling import status_rows
    from sources import build_sources

    cli = state(ctx)
    config = cli.config()
    with cli.open_store(config=config) as store:
        rows = status_rows(store)
    health = {r["source"]: r for r in rows["health"]}
    for source in build_sources(config):
        try:
            _show(source, health.get(source.name), rows["spend"])
        finally:
            source.close()


def _show(source: Source, row: dict[str, Any] | None, spend: list[dict[str, Any]]) -> None:
    if row is None:
        out_console.print(f"[bold]{source.name}[/]: never polled", highlight=False, soft_wrap=True)
    else:
        out_console.print(
            f"[bold]{source.name}[/]: {row['state']}; last success {row['last_success']}, "
            f"next poll {row['next_poll']}, {row['mentions_fetched']} mentions fetched",
            highlight=False,
            soft_wrap=True,
        )
        if row["last_error"]:
            out_console.print(
                f"  last error ({row['last_error_at']}): {plain(row['last_error'], 300)}",
                highlight=False,
                soft_wrap=True,
                markup=False,
            )
    from sources.base import Metered

    latest = next((r for r in spend if r["source"] == source.name), None)
    budget = source.monthly_read_budget if isinstance(source, Metered) else None
    if latest or budget:
        month, reads = (latest["month"], latest["reads"]) if latest else ("this month", 0)
        share = f" of {budget} ({reads * 100 // budget} %)" if budget else " (no budget)"
        out_console.print(f"  reads in {month}: {reads}{share}", highlight=False, soft_wrap=True)
    for query in source.describe_queries():
        out_console.print(f"  query: {query}", highlight=False, markup=False, soft_wrap=True)
