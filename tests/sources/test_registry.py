"""build_sources: only enabled sources, built from config with their secrets."""

from __future__ import annotations

import pytest

from monitor.config import parse_config
from sources import build_sources
from sources.reddit import RedditSource
from sources.x import XSource

BASE = """
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Reyes"
"""


def test_no_enabled_source_builds_nothing() -> None:
    assert build_sources(parse_config(BASE, check_env=False)) == []


def test_enabled_sources_are_built_in_registry_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("T_X", "token")
    monkeypatch.setenv("T_ID", "id")
    monkeypatch.setenv("T_SECRET", "secret")
    text = (
        BASE
        + """
[sources.reddit]
enabled = true
client_id = "${T_ID}"
client_secret = "${T_SECRET}"
subreddits = ["acme"]

[sources.x]
enabled = true
bearer_token = "${T_X}"
"""
    )
    built = build_sources(parse_config(text))
    assert [type(s) for s in built] == [XSource, RedditSource]
    assert [s.name for s in built] == ["x", "reddit"]
    assert built[1].describe_queries()[0] == (
        "GET https://oauth.reddit.com/r/acme/new - matching brand terms"
    )
