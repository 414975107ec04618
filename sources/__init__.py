"""Platform sources: one module per platform, each declaring its ``Platform``.

``PLATFORMS`` is the registry: the config builds its ``[sources]`` table from it,
and drafting, the reply checker, priority and pages ask ``platform(name)`` for
a platform's facts instead of spelling them. Importing this package loads no
client library: tweepy, praw, atproto, Mastodon.py and feedparser load when a
source is built.

Adding a platform means one module with:
- a settings model (a ``monitor.core.settings.SourceSettings`` subclass), its
  ``[sources.<name>]`` table, documented in ``config.toml``;
- a class implementing ``sources.base.Source`` that turns payloads into
  ``Mention`` and library errors into ``SourceError``;
- a ``Platform`` descriptor whose ``build`` imports the client library;
and one entry in ``PLATFORMS`` below (and bundled reply templates under
``monitor/respond/templates/<name>/``, or ``templates`` naming a set to borrow).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from monitor.core.platform import Platform, neutral
from monitor.core.settings import BrandSettings, SourcesSection
from sources.base import Source
from sources.bluesky import BLUESKY
from sources.feeds import FEEDS
from sources.hackernews import HACKER_NEWS
from sources.mastodon import MASTODON
from sources.reddit import REDDIT
from sources.x import X

PLATFORMS: dict[str, Platform] = {
    p.name: p for p in (X, REDDIT, BLUESKY, MASTODON, HACKER_NEWS, FEEDS)
}

# A platform no source declares borrows Reddit's templates: no 280-character squeeze.
_FALLBACK_TEMPLATES = REDDIT.templates


def platform(name: str) -> Platform:
    """The descriptor for ``name``; a neutral one for a platform no source declares."""
    return PLATFORMS.get(name) or neutral(name, templates=_FALLBACK_TEMPLATES)


def handle_prefixes() -> tuple[str, ...]:
    """Every way a registered platform starts a handle ("@", "u/")."""
    return tuple(dict.fromkeys(p.handle_prefix for p in PLATFORMS.values()))


def all_hosts() -> frozenset[str]:
    """Every host a registered platform's post link may be on."""
    return frozenset().union(*(p.hosts for p in PLATFORMS.values()))


class Configured(Protocol):
    """What ``build_sources`` reads of ``monitor.config.Config`` (which sits above sources)."""

    @property
    def brands(self) -> Sequence[BrandSettings]: ...

    @property
    def sources(self) -> SourcesSection: ...


def build_sources(config: Configured) -> list[Source]:
    """The enabled sources, in registry order."""
    built: list[Source] = []
    for name in config.sources.enabled():
        described = PLATFORMS[name]
        if described.build is not None:
            built.append(described.build(config.sources.of(name), config.brands))
    return built
