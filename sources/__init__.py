"""Platform sources: one module per platform, listed once in ``REGISTRY``.

Adding a platform means adding a module with a class that implements
``sources.base.Source`` and a ``from_config`` classmethod, a settings class in
``monitor.config.SourcesSettings``, and one line here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from monitor.config import Config
from sources.base import Source

logger = logging.getLogger(__name__)


def _x(config: Config) -> Source:
    from sources.x import XSource  # imported on use: tweepy loads only when X is enabled

    return XSource.from_config(config)


def _reddit(config: Config) -> Source:
    from sources.reddit import RedditSource

    return RedditSource.from_config(config)


REGISTRY: dict[str, Callable[[Config], Source]] = {"x": _x, "reddit": _reddit}


def build_sources(config: Config) -> list[Source]:
    """The enabled sources, in registry order."""
    return [
        factory(config)
        for name, factory in REGISTRY.items()
        if getattr(config.sources, name).enabled
    ]
