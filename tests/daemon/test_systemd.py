"""sd_notify on a real datagram socket, and the unit file as systemd reads it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from monitor.cli import exitcodes
from monitor.daemon.systemd import Notifier

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "amends.service"


def _unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_reloading_carries_the_monotonic_time_sd_notify_asks_for(tmp_path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(tmp_path / "notify.sock"))
        sock.settimeout(5)
        notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "notify.sock")})
        before = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        notifier.reloading()
        after = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        notifier.ready()
        fields = dict(line.split("=", 1) for line in sock.recv(4096).decode().splitlines())
        assert fields["RELOADING"] == "1"
        assert before <= int(fields["MONOTONIC_USEC"]) <= after
        assert sock.recv(4096).decode() == "READY=1"


def test_the_unit_matches_what_amends_does():
    unit = _unit_settings()
    # A config error is final; systemd must not restart it in a loop.
    assert unit["RestartPreventExitStatus"] == [str(exitcodes.CONFIG)]
    assert unit["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    # amends stops within 10 s of SIGTERM; systemd waits a little longer before SIGKILL.
    assert 10 < int(unit["TimeoutStopSec"][0]) <= 30
    # The database holds customers' posts: nothing the service creates is world-readable.
    assert unit["UMask"] == ["0077"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_unit_verifies_and_scores_at_most_3():
    result = subprocess.run(
        [str(ROOT / ".ci" / "check-unit")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    score = float(result.stdout.split("exposure level for amends.service:")[1].split()[0])
    assert score <= 3.0
