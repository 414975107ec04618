"""The fast encoder: ONNX Runtime + the ``tokenizers`` library, never torch.

Texts are tokenised once, sorted into length buckets so a batch pads to its own
longest row (tweets vary from 3 to 128 tokens), and identical texts (retweets,
copy-paste pile-ons, the same post seen by two queries) are encoded once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from monitor.classify.tokens import length_buckets, load_tokenizer, pad, token_ids


class OnnxEncoder:
    """Mean-pooled features (n, 384) float32 from a MiniLM ONNX graph."""

    def __init__(
        self,
        onnx_path: Path,
        tokenizer_dir: Path,
        *,
        threads: int = 2,
        batch_size: int = 32,
        cache_size: int = 20_000,
    ) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # The build saved the graph with its fusions done (``optimise_graph``): doing
        # them again would only add 45 ms to every start.
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        # Every length bucket is a new shape, so per-shape memory plans only pile up.
        opts.enable_mem_pattern = False
        self._session = ort.InferenceSession(
            str(onnx_path), opts, providers=["CPUExecutionProvider"]
        )
        self._tok = load_tokenizer(tokenizer_dir)
        self._batch = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        out = np.zeros((len(texts), 384), np.float32)
        todo: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            hit = self._cache.get(text)
            if hit is not None:
                out[i] = hit
                self._cache.move_to_end(text)
            else:
                todo.setdefault(text, []).append(i)
        if progress and len(todo) < len(texts):
            progress(len(texts) - sum(map(len, todo.values())))
        unique = list(todo)
        rows = token_ids(self._tok, unique)
        for idx in length_buckets(rows, self._batch):
            ids, mask = pad([rows[i] for i in idx])
            (pooled,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            for j, i in enumerate(idx):
                out[todo[unique[i]]] = pooled[j]
                self._remember(unique[i], pooled[j])
            if progress:
                progress(sum(len(todo[unique[i]]) for i in idx))
        return out

    def _remember(self, text: str, row: np.ndarray) -> None:
        self._cache[text] = row
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
