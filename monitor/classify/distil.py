"""Distil the tuned six-layer encoder into a student with fewer layers.

The student starts as the teacher (adapters folded in) with only some of its layers
(by default 0, 2, 4 and 5: the last one kept, so the output space starts aligned), and
learns to give the teacher's pooled features on unlabelled tweets: the mean squared
error in the heads' standardised space, so the teacher's heads read the student's
features unchanged. Four layers of six make the int8 encoder, and a whole ``amends
classify``, about 1.5 times as fast; the figures, and what a refit of the heads gave
instead, are in ``benchmarks/bench_classify.py``. Needs torch; ``amends train
--student`` runs it (with ``--teacher``, on a six-layer model already trained).
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Sequence

import numpy as np
import torch

from monitor.classify.minilm_torch import MiniLM, mean_pool, pad_ids
from monitor.classify.tokens import length_buckets

logger = logging.getLogger(__name__)

_BATCH = 32


def distil(
    teacher: MiniLM,
    rows: Sequence[Sequence[int]],
    mu: np.ndarray,
    sigma: np.ndarray,
    *,
    layers: Sequence[int],
    phases: Sequence[tuple[int, float]],
    seed: int = 0,
    progress: Callable[[str], None] = logger.info,
) -> MiniLM:
    """A student of ``teacher`` (adapters merged) keeping ``layers``, trained on the
    token ``rows``; ``phases``: (epochs, peak learning rate) run one after the other,
    each with a one-cycle schedule of its own; ``mu``/``sigma`` standardise features
    as the heads do. Runs on the teacher's device."""
    torch.manual_seed(seed)
    teacher.eval()
    device = teacher.device
    scale = torch.from_numpy(mu).to(device), torch.from_numpy(sigma).to(device)
    targets = torch.zeros(len(rows), mu.shape[0], device=device)
    with torch.inference_mode():
        for idx in length_buckets(rows, 128):
            targets[idx] = _standard(teacher, rows, idx, scale)
    progress(f"teacher features for {len(rows)} texts")
    student = copy.deepcopy(teacher)
    student.keep_layers(layers)
    for name, param in student.named_parameters():
        param.requires_grad = name.startswith("layers.") and "lora_" not in name
    buckets = length_buckets(rows, _BATCH)
    for phase, (epochs, lr) in enumerate(phases):
        trained = [p for p in student.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(trained, lr=lr, weight_decay=0.01)
        steps = epochs * len(buckets)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=steps, pct_start=0.05)
        rng = np.random.default_rng(seed)
        student.train()
        started, total = time.monotonic(), 0.0
        for epoch in range(epochs):
            for b in rng.permutation(len(buckets)):
                idx = buckets[b]
                loss = ((_standard(student, rows, idx, scale) - targets[idx]) ** 2).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item()
            done = (epoch + 1) * len(buckets)
            progress(
                f"distil phase {phase + 1} epoch {epoch + 1}/{epochs}: loss {total / done:.4f} "
                f"({done * _BATCH / (time.monotonic() - started):.0f} texts/s)"
            )
    return student.eval()


def _standard(
    model: MiniLM,
    rows: Sequence[Sequence[int]],
    idx: list[int],
    scale: tuple[torch.Tensor, torch.Tensor],
) -> torch.Tensor:
    ids, mask = pad_ids([rows[i] for i in idx], model.device)
    hidden = model.run(model.embed_tokens(ids), mask, 0, len(model.layers))
    return (mean_pool(hidden, mask) - scale[0]) / scale[1]
