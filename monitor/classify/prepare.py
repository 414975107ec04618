"""How a post's text is prepared for the encoder: emoji and emoticons become words.

MiniLM's vocabulary has no emoji, so "😡😡😡" and "🙂" both reach it as the same
unknown token, and ":(" as two punctuation marks. Written out ("enraged face",
"frowning face") they are ordinary English the model already reads. Every path
into the encoder (training, the ONNX fast path, the reference benchmark) calls
``prepare`` through ``monitor.classify.tokens``, so a model sees in production the
text it was trained on.
"""

from __future__ import annotations

import re

# Skin tones and hair styles say nothing about the mood; "thumbs up" does.
_MODIFIERS = re.compile(r"_(?:(?:medium-)?(?:light|dark)|medium)_skin_tone|_skin_tone")

# ASCII emoticons, as whole words only: "https://" and "10:30" keep their colons.
# Each pattern allows a repeated last stroke (":)))", ":((").
_EMOTICONS: tuple[tuple[str, str], ...] = (
    (r">:-?\(+|>:-?\[+", "angry face"),
    (r":'-?\(+|;-?\(+", "crying face"),
    (r"[:=]-?\(+|[:=]-?\[+|\):", "frowning face"),
    (r"[:=]-?[/\\]+|[:=]-?[sS]", "confused face"),
    (r"[:=]-?\|+", "neutral face"),
    (r"[:=]-?D+|[xX]-?D+", "grinning face"),
    (r"[:=]-?\)+|[:=]-?\]+|\(:|\^_*\^", "smiling face"),
    (r";-?\)+|;-?D+", "winking face"),
    (r"[:=]-?[pP]+\b", "face with tongue"),
    (r"[:=]-?[oO0]+\b", "surprised face"),
    (r"</3+", "broken heart"),
    (r"<3+", "red heart"),
)
_EMOTICON = re.compile(
    r"(?<!\S)(?:" + "|".join(f"(?P<e{i}>{p})" for i, (p, _) in enumerate(_EMOTICONS)) + r")"
    r"(?=[\s.,!?]|$)"
)
_SPACES = re.compile(r"\s+")

# Common emoji whose CLDR names say the wrong thing to a sentiment model ("tears" in
# "face with tears of joy", nothing angry in "face with symbols on mouth"): the mood
# instead of the picture.
_MOODS = {
    "face_with_tears_of_joy": "laughing with joy",
    "rolling_on_the_floor_laughing": "laughing with joy",
    "smiling_face_with_heart-eyes": "love it",
    "party_popper": "celebration",
    "red_heart": "love",
    "clapping_hands": "applause",
    "hundred_points": "perfect",
    "face_with_symbols_on_mouth": "furious swearing",
    "face_with_rolling_eyes": "annoyed eye roll",
}


def prepare(text: str) -> str:
    """``text`` with each emoji and emoticon spelled out as words, spaces collapsed."""
    if text.isascii():
        worded = text
    else:
        # Imported here: its table of every emoji takes a tenth of a second to load, which
        # `amends draft` on a plain-text post need not pay.
        import emoji

        worded = emoji.replace_emoji(text, replace=_emoji_words)
    worded = _EMOTICON.sub(_emoticon_words, worded)
    return _SPACES.sub(" ", worded).strip()


def _emoji_words(_chars: str, data: dict[str, str]) -> str:
    name = _MODIFIERS.sub("", data["en"].strip(":"))
    return f" {_MOODS.get(name, name.replace('_', ' '))} "


def _emoticon_words(match: re.Match[str]) -> str:
    which = int(next(k for k, v in match.groupdict().items() if v is not None)[1:])
    return f" {_EMOTICONS[which][1]} "
