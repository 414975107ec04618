"""Embeddings of a fixed list of texts, kept in a file beside the encoder.

A one-off ``amends draft`` embeds the same category descriptions and examples
every time (about seventy texts, most of its run time); the daemon embeds them
once at start and needs none of this.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from monitor.classify.embedding import Embedder


class Remembered:
    """``inner``'s embeddings of each list of texts, computed once per encoder.

    ``identity`` names the encoder (its file name): another model gets new files."""

    def __init__(self, inner: Embedder, folder: Path, identity: str) -> None:
        self._inner, self._folder, self._identity = inner, Path(folder), identity

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        key = hashlib.sha256("\0".join([self._identity, *texts]).encode()).hexdigest()[:24]
        path = self._folder / f"embeddings-{key}.npy"
        try:
            rows = np.load(path)
            if rows.shape[0] == len(texts):
                return rows
        except (OSError, ValueError):
            pass  # not there yet, or a torn write: compute it again
        rows = self._inner.embed(texts)
        self._folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with partial.open("wb") as out:
            np.save(out, rows)
        os.replace(partial, path)  # whole or absent, for a draft running beside it
        return rows
