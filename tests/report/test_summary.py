"""Stats in words: durations people read at a glance, JSON that round-trips."""

from __future__ import annotations

import json
from datetime import timedelta

from monitor.report.summary import as_dict, headline, minutes
from monitor.store import Store
from tests.store.conftest import NOW, fill


def test_durations_read_naturally():
    assert minutes(None) == "–"
    assert minutes(0.5) == "30 s"
    assert minutes(20) == "20 min"
    assert minutes(95) == "1 h 35 min" and minutes(120) == "2 h"
    assert minutes(3 * 1440) == "3.0 days"


def test_json_and_headline_carry_the_numbers(tmp_path):
    filled = Store.open(tmp_path / "amends.db")
    fill(filled)
    stats = filled.stats(since=NOW - timedelta(days=7), until=NOW)
    data = json.loads(json.dumps(as_dict(stats)))
    assert data["complaints"] == 4 and data["time_to_acknowledge"]["median_minutes"] == 20.0
    assert data["sla_breaches"] == {"acknowledge": 1, "resolve": 3}
    assert data["top_causes"] == [{"cause": "Courier lost it", "complaints": 1}]
    assert dict(headline(stats))["median time to resolve"] == "3 h 20 min"
