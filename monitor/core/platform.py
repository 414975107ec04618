"""What the rest of the tree may know about a platform, declared once by its source.

Each module in ``sources/`` declares one ``Platform``; ``sources.PLATFORMS`` lists
them and ``sources.platform(name)`` finds one. Drafting, the reply checker,
priority and page rendering ask the descriptor instead of spelling a platform,
so a new source is one new module and one line in the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core.settings import BrandSettings, SourceSettings

# Builds the source from its settings and the brands: (settings, brands) -> sources.base.Source.
# Typed loosely because the Source protocol lives above core, in sources.base.
Builder = Callable[[Any, Sequence[BrandSettings]], Any]

PLAIN_TOO_LONG = "{size} characters; keep a public reply to one short paragraph (≤ {limit})"


@dataclass(frozen=True, kw_only=True)
class Platform:
    name: str  # the config key and Mention.platform
    display: str  # the name in a sentence
    hosts: frozenset[str]  # where a post's own link may point (pages link only these)
    handle_prefix: str  # how a handle is written: prefix + name
    reach_word: str  # what Mention.reach counts, for pages and priority reasons
    reply_limit: int  # characters a public reply may use
    private_channel: str  # named in the follow-up task
    templates: str  # the bundled template set its drafts use
    settings: type[SourceSettings]  # its [sources.<name>] table
    secret_keys: tuple[str, ...]  # settings that must resolve when it is enabled
    build: Builder | None  # imports the client library only when called
    reply_length: Callable[[str], int] = len  # how the platform counts characters
    too_long: str = PLAIN_TOO_LONG  # the checker's finding; {size} and {limit} filled in
    one_paragraph: bool = True  # a longer reply is flagged even under the limit

    def handle(self, name: str) -> str:
        """``name`` written as a handle on this platform."""
        return self.handle_prefix + name

    def bare(self, handle: str) -> str:
        """The name inside ``handle``; a leading "@" is dropped too, as people type one
        whatever the platform."""
        return handle.lstrip("@").removeprefix(self.handle_prefix)


def neutral(name: str, *, templates: str) -> Platform:
    """A platform no source declares ("demo", a removed source): its name as its display
    name, "@" handles, plain wording and length, no link on any host, no source to build."""
    return Platform(
        name=name,
        display=name,
        hosts=frozenset(),
        handle_prefix="@",
        reach_word="reach",
        reply_limit=700,
        private_channel="a private message or email",
        templates=templates,
        settings=SourceSettings,
        secret_keys=(),
        build=None,
    )
