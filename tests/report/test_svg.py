"""Inline SVG charts: well-formed, escaped, one bar per period."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from monitor.report.svg import horizontal_bars, stacked_bars


def test_stacked_bars_are_well_formed_and_escape_names():
    drawn = stacked_bars(
        ["2026-11-01", "2026-11-02"],
        [("<billing>", [1, 2]), ("a & b", [0, 3])],
        title="complaints <per day>",
    )
    root = ET.fromstring(drawn)  # raises on anything not well-formed
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find("*") is not None]
    assert len(rects) == 3  # a zero draws nothing
    assert "&lt;billing&gt;" in drawn and "<billing>" not in drawn


def test_horizontal_bars_scale_to_the_largest():
    root = ET.fromstring(horizontal_bars([("x", 10), ("y", 5)], title="t"))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[0] == 2 * widths[1]
