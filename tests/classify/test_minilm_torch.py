"""The torch MiniLM of an artifact: the tuned six layers, or a student's kept layers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from monitor.classify.heads import load_artifact, save_artifact
from monitor.classify.minilm_torch import from_artifact, student_state
from monitor.classify.packaged import packaged_model_dir
from monitor.classify.tokens import load_tokenizer, pad, token_ids

TEXTS = ["my parcel never came", "love the new update", "the app keeps crashing"]


def _pooled(model: torch.nn.Module) -> np.ndarray:
    ids, mask = pad(token_ids(load_tokenizer(packaged_model_dir()), TEXTS))
    with torch.no_grad():
        return model.eval()(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()


def test_a_student_artifact_rebuilds_the_student_it_was_saved_from(tmp_path: Path) -> None:
    shipped = load_artifact()
    teacher_art = replace(shipped, student={})
    model = from_artifact(teacher_art)
    assert len(model.layers) == 6
    model.keep_layers([0, 5])
    with torch.no_grad():  # as if distilled: the kept layers moved away from the teacher's
        model.layers[1].out.bias.add_(0.05)
    meta = {**shipped.meta, "student": {"layers": [0, 5]}}
    path = tmp_path / "student.npz"
    save_artifact(path, shipped.heads, shipped.adapters, meta, student_state(model))

    loaded = load_artifact(path)
    assert loaded.student and all(v.dtype == np.float16 for v in loaded.student.values())
    rebuilt = from_artifact(loaded)
    assert len(rebuilt.layers) == 2
    # Half precision storage moves features by far less than the int8 encoder does.
    assert np.abs(_pooled(rebuilt) - _pooled(model)).max() < 0.02
    # And the six tuned layers are still there to distil from or to compare with.
    assert len(from_artifact(replace(loaded, student={})).layers) == 6
