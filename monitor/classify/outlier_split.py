"""Take BERT's outlier channels out of the int8 products, so int8 keeps its resolution.

Dynamic int8 quantisation gives each activation tensor one scale, set by its
largest value. MiniLM's hidden states carry a few channels far above the rest
(channel 99 of every layer's first LayerNorm output near 28 where the median
channel peaks near 1.5; single feed-forward channels near 15-25 in the first
layers), so the rest were quantised in steps ~20 times too coarse. Here each
matrix product whose input has such channels is split in two:
``x @ W = (x * keep) @ W_keep + x[..., outliers] @ W[outliers]``: the first, with
the outlier channels zeroed and their weight rows removed, is quantised as usual;
the second is a product over 1-3 channels that stays fp32 and costs next to nothing.
The channels are found by running the fp32 graph on a few sentences written
here (they are the same channels whatever the text: a property of the model).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from onnx import ModelProto, NodeProto

# A channel is an outlier when its largest |value| over the calibration sentences
# exceeds this many times the median channel's. 6 catches every channel above ~9
# (benchmarks/bench_quantisation.py); the next ones sit near 4-5x and quantise fine.
OUTLIER_RATIO = 6.0

# Calibration sentences: short posts of the kinds the classifier reads.
CALIBRATION = (
    "my order still hasn't arrived after three weeks, this is ridiculous",
    "thanks for sorting out my refund so quickly, great service!",
    "the app keeps crashing every time I open the checkout page",
    "is the store on main street open on sunday?",
    "you charged me twice and nobody answers the phone #fail",
    "love the new update, the dark mode looks amazing",
    "delivery was late again. third time this month. any news?",
    "just had the best coffee of my life ☕ highly recommend",
    "customer service put me on hold for an hour and then hung up",
    "can someone explain how to reset my password",
    "the package arrived damaged and the box was soaking wet",
    "meh, it's fine I guess",
)

# The suffix of the small fp32 products: the quantiser is told to leave them alone.
OUTLIER_PRODUCT = "/outliers"


def split_outlier_channels(graph_path: Path, tokenizer_dir: Path, out: Path) -> list[str]:
    """Write ``graph_path`` with its outlier channels split off into ``out``; the
    names of the small fp32 products added (for the quantiser to leave alone)."""
    import onnx

    model = onnx.load(str(graph_path))
    weights = {w.name: w for w in model.graph.initializer}
    products = [n for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    peaks = _channel_peaks(model, sorted({n.input[0] for n in products}), tokenizer_dir)
    outliers = {x: np.flatnonzero(p > OUTLIER_RATIO * np.median(p)) for x, p in peaks.items()}
    added = _rewrite(model, products, outliers)
    onnx.save(model, str(out))
    return added


def _channel_peaks(
    model: ModelProto, inputs: Sequence[str], tokenizer_dir: Path
) -> dict[str, np.ndarray]:
    """Largest |value| of each channel of each tensor in ``inputs``, over the real
    (unpadded) tokens of the calibration sentences."""
    import onnx
    import onnxruntime as ort

    from monitor.classify.tokens import load_tokenizer, pad, token_ids

    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for name in inputs:
        probe.graph.output.append(
            onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)
        )
    session = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    ids, mask = pad(token_ids(load_tokenizer(tokenizer_dir), CALIBRATION))
    values = session.run(list(inputs), {"input_ids": ids, "attention_mask": mask})
    real = mask.astype(bool)
    return {name: np.abs(v[real]).max(0) for name, v in zip(inputs, values, strict=True)}


def _rewrite(
    model: ModelProto, products: list[NodeProto], outliers: dict[str, np.ndarray]
) -> list[str]:
    from onnx import helper, numpy_helper

    graph = model.graph
    weights = {w.name: w for w in graph.initializer}
    split = {n.name for n in products}
    split_inputs: dict[str, tuple[str, str]] = {}  # q, k and v share one input: split it once
    added: list[str] = []
    nodes = []
    for node in graph.node:
        channels = outliers.get(node.input[0]) if node.name in split else None
        if channels is None or not len(channels):
            nodes.append(node)
            continue
        x = node.input[0]
        if x not in split_inputs:
            keep = np.ones(weights[node.input[1]].dims[0], np.float32)  # MatMul weight: [in, out]
            keep[channels] = 0.0
            graph.initializer.extend(
                [
                    numpy_helper.from_array(keep, f"{x}/keep"),
                    numpy_helper.from_array(channels.astype(np.int64), f"{x}/outlier_channels"),
                ]
            )
            nodes.append(helper.make_node("Mul", [x, f"{x}/keep"], [f"{x}/inliers"]))
            nodes.append(
                helper.make_node("Gather", [x, f"{x}/outlier_channels"], [f"{x}/outliers"], axis=-1)
            )
            split_inputs[x] = (f"{x}/inliers", f"{x}/outliers")
        inliers, outlying = split_inputs[x]
        w_name, y = node.input[1], node.output[0]
        w = numpy_helper.to_array(weights[w_name]).copy()
        graph.initializer.append(numpy_helper.from_array(w[channels], f"{w_name}/outlier_rows"))
        w[channels] = 0.0  # those rows' share comes from the fp32 product below
        weights[w_name].CopyFrom(numpy_helper.from_array(w, w_name))
        small = f"{node.name}{OUTLIER_PRODUCT}"
        nodes.append(
            helper.make_node(
                "MatMul", [outlying, f"{w_name}/outlier_rows"], [f"{y}/outliers"], name=small
            )
        )
        node.input[0], node.output[0] = inliers, f"{y}/inliers"
        nodes.append(node)
        nodes.append(helper.make_node("Add", [f"{y}/inliers", f"{y}/outliers"], [y]))
        added.append(small)
    del graph.node[:]
    graph.node.extend(nodes)
    return added
