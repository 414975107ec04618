"""The packaged tokenizer.json through the ``tokenizers`` library (no transformers).

Training, the ONNX fast path and the benchmark all tokenise through here, each text
prepared first (emoji and emoticons written out: ``monitor.classify.prepare``), so
the ids a model was trained on are the ids it sees in production.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from monitor.classify.prepare import prepare

MAX_LENGTH = 128


def load_tokenizer(model_dir: Path, max_length: int = MAX_LENGTH) -> Tokenizer:
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()  # the file pads every row to 128; we pad per length bucket instead
    tok.enable_truncation(max_length)
    return tok


def token_ids(tok: Tokenizer, texts: Sequence[str]) -> list[list[int]]:
    # An empty post still gets [CLS] [SEP], so every row has a defined mean.
    prepared = [prepare(text) for text in texts]
    return [enc.ids for enc in tok.encode_batch(prepared, add_special_tokens=True)]


def pad(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(ids, mask) as int64 arrays padded to the longest row."""
    width = max((len(r) for r in rows), default=0)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def length_buckets(rows: Sequence[Sequence[int]], batch_size: int) -> list[list[int]]:
    """Row indices grouped into batches of similar length, so padding is small."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
