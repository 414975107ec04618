"""``amends sources`` on a real config, database and local X server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from fakes.platforms import X_TOKEN, XServer
from monitor.cli import sources as sources_cli
from monitor.cli.common import CliState
from monitor.config import load_config
from monitor.daemon.polling import poll_source
from monitor.store import Store
from sources import build_sources

CONFIG = """
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Reyes"
[[responders.contacts]]
url = "terminal://"

[sources.x]
enabled = true
bearer_token = "${{AMENDS_TEST_X_TOKEN}}"
base_url = "{url}"
monthly_read_budget = 1000
"""


def test_sources_command_shows_health_queries_and_spend(
    x_server: XServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMENDS_TEST_X_TOKEN", X_TOKEN)
    config_path = tmp_path / "config.toml"
    config_path.write_text(CONFIG.format(url=x_server.url))
    db_path = tmp_path / "amends.db"
    now = datetime.now(UTC)  # the command judges health against the wall clock
    x_server.post("acme lost my parcel", now=now)  # inside the first poll's lookback
    (source,) = build_sources(load_config(config_path))
    store = Store.open(db_path)
    batch = poll_source(source, store, now=now)
    assert batch is not None
    store.save_batch(batch, now=now)
    store.close()

    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = CliState(config_path=config_path, db_path=db_path)

    sources_cli.register(app)
    result = CliRunner().invoke(app, ["sources"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"x: ok; last success {now:%Y-%m-%d %H:%M}")
    assert lines[0].endswith("1 mentions fetched")
    assert lines[1] == f"  reads in {now:%Y-%m}: 1 of 1000 (0 %)"
    assert lines[2] == "  query: [Acme] acme -is:retweet"
