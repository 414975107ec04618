"""Embeddings of a fixed list of texts, kept on disk between runs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from monitor.classify.remembered import Remembered


class CountingEmbedder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], np.float32)


def test_each_list_is_embedded_once_per_encoder(tmp_path):
    inner = CountingEmbedder()
    texts = ["late delivery", "charged twice"]
    first = Remembered(inner, tmp_path, "minilm-a.onnx").embed(texts)
    again = Remembered(inner, tmp_path, "minilm-a.onnx").embed(texts)  # a new process
    assert inner.calls == [texts]
    assert np.array_equal(first, again)
    Remembered(inner, tmp_path, "minilm-b.onnx").embed(texts)  # another model
    Remembered(inner, tmp_path, "minilm-a.onnx").embed(texts[:1])  # another list
    assert len(inner.calls) == 3
    assert not list(tmp_path.glob("*.tmp"))


def test_a_torn_file_is_computed_again(tmp_path):
    inner = CountingEmbedder()
    remembered = Remembered(inner, tmp_path, "minilm-a.onnx")
    remembered.embed(["x"])
    (kept,) = tmp_path.glob("embeddings-*.npy")
    kept.write_bytes(kept.read_bytes()[:20])
    assert remembered.embed(["x"]).tolist() == [[1.0, 1.0]]
    assert len(inner.calls) == 2
