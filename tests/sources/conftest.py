"""Local servers for the sources that fakes/platforms.py does not cover, on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakes.bluesky import BlueskyServer
from fakes.feeds import FeedServer
from fakes.hackernews import HackerNewsServer
from fakes.mastodon import MastodonServer


@pytest.fixture
def hn_server() -> Iterator[HackerNewsServer]:
    server = HackerNewsServer()
    yield server
    server.close()


@pytest.fixture
def bluesky_server() -> Iterator[BlueskyServer]:
    server = BlueskyServer()
    yield server
    server.close()


@pytest.fixture
def mastodon_server() -> Iterator[MastodonServer]:
    server = MastodonServer()
    yield server
    server.close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()
