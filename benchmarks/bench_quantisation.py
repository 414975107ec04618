"""What splitting the outlier channels off buys the int8 encoder: speed against fidelity.

Builds the packaged model's encoder in fp32, in int8 with every product quantised
as it is, and in int8 with BERT's outlier channels split off first (shipped:
``monitor.classify.outlier_split``), then runs the encoders alone (tokenised,
length-bucketed, 2 threads) in turns, several times each, because a shared
machine moves a single run by 10-20%. Prints the median throughput, agreement
with fp32 and, when ../shared/data is there, the held-out figures against fp32.

    HF_HUB_OFFLINE=1 python benchmarks/bench_quantisation.py [--repeats 4]

What was tried (2-core AMD EPYC, avx2/fma, no avx512/VNNI; the 2,000 TweetEval
val texts; complaint decisions differing from the fp32 graph; speed on one
thread, spinning off, because other jobs shared the machine: CPU ms per tweet):
  int8, first 3 feed-forward outputs fp32 (build b4)      20 flips  7.1-7.4 ms
  the same, 7-bit weights (reduce_range)                 17        7.2
  int8, every product                                    23        6.3-6.5
  ORT transformer optimizer (fused Attention, SkipLayerNorm, BiasGelu):
    fp32 fused / fp32 plain                              92 / 104 tweets/s
    int8, Attention fp32, 3 FFN outputs fp32             12 flips  8.6 ms
    int8, QAttention, 3 FFN outputs fp32                 21        7.4 ms
    int8, QAttention, every product, 7-bit               17        7.3 ms
  SmoothQuant scaling (alpha 0.5) + QAttention           46/4000   worse
  outlier channels split off (> 6x the median channel), every product int8:
    8-bit weights                                         9 flips  7.2 ms
    7-bit weights (shipped, build b5)                     5-7      7.2 ms
The split keeps 1-3 channels of 19 of the 36 products in fp32 (19 products over
those channels) and costs a Mul and a Gather per split input.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # for bench_classify

from bench_classify import load_texts  # noqa: E402

from monitor.classify.fastpath import OnnxEncoder  # noqa: E402
from monitor.classify.fastpath_build import build_encoder  # noqa: E402
from monitor.classify.heads import load_artifact  # noqa: E402
from monitor.classify.metrics import complaint_report, sentiment_report  # noqa: E402
from monitor.classify.packaged import packaged_model_dir  # noqa: E402


def timed(path: Path, texts: list[str]) -> tuple[float, np.ndarray]:
    """(tweets/s, features) through a fresh encoder, so its text cache starts empty."""
    encoder = OnnxEncoder(path, packaged_model_dir(), threads=2, batch_size=32)
    started = time.perf_counter()
    features = encoder.encode(texts)
    return len(texts) / (time.perf_counter() - started), features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=4)
    args = parser.parse_args()

    art = load_artifact()
    texts, labels = load_texts(args.data, args.n)
    with tempfile.TemporaryDirectory() as tmp:

        def build(name: str, *, quantize: bool = True, split: bool = True) -> Path:
            return build_encoder(Path(tmp) / f"{name}.onnx", art, quantize=quantize, split=split)

        builds = {
            "fp32": build("fp32", quantize=False),
            "int8, not split": build("int8-plain", split=False),
            "int8, split": build("int8-split"),
        }
        rates: dict[str, list[float]] = {name: [] for name in builds}
        features: dict[str, np.ndarray] = {}
        for _ in range(args.repeats):
            for name, path in builds.items():
                rate, features[name] = timed(path, texts)
                rates[name].append(rate)
    # Every run of one encoder gives the same features: score the last one only.
    outputs = {name: art.heads.predict(rows) for name, rows in features.items()}

    ref_sent, ref_comp = outputs["fp32"]
    print(f"{len(texts)} texts, 2 threads, median of {args.repeats} runs each, taken in turns")
    for name, (sent, comp) in outputs.items():
        shipped = " (shipped)" if name == "int8, split" else ""
        line = (
            f"{name + shipped:<22} {np.median(rates[name]):6.1f} tweets/s "
            f"(runs {' '.join(f'{r:.0f}' for r in rates[name])}); "
            f"agrees with fp32: sentiment {np.mean(sent.argmax(1) == ref_sent.argmax(1)):.4f}, "
            f"complaint {np.mean((comp >= 0.5) == (ref_comp >= 0.5)):.4f}"
        )
        for part_name, (part, y) in labels.items():
            y = np.array(y)
            if part_name == "tweeteval_val":
                delta = (
                    sentiment_report(y, sent[part])["macro_recall"]
                    - sentiment_report(y, ref_sent[part])["macro_recall"]
                )
                line += f"; TweetEval macro-recall {100 * delta:+.2f} pt"
            else:
                delta = (
                    complaint_report(y, comp[part])["f1"]
                    - complaint_report(y, ref_comp[part])["f1"]
                )
                line += f"; complaint F1 {100 * delta:+.2f} pt"
        print(line)


if __name__ == "__main__":
    main()
