"""Priority: how soon a complaint needs a person, and why.

P1 wakes someone up, so it needs a reason a responder would agree with:
a serious cue (legal threat, safety, someone at risk, outage), a big audience,
or a post that is spreading fast. Any cue (a threat to leave, a theft, a
repeat contact, ...) keeps a complaint out of the low-priority digest. The
reasons are stored and shown in the page.
"""

from __future__ import annotations

from datetime import datetime

from monitor.config import PrioritySettings
from monitor.core.models import Analysis, Classification, Mention, Priority
from sources import platform

_CUE_WORDS = {
    "legal": "legal threat",
    "safety": "safety cue",
    "outage": "outage cue",
    "churn": "threatens to leave",
    "welfare": "someone at risk",
    "theft": "theft or fraud",
    "refund": "refund demand",
    "repeat": "repeat contact",
    "callout": "public call-out",
}


def _people(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M".replace(".0M", "M")
    if count >= 1_000:
        return f"{count / 1_000:.0f}k"
    return str(count)


def spread_per_hour(mention: Mention, now: datetime) -> float:
    """Interactions per hour since posting; young posts count as 15 minutes old so one
    early like does not look like a storm."""
    hours = max((now - mention.created_at).total_seconds() / 3600, 0.25)
    return mention.engagement / hours


def prioritise(
    mention: Mention,
    classification: Classification,
    analysis: Analysis,
    settings: PrioritySettings,
    *,
    now: datetime,
) -> Priority:
    reasons: list[str] = []
    urgent = False
    for cue in analysis.severity_cues:
        if cue in _CUE_WORDS:
            reasons.append(_CUE_WORDS[cue])
        urgent = urgent or cue in settings.p1_cues
    big_audience = mention.reach >= settings.p1_reach
    if big_audience:
        reasons.append(f"{_people(mention.reach)} {platform(mention.platform).reach_word}")
        urgent = urgent or classification.complaint_score >= settings.p1_score
    spread = spread_per_hour(mention, now)
    if spread >= settings.p1_spread_per_hour:
        reasons.append(f"spreading: {spread:.0f} interactions/h")
        urgent = True
    if urgent:
        return Priority(level="P1", reasons=tuple(reasons))
    score = classification.complaint_score
    if score < settings.p3_score and not analysis.severity_cues and not big_audience:
        return Priority(level="P3", reasons=(*reasons, f"mild: score {score:.2f}"))
    return Priority(level="P2", reasons=(*reasons, f"score {score:.2f}"))
