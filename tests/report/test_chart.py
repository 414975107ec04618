"""The terminal chart: bars in proportion, in eighths of a cell."""

from __future__ import annotations

from monitor.report.chart import FULL, bar, bar_chart


def test_bars_are_in_proportion_and_a_small_value_still_shows():
    assert bar(10, 10, 4) == FULL * 4
    assert bar(5, 10, 4) == FULL * 2
    assert bar(1, 1000, 4) == "▏"
    assert bar(0, 10, 4) == "" and bar(3, 0, 4) == ""


def test_a_chart_aligns_labels_and_values():
    lines = bar_chart([("2026-11-01", 3), ("2026-11-02", 12), ("2026-11-03", 0)], width=12)
    assert lines[1] == "2026-11-02  12  " + FULL * 12
    assert lines[0].startswith("2026-11-01   3  " + FULL * 3)
    assert lines[2] == "2026-11-03   0"
