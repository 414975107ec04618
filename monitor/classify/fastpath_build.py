"""Build the ONNX encoder of the fast path, once, into the cache directory.

The graph is the packaged MiniLM-L6 with the artifact's LoRA adapters folded in,
ending in mean pooling; int8 dynamic quantisation of its matrix products makes
it roughly twice as fast on CPU. Needs torch and onnx, so it runs only when the
cached file is missing (first start, or a new artifact version), and then in
child processes (``python -m monitor.classify.fastpath_build export|quantise``,
started by ``monitor.classify.encoders``): torch never loads into the daemon.

Tried and not kept (benchmarks/bench_quantisation.py has the figures): the
transformer graph optimizer of onnxruntime (``optimize_model``, bert, 12 heads,
384 wide; Attention fuses once the mask is written the way it expects) made the
fp32 graph slower on the 2-core AVX2 EPYC (92 against 104 tweets/s on one
thread), and int8 with fused attention no faster than plain ORT fusions (133
against 138), with no better agreement; SmoothQuant-style scaling (alpha 0.5)
moved scores further from fp32, since the scaled weight rows become outliers.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.classify.heads import Artifact, load_artifact
from monitor.classify.outlier_split import split_outlier_channels
from monitor.classify.packaged import packaged_model_dir

logger = logging.getLogger(__name__)

# Part of the cached file's name: bump it whenever the graph, its quantisation or the
# text preparation in front of it (``monitor.classify.prepare``) changes, so no one
# keeps running an encoder built the old way, nor embeddings remembered from it.
# b4: emoji and emoticons written out as words. b5: outlier channels split off
# (``monitor.classify.outlier_split``), every product int8, 7-bit weights. b6: saved
# with onnxruntime's fusions applied (``optimise_graph``).
BUILD_FORMAT = "b6"


def build_encoder(
    out: Path, artifact: Artifact | None, *, quantize: bool = True, split: bool = True
) -> Path:
    """Write ``out`` atomically (a crash leaves no half-built model behind), in this
    process: torch stays loaded afterwards (``monitor.classify.encoders`` builds in
    child processes instead). ``artifact`` None: the plain packaged model."""
    logger.info("building the ONNX encoder %s (once per model version)", out.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        graph = export_graph(Path(tmp) / "fp32.onnx", artifact)
        if quantize:
            graph = quantise_graph(graph, Path(tmp) / "int8.onnx", split=split)
        final = optimise_graph(graph, Path(tmp) / "final.onnx")
        os.replace(final, out)
    return out


def export_graph(out: Path, artifact: Artifact | None) -> Path:
    """The fp32 graph, adapters folded in (and for a student only its layers), ending in
    mean pooling; ``artifact`` None: the plain packaged model. Needs torch."""
    import torch

    from monitor.classify.minilm_torch import MiniLM, from_artifact, load_weights

    if artifact is None:
        model = MiniLM(load_weights(packaged_model_dir()))
    else:
        model = from_artifact(artifact)
    model.eval()
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]])
    mask = (ids != 0).long()
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated but needs no onnxscript, and this
        # plain graph (no control flow) exports the same through either.
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            model,
            (ids, mask),
            str(out),
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
    return out


def quantise_graph(fp32: Path, out: Path, *, split: bool = True) -> Path:
    """int8 dynamic quantisation of ``fp32``'s matrix products, BERT's outlier
    channels split off first and kept fp32 (``split=False``: not split, for the
    benchmark to compare). Needs no torch."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        graph, small = fp32, []
        if split:
            graph = Path(tmp) / "split.onnx"
            small = split_outlier_channels(fp32, packaged_model_dir(), graph)
        # MatMul only: quantising the embedding table (Gather) costs accuracy for no
        # speed. reduce_range: 7-bit weights, because without VNNI (AVX2) the u8 x s8
        # kernel adds pairs of products in saturating 16-bit lanes, which full 8-bit
        # weights can overflow; with the split, complaint decisions differing from
        # fp32 went from 9 to 5 in 2,000 at the same speed (bench_quantisation.py).
        # onnxruntime logs a pre-processing hint on the root logger; shape
        # inference adds nothing for this graph, so keep the hint off users' screens.
        with _root_log_filtered("pre-processing"):
            quantize_dynamic(
                graph,
                out,
                weight_type=QuantType.QInt8,
                per_channel=True,
                reduce_range=True,
                op_types_to_quantize=["MatMul"],
                nodes_to_exclude=small,
            )
    return out


def optimise_graph(graph: Path, out: Path) -> Path:
    """``graph`` saved with onnxruntime's fusions done (layer norms, GELU, the
    quantised products), so a start loads it as it is rather than redoing them: about
    45 ms off every ``amends classify`` and ``amends draft`` on a 2-core AVX2 EPYC, the
    same features to the bit. The "extended" level: its fusions suit any CPU, where
    the layout changes of "all" are made for the machine at hand. Needs no torch."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = str(out)
    ort.InferenceSession(str(graph), opts, providers=["CPUExecutionProvider"])
    return out


def main(argv: list[str] | None = None) -> None:
    """A child process's entry: one step of a build, each in a process of its own so
    the torch of the export is gone before the quantiser loads the graph."""
    parser = argparse.ArgumentParser(prog="python -m monitor.classify.fastpath_build")
    steps = parser.add_subparsers(dest="step", required=True)
    export = steps.add_parser("export", help="write the fp32 graph (needs torch)")
    export.add_argument("out", type=Path)
    export.add_argument("--artifact", type=Path, help="fold this artifact's adapters in")
    quantise = steps.add_parser("quantise", help="int8 products, outlier channels kept fp32")
    quantise.add_argument("fp32", type=Path)
    quantise.add_argument("out", type=Path)
    optimise = steps.add_parser("optimise", help="save the graph with its fusions done")
    optimise.add_argument("graph", type=Path)
    optimise.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    # Warnings only: the quantiser's INFO lines (dozens) would fill the journal.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.step == "quantise":
        quantise_graph(args.fp32, args.out)
    elif args.step == "optimise":
        optimise_graph(args.graph, args.out)
    else:  # without an artifact the plain model: no layer tuned, nothing to fold in
        export_graph(args.out, load_artifact(args.artifact) if args.artifact else None)


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


if __name__ == "__main__":
    main()
