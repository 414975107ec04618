"""Deliver one message to one apprise URL (mailto://, ntfy://, json://, sms...).

Throttling and threads -- why each send builds its own apprise objects:

apprise throttles per *plugin instance*: ``NotifyBase.request_rate_per_sec``
is 5.5 s for most services, and ``throttle()`` sleeps until that long has
passed since the instance's previous request. A long-lived ``Apprise`` object
shared by the outbox would therefore make the second page to the same
contact, or an escalation right after a page, sleep ~5.5 s while holding a
worker, and one slow contact would stall everyone queued behind it.

So every ``send`` instantiates a fresh plugin (its first ``throttle()`` never
sleeps) and also sets that instance's rate to 0, so a URL with several
targets (``ntfy://host/a/b``, several mail recipients) doesn't sleep between
them either. Pages are rare and each contact URL is one person's channel; the
outbox's ledger owns retry pacing with backoff, which is where a rate limit
belongs. ``AppriseAsset(async_mode=False)`` keeps apprise from fanning out in
its own pool, and apprise 2.x captures each call's log lines in context
variables, so concurrent sends from several threads share nothing mutable
and each result carries only its own log lines.
"""

from __future__ import annotations

import logging
import re
import warnings

from apprise import Apprise, AppriseAsset, AppriseResult, AppriseResultStatus, NotifyFormat

from monitor.core.settings import resolve_refs
from notifiers.base import OutgoingMessage, SendResult

logger = logging.getLogger(__name__)

# apprise's e-mail plugin imports its PGP helper on first use, which imports the
# stdlib ``imghdr`` (deprecated in 3.11, gone in 3.13, shimmed by apprise there).
# Import it once here, at a known moment, with only that warning silenced: the
# suite runs with warnings as errors and would otherwise fail on whichever test
# sends the first e-mail.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
    import apprise.utils.pgp  # noqa: F401

_DETAIL_MAX = 600
# HTTP statuses that a retry will not fix: bad request, credentials, missing topic.
_PERMANENT = re.compile(r"(?:error=|HTTP |status[ =])(400|401|403|404|405|410|413|422)\b")
_PERMANENT_WORDS = (
    "authentication",
    "unauthorized",
    "forbidden",
    "bad request",
    "could not prepare the notification",  # the message itself is unusable
)


class AppriseNotifier:
    """Sends through apprise; one fresh plugin per send (see module docstring)."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        # apprise's own per-service limit is 60 s; the outbox wants an answer sooner.
        self.timeout = timeout

    def send(self, message: OutgoingMessage) -> SendResult:
        scheme = message.url.split("://", 1)[0].lower() or "apprise"
        try:
            url = resolve_refs(message.url)
        except ValueError as exc:
            return SendResult(ok=False, service=scheme, detail=str(exc), retryable=False)
        asset = AppriseAsset(async_mode=False, storage_mode="memory", service_timeout=self.timeout)
        plugin = Apprise.instantiate(url, asset=asset, suppress_exceptions=True)
        if plugin is None:
            detail = f"apprise cannot use this URL (scheme '{scheme}://' or its format)"
            return SendResult(ok=False, service=scheme, detail=detail, retryable=False)
        plugin.request_rate_per_sec = 0  # see the module docstring
        fmt = NotifyFormat.MARKDOWN if message.body_format == "markdown" else NotifyFormat.TEXT
        with Apprise(plugin, asset=asset).notify(
            body=message.body, title=message.title, body_format=fmt
        ) as result:
            return _summarise(result, plugin.service_name or scheme)


def _summarise(result: AppriseResult, fallback: str) -> SendResult:
    services = list(result)
    name = services[0].name if services else fallback
    if result.status == AppriseResultStatus.SUCCESS:
        return SendResult(ok=True, service=name, detail="", retryable=False)
    lines = [entry.message for entry in result.logs()]
    detail = "; ".join(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if not detail:
        detail = f"apprise reported {result.status.name.lower()} without a log line"
    if len(detail) > _DETAIL_MAX:
        detail = detail[: _DETAIL_MAX - 1] + "…"
    return SendResult(ok=False, service=name, detail=detail, retryable=_retryable(result, detail))


def _retryable(result: AppriseResult, detail: str) -> bool:
    # apprise reports no error class, only log text: timeouts, refused
    # connections and 5xx are worth retrying; a rejected request or bad
    # credentials will fail the same way next time and need a person.
    if result.status == AppriseResultStatus.TIMEOUT:
        return True
    if result.status == AppriseResultStatus.NOMATCH:
        return False
    lowered = detail.lower()
    return not (_PERMANENT.search(detail) or any(w in lowered for w in _PERMANENT_WORDS))
