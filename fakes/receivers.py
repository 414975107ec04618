"""Real mail and HTTP servers on 127.0.0.1, for the tests and the benchmarks.

``smtp_server`` is an aiosmtpd server that keeps what it receives;
``http_receiver`` is a threaded HTTP server that records each request and
answers with a status the test chooses, or is shut down to be unreachable.
Nothing here ever talks to a public host.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


def free_port() -> int:
    # aiosmtpd's Controller connects to its own port to know it is up, so it
    # needs a concrete port rather than 0; the race with another process
    # taking it in between is negligible on loopback.
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- SMTP ------------------------------------------------------------------------------


@dataclass
class SmtpServer:
    """What the local SMTP server received; set ``reply`` to make it refuse mail."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    reply: str | None = None  # e.g. "451 4.3.0 try later" or "554 5.7.1 rejected"
    controller: Controller | None = field(default=None, repr=False)

    def url(self, to: str = "dana@example.com", sender: str = "amends@example.com") -> str:
        """A plain-SMTP apprise URL for this server: no TLS, no login, explicit port."""
        return f"mailto://{self.host}:{self.port}?to={to}&from={sender}&mode=insecure"

    def down(self) -> None:
        """Stop listening: later connections to ``port`` are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.reply is not None:
            return self.reply
        raw = envelope.original_content or b""
        self.messages.append(message_from_bytes(raw, policy=policy.default))
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


# --- HTTP ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class HttpReceiver:
    """A webhook receiver: records requests, answers ``status`` (default 200)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.status = 200
        self._server = ThreadingHTTPServer((HOST, 0), self._handler())
        self._server.daemon_threads = True
        self.host, self.port = HOST, int(self._server.server_address[1])
        # A short poll so that ``down`` (every test's teardown) takes milliseconds, not 0.5 s.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        self._up = True

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    def down(self) -> None:
        """Stop listening: later connections to ``address`` are refused."""
        if self._up:
            self._up = False
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                receiver.requests.append(
                    Recorded(self.command, self.path, dict(self.headers.items()), body)
                )
                payload = b'{"ok": true}' if receiver.status < 400 else b'{"error": "boom"}'
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = do_PUT = do_GET = _record

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean; the requests list is the record

        return Handler


# --- a server that never answers -------------------------------------------------------


class SilentServer:
    """Accepts TCP connections and never sends a byte: a platform that hangs mid-request.

    ``accepted`` counts the connections taken; they stay open until ``down``."""

    def __init__(self) -> None:
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.2)  # so the accept loop notices down()
        self.host, self.port = HOST, int(self._listener.getsockname()[1])
        self.accepted = 0
        self._up = True
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _accept(self) -> None:
        while self._up:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self._open.append(conn)
            self.accepted += 1

    def down(self) -> None:
        self._up = False
        self._thread.join(timeout=5)
        self._listener.close()
        for conn in self._open:
            conn.close()
