"""The daemon under a real NOTIFY_SOCKET, stopped with a real SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from fakes.configs import MINIMAL_CONFIG
from fakes.platforms import REDDIT_ID, REDDIT_SECRET, X_TOKEN, XServer
from fakes.receivers import SilentServer

CONFIG = MINIMAL_CONFIG


def _receive_until(sock: socket.socket, wanted: str, seen: list[str], deadline: float) -> None:
    while not any(wanted in message for message in seen):
        sock.settimeout(max(deadline - time.monotonic(), 0.1))
        seen.append(sock.recv(4096).decode())
        assert time.monotonic() < deadline, f"no {wanted} from the daemon; got {seen}"


def _start_daemon(
    tmp_path: Path,
    model_cache: Path,
    stderr: IO[str] | int,
    *,
    extra: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """``amends run`` in a subprocess, with systemd's watchdog at 1 s (pings every 0.5 s);
    ``extra`` is TOML added to the config."""
    config = tmp_path / "amends.toml"
    config.write_text(_config(tmp_path, model_cache, extra))
    env = dict(
        os.environ,
        NOTIFY_SOCKET=str(tmp_path / "notify.sock"),
        WATCHDOG_USEC="1000000",
        **(env or {}),
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from monitor.cli import main; main()",
            "--config",
            str(config),
            "run",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


def _config(tmp_path: Path, model_cache: Path, extra: str = "") -> str:
    return (
        CONFIG.format(db=tmp_path / "a.db", cache=model_cache, pages=tmp_path / "pages.jsonl")
        + extra
    )


def _notify_socket(tmp_path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    return sock


class Listener:
    """A bound NOTIFY_SOCKET read on a thread of its own, as systemd reads it: the daemon's
    datagrams never pile up (a full queue would block its sends)."""

    def __init__(self, tmp_path: Path) -> None:
        self.messages: list[str] = []
        self._sock = _notify_socket(tmp_path)
        self._sock.settimeout(0.2)
        self._open = True
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while self._open:
            try:
                self.messages.append(self._sock.recv(4096).decode())
            except TimeoutError:
                continue

    def wait_for(self, wanted: str, timeout: float, *, since: int = 0) -> str:
        """The first message from index ``since`` on that contains ``wanted``."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages[since:] if wanted in m]
            if found:
                return found[0]
            assert time.monotonic() < deadline, f"no {wanted} from the daemon: {self.messages}"
            time.sleep(0.05)

    def close(self) -> None:
        self._open = False
        self._thread.join(timeout=5)
        self._sock.close()


def _stop(daemon: subprocess.Popen) -> None:
    if daemon.poll() is None:
        daemon.kill()
    daemon.communicate()


def _sigterm_says_stopping_and_exits_0(
    daemon: subprocess.Popen, sock: socket.socket, seen: list[str]
) -> None:
    daemon.send_signal(signal.SIGTERM)
    _receive_until(sock, "STOPPING=1", seen, time.monotonic() + 30)
    assert daemon.wait(timeout=60) == 0


def test_daemon_is_ready_pings_the_watchdog_and_stops_cleanly(tmp_path, model_cache):
    sock = _notify_socket(tmp_path)
    daemon = _start_daemon(tmp_path, model_cache, subprocess.PIPE)
    seen: list[str] = []
    try:
        _receive_until(sock, "READY=1", seen, time.monotonic() + 180)
        _receive_until(sock, "WATCHDOG=1", seen, time.monotonic() + 20)
        _sigterm_says_stopping_and_exits_0(daemon, sock, seen)
    finally:
        if daemon.poll() is None:
            daemon.kill()
        sock.close()
    _, errors = daemon.communicate()
    assert "Traceback" not in errors
    # The database was left consistent and usable.
    from monitor.store import Store

    assert Store.open(tmp_path / "a.db").counts()["mentions"] == 0


def _pings_stop(sock: socket.socket, quiet: float, deadline: float) -> bool:
    """True once no message arrives for ``quiet`` seconds; False if pings go on until
    the deadline."""
    sock.settimeout(quiet)
    while time.monotonic() < deadline:
        try:
            sock.recv(4096)
        except TimeoutError:
            return True
    return False


def _rename_table(db: Path, old: str, new: str) -> None:
    # Test-side SQL on purpose: breaking the schema under the daemon is what makes
    # its housekeeping job fail on every tick.
    with closing(sqlite3.connect(db, timeout=30)) as conn, conn:
        conn.execute(f"alter table {old} rename to {new}")


def test_a_job_that_keeps_failing_stops_the_watchdog_until_it_recovers(tmp_path, model_cache):
    sock = _notify_socket(tmp_path)
    log = (tmp_path / "stderr.log").open("w+", encoding="utf-8")
    daemon = _start_daemon(tmp_path, model_cache, log)
    seen: list[str] = []
    try:
        _receive_until(sock, "READY=1", seen, time.monotonic() + 180)
        _receive_until(sock, "WATCHDOG=1", seen, time.monotonic() + 20)
        _rename_table(tmp_path / "a.db", "complaints", "complaints_away")
        # Housekeeping runs every 5 s: three failures in a row, then no more pings
        # (the old daemon kept pinging, so systemd never restarted it).
        assert _pings_stop(sock, quiet=3.0, deadline=time.monotonic() + 60)
        assert daemon.poll() is None  # the watchdog, not amends, decides on a restart
        # Fixed before systemd's WatchdogSec ran out: the next success resumes the pings.
        _rename_table(tmp_path / "a.db", "complaints_away", "complaints")
        seen.clear()
        _receive_until(sock, "WATCHDOG=1", seen, time.monotonic() + 30)
        _sigterm_says_stopping_and_exits_0(daemon, sock, seen)
    finally:
        if daemon.poll() is None:
            daemon.kill()
        sock.close()
    daemon.communicate()
    log.seek(0)
    errors = log.read()
    log.close()
    assert "job housekeeping failed (3 in a row)" in errors
    assert "job housekeeping keeps failing" in errors


# --- a source that hangs (issue 13, item 5) ---------------------------------------------

HUNG_SOURCES = """
[[general.admin_contacts]]
url = "{admin}"
tags = ["email"]

[sources.x]
enabled = true
base_url = "{silent}"
bearer_token = "${{AMENDS_X_BEARER_TOKEN}}"
timeout_seconds = 60.0

[sources.reddit]
enabled = true
oauth_url = "{silent}"
reddit_url = "{silent}"
client_id = "${{AMENDS_REDDIT_CLIENT_ID}}"
client_secret = "${{AMENDS_REDDIT_CLIENT_SECRET}}"
timeout_seconds = 60.0
"""
SOURCE_SECRETS = {
    "AMENDS_X_BEARER_TOKEN": X_TOKEN,
    "AMENDS_REDDIT_CLIENT_ID": REDDIT_ID,
    "AMENDS_REDDIT_CLIENT_SECRET": REDDIT_SECRET,
}


def _wait_for(condition: Callable[[], object], timeout: float, what: str) -> float:
    """Seconds until ``condition()`` holds; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"{what}: not within {timeout} s"
        time.sleep(0.1)
    return time.monotonic() - start


def _queue_admin_page(db: Path, contact_url: str, subject: str) -> None:
    """What the daemon's own admin alerts do, from another process: one ledger row due now."""
    from monitor.config import Contact
    from monitor.page.outbox import PageTexts, enqueue
    from monitor.page.render import Rendered
    from monitor.store import Store

    text = Rendered(title=subject, body="queued by the test")
    with Store.open(db) as store, store.transaction():
        enqueue(
            store,
            complaint_id=0,
            kind="admin",
            level=1,
            responder="admin",
            contacts=[Contact(url=contact_url, tags=["email"])],
            texts=PageTexts(email=text, sms=text),
            now=datetime.now(UTC),
        )


def test_a_hung_source_holds_up_neither_pages_nor_sigterm(tmp_path, model_cache, smtp_server):
    silent = SilentServer()
    admin = smtp_server.url(to="ops@example.com")
    notify = Listener(tmp_path)
    log = (tmp_path / "stderr.log").open("w+", encoding="utf-8")
    extra = HUNG_SOURCES.format(admin=admin, silent=silent.url)
    daemon = _start_daemon(tmp_path, model_cache, log, extra=extra, env=SOURCE_SECRETS)
    try:
        notify.wait_for("READY=1", 180)
        # A source is now stuck in a request that will not end for 60 s.
        _wait_for(lambda: silent.accepted >= 1, 30, "a source connects")
        _queue_admin_page(tmp_path / "a.db", admin, "page while the sources hang")
        # Housekeeping runs every 5 s: the page goes out on the next tick. (The old
        # single job thread sent it only once the hung poll timed out, 60 s on.)
        waited = _wait_for(lambda: smtp_server.messages, 20, "the page reaches SMTP")
        assert waited < 12
        assert smtp_server.messages[0]["Subject"] == "page while the sources hang"
        # Each source hangs on its own thread: one does not wait behind the other.
        assert silent.accepted >= 2

        started = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
        stop_seconds = time.monotonic() - started
        log.seek(0)
        errors = log.read()
    finally:
        _stop(daemon)
        notify.close()
        silent.down()
        log.close()
    assert stop_seconds < 10, f"SIGTERM took {stop_seconds:.1f} s"
    assert "Traceback" not in errors
    assert "abandoning a request in flight" in errors
    # The abandoned polls stored nothing: no cursor moved, no success recorded.
    from monitor.store import Store

    with Store.open(tmp_path / "a.db", readonly=True) as store:
        for name in ("x", "reddit"):
            assert dict(store.cursors(name)) == {}
            assert store.source_health(name).last_success_at is None


# --- reload on SIGHUP, exit codes (issue 13, item 4) ------------------------------------

X_SOURCE = """
[sources.x]
enabled = true
interval_seconds = 10
base_url = "{url}"
bearer_token = "${{AMENDS_X_BEARER_TOKEN}}"
"""
SEARCH = "/2/tweets/search/recent"


def _queries(server: XServer) -> list[str]:
    return [call.params.get("query", "") for call in server.calls(SEARCH)]


def test_sighup_reloads_a_good_config_and_keeps_the_old_one_on_a_bad_one(
    tmp_path, model_cache, x_server
):
    notify = Listener(tmp_path)
    log = (tmp_path / "stderr.log").open("w+", encoding="utf-8")
    daemon = _start_daemon(tmp_path, model_cache, log, env=SOURCE_SECRETS)
    config = tmp_path / "amends.toml"
    try:
        notify.wait_for("READY=1", 180)
        assert x_server.calls(SEARCH) == []  # no source enabled yet

        # A good change: a new brand term and the X source switched on.
        good = _config(tmp_path, model_cache, X_SOURCE.format(url=x_server.url)).replace(
            'keywords = ["acme"]', 'keywords = ["acme", "kestrel"]'
        )
        config.write_text(good)
        since = len(notify.messages)
        before = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        daemon.send_signal(signal.SIGHUP)
        reloading = notify.wait_for("RELOADING=1", 30, since=since)
        ready = notify.wait_for("READY=1", 60, since=since)
        assert notify.messages.index(reloading) < notify.messages.index(ready)
        usec = int(reloading.split("MONOTONIC_USEC=")[1].split()[0])
        # sd_notify(3): CLOCK_MONOTONIC at the reload's start
        assert before <= usec <= time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        _wait_for(lambda: any("kestrel" in q for q in _queries(x_server)), 30, "X polled")

        # A broken change: every problem logged, the running config stays.
        broken = good.replace('name = "Dana"', 'name = "Dana"\ntimezone = "Mars/Base"')
        config.write_text(broken + '\n[paging]\ndigst = "hourly"\n')
        polls = len(x_server.calls(SEARCH))
        since = len(notify.messages)
        daemon.send_signal(signal.SIGHUP)
        notify.wait_for("RELOADING=1", 30, since=since)
        notify.wait_for("READY=1", 60, since=since)
        # The X source goes on polling with the reloaded terms (every 10 s).
        _wait_for(lambda: len(x_server.calls(SEARCH)) > polls, 30, "X polled again")
        assert "kestrel" in _queries(x_server)[-1]
        assert daemon.poll() is None
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
        log.seek(0)
        errors = log.read()
    finally:
        _stop(daemon)
        notify.close()
        log.close()
    assert "Traceback" not in errors
    assert "reload refused, the running configuration stays" in errors
    assert "responders[0].timezone: unknown time zone 'Mars/Base'" in errors
    assert "paging.digst: unknown key 'digst'" in errors


def test_a_config_error_at_start_exits_78_so_systemd_does_not_restart(tmp_path, model_cache):
    config = tmp_path / "amends.toml"
    config.write_text(_config(tmp_path, model_cache, "\n[paging]\ndigst = 1\n"))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from monitor.cli import main; main()",
            "--config",
            str(config),
            "run",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 78, result.stderr  # EX_CONFIG; the unit names it
    assert "paging.digst: unknown key 'digst'" in result.stderr
    unit = (Path(__file__).parents[2] / "deploy" / "amends.service").read_text()
    assert "RestartPreventExitStatus=78" in unit.splitlines()
