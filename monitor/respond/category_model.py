"""A learned choice of built-in category, read from what the rules already compute.

The rules (``monitor.respond.analysis``) give each category a score, the post's
similarity to its description and examples plus a bonus per cue word, and count
the cue words. This model reads the post's embedding, those scores and those counts
together and picks the category with a multinomial logistic regression. Fitted by
``benchmarks/fit_categories.py`` on 998 hand-annotated complaints of the draft
benchmark's tuning splits (dev to dev18, two sources) and 240 complaints written blind
for it (six sets, fifteen to 36 industries each); judged by leave-one-split-out
cross-validation (figures in that script's docstring). Earlier fits were scored on six
fresh holdouts in turn, the figures that led to this one.

A pick below ``floor`` is "other": a wrong category puts wrong words in a draft, a
generic draft only says less. Categories rare among those complaints (luggage, delays,
disruption) are left to the rules' cue words where the rules name them, and so is
safety, always. The weights are arrays in a small ``.npz`` shipped with the package,
read with numpy alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL = Path(__file__).parent / "data" / "category-model.npz"
# Scores sit in a narrow band (0.1-0.5) beside unit-length embeddings and cue counts:
# stretched so that one regularisation strength suits all three (chosen by
# cross-validation in benchmarks/fit_categories.py).
SCORE_SCALE = 3.0
# A category with fewer training rows than this is one the model can't judge (safety had
# 3, luggage 1): where the rules pick it, their pick stands.
MIN_SUPPORT = 10
# Where the rules see someone hurt or put at risk, their pick stands however many safety
# rows the model saw: a safety complaint drafted as a fault costs far more than the
# reverse, and the rules' cue words for it are specific.
RULES_KEEP = frozenset({"safety"})


def features(
    vector: np.ndarray, scores: dict[str, float], hits: dict[str, int], keys: tuple[str, ...]
) -> np.ndarray:
    """One row: the embedding, then the scores and the cue counts in ``keys`` order (a
    key the category set lacks reads as 0)."""
    return np.concatenate(
        [
            np.asarray(vector, dtype=np.float32),
            np.array([SCORE_SCALE * scores.get(k, 0.0) for k in keys], dtype=np.float32),
            np.array([float(hits.get(k, 0)) for k in keys], dtype=np.float32),
        ]
    )


@dataclass(frozen=True)
class CategoryModel:
    keys: tuple[str, ...]  # the categories whose scores and cue counts are read, in order
    classes: tuple[str, ...]  # what it can answer
    weights: np.ndarray  # (classes, embedding + 2 * keys)
    bias: np.ndarray  # (classes,)
    floor: float  # below this probability the answer is "other"
    support: tuple[int, ...]  # training rows of each class

    def reads(self, dimensions: int) -> bool:
        """Whether it was fitted on embeddings of this many dimensions (another encoder's
        vectors mean nothing to its weights)."""
        return self.weights.shape[1] == dimensions + 2 * len(self.keys)

    def judges(self, key: str) -> bool:
        """Whether the model saw enough of ``key`` to overrule the rules' pick of it."""
        if key in RULES_KEEP:
            return False
        seen = dict(zip(self.classes, self.support, strict=True))
        return key == "other" or seen.get(key, 0) >= MIN_SUPPORT

    def probabilities(self, row: np.ndarray) -> np.ndarray:
        logits = self.weights @ row + self.bias
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def choose(self, vector: np.ndarray, scores: dict[str, float], hits: dict[str, int]) -> str:
        return self.pick(features(vector, scores, hits, self.keys))

    def pick(self, row: np.ndarray) -> str:
        """The answer for one feature row: the likeliest class, or "other" below the floor."""
        probs = self.probabilities(row)
        best = int(np.argmax(probs))
        return self.classes[best] if probs[best] >= self.floor else "other"


def save_model(model: CategoryModel, path: Path = MODEL) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        keys=np.array(model.keys),
        classes=np.array(model.classes),
        weights=model.weights.astype(np.float32),
        bias=model.bias.astype(np.float32),
        floor=np.float32(model.floor),
        support=np.array(model.support, dtype=np.int32),
    )


def load_model(path: Path = MODEL) -> CategoryModel | None:
    """The shipped model, or None where it is missing (the rules decide alone)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as npz:
        return CategoryModel(
            keys=tuple(str(k) for k in npz["keys"]),
            classes=tuple(str(c) for c in npz["classes"]),
            weights=npz["weights"],
            bias=npz["bias"],
            floor=float(npz["floor"]),
            support=tuple(int(n) for n in npz["support"]),
        )
