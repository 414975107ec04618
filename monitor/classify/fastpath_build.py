"""Build the ONNX encoder of the fast path, once, into the cache directory.

The graph is the packaged MiniLM-L6 with the artifact's LoRA adapters folded in,
ending in mean pooling; int8 dynamic quantisation of its matrix products makes
it roughly twice as fast on CPU. Needs torch and onnx, so it runs only when the
cached file is missing (first start, or a new artifact version).
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from monitor.classify.packaged import packaged_model_dir

logger = logging.getLogger(__name__)

# Part of the cached file's name: bump it whenever the graph or its quantisation
# changes, so no one keeps running an encoder built the old way.
BUILD_FORMAT = "b3"
# How many leading layers keep their feed-forward output product in fp32 (see below).
FP32_LAYERS = 3


def build_encoder(
    out: Path,
    adapters: dict[str, np.ndarray],
    first_tuned: int,
    rank: int,
    alpha: float,
    *,
    quantize: bool = True,
    fp32_layers: int = FP32_LAYERS,
) -> Path:
    """Write ``out`` atomically (a crash leaves no half-built model behind)."""
    import torch

    from monitor.classify.minilm_torch import MiniLM, load_adapters, load_weights, merge_adapters

    logger.info("building the ONNX encoder %s (once per model version)", out.name)
    model = MiniLM(
        load_weights(packaged_model_dir()), first_tuned=first_tuned, rank=rank, alpha=alpha
    )
    load_adapters(model, adapters)
    merge_adapters(model)
    model.eval()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
        mask = (ids != 0).long()
        with warnings.catch_warnings():
            # The TorchScript exporter is deprecated but needs no onnxscript, and this
            # plain graph (no control flow) exports the same through either.
            warnings.simplefilter("ignore", DeprecationWarning)
            torch.onnx.export(
                model,
                (ids, mask),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["pooled"],
                opset_version=17,
                dynamo=False,
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    "pooled": {0: "batch"},
                },
            )
        final = Path(tmp) / "final.onnx"
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            # MatMul only: quantising the embedding table (Gather) costs accuracy for no
            # speed. The feed-forward outputs of the first three layers carry BERT's
            # outlier activations (one channel near 15-25 where the median is 1.3-1.6);
            # keeping those three products in fp32 brings every held-out figure back
            # within half a point of fp32. Keeping only the first measured a few
            # percent faster (within a shared machine's noise) and agreed with fp32 on
            # fewer sentiment labels (benchmarks/bench_quantisation.py).
            # onnxruntime logs a pre-processing hint on the root logger; shape
            # inference adds nothing for this graph, so keep the hint off users' screens.
            with _root_log_filtered("pre-processing"):
                quantize_dynamic(
                    fp32,
                    final,
                    weight_type=QuantType.QInt8,
                    per_channel=True,
                    op_types_to_quantize=["MatMul"],
                    nodes_to_exclude=_outlier_products(fp32, fp32_layers),
                )
        else:
            fp32.replace(final)
        os.replace(final, out)
    return out


def _outlier_products(graph: Path, layers: int) -> list[str]:
    import onnx

    names = [n.name for n in onnx.load(str(graph)).graph.node if n.op_type == "MatMul"]
    wanted = {f"/layers.{i}/out/MatMul" for i in range(layers)}
    found = [n for n in names if n in wanted]
    if len(found) != layers:  # the exporter named the nodes differently: say so, go on
        logger.warning("feed-forward products not found by name; quantising all")
    return found


@contextmanager
def _root_log_filtered(fragment: str) -> Iterator[None]:
    """Drop root-logger records containing ``fragment`` while the block runs."""

    def keep(record: logging.LogRecord) -> bool:
        return fragment not in record.getMessage()

    root = logging.getLogger()
    root.addFilter(keep)
    try:
        yield
    finally:
        root.removeFilter(keep)
