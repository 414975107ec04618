"""Sentence embeddings from the packaged MiniLM-L6 encoder (no network).

Drafting compares a complaint's embedding with each category's description;
the classifier reads the same encoder. ``FastEmbedder`` (ONNX, int8, built once
into the cache directory) is the default; ``MiniLMEmbedder`` is the plain
transformers + torch reference it is measured against (never used by the daemon).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from monitor.classify.packaged import packaged_model_dir
from monitor.classify.prepare import prepare

if TYPE_CHECKING:
    from monitor.classify.encoders import EncoderSpec
    from monitor.classify.fastpath import OnnxEncoder


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32 rows, each L2-normalised."""
        ...


def quiet_transformers() -> None:
    """No "Loading weights" bars: stderr belongs to amends' own progress and errors."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


class MiniLMEmbedder:
    """Mean-pooled MiniLM-L6 embeddings through transformers + torch."""

    def __init__(self, model_dir: Path | None = None, *, max_length: int = 128) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        quiet_transformers()
        path = model_dir or packaged_model_dir()
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        self._max_length = max_length

    def embed(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        torch = self._torch
        rows = []
        for start in range(0, len(texts), batch_size):
            chunk = [prepare(t) or " " for t in texts[start : start + batch_size]]
            enc = self._tokenizer(
                chunk,
                padding=True,
                truncation=True,
                max_length=self._max_length,
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


class FastEmbedder:
    """The same embeddings through the ONNX fast path; the graph is built on first use
    (in a child process: see ``monitor.classify.encoders``)."""

    def __init__(self, cache_dir: Path, threads: int = 2, batch_size: int = 32) -> None:
        self._cache_dir, self._threads, self._batch = Path(cache_dir), threads, batch_size
        self._encoder: OnnxEncoder | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._encoder is None:
            from monitor.classify.encoders import base_spec

            self._encoder = open_encoder(base_spec(), self._cache_dir, self._threads, self._batch)
        pooled = self._encoder.encode([t or " " for t in texts])
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def drafting_embedder(cache_dir: Path, threads: int = 2) -> FastEmbedder:
    """The embedder the drafts rank phrases and categories with: one text per run, so
    that a text's vector never depends on what it was batched with (the int8 graph
    scales its activations over the whole batch, padding included, and the cache would
    keep whichever vector came first). Batched, the same post could be drafted
    differently after different posts; alone, it is drafted the same every time."""
    return FastEmbedder(cache_dir, threads, batch_size=1)


def open_encoder(spec: EncoderSpec, cache_dir: Path, threads: int, batch_size: int) -> OnnxEncoder:
    """The cached encoder for ``spec`` (built first when missing), ready to run."""
    from monitor.classify.encoders import ensure_built
    from monitor.classify.fastpath import OnnxEncoder

    path, _ = ensure_built(spec, cache_dir)
    return OnnxEncoder(path, packaged_model_dir(), threads=threads, batch_size=batch_size)
