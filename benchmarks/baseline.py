"""Reproduce the baseline that issue 3 measured, to pin down which metric its figures use.

Issue 3's baseline: frozen MiniLM-L6 mean-pooled embeddings (plain transformers +
torch, fp32) and a logistic regression trained on TweetEval sentiment train;
"complaint" = predicted negative. It reports macro-recall 0.65 on TweetEval and
"complaint F1 0.59 on the complaint tweets". This script prints the complaint
figures both ways, F1 of the complaint class and macro-F1 over the two classes,
on every complaint tweet and on amends' held-out test split, so the 0.59 can be
matched to one of them.

    HF_HUB_OFFLINE=1 python benchmarks/baseline.py

About six minutes on two cores (49,334 tweets through the fp32 encoder).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from monitor.classify.embedding import MiniLMEmbedder
from monitor.classify.labelled import complaint_splits, read_complaints, read_tweeteval
from monitor.classify.metrics import complaint_report, sentiment_report

NEGATIVE = 0
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    sentiment_train = read_tweeteval(args.data / "tweeteval-sentiment", "train")
    sentiment_val = read_tweeteval(args.data / "tweeteval-sentiment", "val")
    complaints = read_complaints(args.data / "complaints-acl2019" / "train.csv")

    embedder = MiniLMEmbedder()
    x_train = embedder.embed(sentiment_train.texts)
    x_val = embedder.embed(sentiment_val.texts)
    x_comp = embedder.embed(complaints.texts)

    head = LogisticRegression(max_iter=2000, C=1.0)
    head.fit(x_train, np.asarray(sentiment_train.sentiment))
    val = sentiment_report(np.asarray(sentiment_val.sentiment), head.predict_proba(x_val))
    print(
        f"TweetEval val: macro-recall {val['macro_recall']:.3f}, "
        f"accuracy {val['accuracy']:.3f}, macro-F1 {val['macro_f1']:.3f}"
    )

    flagged = head.predict(x_comp) == NEGATIVE
    y = np.asarray(complaints.complaint)
    test = complaint_splits(complaints)["test"]
    for name, rows in (("all complaint tweets", np.arange(len(y))), ("held-out test", test)):
        fig = complaint_report(y[rows], flagged[rows].astype(np.float32))
        print(
            f"{name} ({len(rows)}): complaint-class P {fig['precision']:.3f} "
            f"R {fig['recall']:.3f} F1 {fig['f1']:.3f}; macro-F1 {fig['macro_f1']:.3f}"
        )
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
