"""Why a request failed, in words, as the sources' errors and the daemon's log say it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests

from fakes.platforms import NOW, REDDIT_ID, REDDIT_SECRET
from fakes.receivers import free_port
from monitor.core.errors import SourceError
from monitor.core.settings import BrandSettings
from sources.http import network_reason
from sources.reddit import RedditSettings, RedditSource


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield listener.getsockname()[1]


def test_a_refused_connection_says_so() -> None:
    with pytest.raises(requests.ConnectionError) as caught:
        requests.get(f"http://127.0.0.1:{free_port()}/", timeout=2)
    assert network_reason(caught.value) == "connection refused"


def test_a_server_that_never_answers_has_timed_out(silent_port: int) -> None:
    with pytest.raises(requests.Timeout) as caught:
        requests.get(f"http://127.0.0.1:{silent_port}/", timeout=0.3)
    assert network_reason(caught.value) == "timed out"


def test_reddit_unreachable_names_the_reason() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    settings = RedditSettings(
        enabled=True, oauth_url=url, reddit_url=url, subreddits=["gadgets"], timeout_seconds=1.0
    )
    source = RedditSource(
        settings,
        [BrandSettings(name="Acme", keywords=["acme"])],
        client_id=REDDIT_ID,
        client_secret=REDDIT_SECRET,
    )
    with pytest.raises(SourceError) as caught:
        source.poll({}, now=NOW)
    assert str(caught.value) == "cannot reach Reddit: connection refused"
