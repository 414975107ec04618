import json
import re
from pathlib import Path

import pytest

from monitor.core.patterns import compile_fast, first_chars
from monitor.respond import checker, grounding

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bbroke|\bfault|n'?t work", "[bfn]"),
        (r"\?|\bno (word|answer)", r"[\?n]"),
        (r"(ab)?c", "[ac]"),  # an optional start: what follows may start it too
        (r"(?<!not\s)\b(our|my)\b", "[mo]"),  # lookarounds consume nothing
        (r"[a-c\d]x|y", r"[\da-cy]"),
        (r"x*y+", "[xy]"),
    ],
)
def test_first_chars_of_a_known_start(pattern: str, expected: str) -> None:
    assert first_chars(pattern, re.I) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"a*",  # may match nothing
        r"(?:x|)y?",  # may match nothing
        r".x",  # any character
        r"[^a]b",  # a negated class
        r"(?i:x)y",  # a local case flag the lookahead could not honour
        r"\bword|.",  # one branch starts anywhere
    ],
)
def test_first_chars_unknown(pattern: str) -> None:
    assert first_chars(pattern) is None
    assert compile_fast(pattern).pattern == pattern  # compiled as written


def test_global_flags_stay_first() -> None:
    assert compile_fast(r"(?i)abc").search("xABC")


def _patterns() -> list[re.Pattern[str]]:
    """Every word-list pattern the checker and the grounding rule run, as compiled."""
    found = [p for claim in grounding.CLAIMS for p in (claim.said, claim.evidence, claim.against)]
    rules = [*checker._FAUXPOLOGIES, *checker._EXCUSES, *checker._BLAME, (checker._GROVEL, "")]
    found += [checker._rule(pattern) for pattern, _ in rules]
    found += [checker._OWNED, checker._APOLOGY, checker._VAGUE, *checker._PRIVATE]
    return [p for p in found if p is not None]


def _texts() -> list[str]:
    rows = (FIXTURES / "complaints_labelled.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(row)["text"] for row in rows]
    texts += [t.upper() for t in texts[:20]]
    texts += [
        "Sorry if you felt upset. DM us or email help@shop.example, or CALL US.",
        "We're SO sorry; the courier has lost it. That's on us: a mistake we made.",
        "No word, no update, no answer?? Charged twice ($40), refund never came.",
        "a." * 300,
        "ab@cd" * 100,
    ]
    return texts


def test_same_matches_as_the_plain_pattern() -> None:
    """The lookahead only skips positions: every search finds what it found before."""
    patterns = _patterns()
    assert len(patterns) > 60
    led = [p for p in patterns if p.pattern.startswith("(?=[")]
    assert len(led) > 50, "most word lists get their first characters"
    for fast in patterns:
        inner = fast.pattern
        if inner.startswith("(?=["):
            inner = inner[inner.index("])(?:") + 5 : -1]
        plain = re.compile(inner, fast.flags)
        for text in _texts():
            got, want = fast.search(text), plain.search(text)
            assert (got and got.span()) == (want and want.span()), (inner, text)
