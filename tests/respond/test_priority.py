"""Priority reasons name the audience in the platform's own word."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.config import PrioritySettings
from monitor.core.models import Analysis, Classification, Mention
from monitor.respond.priority import prioritise

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SURE = Classification(
    complaint=True,
    complaint_score=0.95,
    sentiment="negative",
    sentiment_scores={"negative": 0.95, "neutral": 0.05, "positive": 0.0},
    model="m",
    model_version="v",
)


@pytest.mark.parametrize(
    ("platform", "reason"),
    [("x", "48k followers"), ("reddit", "48k karma"), ("demo", "48k reach")],
)
def test_a_big_audience_is_named_in_the_platforms_word(platform: str, reason: str) -> None:
    mention = Mention(
        platform=platform,
        platform_id="1",
        author="a",
        text="t",
        url="",
        created_at=NOW - timedelta(minutes=30),
        reach=48_000,
    )
    about = Analysis(category="delivery", category_label="late delivery")
    found = prioritise(mention, SURE, about, PrioritySettings(), now=NOW)
    assert found.level == "P1" and reason in found.reasons


MILD = Classification(
    complaint=True,
    complaint_score=0.5,
    sentiment="negative",
    sentiment_scores={"negative": 0.6, "neutral": 0.4, "positive": 0.0},
    model="m",
    model_version="v",
)


@pytest.mark.parametrize(
    ("cue", "level", "reason"),
    [
        ("welfare", "P1", "someone at risk"),
        ("theft", "P2", "theft or fraud"),
        ("churn", "P2", "threatens to leave"),
    ],
)
def test_welfare_is_urgent_and_theft_or_churn_are_never_left_to_the_digest(
    cue: str, level: str, reason: str
) -> None:
    mention = Mention(platform="x", platform_id="1", author="a", text="t", url="", created_at=NOW)
    about = Analysis(category="other", category_label="x", severity_cues=(cue,))
    found = prioritise(mention, MILD, about, PrioritySettings(), now=NOW)
    assert found.level == level and reason in found.reasons
