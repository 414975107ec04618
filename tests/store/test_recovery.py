"""Start-up recovery finds what a crash left: every unjudged mention and every
complaint judged but never opened, however old."""

from __future__ import annotations

from datetime import timedelta

from monitor.core.models import Batch, Classification, Mention
from monitor.store.migrations import m009_unopened_complaints
from monitor.store.unopened import UNOPENED_SCHEMA
from tests.store.conftest import NOW, rerun_migration

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


COMPLAINT = Classification(
    complaint=True,
    complaint_score=0.9,
    sentiment="negative",
    sentiment_scores={"negative": 0.8, "neutral": 0.1, "positive": 0.1},
    model="test",
    model_version="1",
)


def test_recovery_finds_every_unjudged_mention_however_old(filled):
    # The fixture judged every post but the 8th, and opened a complaint for each judged one.
    assert filled.unclassified_mention_ids() == [8]
    assert filled.unopened_complaint_mention_ids() == []
    new_id = _new_mention(filled, "new")
    assert filled.unclassified_mention_ids() == [8, new_id]
    assert filled.unclassified_mention_ids(limit=1) == [8]


def test_judging_or_pruning_a_mention_takes_it_off_the_list(filled):
    new_id = _new_mention(filled, "judged later")
    filled.save_classifications([(new_id, JUDGED)], now=NOW)
    assert filled.unclassified_mention_ids() == [8]
    filled.prune(older_than=NOW + timedelta(days=1), reclaim=False)
    assert filled.unclassified_mention_ids() == []


def test_a_complaint_judged_and_not_opened_is_found_however_old(filled):
    """Mention 3, judged not a complaint and then a complaint, is found whatever was
    stored after it; a mention judged back to not a complaint, or whose complaint is
    open, is not; pruning takes it off."""
    filled.save_classifications([(3, COMPLAINT)], now=NOW)
    for n in range(3):
        _new_mention(filled, f"later {n}")
    assert filled.unopened_complaint_mention_ids() == [3]
    filled.save_classifications([(6, COMPLAINT)], now=NOW)
    filled.save_classifications([(6, JUDGED)], now=NOW)  # judged again: not a complaint
    assert filled.unopened_complaint_mention_ids() == [3]
    filled.save_classifications([(1, COMPLAINT)], now=NOW)  # its complaint is open already
    assert filled.unopened_complaint_mention_ids() == [3]
    filled.prune(older_than=NOW, reclaim=False)  # 3 is 5 hours old and no complaint
    assert filled.unopened_complaint_mention_ids() == []


def test_the_migration_lists_complaints_a_database_left_unopened(filled):
    filled.save_classifications([(7, COMPLAINT)], now=NOW)
    rerun_migration(filled, UNOPENED_SCHEMA, "unopened", m009_unopened_complaints)
    assert filled.unopened_complaint_mention_ids() == [7]
