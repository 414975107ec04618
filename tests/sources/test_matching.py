"""Brand matching shared by every source."""

from __future__ import annotations

import pytest

from monitor.core.settings import BrandSettings
from sources.matching import BrandMatcher

APPLE = BrandSettings(
    name="Apple",
    keywords=["apple", "apple support"],
    handles=["@AppleSupport"],
    hashtags=["#iphone"],
    exclude=["apple pie", "big apple"],
)
ACME = BrandSettings(name="Acme", keywords=["acme corp", "at&t"], handles=["acme"])


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("My APPLE watch died", "Apple"),
        ("apple's store lied to me", "Apple"),
        ("pineapple smoothie", None),
        ("applesauce everywhere", None),
        ("grandma's apple pie is great", None),
        ("apple pie, and Apple support never answers", "Apple"),
        ("Visiting the Big  Apple", None),
        ("hey @AppleSupport my phone", "Apple"),
        ("hey @applesupport2 my phone", None),
        ("email me at x@applesupport", None),
        ("#iPhone battery again", "Apple"),
        ("#iphones are nice", None),
        ("iphone without a hash", None),
        ("#apple is down", "Apple"),
        ("ACME   Corp billed me twice", "Acme"),
        ("acme alone is not a phrase match", None),
        ("@acme where is my order", "Acme"),
        ("at&t dropped my call", "Acme"),
        ("", None),
    ],
)
def test_match(text: str, brand: str | None) -> None:
    assert BrandMatcher([APPLE, ACME]).match(text) == brand


def test_first_brand_in_config_order_wins_and_all_are_listed() -> None:
    matcher = BrandMatcher([ACME, APPLE])
    text = "@acme and apple both failed me"
    assert matcher.match(text) == "Acme"
    assert matcher.matches(text) == ["Acme", "Apple"]
