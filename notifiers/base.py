"""The one seam between the outbox and the outside world.

A notifier delivers one rendered message to one contact URL and reports what
happened. It never raises for a delivery failure: the outbox records every
attempt in its ledger and decides about retries, so a failure is a value
(``SendResult(ok=False, ...)``), not an exception. Anything a notifier does
raise is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

BodyFormat = Literal["markdown", "text"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingMessage:
    # The contact URL as written in the config: it may hold ${ENV} references,
    # which the notifier resolves at send time so the outbox never stores a
    # secret. Kept out of repr in case a caller passes an already-resolved URL.
    url: str = field(repr=False)
    title: str
    body: str
    body_format: BodyFormat = "markdown"


@dataclass(frozen=True, slots=True, kw_only=True)
class SendResult:
    ok: bool
    service: str  # "E-Mail", "ntfy", "terminal", "jsonl", ... for the ledger
    detail: str = ""  # why it failed, in the service's words; never a secret
    retryable: bool = False  # worth another attempt later (timeouts, 5xx, refused)


class Notifier(Protocol):
    def send(self, message: OutgoingMessage) -> SendResult: ...
