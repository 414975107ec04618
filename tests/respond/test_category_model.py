"""The learned category choice: its features, its floor, its file, and the shipped one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from monitor.config import DraftingSettings
from monitor.respond.analysis import category_set
from monitor.respond.category_model import (
    MIN_SUPPORT,
    SCORE_SCALE,
    CategoryModel,
    features,
    load_model,
    save_model,
)

KEYS = ("billing", "delivery", "safety", "other")


def hits_reader(floor: float) -> CategoryModel:
    """A two-dimensional-embedding model that answers with the category whose cue words
    the post has: weight 4 on each class's own cue count, nothing else."""
    classes = ("billing", "delivery", "safety", "other")
    dim = 2 + 2 * len(KEYS)
    weights = np.zeros((len(classes), dim), dtype=np.float32)
    for i, key in enumerate(classes):
        weights[i, 2 + len(KEYS) + KEYS.index(key)] = 4.0
    support = (40, 40, 3, 60)  # safety: too few rows to judge
    return CategoryModel(KEYS, classes, weights, np.zeros(len(classes)), floor, support)


def test_features_are_the_embedding_then_stretched_scores_then_cue_counts() -> None:
    row = features(np.array([0.6, 0.8]), {"billing": 0.2, "delivery": 0.1}, {"delivery": 2}, KEYS)
    want = [0.6, 0.8, SCORE_SCALE * 0.2, SCORE_SCALE * 0.1, 0, 0, 0, 2, 0, 0]
    assert row.tolist() == pytest.approx(want)


def test_the_pick_follows_the_weights_and_falls_back_below_the_floor() -> None:
    vector = np.zeros(2)
    model = hits_reader(floor=0.5)
    assert model.choose(vector, {}, {"delivery": 2}) == "delivery"
    assert model.choose(vector, {}, {"billing": 1, "delivery": 2}) == "delivery"
    # Nothing to go on: four classes at a quarter each, under the floor.
    assert model.choose(vector, {}, {}) == "other"
    # Two equal cues: half each at best, and a floor above that.
    assert hits_reader(floor=0.6).choose(vector, {}, {"billing": 2, "delivery": 2}) == "other"


def test_a_category_it_saw_too_rarely_is_not_its_to_overrule() -> None:
    model = hits_reader(floor=0.5)
    assert model.judges("billing") and model.judges("other")
    assert not model.judges("safety")  # 3 rows
    assert not model.judges("luggage")  # none
    assert MIN_SUPPORT > 3


def test_the_rules_pick_of_safety_stands_however_often_the_model_saw_it() -> None:
    # Fitted with the written sets, the model saw ten safety rows and, judging them, read
    # a snapped baby carrier and a sparking hair dryer as faults.
    model = hits_reader(floor=0.5)
    seen = CategoryModel(model.keys, model.classes, model.weights, model.bias, 0.5, (40,) * 4)
    assert seen.judges("billing")
    assert not seen.judges("safety")


def test_a_saved_model_reads_back_the_same(tmp_path: Path) -> None:
    model = hits_reader(floor=0.4)
    path = tmp_path / "categories.npz"
    save_model(model, path)
    back = load_model(path)
    assert back is not None
    assert (back.keys, back.classes, back.support) == (model.keys, model.classes, model.support)
    assert back.floor == pytest.approx(0.4)
    assert np.array_equal(back.weights, model.weights)
    assert load_model(tmp_path / "missing.npz") is None


def test_the_shipped_model_reads_the_built_in_categories() -> None:
    model = load_model()
    assert model is not None
    keys = tuple(c.key for c in category_set(DraftingSettings(), None).categories)
    assert model.keys == keys
    assert set(model.classes) <= set(keys)
    assert model.weights.shape == (len(model.classes), 384 + 2 * len(keys))
    assert 0 < model.floor < 1
    # Fitted on the 998 annotated complaints and the 2,200 written ones: every row once.
    assert sum(model.support) == 998 + 2200
    assert not model.judges("safety")


def test_without_an_encoder_there_is_no_learned_choice() -> None:
    assert category_set(DraftingSettings(), None).model is None


class EightDimensions:
    """An encoder whose vectors the shipped model was not fitted on."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.ones((len(texts), 8), dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_another_encoder_s_vectors_leave_the_choice_to_the_rules() -> None:
    assert hits_reader(floor=0.5).reads(2) and not hits_reader(floor=0.5).reads(8)
    assert category_set(DraftingSettings(), EightDimensions()).model is None
