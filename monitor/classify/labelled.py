"""Labelled text sets for training and ``amends eval``: readers and the fixed splits.

Labels are kept as two optional columns, because a set has sentiment labels
(TweetEval), complaint labels (the ACL 2019 complaints set) or team feedback.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from monitor.core.models import Sentiment

SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")
SPLIT_SEED = 20190728  # fixed: the held-out complaint split must never move


@dataclass
class Labelled:
    texts: list[str]
    sentiment: list[int] | None = None  # index into SENTIMENTS
    complaint: list[int] | None = None  # 1 complaint, 0 not
    groups: list[str] = field(default_factory=list)  # stratification key (domain)

    def take(self, idx: np.ndarray | list[int]) -> Labelled:
        def pick(col: list | None) -> list | None:
            return None if col is None else [col[i] for i in idx]

        return Labelled(
            [self.texts[i] for i in idx],
            pick(self.sentiment),
            pick(self.complaint),
            pick(self.groups or None) or [],
        )

    def sentiments(self) -> list[int]:
        return _column(self.sentiment, "sentiment")

    def complaints(self) -> list[int]:
        return _column(self.complaint, "complaint")


def _column(values: list[int] | None, name: str) -> list[int]:
    # A set read from a file without that column is a usage error, not a bug.
    if values is None:
        raise ValueError(f"this labelled set has no {name} labels")
    return values


def read_tweeteval(folder: Path, split: str) -> Labelled:
    texts = (folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / f"{split}_labels.txt").read_text(encoding="utf-8").split()
    return Labelled([t.strip() for t in texts], sentiment=[int(x) for x in labels])


def read_complaints(path: Path) -> Labelled:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return Labelled(
        [r["text"].strip() for r in rows],
        complaint=[int(r["label"]) for r in rows],
        groups=[f"{r.get('domain', '')}:{r['label']}" for r in rows],
    )


def read_any(path: Path) -> Labelled:
    """A TweetEval-style folder, or a CSV / JSON-lines file with ``text`` and ``label``.

    A label is a sentiment when it is a sentiment name or 0/1/2 in a folder, and a
    complaint flag when it is 0/1, true/false or complaint/not in a file.
    """
    if path.is_dir():
        split = "test" if (path / "test_text.txt").exists() else "val"
        if not (path / f"{split}_text.txt").exists():
            split = "train"
        return read_tweeteval(path, split)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [(r["text"], r["label"]) for r in csv.DictReader(fh)]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [(o["text"], str(o["label"])) for o in map(json.loads, filter(str.strip, lines))]
    texts = [t.strip() for t, _ in rows]
    labels = [str(label).strip().lower() for _, label in rows]
    if all(label in SENTIMENTS for label in labels):
        return Labelled(texts, sentiment=[SENTIMENTS.index(label) for label in labels])
    flags = {"1": 1, "0": 0, "true": 1, "false": 0, "complaint": 1, "not": 0}
    unknown = sorted({label for label in labels if label not in flags})
    if unknown:
        raise ValueError(
            f"{path}: labels must be sentiment names or complaint flags: {unknown[:5]}"
        )
    return Labelled(texts, complaint=[flags[label] for label in labels])


def stratified_split(
    groups: list[str], fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """(rest, held) indices, ``fraction`` of each group held out, reproducibly."""
    rng = np.random.default_rng(seed)
    held: list[int] = []
    keys = np.array(groups)
    for key in sorted(set(groups)):
        members = np.flatnonzero(keys == key)
        rng.shuffle(members)
        held.extend(members[: round(len(members) * fraction)].tolist())
    held_arr = np.array(sorted(held), dtype=np.int64)
    rest = np.setdiff1d(np.arange(len(groups)), held_arr)
    return rest, held_arr


def complaint_splits(data: Labelled) -> dict[str, np.ndarray]:
    """train / dev (calibration, early stopping) / test (never trained or tuned on)."""
    rest, test = stratified_split(data.groups, 0.2, SPLIT_SEED)
    sub_train, sub_dev = stratified_split([data.groups[i] for i in rest], 0.15, SPLIT_SEED + 1)
    return {"train": rest[sub_train], "dev": rest[sub_dev], "test": test}
