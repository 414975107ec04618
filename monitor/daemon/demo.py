"""``amends demo``: the real pipeline on a bundled sample, with no accounts and no network.

The sample (a fictional brand, posts written for this project) is kept in the
platforms' own JSON shapes and converted by the real source modules, then
stored, classified, drafted, routed and paged exactly as ``amends run`` would.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.config import Config, parse_config
from monitor.core.models import Batch, Mention
from monitor.core.settings import SourceSettings
from sources.matching import BrandMatcher
from sources.reddit import thing_text, thing_to_mention
from sources.x import to_mention

_DATA = resources.files("monitor.daemon").joinpath("data", "demo")


def _sample(name: str) -> Any:
    return json.loads(_DATA.joinpath(name).read_text("utf-8"))


def demo_config(pages_file: Path) -> Config:
    text = _DATA.joinpath("config.toml").read_text("utf-8")
    return parse_config(text.replace("{pages_file}", str(pages_file.resolve())), "<demo config>")


def _shifted(mentions: list[Mention], newest: datetime) -> list[Mention]:
    """Move the sample's timestamps so its newest post is ``newest``: due times and
    'spreading' are then computed as if the posts were fresh."""
    from dataclasses import replace

    latest = max(m.created_at for m in mentions)
    delta = newest - latest
    return [replace(m, created_at=m.created_at + delta) for m in mentions]


@dataclass
class DemoSource:
    """Replays one bundled sample; a second poll finds nothing new, like a real feed."""

    name: str
    config: Config
    settings: SourceSettings = field(default_factory=SourceSettings)
    config_fingerprint: str = "bundled sample"  # nothing to change: the demo never pauses

    def describe_queries(self) -> list[str]:
        return [f"bundled sample: {self.name}"]

    def close(self) -> None:
        """Nothing to release: the sample is read from the package."""

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        if cursors.get("sample") == "done":
            return Batch(source=self.name, mentions=[])
        matcher = BrandMatcher(self.config.brands)
        mentions = self._x(matcher) if self.name == "demo-x" else self._reddit(matcher)
        mentions = _shifted(mentions, now - timedelta(minutes=2))
        return Batch(source=self.name, mentions=mentions, cursors={"sample": "done"})

    def _x(self, matcher: BrandMatcher) -> list[Mention]:
        payload = _sample("x_recent_search.json")
        users = {u["id"]: u for u in payload["includes"]["users"]}
        found = []
        for post in payload["data"]:
            brand = matcher.match(post["text"])
            if brand:
                found.append(to_mention(post, users.get(post["author_id"]), brand))
        return found

    def _reddit(self, matcher: BrandMatcher) -> list[Mention]:
        payload = _sample("reddit_listing.json")
        found = []
        for child in payload["listing"]["data"]["children"]:
            data = child["data"]
            text = thing_text(data, comment=child["kind"] == "t1")
            brand = matcher.match(text)
            if brand:
                karma = payload["karma"].get(data["author"], 0)
                found.append(thing_to_mention(data, text, data["author"], brand, karma))
        return found


def demo_sources(config: Config) -> list[DemoSource]:
    return [DemoSource("demo-x", config), DemoSource("demo-reddit", config)]
