"""The inbox inside the daemon: served while it runs, on its own thread and
connections, gone when it stops; refused at start without its secret."""

from __future__ import annotations

import time
import urllib.request

import pytest

from fakes.receivers import free_port
from monitor.config import parse_config
from monitor.core.errors import ConfigError
from monitor.daemon.runtime import Runtime
from monitor.daemon.scheduler import Daemon
from monitor.store import Store
from notifiers import notifier_for
from tests.web.browser import sample_runtime

CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Kim"
[[responders.contacts]]
url = "terminal://"

[web]
enabled = true
port = {port}
"""


def runtime(tmp_path, port: int) -> Runtime:
    config = parse_config(CONFIG.format(port=port))
    return sample_runtime(config, Store.open(tmp_path / "amends.db"), notifier_for)


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status


def test_the_daemon_serves_the_inbox_while_it_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("AMENDS_WEB_SECRET", "s" * 40)
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    port = free_port()
    daemon = Daemon(runtime(tmp_path, port), tick_seconds=0.2)
    daemon.start()
    try:
        assert daemon.web is not None and daemon.web.wait_started()
        assert get(f"http://127.0.0.1:{port}/login") == 200
        # The scheduler keeps ticking while the inbox answers.
        before = daemon.last_progress
        deadline = time.monotonic() + 10
        while daemon.last_progress == before and time.monotonic() < deadline:
            get(f"http://127.0.0.1:{port}/login")
        assert daemon.last_progress > before
    finally:
        started = time.monotonic()
        daemon.stop()
    assert time.monotonic() - started < 8
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}/login")


def test_an_enabled_inbox_needs_its_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("AMENDS_WEB_SECRET", raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    daemon = Daemon(runtime(tmp_path, free_port()))
    with pytest.raises(ConfigError, match="AMENDS_WEB_SECRET"):
        daemon.start()
    daemon.runtime.close()
    assert daemon.web is None and not daemon.db.running  # refused before any thread


def test_the_daemon_loads_the_web_stack_only_to_serve_the_inbox():
    """``amends poll`` and a daemon without ``[web]`` import the scheduler: no uvicorn,
    Starlette or argon2 for them."""
    from tests.cli.test_app import loaded_by

    loaded = loaded_by("import monitor.daemon.scheduler")
    assert "monitor.daemon" in loaded  # the probe sees the import
    assert loaded.isdisjoint({"uvicorn", "starlette", "argon2", "monitor.web"})
