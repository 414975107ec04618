"""The HTML report: self-contained, safe against hostile posts, and drawn (a real
headless Chromium takes a screenshot and the chart's colours are in it)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.report import svg
from monitor.report.html import render_report
from monitor.store import Store
from tests.store.conftest import NOW, POSTS, Post, fill

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror=alert(2)> "><svg onload=alert(3)>'
    " \u202etxt.exe http://evil.example/x javascript:alert(4)"
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "amends.db")
    fill(store, (*POSTS, Post(HOSTILE, complaint="new", priority="P1", author="<b>x</b>")))
    return store


def report(store: Store) -> str:
    since = NOW - timedelta(days=7)
    return render_report(
        store.stats(since=since, until=NOW),
        store.notable_complaints(since=since, until=NOW),
        generated=NOW,
        title="review",
    )


def test_hostile_post_text_is_shown_as_text(store):
    page = report(store)
    assert "<script" not in page and "<img" not in page and "<svg onload" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page  # the bidi override is gone
    assert "evil[.]example" in page and "javascript[:]" in page  # defanged, no link
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_the_report_loads_nothing_from_anywhere(store):
    page = report(store)
    assert "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in page.lower()


def test_an_empty_period_still_renders(tmp_path):
    with Store.open(tmp_path / "empty.db") as empty:
        page = report(empty)
    assert "No complaints in this period." in page


# --- in a real browser ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html: Path, png: Path) -> None:
    subprocess.run(
        [
            CHROMIUM or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--window-size=1000,1200",
            f"--screenshot={png}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )


def pixels(png: Path) -> list[tuple[int, int, int]]:
    """The RGB pixels of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    idat = b""
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + size]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        at += 12 + size
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return [
        (row[x], row[x + 1], row[x + 2]) for row in rows[::2] for x in range(0, stride, step * 2)
    ]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")
def test_the_report_draws_its_charts_in_a_real_browser(store, tmp_path):
    html, png = tmp_path / "report.html", tmp_path / "report.png"
    html.write_text(report(store), encoding="utf-8")
    screenshot(html, png)
    seen = pixels(png)
    colours = set(seen)
    assert len(colours) > 20, "the page is blank"
    first = tuple(int(svg.PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
    drawn = sum(1 for p in seen if p == first)
    assert drawn > 50, f"the chart's first colour covers {drawn} sampled pixels"


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)")
def test_a_broken_chart_is_caught(store, tmp_path):
    """The check above fails on a report whose chart draws nothing."""
    html, png = tmp_path / "broken.html", tmp_path / "broken.png"
    page = re.sub(r"<svg.*?</svg>", "", report(store), flags=re.S)
    html.write_text(page, encoding="utf-8")
    screenshot(html, png)
    first = tuple(int(svg.PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
    assert sum(1 for p in pixels(png) if p == first) == 0
