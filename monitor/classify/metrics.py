"""Evaluation figures for ``amends eval`` and training (plain numpy, no sklearn)."""

from __future__ import annotations

import numpy as np


def sentiment_report(y: np.ndarray, probs: np.ndarray) -> dict[str, float]:
    """Accuracy, macro-F1, macro-recall (TweetEval's headline metric) and ECE."""
    pred = probs.argmax(1)
    recalls, f1s = [], []
    for k in range(probs.shape[1]):
        tp = float(np.sum((pred == k) & (y == k)))
        recalls.append(tp / max(int(np.sum(y == k)), 1))
        precision = tp / max(int(np.sum(pred == k)), 1)
        f1s.append(_f1(precision, recalls[-1]))
    return {
        "n": len(y),
        "accuracy": float(np.mean(pred == y)),
        "macro_f1": float(np.mean(f1s)),
        "macro_recall": float(np.mean(recalls)),
        "ece": ece(probs.max(1), pred == y),
    }


def complaint_report(y: np.ndarray, score: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    pred = score >= threshold
    truth = y.astype(bool)
    tp = float(np.sum(pred & truth))
    precision = tp / max(int(np.sum(pred)), 1)
    recall = tp / max(int(np.sum(truth)), 1)
    f1_pos = _f1(precision, recall)
    tn = float(np.sum(~pred & ~truth))
    p_neg = tn / max(int(np.sum(~pred)), 1)
    r_neg = tn / max(int(np.sum(~truth)), 1)
    return {
        "n": len(y),
        "accuracy": float(np.mean(pred == truth)),
        "precision": precision,
        "recall": recall,
        "f1": f1_pos,
        "macro_f1": (f1_pos + _f1(p_neg, r_neg)) / 2,
        "macro_recall": (recall + r_neg) / 2,
        # Calibration of the complaint probability itself, in 10 equal-width bins.
        "ece": ece(np.where(pred, score, 1 - score), pred == truth),
    }


def f1_intervals(
    y: np.ndarray, score: np.ndarray, threshold: float = 0.5, draws: int = 2000, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """95% bootstrap intervals of the complaint F1 and the macro-F1: how far each figure
    could move on another sample of the same size (a few hundred tweets move it by
    several points)."""
    truth = np.asarray(y).astype(bool)
    pred = np.asarray(score) >= threshold
    rows = np.random.default_rng(seed).integers(0, len(truth), size=(draws, len(truth)))
    t, p = truth[rows], pred[rows]
    tp, tn = (t & p).sum(1), (~t & ~p).sum(1)
    errors = (t != p).sum(1)
    f1 = 2 * tp / np.maximum(2 * tp + errors, 1)  # 2TP / (2TP + FP + FN)
    f1_not = 2 * tn / np.maximum(2 * tn + errors, 1)
    # A draw with only one class in it has no F1 for the other; leave it out, not count 0.
    both = t.any(1) & (~t).any(1)
    return {
        "f1": _interval(f1[t.any(1)]),
        "macro_f1": _interval(((f1 + f1_not) / 2)[both]),
    }


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |accuracy - confidence| weighted over bins."""
    confidence = np.asarray(confidence, float)
    correct = np.asarray(correct, float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
