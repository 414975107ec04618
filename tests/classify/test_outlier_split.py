"""Splitting outlier channels off a matrix product: a small hand-built graph (token
embeddings with one channel 60 times the others, then one product), calibrated
through the packaged tokenizer, run by onnxruntime before and after int8."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from monitor.classify.outlier_split import OUTLIER_PRODUCT, split_outlier_channels
from monitor.classify.packaged import packaged_model_dir
from monitor.classify.tokens import load_tokenizer, pad, token_ids

WIDTH, OUT, LOUD = 16, 8, 5  # channel LOUD of every token embedding is the outlier
TEXTS = ["my parcel is late again", "thanks, all sorted", "where is my refund?"]


def _graph(path: Path) -> Path:
    rng = np.random.default_rng(3)
    table = rng.normal(0.0, 1.0, (30522, WIDTH)).astype(np.float32)
    table[:, LOUD] *= 60.0
    weight = rng.normal(0.0, 0.3, (WIDTH, OUT)).astype(np.float32)
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "weight"], ["product"], name="/layers.0/out/MatMul"),
        # The mask only joins the output so that the graph reads both inputs.
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask", "last"], ["mask3"]),
        helper.make_node("Mul", ["product", "mask3"], ["pooled"]),
    ]
    graph = helper.make_graph(
        nodes,
        "toy",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "t"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "t"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["b", "t", OUT])],
        [
            numpy_helper.from_array(table, "table"),
            numpy_helper.from_array(weight, "weight"),
            numpy_helper.from_array(np.array([-1], np.int64), "last"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def _run(path: Path) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids, mask = pad(token_ids(load_tokenizer(packaged_model_dir()), TEXTS))
    (out,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
    return np.asarray(out)


def _int8(src: Path, out: Path, exclude: list[str]) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        src,
        out,
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        nodes_to_exclude=exclude,
    )
    return out


def test_the_split_graph_computes_the_same_and_only_the_outlier_channel_stays_fp32(
    tmp_path: Path,
) -> None:
    plain = _graph(tmp_path / "plain.onnx")
    added = split_outlier_channels(plain, packaged_model_dir(), tmp_path / "split.onnx")
    assert added == [f"/layers.0/out/MatMul{OUTLIER_PRODUCT}"]
    split = onnx.load(str(tmp_path / "split.onnx")).graph
    weights = {w.name: numpy_helper.to_array(w) for w in split.initializer}
    (small,) = [n for n in split.node if n.name in added]
    assert weights[small.input[1]].shape == (1, OUT)  # one channel's row: LOUD's
    np.testing.assert_allclose(_run(tmp_path / "split.onnx"), _run(plain), rtol=1e-5, atol=1e-4)


def test_int8_after_the_split_is_many_times_closer_to_fp32(tmp_path: Path) -> None:
    plain = _graph(tmp_path / "plain.onnx")
    exact = _run(plain)
    added = split_outlier_channels(plain, packaged_model_dir(), tmp_path / "split.onnx")
    before = _run(_int8(plain, tmp_path / "plain-int8.onnx", []))
    after = _run(_int8(tmp_path / "split.onnx", tmp_path / "split-int8.onnx", added))
    error_before = np.abs(before - exact).mean()
    error_after = np.abs(after - exact).mean()
    # One channel 60x the rest costs the others all but ~2 of int8's steps; without
    # it they get the full range back.
    assert error_after < error_before / 5
