"""Suggest a per-brand complaint threshold from the team's labels.

The default threshold is a calibrated probability, tuned on public tweets. A brand
whose audience writes differently (drier complaints, ironic praise) is better served
by a threshold fitted to what its own responders said: `amends label` and
`amends resolve --not-a-complaint` record those verdicts next to the model's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from monitor.classify.metrics import complaint_report

# Fewer labels than this, or no example of either kind, and a fitted threshold would
# mostly fit noise: the command says how many more are needed instead.
MIN_LABELS = 20
MIN_PER_CLASS = 5


@dataclass(frozen=True)
class AtThreshold:
    threshold: float
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class ThresholdAdvice:
    labels: int
    complaints: int
    current: AtThreshold
    suggested: AtThreshold | None  # None: too few labels to fit one
    needed: str = ""  # what is missing when suggested is None


def at_threshold(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> AtThreshold:
    report = complaint_report(np.asarray(labels, bool), np.asarray(scores, float), threshold)
    return AtThreshold(round(threshold, 2), report["precision"], report["recall"], report["f1"])


def advise(scores: Sequence[float], labels: Sequence[bool], current: float) -> ThresholdAdvice:
    """The F1-best threshold on a 0.05 grid; ties go to the one nearest ``current``."""
    now = at_threshold(scores, labels, current)
    positives = sum(labels)
    negatives = len(labels) - positives
    if len(labels) < MIN_LABELS or min(positives, negatives) < MIN_PER_CLASS:
        needed = (
            f"{len(labels)} labels ({positives} complaints, {negatives} not); need at least "
            f"{MIN_LABELS}, with {MIN_PER_CLASS} of each kind"
        )
        return ThresholdAdvice(len(labels), positives, now, None, needed)
    grid = [round(0.05 * i, 2) for i in range(1, 20)]
    candidates = [at_threshold(scores, labels, t) for t in grid]
    best = max(candidates, key=lambda c: (round(c.f1, 6), -abs(c.threshold - current)))
    return ThresholdAdvice(len(labels), positives, now, best)
