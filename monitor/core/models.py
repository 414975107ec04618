"""The typed values that travel between pipeline stages.

Sources turn platform payloads into a ``Mention`` at the edge: nothing past
``sources/`` sees a tweepy or praw object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Sentiment = Literal["negative", "neutral", "positive"]
PriorityLevel = Literal["P1", "P2", "P3"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    platform: str  # "x" | "reddit" | "demo" | ...; (platform, platform_id) is unique
    platform_id: str
    author: str  # handle without "@" or "u/"
    text: str
    url: str
    created_at: datetime  # aware, UTC, converted in the source
    reach: int = 0  # followers (X) or karma (Reddit), for priority
    engagement: int = 0  # likes + reposts + replies, or score + comments
    author_id: str = ""
    lang: str | None = None
    thread_id: str | None = None  # X conversation_id, Reddit submission id
    brand: str | None = None  # the configured brand whose terms matched
    raw: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Batch:
    """What one poll of one source returns.

    ``cursors`` maps a query key to the cursor to persist for it; the pipeline
    writes it in the same transaction as the mentions, so a crash between the
    two can neither skip nor lose a mention.
    """

    source: str
    mentions: list[Mention]
    cursors: dict[str, str] = field(default_factory=dict)
    reads: int = 0  # items the platform bills us for (X pay-per-use)


@dataclass(frozen=True, slots=True, kw_only=True)
class Classification:
    complaint: bool
    complaint_score: float  # calibrated probability that this is a complaint
    sentiment: Sentiment
    sentiment_scores: dict[str, float]  # negative / neutral / positive, sums to 1
    model: str
    model_version: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem the draft checker found, in words a responder understands."""

    code: str  # e.g. "fauxpology", "no-apology", "too-long"
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """What drafting and priority understand about a complaint."""

    category: str  # "delivery", "billing", ... or a team category
    category_label: str  # the category in plain words for the draft
    specifics: dict[str, str] = field(default_factory=dict)  # order number, wait...
    severity_cues: tuple[str, ...] = ()  # "legal", "safety", "churn", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    category: str
    public_reply: str
    followup: list[str]
    due_minutes: int
    checks: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Priority:
    level: PriorityLevel
    reasons: tuple[str, ...]  # shown in the page: "safety cue", "48k followers"

    def describe(self) -> str:
        return f"{self.level}: " + (", ".join(self.reasons) or "complaint")
