"""Running ``amends`` as a person does: its stdout a real pseudo-terminal of a set width."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass

_STYLE = re.compile(r"\x1b\[[0-9;]*m")  # rich's own bold/colour, nothing else


@dataclass(frozen=True)
class Shown:
    raw: str  # what the terminal received, escapes included
    returncode: int
    stderr: str

    @property
    def lines(self) -> list[str]:
        """The lines as they appear on screen, rich's styling removed."""
        return _STYLE.sub("", self.raw).replace("\r\n", "\n").rstrip("\n").split("\n")


def run_in_terminal(*args: str, columns: int, env: dict[str, str] | None = None) -> Shown:
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environ = {k: v for k, v in (env or os.environ).items() if k not in ("COLUMNS", "LINES")}
    environ.update(TERM="xterm-256color")
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
        environ.pop(name, None)
    with subprocess.Popen(
        [sys.executable, "-c", "from monitor.cli import main; main()", *args],
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=environ,
    ) as process:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(primary)
        stderr = process.stderr.read().decode() if process.stderr else ""
        returncode = process.wait(timeout=120)
    return Shown(raw=b"".join(chunks).decode(), returncode=returncode, stderr=stderr)
