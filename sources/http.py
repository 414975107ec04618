"""requests transport adapters the platform clients mount on their sessions.

tweepy and praw both talk through a ``requests.Session`` they expose, so a
transport adapter fixes what their APIs leave out (a timeout on every request,
a hard-coded host, pacing) without touching their internals. Imported only when
a source is built: ``import sources`` loads neither requests nor the clients.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

logger = logging.getLogger(__name__)


class HostRewriteAdapter(HTTPAdapter):
    """Sends requests for ``from_host`` to ``base_url``, with a timeout.

    tweepy hard-codes its host and passes no timeout; mounted on the client's
    public ``session``, this fixes both.
    """

    def __init__(self, from_host: str, base_url: str, timeout: float) -> None:
        super().__init__()
        self.from_host = from_host
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        if request.url and request.url.startswith(self.from_host):
            request.url = self.base_url + request.url[len(self.from_host) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


class ThrottleAdapter(HTTPAdapter):
    """At most ``per_minute`` requests in any 60 s, and a timeout on every request.

    prawcore paces itself from Reddit's x-ratelimit headers, but only after the
    first response and not across a restart; this keeps us under 100/min always.
    """

    def __init__(self, per_minute: int, timeout: float, *, name: str) -> None:
        super().__init__()
        self.per_minute = per_minute
        self.timeout = timeout
        self.name = name  # the platform, for the log line
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        self._wait_for_slot()
        # prawcore always passes its import-time PRAWCORE_TIMEOUT (16 s) and praw
        # never passes its own, so the configured timeout is applied here.
        kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)

    def _wait_for_slot(self) -> None:
        with self._lock:
            now = time.monotonic()
            while self._sent and now - self._sent[0] >= 60:
                self._sent.popleft()
            if len(self._sent) >= self.per_minute:
                pause = 60 - (now - self._sent[0])
                logger.info(
                    "%s: %d requests in the last minute; waiting %.1f s",
                    self.name,
                    len(self._sent),
                    pause,
                )
                time.sleep(pause)
                self._sent.popleft()
            self._sent.append(time.monotonic())


def throttled_session(per_minute: int, timeout: float, *, name: str) -> requests.Session:
    session = requests.Session()
    adapter = ThrottleAdapter(per_minute, timeout, name=name)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def network_reason(exc: BaseException) -> str:
    """Why a request failed, in a few words ("connection refused", "timed out"), from the
    innermost cause requests and urllib3 wrap it in; the class name when none says."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        reason = getattr(current, "reason", None)  # urllib3's MaxRetryError keeps it here
        wrapped = current.args[0] if current.args else None
        current = next(
            (
                c
                for c in (current.__cause__, current.__context__, reason, wrapped)
                if isinstance(c, BaseException)
            ),
            None,
        )
    for cause in reversed(chain):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        if type(cause) is TimeoutError:
            return "timed out"
    return type(exc).__name__


def retry_time(value: str | None, now: datetime, default: timedelta) -> datetime:
    """When to try again after a 429: its Retry-After (seconds or an HTTP date),
    else ``default`` from ``now``; never sooner than a second from now."""
    soonest = now + timedelta(seconds=1)
    if not value:
        return now + default
    try:
        return max(now + timedelta(seconds=float(value)), soonest)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return now + default
    return max(when if when.tzinfo else when.replace(tzinfo=UTC), soonest)
