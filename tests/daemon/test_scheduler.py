"""The daemon under a real NOTIFY_SOCKET, stopped with a real SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import IO

CONFIG = """\
[general]
database = "{db}"
cache_dir = "{cache}"

[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana"
[[responders.contacts]]
url = "file://{pages}"
tags = ["email"]
"""


def _receive_until(sock: socket.socket, wanted: str, seen: list[str], deadline: float) -> None:
    while not any(wanted in message for message in seen):
        sock.settimeout(max(deadline - time.monotonic(), 0.1))
        seen.append(sock.recv(4096).decode())
        assert time.monotonic() < deadline, f"no {wanted} from the daemon; got {seen}"


def _start_daemon(tmp_path: Path, model_cache: Path, stderr: IO[str] | int) -> subprocess.Popen:
    """``amends run`` in a subprocess, with systemd's watchdog at 1 s (pings every 0.5 s)."""
    config = tmp_path / "amends.toml"
    config.write_text(
        CONFIG.format(db=tmp_path / "a.db", cache=model_cache, pages=tmp_path / "pages.jsonl")
    )
    env = dict(os.environ, NOTIFY_SOCKET=str(tmp_path / "notify.sock"), WATCHDOG_USEC="1000000")
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


def _notify_socket(tmp_path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    return sock


def test_daemon_is_ready_pings_the_watchdog_and_stops_cleanly(tmp_path, model_cache):
    sock = _notify_socket(tmp_path)
    daemon = _start_daemon(tmp_path, model_cache, subprocess.PIPE)
    seen: list[str] = []
    try:
        _receive_until(sock, "READY=1", seen, time.monotonic() + 180)
        _receive_until(sock, "WATCHDOG=1", seen, time.monotonic() + 20)
        daemon.send_signal(signal.SIGTERM)
        _receive_until(sock, "STOPPING=1", seen, time.monotonic() + 30)
        assert daemon.wait(timeout=60) == 0
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
        daemon.send_signal(signal.SIGTERM)
        _receive_until(sock, "STOPPING=1", seen, time.monotonic() + 30)
        assert daemon.wait(timeout=60) == 0
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
