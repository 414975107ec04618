"""Which configured brand a piece of text is about, shared by every source.

Platforms' own search is looser than our config (X ignores punctuation, Reddit
stems words), so every source re-checks what it fetched with one matcher:
case-insensitive, on word boundaries, with hashtags, @handles, phrases and
excluded phrases ("apple pie" is not about Apple).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.core.settings import BrandSettings

# Lookarounds instead of \b: \b fails next to a term that starts or ends with a
# non-word character ("#acme", "at&t", "c++").
_BEFORE = r"(?<![\w@#])"
_AFTER = r"(?!\w)"


def _phrase(term: str) -> str:
    words = term.split()
    return r"\s+".join(re.escape(w) for w in words)


def _bare(term: str, sigil: str) -> str:
    return term.strip().lstrip(sigil).strip()


@dataclass(frozen=True, slots=True)
class _Compiled:
    name: str
    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None


def _compile(brand: BrandSettings) -> _Compiled:
    parts = [_BEFORE + r"[@#]?" + _phrase(k) + _AFTER for k in brand.keywords if k.strip()]
    # A handle matches only as a mention; a hashtag matches only as a tag.
    parts += [r"(?<![\w@])@" + re.escape(_bare(h, "@")) + _AFTER for h in brand.handles]
    parts += [r"(?<![\w#])#" + re.escape(_bare(t, "#")) + _AFTER for t in brand.hashtags]
    parts = [p for p in parts if p]
    excluded = [_BEFORE + r"[@#]?" + _phrase(e) + _AFTER for e in brand.exclude if e.strip()]
    return _Compiled(
        name=brand.name,
        include=re.compile("|".join(parts), re.IGNORECASE) if parts else None,
        exclude=re.compile("|".join(excluded), re.IGNORECASE) if excluded else None,
    )


class BrandMatcher:
    """``match(text)`` returns the first configured brand the text is about, or None."""

    def __init__(self, brands: Sequence[BrandSettings]) -> None:
        self._brands = [_compile(b) for b in brands]

    def match(self, text: str) -> str | None:
        for brand in self._brands:
            if self._is_about(brand, text):
                return brand.name
        return None

    def matches(self, text: str) -> list[str]:
        """Every brand the text is about, in config order."""
        return [b.name for b in self._brands if self._is_about(b, text)]

    @staticmethod
    def _is_about(brand: _Compiled, text: str) -> bool:
        if brand.include is None or not text:
            return False
        if brand.exclude is not None:
            # Blank out excluded phrases so "apple pie, and Apple support is down"
            # still matches on the second "Apple".
            text = brand.exclude.sub(lambda m: " " * len(m.group(0)), text)
        return brand.include.search(text) is not None
