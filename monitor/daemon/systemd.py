"""sd_notify: readiness, watchdog, reloading and stopping, when run under systemd.

Without ``NOTIFY_SOCKET`` every call is a no-op, so the same code runs in a
terminal. Written against the documented datagram protocol rather than a
library so abstract sockets ("@...") work too.
"""

from __future__ import annotations

import logging
import os
import socket
import time

logger = logging.getLogger(__name__)

SEND_TIMEOUT = 1.0  # seconds


class Notifier:
    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.address = env.get("NOTIFY_SOCKET") or None
        usec = env.get("WATCHDOG_USEC")
        pid = env.get("WATCHDOG_PID")
        watched = usec and usec.isdigit() and (not pid or pid == str(os.getpid()))
        self.watchdog_usec = int(usec) if watched and usec else 0

    def _send(self, message: str) -> None:
        if not self.address:
            return
        address = self.address
        if address.startswith("@"):
            address = "\0" + address[1:]
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                # A full queue (a listener that stopped reading) must not hang amends,
                # its watchdog loop or its exit.
                sock.settimeout(SEND_TIMEOUT)
                sock.connect(address)
                sock.sendall(message.encode())
        except OSError as exc:
            logger.warning("sd_notify failed: %s", exc)

    def ready(self, status: str = "") -> None:
        self._send("READY=1" + (f"\nSTATUS={status}" if status else ""))

    def status(self, text: str) -> None:
        self._send(f"STATUS={text}")

    def watchdog(self) -> None:
        if self.watchdog_usec:
            self._send("WATCHDOG=1")

    def reloading(self) -> None:
        """Before a reload; READY=1 ends it. systemd's notify-reload wants the monotonic
        time with it (sd_notify(3)), so that a stale message cannot end a later reload."""
        usec = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        self._send(f"RELOADING=1\nMONOTONIC_USEC={usec}")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def watchdog_interval(self) -> float:
        """Ping at half the watchdog period, as systemd recommends; 5 s without one."""
        return self.watchdog_usec / 2_000_000 if self.watchdog_usec else 5.0
