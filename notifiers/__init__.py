"""Notifiers: deliver a rendered page to one contact URL.

``notifier_for(url)`` picks the notifier for a contact URL from the registry
keyed by scheme (``notifiers.registry``): ``terminal://`` prints,
``file:///path/pages.jsonl`` appends JSON lines, and anything else goes
through apprise.
"""

from __future__ import annotations

from notifiers.apprise_notifier import AppriseNotifier
from notifiers.base import BodyFormat, Notifier, OutgoingMessage, SendResult
from notifiers.jsonl import JsonlNotifier
from notifiers.registry import NOTIFIERS, notifier_for
from notifiers.terminal import TerminalNotifier

__all__ = [
    "NOTIFIERS",
    "AppriseNotifier",
    "BodyFormat",
    "JsonlNotifier",
    "Notifier",
    "OutgoingMessage",
    "SendResult",
    "TerminalNotifier",
    "notifier_for",
]
