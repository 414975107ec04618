"""Emoji and emoticons become words before the tokenizer sees a post."""

from __future__ import annotations

import pytest

from monitor.classify.packaged import packaged_model_dir
from monitor.classify.prepare import prepare
from monitor.classify.tokens import load_tokenizer, token_ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("😡😡😡", "enraged face enraged face enraged face"),
        ("still waiting😤", "still waiting face with steam from nose"),
        ("👍🏽 sorted", "thumbs up sorted"),  # the skin tone says nothing about the mood
        ("refund please :(", "refund please frowning face"),
        ("thanks :-)))", "thanks smiling face"),
        ("again?! >:(", "again?! angry face"),
        ("miss you <3", "miss you red heart"),
        ("hmm :/ ok", "hmm confused face ok"),
    ],
)
def test_emoji_and_emoticons_become_words(text: str, expected: str) -> None:
    assert prepare(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.invalid/a:b for the 10:30 slot",
        "ratio 3:2 and a path C:/data",
        "plain words, nothing to change",
    ],
)
def test_colons_inside_words_are_left_alone(text: str) -> None:
    assert prepare(text) == text


def test_the_tokenizer_sees_words_not_unknown_tokens() -> None:
    tok = load_tokenizer(packaged_model_dir())
    unknown = tok.token_to_id("[UNK]")
    angry, happy = token_ids(tok, ["😡", "🙂"])
    assert unknown not in angry and unknown not in happy
    assert angry != happy
