"""Benchmark: memory of `amends run` at a first start (empty model cache) and a warm one.

    python benchmarks/bench_start.py [--cache DIR] [--build-first]

Starts the real daemon against a config with no source enabled, under a real
NOTIFY_SOCKET, and samples /proc every 20 ms until READY=1 and two seconds past
it. Prints, per start: the daemon's own peak and steady RSS (VmHWM, VmRSS of
/proc/<pid>/status), the largest sum of RSS over the daemon and its children
while it started (what systemd's MemoryMax= sees; a child that builds the model
counts here), the seconds to READY, and whether torch is mapped into the daemon
(libtorch in /proc/<pid>/maps). ``--build-first`` runs `amends build-model` (as
`make install` and ExecStartPre= do) before the first start and reports its
peak too. Not a test.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes.configs import MINIMAL_CONFIG

CONFIG = MINIMAL_CONFIG


@dataclass
class Start:
    seconds_to_ready: float
    hwm_mb: float  # the daemon's own peak RSS
    rss_mb: float  # the daemon's RSS two seconds after READY
    tree_peak_mb: float  # largest sampled RSS sum over the daemon and its children
    torch_mapped: bool


def status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            for child in map(int, children):
                found.append(child)
                todo.append(child)
    return found


def tree_rss_kb(pid: int) -> int:
    return sum(status_kb(p, "VmRSS") for p in [pid, *descendants(pid)])


def amends(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from monitor.cli import main; main()", *args], env=env, **kw
    )


def start(config: Path, workdir: Path) -> Start:
    sock_path = workdir / "notify.sock"
    sock_path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(sock_path))
    sock.setblocking(False)
    env = dict(os.environ, NOTIFY_SOCKET=str(sock_path))
    began = time.monotonic()
    daemon = amends("--config", str(config), "run", env=env, stderr=subprocess.DEVNULL)
    tree_peak, ready_at = 0, None
    try:
        while ready_at is None or time.monotonic() - ready_at < 2.0:
            tree_peak = max(tree_peak, tree_rss_kb(daemon.pid))
            try:
                if b"READY=1" in sock.recv(4096) and ready_at is None:
                    ready_at = time.monotonic()
            except BlockingIOError:
                pass
            if daemon.poll() is not None:
                raise SystemExit(f"amends run exited with {daemon.returncode} before READY")
            time.sleep(0.02)
        maps = Path(f"/proc/{daemon.pid}/maps").read_text()
        result = Start(
            seconds_to_ready=ready_at - began,
            hwm_mb=status_kb(daemon.pid, "VmHWM") / 1024,
            rss_mb=status_kb(daemon.pid, "VmRSS") / 1024,
            tree_peak_mb=tree_peak / 1024,
            torch_mapped="libtorch" in maps,
        )
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
        sock.close()
    return result


def build_model(config: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB, sampled over the process tree) of `amends build-model`."""
    began, peak = time.monotonic(), 0
    proc = amends("--config", str(config), "build-model", stdout=subprocess.DEVNULL)
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.02)
    if proc.returncode:
        raise SystemExit(f"amends build-model exited with {proc.returncode}")
    return time.monotonic() - began, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, help="model cache (default: a fresh, empty one)")
    parser.add_argument("--build-first", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        cache = args.cache or workdir / "cache"
        config = workdir / "amends.toml"
        config.write_text(
            CONFIG.format(db=workdir / "a.db", cache=cache, pages=workdir / "pages.jsonl")
        )
        if args.build_first:
            seconds, peak = build_model(config)
            print(f"build-model: {seconds:.1f} s, peak {peak:.0f} MB (process tree)")
        for name in ("first start", "warm start"):
            s = start(config, workdir)
            print(
                f"{name}: READY after {s.seconds_to_ready:.1f} s; daemon peak (VmHWM) "
                f"{s.hwm_mb:.0f} MB, steady (VmRSS) {s.rss_mb:.0f} MB; process tree peak "
                f"{s.tree_peak_mb:.0f} MB; torch mapped: {'yes' if s.torch_mapped else 'no'}"
            )


if __name__ == "__main__":
    main()
