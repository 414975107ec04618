"""AppriseNotifier against real local servers: aiosmtpd and a threaded HTTP receiver."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from fakes.receivers import HttpReceiver, SmtpServer
from notifiers import AppriseNotifier, OutgoingMessage

PAGE = "**P1 · delivery** on x by @dana\n\n> where is my order"


def message(url: str, title: str = "[P1] x @dana · delivery", body: str = PAGE) -> OutgoingMessage:
    return OutgoingMessage(url=url, title=title, body=body, body_format="markdown")


# --- email ---------------------------------------------------------------------------


def test_mailto_delivers_to_local_smtp(smtp_server: SmtpServer) -> None:
    result = AppriseNotifier(timeout=10).send(message(smtp_server.url()))
    assert result.ok, result.detail
    assert result.service == "E-Mail"
    [mail] = smtp_server.messages
    assert mail["Subject"] == "[P1] x @dana · delivery"
    assert smtp_server.envelopes[0][1] == ["dana@example.com"]
    assert "where is my order" in mail.get_body(("html", "plain")).get_content()


def test_smtp_refusal_is_a_failed_result_with_detail(smtp_server: SmtpServer) -> None:
    smtp_server.reply = "554 5.7.1 message rejected"
    result = AppriseNotifier(timeout=10).send(message(smtp_server.url()))
    assert not result.ok
    assert result.detail
    assert smtp_server.messages == []


def test_password_reference_is_resolved_at_send_time(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMENDS_TEST_TO", "lee@example.com")
    url = smtp_server.url(to="${AMENDS_TEST_TO}")
    assert AppriseNotifier(timeout=10).send(message(url)).ok
    assert smtp_server.envelopes[0][1] == ["lee@example.com"]


def test_missing_reference_is_not_retryable() -> None:
    result = AppriseNotifier().send(message("json://127.0.0.1:9/${AMENDS_NOT_SET_ANYWHERE}"))
    assert not result.ok and not result.retryable
    assert "AMENDS_NOT_SET_ANYWHERE" in result.detail


def test_smtp_server_down_is_retryable_failure(smtp_server: SmtpServer) -> None:
    url = smtp_server.url()
    smtp_server.down()
    result = AppriseNotifier(timeout=10).send(message(url))
    assert not result.ok and result.retryable
    assert result.detail


# --- webhooks and push ---------------------------------------------------------------


def test_json_webhook_receives_title_and_body(http_receiver: HttpReceiver) -> None:
    result = AppriseNotifier().send(message(f"json://{http_receiver.address}/hook"))
    assert result.ok, result.detail
    [request] = http_receiver.requests
    assert request.method == "POST" and request.path == "/hook"
    assert request.json["title"] == "[P1] x @dana · delivery"
    assert "where is my order" in request.json["message"]


def test_ntfy_with_explicit_local_host(http_receiver: HttpReceiver) -> None:
    result = AppriseNotifier().send(message(f"ntfy://{http_receiver.address}/amends-pages"))
    assert result.ok, result.detail
    [request] = http_receiver.requests
    assert request.path.startswith("/")
    sent = json.dumps(request.json) if request.body.startswith(b"{") else request.body.decode()
    assert "amends-pages" in request.path + sent
    assert "where is my order" in sent


def test_server_error_is_retryable_failure(http_receiver: HttpReceiver) -> None:
    http_receiver.status = 500
    result = AppriseNotifier().send(message(f"json://{http_receiver.address}/hook"))
    assert not result.ok
    assert result.retryable
    assert "500" in result.detail or "error" in result.detail.lower()
    assert len(http_receiver.requests) == 1


def test_rejected_request_is_not_retryable(http_receiver: HttpReceiver) -> None:
    http_receiver.status = 403
    result = AppriseNotifier().send(message(f"ntfy://{http_receiver.address}/topic"))
    assert not result.ok
    assert not result.retryable, result.detail


def test_receiver_down_is_retryable_failure(http_receiver: HttpReceiver) -> None:
    http_receiver.down()
    result = AppriseNotifier().send(message(f"json://{http_receiver.address}/hook"))
    assert not result.ok and result.retryable
    assert "connection" in result.detail.lower()


def test_unusable_url_is_reported_not_raised() -> None:
    result = AppriseNotifier().send(message("nosuchservice://whatever"))
    assert not result.ok and not result.retryable
    assert "nosuchservice" in result.detail


def test_empty_message_is_a_permanent_failure(http_receiver: HttpReceiver) -> None:
    url = f"json://{http_receiver.address}/hook"
    result = AppriseNotifier().send(OutgoingMessage(url=url, title="", body=""))
    assert not result.ok and not result.retryable
    assert http_receiver.requests == []


# --- throttling and threads ----------------------------------------------------------


def test_repeated_sends_to_one_service_are_not_throttled(http_receiver: HttpReceiver) -> None:
    # ntfy's plugin asks for 5.5 s between requests; a shared apprise object
    # would make these four sends take over 16 s.
    notifier = AppriseNotifier()
    url = f"ntfy://{http_receiver.address}/pages"
    started = time.monotonic()
    results = [notifier.send(message(url, title=f"page {i}")) for i in range(4)]
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    assert len(http_receiver.requests) == 4
    assert elapsed < 4.0


def test_several_targets_in_one_url_are_not_throttled(http_receiver: HttpReceiver) -> None:
    started = time.monotonic()
    result = AppriseNotifier().send(message(f"ntfy://{http_receiver.address}/a/b/c"))
    assert result.ok, result.detail
    assert len(http_receiver.requests) == 3
    assert time.monotonic() - started < 4.0


def test_concurrent_sends_keep_their_own_results(
    http_receiver: HttpReceiver, smtp_server: SmtpServer
) -> None:
    # One contact down must not leak its failure (or its log lines) into
    # the results of sends running at the same time on other threads.
    notifier = AppriseNotifier(timeout=10)
    urls = [f"json://{http_receiver.address}/ok{i}" for i in range(4)]
    urls += ["json://127.0.0.1:9/refused", smtp_server.url()]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda u: notifier.send(message(u)), urls))
    assert [r.ok for r in results] == [True, True, True, True, False, True]
    assert all(r.detail == "" for r in results if r.ok)
    assert "127.0.0.1" in results[4].detail
    assert len(http_receiver.requests) == 4 and len(smtp_server.messages) == 1
