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
