"""HTML from a platform as plain text, through the real nh3 sanitiser."""

from __future__ import annotations

import pytest

from sources.html_text import html_to_text


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("plain words", "plain words"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ('<a href="https://x" class="u-url mention">@<span>acme</span></a> hi', "@acme hi"),
        ("fish &amp; chips &lt;3", "fish & chips <3"),
        ("<script>alert(1)</script>safe<style>p{}</style>", "safe"),
        ('<img src=x onerror="alert(1)">after', "after"),
        ("<!-- hidden -->shown", "shown"),
        ("<ul><li>first</li><li>second</li></ul>", "first\nsecond"),
        ("<p>  lots   of\n space </p>", "lots of space"),
        ("<p>bidi \u202ekept</p>", "bidi \u202ekept"),  # cleaned where it is shown
        ("<b>unclosed <i>tags", "unclosed tags"),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text
