"""What the search-based sources share: one search per brand term, and what a poll
has gathered so far (kept in the error when a later query fails)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from monitor.core.models import Batch, Mention
from monitor.core.settings import BrandSettings


def search_terms(brand: BrandSettings, *, hashtag: str = "#") -> list[str]:
    """The brand's keywords, handles (without "@") and hashtags (``hashtag`` + tag),
    each once whatever its case; a keyword with a space is quoted as a phrase.

    These searches have no reliable OR, so each term is a search of its own."""
    terms = [f'"{k.strip()}"' if " " in k.strip() else k.strip() for k in brand.keywords]
    terms += [h.strip().lstrip("@") for h in brand.handles]
    terms += [hashtag + t.strip().lstrip("#") for t in brand.hashtags]
    unique: dict[str, str] = {}
    for term in terms:
        if term.strip('"#'):
            unique.setdefault(term.lower().lstrip("#"), term)
    return list(unique.values())


def cursor_key(*parts: str) -> str:
    # Derived from what is searched: a changed query starts a fresh cursor.
    return "q-" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def fingerprint(parts: Sequence[str]) -> str:
    """A source's ``config_fingerprint`` from what it reads and how it logs in: a pause
    for a person to fix applies until these change."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@dataclass(slots=True)
class Collected:
    """Mentions and cursors one poll has gathered; a mention found twice is kept once."""

    source: str
    mentions: dict[str, Mention] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)

    def add(self, mention: Mention) -> None:
        self.mentions.setdefault(mention.platform_id, mention)

    def batch(self) -> Batch:
        # Batch.reads counts billed items; none of these platforms bills a read.
        return Batch(
            source=self.source, mentions=list(self.mentions.values()), cursors=dict(self.cursors)
        )
