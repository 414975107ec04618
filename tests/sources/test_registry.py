"""The platform registry: each source's descriptor, the neutral fallback, and
build_sources (only enabled sources, built from config with their secrets)."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files
from urllib.parse import urlsplit

import pytest

from monitor.config import parse_config
from monitor.core.settings import SourceSettings
from sources import PLATFORMS, build_sources, platform
from sources.bluesky import BlueskySource, post_url
from sources.feeds import FeedsSource
from sources.hackernews import HackerNewsSource, hit_to_mention
from sources.mastodon import MastodonSource, status_to_mention
from sources.reddit import RedditSource, thing_to_mention
from sources.x import XSource, to_mention

TEMPLATES = files("monitor.respond") / "templates"

BASE = """
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Reyes"
[[responders.contacts]]
url = "terminal://"
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


# --- the registry and its descriptors ----------------------------------------------------


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_every_registered_platform_declares_its_facts(name: str) -> None:
    described = PLATFORMS[name]
    assert described.name == name and platform(name) is described
    assert described.display and described.reach_word and described.private_channel
    assert described.hosts and described.handle_prefix
    assert described.handle("dana") == described.handle_prefix + "dana"
    assert described.bare(described.handle("dana")) == "dana" == described.bare("@dana")
    assert described.reply_limit > 0 and described.reply_length("abc") == 3
    assert described.too_long.format(size=999, limit=described.reply_limit)
    assert (TEMPLATES / described.templates).is_dir()  # bundled replies exist for it
    assert issubclass(described.settings, SourceSettings)
    assert set(described.secret_keys) <= set(described.settings.model_fields)
    assert described.build is not None


def test_an_unknown_platform_gets_the_neutral_descriptor() -> None:
    found = platform("lemmy")
    assert (found.name, found.display) == ("lemmy", "lemmy")
    assert found.hosts == frozenset() and found.build is None
    assert found.reach_word == "reach" and found.private_channel == "a private message or email"
    assert found.handle("kim") == "@kim" and found.reply_limit == 700
    assert found.templates in {p.templates for p in PLATFORMS.values()}


def test_each_source_writes_mentions_its_descriptor_links() -> None:
    post = {"id": "1790000000000000000", "created_at": "2026-11-23T12:00:00Z", "text": "acme"}
    x_mention = to_mention(post, {"username": "dana"}, "Acme")
    thing = {"name": "t3_abc", "created_utc": 1795000000, "permalink": "/r/acme/comments/abc/x/"}
    reddit_mention = thing_to_mention(thing, "acme", "kim", "Acme", 0)
    hit = {"objectID": "42", "created_at_i": 1795000000, "author": "pg"}
    hn_mention = hit_to_mention(hit, "acme", "Acme")
    status = {
        "id": "1",
        "uri": "https://mastodon.social/users/kim/statuses/1",
        "created_at": "2026-11-23T12:00:00.000Z",
        "account": {"acct": "kim", "followers_count": 3},
    }
    mastodon_mention = status_to_mention(status, "acme", "Acme", "https://mastodon.social")
    for mention in (x_mention, reddit_mention, hn_mention, mastodon_mention):
        host = urlsplit(mention.url).hostname
        assert host in PLATFORMS[mention.platform].hosts


def test_importing_sources_loads_no_client_library() -> None:
    code = (
        "import sys, sources, monitor.config\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tweepy', 'praw', 'prawcore', 'requests', 'atproto', 'mastodon', 'feedparser', "
        "'nh3', 'httpx')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_building_a_source_loads_its_client_library() -> None:
    code = (
        "import sys\n"
        "from sources.x import X, XSettings\n"
        "from monitor.core.settings import BrandSettings\n"
        "X.build(XSettings(enabled=True), [BrandSettings(name='A', keywords=['a'])]).close()\n"
        "print('tweepy' in sys.modules, 'praw' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["True", "False"]


def test_a_bluesky_link_is_on_its_descriptors_host() -> None:
    url = post_url("kim.bsky.social", "at://did:plc:abc/app.bsky.feed.post/3k")
    assert urlsplit(url).hostname in PLATFORMS["bluesky"].hosts


def test_the_free_sources_are_built_from_config_with_no_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        BASE
        + """
[sources.bluesky]
enabled = true

[sources.mastodon]
enabled = true
[[sources.mastodon.instances]]
url = "https://mastodon.social"

[sources.hackernews]
enabled = true

[sources.feeds]
enabled = true
[[sources.feeds.feeds]]
url = "https://status.acme.example/history.atom"
brand = "Acme"
"""
    )
    built = build_sources(parse_config(text))
    try:
        kinds = [BlueskySource, MastodonSource, HackerNewsSource, FeedsSource]
        assert [type(s) for s in built] == kinds
        assert [s.name for s in built] == ["bluesky", "mastodon", "hackernews", "feeds"]
        assert all(s.describe_queries() for s in built)
    finally:
        for source in built:
            source.close()
