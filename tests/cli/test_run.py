"""`amends poll` as cron jobs and people run it: against the local X server, failing."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

from fakes.configs import MINIMAL_CONFIG
from fakes.platforms import X_TOKEN, XServer, problem
from monitor.cli.run import EXIT_NO_SOURCE, EXIT_SOURCE_FAILED
from tests.cli.test_app import run_cli

SEARCH = "/2/tweets/search/recent"
CONFIG = (
    MINIMAL_CONFIG
    + """
[sources.x]
enabled = {enabled}
bearer_token = "${{AMENDS_TEST_X_TOKEN}}"
base_url = "{url}"
timeout_seconds = 5
"""
)


def _poll(tmp_path, model_cache, x_server: XServer, *, enabled: bool = True):
    config = tmp_path / "amends.toml"
    config.write_text(
        CONFIG.format(
            db=tmp_path / "amends.db",
            cache=model_cache,
            pages=tmp_path / "pages.jsonl",
            enabled=str(enabled).lower(),
            url=x_server.url,
        )
    )
    env = dict(os.environ, AMENDS_TEST_X_TOKEN=X_TOKEN, HF_HUB_OFFLINE="1", COLUMNS="200")
    if not (tmp_path / "amends.db").exists():  # poll does not create a database
        assert run_cli("--config", str(config), "migrate", env=env).returncode == 0
    return run_cli("--config", str(config), "poll", env=env)


def test_poll_says_which_source_failed_and_when_it_is_tried_next(
    tmp_path, model_cache, x_server: XServer
):
    x_server.post("acme lost my parcel", now=datetime.now(UTC))
    x_server.fail(SEARCH, 500, problem("Internal", "boom", "about:blank", 500))
    failed = _poll(tmp_path, model_cache, x_server)
    assert failed.returncode == EXIT_SOURCE_FAILED == 75, failed.stderr
    assert re.search(
        r"^x: failed \(X server error 500; retrying with backoff; next try \d\d:\d\d UTC\)$",
        failed.stdout,
        re.M,
    ), failed.stdout
    assert "0 read, 0 new" not in failed.stdout

    reset = datetime.now(UTC) + timedelta(minutes=10)
    x_server.fail(
        SEARCH,
        429,
        problem("Too Many Requests", "Too Many Requests", "about:blank", 429),
        headers={"x-rate-limit-reset": str(int(reset.timestamp()))},
    )
    limited = _poll(tmp_path, model_cache, x_server)
    assert limited.returncode == EXIT_SOURCE_FAILED, limited.stderr
    assert (
        f"x: failed (X rate limit on all 1 queries; next try {reset:%H:%M} UTC)" in limited.stdout
        or f"{reset:%Y-%m-%d %H:%M} UTC)" in limited.stdout
    )


def test_poll_with_no_source_enabled_says_so(tmp_path, model_cache, x_server: XServer):
    result = _poll(tmp_path, model_cache, x_server, enabled=False)
    assert result.returncode == EXIT_NO_SOURCE == 78
    assert "no source is enabled" in result.stderr
    assert x_server.requests == []


def test_poll_on_a_mistyped_database_creates_nothing(tmp_path, model_cache, x_server: XServer):
    """Only run, demo and migrate create a database; poll names the missing file."""
    config = tmp_path / "amends.toml"
    missing = tmp_path / "no-such-dir" / "amends.db"
    config.write_text(
        CONFIG.format(
            db=missing,
            cache=model_cache,
            pages=tmp_path / "pages.jsonl",
            enabled="true",
            url=x_server.url,
        )
    )
    env = dict(os.environ, AMENDS_TEST_X_TOKEN=X_TOKEN, HF_HUB_OFFLINE="1", COLUMNS="200")
    result = run_cli("--config", str(config), "poll", env=env)
    assert result.returncode != 0
    assert "no such database" in result.stderr
    assert not missing.parent.exists()
    assert x_server.requests == []
