"""Who is asking: passwords, session cookies, form tokens and the login rate limit.

A session cookie holds a random id signed with the web key; the database keeps
only the id's SHA-256, who it belongs to and when it ends, so logging out, a
new password or removing the account ends it on the server too. Every form
carries a token derived from the session (or from the link it acts on), and
every check of a secret value is constant-time.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, TimestampSigner

from monitor.page.links import derive_key

SESSION_COOKIE = "amends_session"
LOGIN_COOKIE = "amends_login"  # a nonce the login form's token is tied to

_hasher = PasswordHasher()


@functools.cache
def _no_account_hash() -> str:
    """Checked against when the account does not exist, so a wrong name costs as long
    as a wrong password and the timing does not tell which names exist."""
    return _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _no_account_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Visitor:
    """A signed-in responder."""

    name: str
    form_token: str  # what every form of theirs must send back
    session_id: str | None  # None: vouched for by the proxy's header


class Keys:
    """The web key's uses, each under its own derived key."""

    def __init__(self, secret: bytes) -> None:
        self._sessions = TimestampSigner(derive_key(secret, "sessions"), salt="session")
        self._forms = derive_key(secret, "forms")

    def new_session(self) -> tuple[str, str, str]:
        """(cookie value, session id, the id's hash for the database)."""
        session_id = secrets.token_urlsafe(32)
        cookie = self._sessions.sign(session_id).decode("ascii")
        return cookie, session_id, session_hash(session_id)

    def session_id(self, cookie: str, *, max_age: int) -> str | None:
        """The session id in a cookie whose signature holds and is not too old."""
        try:
            return self._sessions.unsign(cookie, max_age=max_age).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None

    def form_token(self, bound_to: str) -> str:
        """A form token for one session, one proxy-vouched user, one link or one login
        form: a page of one cannot post as another."""
        return hmac.new(self._forms, bound_to.encode("utf-8"), hashlib.sha256).hexdigest()[:40]

    def form_token_ok(self, bound_to: str, sent: str | None) -> bool:
        return same_secret(sent, self.form_token(bound_to))


def same_secret(sent: str | None, expected: str) -> bool:
    """``sent`` is ``expected``, compared in constant time; as bytes, so text a visitor
    posted in any script is just unequal (``compare_digest`` refuses non-ASCII str)."""
    return bool(sent) and hmac.compare_digest(str(sent).encode(), expected.encode())


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


class LoginLimiter:
    """Failed logins per account and per address in a sliding window; beyond the limit
    the form refuses to check passwords until the oldest failure ages out."""

    def __init__(
        self, *, per_account: int = 5, per_address: int = 20, window_seconds: float = 900.0
    ) -> None:
        self.limits = {"account": per_account, "address": per_address}
        self.window = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, account: str, address: str) -> int:
        """0 when a try is allowed now, else how long until one is."""
        now = time.monotonic()
        waits = [0.0]
        with self._lock:
            for key in (("account", account.casefold()), ("address", address)):
                seen = self._recent(key, now)
                if len(seen) >= self.limits[key[0]]:
                    waits.append(seen[0] + self.window - now)
        return int(max(waits) + 0.999)

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (("account", account.casefold()), ("address", address)):
                self._recent(key, now).append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account.casefold()), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        seen = self._failures.setdefault(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        return seen
