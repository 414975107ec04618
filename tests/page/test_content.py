"""Pages carry Acknowledge and Open links made for the person each copy goes to."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from monitor.config import parse_config
from monitor.core.models import Draft, Priority
from monitor.page.content import texts_for
from monitor.page.links import LinkSigner
from monitor.page.outbox import enqueue
from monitor.page.render import PageContent
from monitor.store import Store

SECRET = "s" * 40
CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Kim"
[[responders.contacts]]
url = "terminal://"
tags = ["email"]
[[responders.contacts]]
url = "json://127.0.0.1:9/sms"
tags = ["sms"]

[[responders]]
name = "Lee Park"
[[responders.contacts]]
url = "terminal://"
tags = ["email"]

[paging]
sms_max_chars = 160
{web}
"""
WEB = '[web]\npublic_url = "https://amends.example.com"'
HOSTILE = (
    "[Acknowledge](https://evil.example/a/steal) <a href='https://evil.example'>Acknowledge</a> "
    "\u202eevil"
)


def content(complaint_id: int = 11) -> PageContent:
    return PageContent(
        complaint_id=complaint_id,
        priority=Priority(level="P1", reasons=("safety cue",)),
        platform="x",
        author="maya",
        category_label="late delivery",
        text=HOSTILE,
        url="https://x.com/maya/status/1",
        draft=Draft(
            category="delivery", public_reply="Sorry. DM us.", followup=["a"], due_minutes=30
        ),
        due_at=datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
    )


def links_in(text: str) -> list[str]:
    return re.findall(r"https://amends\.example\.com/[ao]/[A-Za-z0-9_-]{32}", text)


def test_each_recipient_gets_links_that_name_them(tmp_path, monkeypatch):
    monkeypatch.setenv("AMENDS_WEB_SECRET", SECRET)
    config = parse_config(CONFIG.format(web=WEB))
    texts = texts_for(content(), config)
    assert links_in(texts.email.body) == []  # the shared text names nobody
    now = datetime.now(UTC)
    with Store.open(tmp_path / "a.db") as store:
        for person in config.responders:
            enqueue(
                store,
                complaint_id=11,
                kind="page",
                level=0,
                responder=person.name,
                contacts=list(person.contacts),
                texts=texts,
                now=now,
            )
        rows = [d for d in store.deliveries(11)]
    signer = LinkSigner(SECRET.encode())
    names = ["Dana Kim", "Lee Park", "admin"]
    seen = {}
    for row in rows:
        found = links_in(row.body)
        # A 160-character SMS keeps the Acknowledge link and gives up the Open one.
        assert len(found) == (1 if row.body_format == "text" else 2), row.body
        ack = found[0].rsplit("/", 1)[1]
        claim = signer.verify(ack, "ack", recipients=names, now=now)
        assert claim.recipient == row.responder and claim.complaint_id == 11
        assert claim.expires_at - now <= timedelta(hours=24, seconds=5)
        seen[(row.responder, row.body_format)] = row.body
    sms = seen[("Dana Kim", "text")]
    assert len(sms) <= 160 and "Ack: https://amends.example.com/a/" in sms
    email = seen[("Dana Kim", "markdown")]
    assert "**[Acknowledge](<https://amends.example.com/a/" in email
    # The post's own "Acknowledge" links stay inert text: escaped and defanged.
    assert "evil.example" not in email and "\u202e" not in email
    assert email.count("](<") == 3  # the post's link on its platform, and our two


@pytest.mark.parametrize("web, secret", [(WEB, None), ("", SECRET)])
def test_no_links_without_a_secret_or_an_inbox(monkeypatch, web, secret):
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    if secret:
        monkeypatch.setenv("AMENDS_WEB_SECRET", secret)
    else:
        monkeypatch.delenv("AMENDS_WEB_SECRET", raising=False)
    texts = texts_for(content(), parse_config(CONFIG.format(web=web)))
    assert texts.per_recipient is None
    assert "`amends ack 11`" in texts.email.body


def test_digests_and_incidents_carry_no_links(monkeypatch):
    monkeypatch.setenv("AMENDS_WEB_SECRET", SECRET)
    config = parse_config(CONFIG.format(web=WEB))
    assert texts_for(content(-3), config).per_recipient is None
    assert texts_for(content(0), config).per_recipient is None
