"""Start-up recovery finds what a crash left: every unjudged mention, however old,
and complaints judged but never opened among the newest mentions."""

from __future__ import annotations

from datetime import timedelta

import monitor.store.recovery as recovery
from monitor.core.models import Batch, Classification, Mention
from tests.store.conftest import NOW

JUDGED = Classification(
    complaint=False,
    complaint_score=0.1,
    sentiment="neutral",
    sentiment_scores={"negative": 0.1, "neutral": 0.8, "positive": 0.1},
    model="test",
    model_version="1",
)


def _new_mention(store, key: str) -> int:
    extra = Mention(platform="x", platform_id=key, author="a", text="t", url="u", created_at=NOW)
    [new_id] = store.save_batch(Batch(source="x", mentions=[extra]), now=NOW).new_ids
    return new_id


def test_recovery_finds_every_unjudged_mention_however_old(filled, monkeypatch):
    # The fixture judged every post but the 8th, and opened a complaint for each judged one.
    assert filled.unclassified_mention_ids() == [8]
    assert filled.unopened_complaint_mention_ids() == []
    new_id = _new_mention(filled, "new")
    monkeypatch.setattr(recovery, "RECOVERY_WINDOW", 1)  # 8 is far behind the newest
    assert filled.unclassified_mention_ids() == [8, new_id]
    assert filled.unclassified_mention_ids(limit=1) == [8]


def test_judging_or_pruning_a_mention_takes_it_off_the_list(filled):
    new_id = _new_mention(filled, "judged later")
    filled.save_classifications([(new_id, JUDGED)], now=NOW)
    assert filled.unclassified_mention_ids() == [8]
    filled.prune(older_than=NOW + timedelta(days=1), reclaim=False)
    assert filled.unclassified_mention_ids() == []
