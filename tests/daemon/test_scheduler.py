"""The daemon under a real NOTIFY_SOCKET, stopped with a real SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

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


def test_daemon_is_ready_pings_the_watchdog_and_stops_cleanly(tmp_path, model_cache):
    notify = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    config = tmp_path / "amends.toml"
    config.write_text(
        CONFIG.format(db=tmp_path / "a.db", cache=model_cache, pages=tmp_path / "pages.jsonl")
    )
    env = dict(os.environ, NOTIFY_SOCKET=str(notify), WATCHDOG_USEC="1000000")
    daemon = subprocess.Popen(
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
        stderr=subprocess.PIPE,
        text=True,
    )
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
