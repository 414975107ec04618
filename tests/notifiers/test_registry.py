"""The notifier registry: a contact URL's scheme picks its notifier, apprise the rest."""

from __future__ import annotations

import pytest

from notifiers import (
    NOTIFIERS,
    AppriseNotifier,
    JsonlNotifier,
    OutgoingMessage,
    SendResult,
    TerminalNotifier,
    notifier_for,
)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("terminal://", TerminalNotifier),
        ("file:///tmp/pages.jsonl", JsonlNotifier),
        ("mailto://127.0.0.1:25?to=a@example.com", AppriseNotifier),
        ("ntfy://127.0.0.1/topic", AppriseNotifier),
    ],
)
def test_registry_picks_notifier_by_scheme(url: str, kind: type) -> None:
    assert isinstance(notifier_for(url), kind)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("TERMINAL://stderr", TerminalNotifier),
        ("File:///tmp/pages.jsonl", JsonlNotifier),
        ("no scheme at all", AppriseNotifier),  # apprise says why it cannot use it
        ("", AppriseNotifier),
    ],
)
def test_scheme_is_matched_case_insensitively_and_the_rest_go_to_apprise(
    url: str, kind: type
) -> None:
    assert isinstance(notifier_for(url), kind)


def test_one_instance_of_each_notifier_serves_every_send() -> None:
    assert notifier_for("ntfy://a/topic") is notifier_for("mailto://b@example.com")
    assert notifier_for("terminal://") is notifier_for("terminal://stderr")


class RecordingNotifier:
    """A notifier for a scheme of our own: what a new local notifier would add."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    def send(self, message: OutgoingMessage) -> SendResult:
        self.sent.append(message)
        return SendResult(ok=True, service="recording")


def test_a_registered_scheme_gets_its_own_notifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(NOTIFIERS, "recording", RecordingNotifier)
    notifier = notifier_for("recording://ops")
    page = OutgoingMessage(url="recording://ops", title="[P1] page", body="where is my order")
    assert notifier.send(page).ok
    assert isinstance(notifier, RecordingNotifier) and notifier.sent == [page]
    assert isinstance(notifier_for("recordings://ops"), AppriseNotifier)
