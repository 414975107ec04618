"""Which notifier delivers to a contact URL, chosen by the URL's scheme.

``NOTIFIERS`` maps a scheme to the factory of its notifier; every other scheme
goes to apprise, which knows about a hundred (``mailto://``, ``ntfy://``,
``json://``, SMS gateways...). A new local notifier is a module in this package
plus one entry here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from notifiers.apprise_notifier import AppriseNotifier
from notifiers.base import Notifier
from notifiers.jsonl import JsonlNotifier
from notifiers.terminal import TerminalNotifier

NotifierFactory = Callable[[], Notifier]

NOTIFIERS: dict[str, NotifierFactory] = {
    "terminal": TerminalNotifier,  # terminal:// or terminal://stderr
    "file": JsonlNotifier,  # file:///path/pages.jsonl
}
FALLBACK: NotifierFactory = AppriseNotifier


def scheme_of(url: str) -> str:
    """The URL's scheme, lower-cased; "" when it has none (apprise then says why)."""
    return url.split("://", 1)[0].lower() if "://" in url else ""


def notifier_for(url: str) -> Notifier:
    return _shared(NOTIFIERS.get(scheme_of(url), FALLBACK))


@functools.cache
def _shared(factory: NotifierFactory) -> Notifier:
    # Notifiers hold no per-contact state, so one instance of each serves every send.
    return factory()
