"""Running the inbox: uvicorn on a thread of its own, started and stopped with amends.

The socket is bound before the thread starts, so a port in use is an error at
once, in the caller. uvicorn's event loop and its request threads never touch
the daemon's database connection or its scheduler; stopping asks uvicorn to
finish the requests under way (a second or two) and joins the thread.
The access log never shows a link's token.
"""

from __future__ import annotations

import logging
import re
import socket
import threading

import uvicorn

from monitor.core.errors import AmendsError
from monitor.web.app import create_app
from monitor.web.site import Site

logger = logging.getLogger(__name__)

STOP_WITHIN = 3.0  # seconds the requests under way get on stop

_TOKEN_PATH = re.compile(r"/(a|o)/[A-Za-z0-9_=-]+")


class RedactTokens(logging.Filter):
    """Access-log lines name a link as /a/… whatever its token."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_PATH.sub(r"/\1/…", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True


class WebServer:
    def __init__(self, site: Site) -> None:
        self.site = site
        web = site.web
        self.address = (web.listen, web.port)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        sock = _bind(*self.address)
        self.address = sock.getsockname()[:2]
        config = uvicorn.Config(
            create_app(self.site),
            log_config=None,  # amends' own logging; uvicorn's loggers propagate to it
            access_log=True,
            lifespan="off",
            proxy_headers=False,  # the guard honours X-Forwarded-* from trusted proxies only
            server_header=False,
            timeout_graceful_shutdown=int(STOP_WITHIN),
        )
        access = logging.getLogger("uvicorn.access")
        if not any(isinstance(f, RedactTokens) for f in access.filters):
            access.addFilter(RedactTokens())
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="web", daemon=True
        )
        self._thread.start()
        logger.info("inbox at %s (listening on %s:%s)", self.site.web.base_url, *self.address)

    def wait_started(self, timeout: float = 10.0) -> bool:
        """Whether uvicorn is serving (the tests wait for it)."""
        server, deadline = self._server, threading.Event()
        for _ in range(int(timeout * 20)):
            if server is not None and server.started:
                return True
            if self._thread is not None and not self._thread.is_alive():
                return False
            deadline.wait(0.05)
        return False

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(STOP_WITHIN + 2)
        if self._thread.is_alive():
            logger.warning("the inbox did not stop in time; leaving it")
        self.site.stores.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise AmendsError(f"web: cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
