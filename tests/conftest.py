"""Fixtures shared by the whole suite: real servers on 127.0.0.1 from ``fakes``.

Nothing here ever talks to a public host.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from fakes.platforms import RedditServer, XServer
from fakes.receivers import HOST, HttpReceiver, SmtpServer, free_port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(host=HOST, port=free_port())
    server.controller = Controller(server, hostname=HOST, port=server.port)
    server.controller.start()
    try:
        yield server
    finally:
        server.down()


@pytest.fixture
def http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    try:
        yield receiver
    finally:
        receiver.down()


@pytest.fixture
def x_server() -> Iterator[XServer]:
    server = XServer()
    yield server
    server.close()


@pytest.fixture
def reddit_server() -> Iterator[RedditServer]:
    server = RedditServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory):
    """One cache directory for the fast classifier's build, shared by the session."""
    return tmp_path_factory.mktemp("model-cache")
