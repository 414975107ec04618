"""Notifiers: deliver a rendered page to one contact URL.

``notifier_for(url)`` picks the notifier for a contact URL:
``terminal://`` prints, ``file:///path/pages.jsonl`` appends JSON lines, and
anything else goes through apprise.
"""

from __future__ import annotations

from notifiers.apprise_notifier import AppriseNotifier
from notifiers.base import BodyFormat, Notifier, OutgoingMessage, SendResult
from notifiers.jsonl import JsonlNotifier
from notifiers.terminal import TerminalNotifier

__all__ = [
    "AppriseNotifier",
    "BodyFormat",
    "JsonlNotifier",
    "Notifier",
    "OutgoingMessage",
    "SendResult",
    "TerminalNotifier",
    "notifier_for",
]

# Notifiers hold no per-contact state, so one instance of each serves every send.
_TERMINAL = TerminalNotifier()
_JSONL = JsonlNotifier()
_APPRISE = AppriseNotifier()


def notifier_for(url: str) -> Notifier:
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "terminal":
        return _TERMINAL
    if scheme == "file":
        return _JSONL
    return _APPRISE
