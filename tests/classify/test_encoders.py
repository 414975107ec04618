"""The encoders are built in child processes, never in the daemon: a real `amends run`
started on an empty model cache, under a real NOTIFY_SOCKET, with /proc read for what
it has mapped; and `amends build-model`, which builds the same files ahead of time."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakes.configs import MINIMAL_CONFIG
from monitor.classify.encoders import EncoderSpec, ensure_built
from monitor.core.errors import AmendsError

AMENDS = [sys.executable, "-c", "from monitor.cli import main; main()"]

CONFIG = MINIMAL_CONFIG


def _wait_ready(sock: socket.socket, daemon: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    seen = ""
    while "READY=1" not in seen:
        assert daemon.poll() is None, f"amends run exited with {daemon.returncode}"
        assert time.monotonic() < deadline, f"no READY=1 in {seconds} s"
        sock.settimeout(1.0)
        try:
            seen += sock.recv(4096).decode()
        except TimeoutError:
            continue


def _rss_mb(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {key} for {pid}")


def test_a_first_start_builds_in_child_processes_and_never_loads_torch(tmp_path, model_cache):
    cache = tmp_path / "cache"  # empty: a first start
    config = tmp_path / "amends.toml"
    config.write_text(
        CONFIG.format(db=tmp_path / "a.db", cache=cache, pages=tmp_path / "pages.jsonl")
    )
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    env = dict(os.environ, NOTIFY_SOCKET=str(tmp_path / "notify.sock"))
    log = tmp_path / "amends.log"
    with log.open("w") as stderr:
        daemon = subprocess.Popen([*AMENDS, "--config", str(config), "run"], env=env, stderr=stderr)
    try:
        _wait_ready(sock, daemon, 600)
        maps = Path(f"/proc/{daemon.pid}/maps").read_text()
        peak = _rss_mb(daemon.pid, "VmHWM")
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=60)
        sock.close()
    assert "Traceback" not in log.read_text()
    assert "libtorch" not in maps  # torch was never imported into the daemon
    assert peak < 450, f"the daemon itself peaked at {peak:.0f} MB"
    built = sorted(p.name for p in cache.glob("minilm-*.onnx"))
    assert len(built) == 2  # the classifier's encoder and drafting's plain one
    assert not [p for p in cache.iterdir() if p.is_dir()]  # no build left half done

    # build-model (make install, ExecStartPre=) builds exactly what the daemon runs.
    again = subprocess.run(
        [*AMENDS, "--config", str(config), "build-model"], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("up to date") == 2 and all(name in again.stdout for name in built)

    # The session's shared cache gets these builds rather than building them again.
    for path in cache.glob("minilm-*.onnx"):
        if not (model_cache / path.name).exists():
            shutil.copy2(path, model_cache / path.name)


def test_a_failed_build_says_so_and_leaves_nothing_behind(tmp_path):
    broken = tmp_path / "classifier.npz"
    broken.write_bytes(b"not an artifact")
    spec = EncoderSpec(tag="broken-int8", artifact=broken)
    with pytest.raises(AmendsError, match=r"building the ONNX encoder .* failed"):
        ensure_built(spec, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []
