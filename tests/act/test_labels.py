"""Labels on a real SQLite file: what `amends train --feedback` learns from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor import act
from monitor.core.errors import StoreError
from monitor.store import Store
from tests.act.test_complaints import open_complaint

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_the_newest_label_of_a_mention_counts(tmp_path):
    with Store.open(tmp_path / "amends.db") as store:
        complaint_id = open_complaint(store, "1")
        first = act.label_complaint(store, complaint_id, True, by="dana", now=NOW)
        act.label(store, first.mention_id, False, by="sam", now=NOW)
        assert store.feedback_examples() == [("@acme parcel 1 never came", False)]


def test_labelling_an_unknown_mention_is_refused(tmp_path):
    with Store.open(tmp_path / "amends.db") as store, pytest.raises(StoreError, match="no mention"):
        act.label(store, 99, True, by="dana", now=NOW)
