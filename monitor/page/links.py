"""One-tap links in pages: short, signed, single-purpose, expiring tokens.

A token is 24 bytes, 32 characters of URL-safe base64, so an SMS keeps room for
the post's words: a version and purpose byte, the complaint id, when it
expires, three bytes naming the recipient (a hash of their name) and 12 bytes
of HMAC-SHA256 over all of that. Changing any byte, reusing it for another
purpose, complaint or person, or using it late fails the check; the web inbox
also records it as spent once used.

The key comes from the environment (``AMENDS_WEB_SECRET``) or a systemd
credential (``web-secret`` under ``$CREDENTIALS_DIRECTORY``), never from the
config file; without one, pages carry no links.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from monitor.core.errors import ConfigError

SECRET_ENV = "AMENDS_WEB_SECRET"
SECRET_CREDENTIAL = "web-secret"
MIN_SECRET_CHARS = 32

Purpose = Literal["ack", "open"]
_PURPOSES: dict[Purpose, int] = {"ack": 1, "open": 2}
_VERSION = 1
_LAYOUT = struct.Struct(">BII3s")  # version<<4|purpose, complaint, expires (s), recipient
_MAC_BYTES = 12
TOKEN_CHARS = 32


def load_secret(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The link and session key: ``$AMENDS_WEB_SECRET``, else the systemd credential
    file; None when neither is there. One too short to be a key is refused."""
    environ = os.environ if environ is None else environ
    value = environ.get(SECRET_ENV, "")
    where = SECRET_ENV
    if not value and environ.get("CREDENTIALS_DIRECTORY"):
        path = Path(environ["CREDENTIALS_DIRECTORY"]) / SECRET_CREDENTIAL
        where = f"credential {SECRET_CREDENTIAL}"
        try:
            value = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            value = ""
        except OSError as exc:
            raise ConfigError([f"{path}: cannot read the web secret: {exc.strerror}"]) from None
    value = value.strip()
    if not value:
        return None
    if len(value) < MIN_SECRET_CHARS:
        raise ConfigError(
            [
                f"{where}: the web secret must be at least {MIN_SECRET_CHARS} characters "
                "(e.g. the output of 'openssl rand -hex 32')"
            ]
        )
    return value.encode("utf-8")


def derive_key(secret: bytes, use: str) -> bytes:
    """A separate key for each use of the one secret (links, sessions, forms)."""
    return hmac.new(secret, f"amends {use} v1".encode(), hashlib.sha256).digest()


def recipient_tag(name: str) -> bytes:
    return hashlib.sha256(name.encode("utf-8")).digest()[:3]


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkClaim:
    """What a verified token says."""

    purpose: Purpose
    complaint_id: int
    recipient: str  # the responder it was made for
    expires_at: datetime
    mac: str  # its signature in hex: the key under which it is spent


class BadLink(Exception):
    """A token that is forged, damaged, expired, used, or for another purpose.
    ``gone``: it was good once (expired or used), so the answer is 410, not 400."""

    def __init__(self, message: str, *, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


class LinkSigner:
    def __init__(self, secret: bytes) -> None:
        self._key = derive_key(secret, "links")

    def mint(
        self, purpose: Purpose, complaint_id: int, recipient: str, *, expires_at: datetime
    ) -> str:
        head = _LAYOUT.pack(
            _VERSION << 4 | _PURPOSES[purpose],
            complaint_id,
            int(expires_at.timestamp()),
            recipient_tag(recipient),
        )
        token = base64.urlsafe_b64encode(head + self._mac(head)).decode("ascii")
        assert len(token) == TOKEN_CHARS
        return token

    def verify(
        self, token: str, purpose: Purpose, *, recipients: Iterable[str], now: datetime
    ) -> LinkClaim:
        """The claim in ``token``, checked in constant time; ``recipients`` are the names
        it may be for (the configured responders and the admin)."""
        if len(token) != TOKEN_CHARS:
            raise BadLink("not a link amends made")
        try:
            raw = base64.b64decode(token.encode("ascii"), altchars=b"-_", validate=True)
        except (ValueError, UnicodeEncodeError):
            raise BadLink("not a link amends made") from None
        head, mac = raw[: _LAYOUT.size], raw[_LAYOUT.size :]
        if not hmac.compare_digest(mac, self._mac(head)):
            raise BadLink("this link is not valid (damaged or not made by amends)")
        kind, complaint_id, expires, tag = _LAYOUT.unpack(head)
        if kind != (_VERSION << 4 | _PURPOSES[purpose]):
            raise BadLink("this link is for something else")
        expires_at = datetime.fromtimestamp(expires, UTC)
        if expires_at <= now:
            raise BadLink("this link has expired", gone=True)
        named = [r for r in recipients if hmac.compare_digest(recipient_tag(r), tag)]
        if len(named) != 1:
            raise BadLink("this link is for someone no longer on the team")
        return LinkClaim(
            purpose=purpose,
            complaint_id=complaint_id,
            recipient=named[0],
            expires_at=expires_at,
            mac=mac.hex(),
        )

    def _mac(self, head: bytes) -> bytes:
        return hmac.new(self._key, head, hashlib.sha256).digest()[:_MAC_BYTES]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageLinks:
    """The two links a page carries for its recipient."""

    acknowledge: str
    open: str


def page_links(
    signer: LinkSigner,
    public_url: str,
    complaint_id: int,
    recipient: str,
    *,
    now: datetime,
    valid_for: timedelta,
) -> PageLinks:
    base = public_url.rstrip("/")
    expires = now + valid_for
    return PageLinks(
        acknowledge=f"{base}/a/{signer.mint('ack', complaint_id, recipient, expires_at=expires)}",
        open=f"{base}/o/{signer.mint('open', complaint_id, recipient, expires_at=expires)}",
    )
