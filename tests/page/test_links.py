"""One-tap link tokens: short, signed, single-purpose, expiring, for one person."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from monitor.core.errors import ConfigError
from monitor.page.links import (
    TOKEN_CHARS,
    BadLink,
    LinkSigner,
    load_secret,
    page_links,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TEAM = ["Dana Kim", "Lee Park", "admin"]
signer = LinkSigner(b"k" * 40)


def mint(purpose="ack", complaint_id=11, who="Dana Kim", hours=24) -> str:
    return signer.mint(purpose, complaint_id, who, expires_at=NOW + timedelta(hours=hours))


def test_a_token_names_its_complaint_and_recipient_and_fits_an_sms():
    token = mint()
    assert len(token) == TOKEN_CHARS == 32
    claim = signer.verify(token, "ack", recipients=TEAM, now=NOW)
    assert (claim.complaint_id, claim.recipient, claim.purpose) == (11, "Dana Kim", "ack")
    assert claim.expires_at == NOW + timedelta(hours=24)


@pytest.mark.parametrize(
    "token, purpose, now, said",
    [
        (mint(), "open", NOW, "something else"),  # wrong purpose
        (mint(hours=1), "ack", NOW + timedelta(hours=2), "expired"),
        (
            LinkSigner(b"x" * 40).mint("ack", 11, "Dana Kim", expires_at=NOW + timedelta(1)),
            "ack",
            NOW,
            "not valid",
        ),  # another key: forged
        (mint()[:-1], "ack", NOW, "not a link"),
        ("!" * 32, "ack", NOW, "not a link"),
        (mint(who="Someone Gone"), "ack", NOW, "no longer on the team"),
    ],
)
def test_bad_tokens_are_refused(token, purpose, now, said):
    with pytest.raises(BadLink, match=said):
        signer.verify(token, purpose, recipients=TEAM, now=now)


def test_changing_any_byte_breaks_the_signature():
    raw = bytearray(base64.urlsafe_b64decode(mint()))
    for index in range(len(raw)):
        changed = bytearray(raw)
        changed[index] ^= 1
        token = base64.urlsafe_b64encode(bytes(changed)).decode()
        with pytest.raises(BadLink):
            signer.verify(token, "ack", recipients=TEAM, now=NOW)


def test_page_links_are_built_on_the_public_address():
    links = page_links(
        signer, "https://amends.example.com/", 7, "Lee Park", now=NOW, valid_for=timedelta(hours=2)
    )
    assert links.acknowledge.startswith("https://amends.example.com/a/")
    assert links.open.startswith("https://amends.example.com/o/")
    ack = links.acknowledge.rsplit("/", 1)[1]
    assert signer.verify(ack, "ack", recipients=TEAM, now=NOW).recipient == "Lee Park"


def test_the_secret_comes_from_the_environment_or_a_credential(tmp_path):
    assert load_secret({}) is None
    assert load_secret({"AMENDS_WEB_SECRET": "s" * 32}) == b"s" * 32
    (tmp_path / "web-secret").write_text("c" * 40 + "\n")
    assert load_secret({"CREDENTIALS_DIRECTORY": str(tmp_path)}) == b"c" * 40
    with pytest.raises(ConfigError, match="at least 32"):
        load_secret({"AMENDS_WEB_SECRET": "short"})
