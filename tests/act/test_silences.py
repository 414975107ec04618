"""Silences on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor import act
from monitor.core.errors import AmendsError
from monitor.store import Store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_a_silence_covers_its_brand_and_topic_until_it_ends(tmp_path):
    with Store.open(tmp_path / "amends.db") as store:
        added = act.silence(
            store,
            brand="Acme",
            topic=None,
            duration=timedelta(hours=4),
            reason="known outage",
            by="sam",
            now=NOW,
        )
        assert (added.until, added.created_by) == (NOW + timedelta(hours=4), "sam")
        assert store.active_silence("Acme", "outage", NOW + timedelta(hours=1)) == added
        assert store.active_silence("Other", "outage", NOW) is None
        assert store.active_silence("Acme", "outage", NOW + timedelta(hours=4)) is None
        assert store.active_silences(NOW) == [added]


def test_a_silence_names_a_brand_or_a_topic(tmp_path):
    with Store.open(tmp_path / "amends.db") as store:
        with pytest.raises(AmendsError, match="--brand and/or a --topic"):
            act.silence(
                store,
                brand=None,
                topic=None,
                duration=timedelta(hours=1),
                reason="",
                by="s",
                now=NOW,
            )
        assert store.active_silences(NOW) == []
