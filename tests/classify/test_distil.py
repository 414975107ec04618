"""Distillation: a student with fewer layers learns the teacher's features."""

from __future__ import annotations

import numpy as np
import torch

from monitor.classify.distil import distil
from monitor.classify.minilm_torch import MiniLM, load_weights
from monitor.classify.packaged import packaged_model_dir
from monitor.classify.tokens import load_tokenizer, pad, token_ids

TEXTS = [
    f"{who} {what}"
    for who in ("my order", "the app", "your support line", "the refund", "the new update")
    for what in ("is late again", "keeps crashing", "was great today", "never came", "is fine")
]


def _features(model: MiniLM, rows: list[list[int]]) -> np.ndarray:
    ids, mask = pad(rows)
    with torch.no_grad():
        return model.eval()(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()


def test_the_student_keeps_its_layers_and_moves_toward_the_teacher() -> None:
    teacher = MiniLM(load_weights(packaged_model_dir()))
    rows = token_ids(load_tokenizer(packaged_model_dir()), TEXTS)
    wanted = _features(teacher, rows)
    # One scale for every channel: 25 texts are too few for a standard deviation each.
    mu, sigma = wanted.mean(0), np.full(wanted.shape[1], wanted.std(), np.float32)
    untrained = MiniLM(load_weights(packaged_model_dir()))
    untrained.keep_layers([0, 5])
    before = np.mean(((_features(untrained, rows) - wanted) / sigma) ** 2)

    student = distil(
        teacher, rows, mu, sigma, layers=[0, 5], phases=[(4, 3e-4)], progress=lambda _: None
    )

    assert len(student.layers) == 2 and len(teacher.layers) == 6
    after = np.mean(((_features(student, rows) - wanted) / sigma) ** 2)
    assert after < 0.7 * before, (before, after)
    # The teacher itself is untouched: it still gives the features it gave.
    assert np.allclose(_features(teacher, rows), wanted, atol=1e-5)
