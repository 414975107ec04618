"""Logins, sessions and spent links on a real SQLite file: only hashes are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.core.errors import StoreError
from monitor.store import Store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "a.db") as opened:
        yield opened


def test_accounts_are_found_whatever_the_case(store):
    store.add_account("Dana Kim", "hash-1", now=NOW)
    assert store.account("dana kim").name == "Dana Kim"
    with pytest.raises(StoreError, match="already"):
        store.add_account("DANA KIM", "hash-2", now=NOW)
    assert [a.name for a in store.accounts()] == ["Dana Kim"]


def test_sessions_expire_and_end_with_a_new_password_or_removal(store):
    store.add_account("Dana Kim", "hash-1", now=NOW)
    store.add_session("s1", "Dana Kim", now=NOW, expires_at=NOW + timedelta(hours=1))
    assert store.session_user("s1", now=NOW) == "Dana Kim"
    assert store.session_user("s1", now=NOW + timedelta(hours=2)) is None
    store.set_password_hash("dana kim", "hash-2", now=NOW)
    assert store.session_user("s1", now=NOW) is None
    assert store.account("Dana Kim").password_hash == "hash-2"
    store.add_session("s2", "Dana Kim", now=NOW, expires_at=NOW + timedelta(hours=1))
    store.end_session("s2")
    assert store.session_user("s2", now=NOW) is None
    store.add_session("s3", "Dana Kim", now=NOW, expires_at=NOW + timedelta(hours=1))
    store.remove_account("Dana Kim")
    assert store.session_user("s3", now=NOW) is None and store.account("Dana Kim") is None


def test_a_link_is_spent_exactly_once(store):
    later = NOW + timedelta(hours=1)
    assert not store.link_spent("ab")
    assert store.spend_link("ab", now=NOW, expires_at=later) is True
    assert store.spend_link("ab", now=NOW, expires_at=later) is False
    assert store.link_spent("ab")
    # Once expired (and so useless anyway) the record is dropped as others are added.
    store.spend_link("cd", now=later + timedelta(minutes=1), expires_at=later + timedelta(hours=1))
    assert not store.link_spent("ab")
