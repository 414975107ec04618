"""Evaluation figures and the labelled-data readers, on tiny hand-written fixtures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.classify.labelled import complaint_splits, read_any, read_complaints, stratified_split
from monitor.classify.metrics import complaint_report, ece, f1_intervals, sentiment_report

FIXTURES = Path(__file__).parents[1] / "fixtures" / "classifier"


def test_sentiment_report_by_hand() -> None:
    y = np.array([0, 0, 1, 1, 2, 2])
    probs = np.eye(3)[[0, 1, 1, 1, 2, 0]] * 0.7 + 0.1  # predictions 0,1,1,1,2,0
    report = sentiment_report(y, probs)
    assert report["accuracy"] == pytest.approx(4 / 6)
    # recalls: neg 1/2, neu 2/2, pos 1/2
    assert report["macro_recall"] == pytest.approx((0.5 + 1 + 0.5) / 3)
    # precisions: neg 1/2, neu 2/3, pos 1/1 -> F1s 0.5, 0.8, 2/3
    assert report["macro_f1"] == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)


def test_complaint_report_by_hand() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    score = np.array([0.9, 0.6, 0.2, 0.7, 0.1, 0.1, 0.3, 0.4])
    report = complaint_report(y, score, threshold=0.5)
    assert report["precision"] == pytest.approx(2 / 3)
    assert report["recall"] == pytest.approx(2 / 3)
    assert report["f1"] == pytest.approx(2 / 3)
    assert report["accuracy"] == pytest.approx(6 / 8)
    assert complaint_report(y, score, threshold=0.15)["recall"] == 1.0


def test_f1_intervals_bracket_the_figures_and_narrow_with_more_rows() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    score = np.array([0.9, 0.6, 0.2, 0.7, 0.1, 0.1, 0.3, 0.4])
    # complaint F1 2/3; not-complaint P 4/5, R 4/5, so macro-F1 (2/3 + 4/5) / 2
    macro = (2 / 3 + 4 / 5) / 2
    assert complaint_report(y, score)["macro_f1"] == pytest.approx(macro)
    few = f1_intervals(y, score)
    many = f1_intervals(np.tile(y, 50), np.tile(score, 50))
    for key, figure in (("f1", 2 / 3), ("macro_f1", macro)):
        low, high = few[key]
        many_low, many_high = many[key]
        assert low < many_low < figure < many_high < high
    perfect = f1_intervals(y, y.astype(float))
    assert perfect == {"f1": (1.0, 1.0), "macro_f1": (1.0, 1.0)}


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    conf = np.array([0.75] * 4)
    assert ece(conf, np.array([1, 1, 1, 0])) == pytest.approx(0.0)
    assert ece(conf, np.array([0, 0, 0, 0])) == pytest.approx(0.75)


def test_readers_take_each_format() -> None:
    csv_set = read_any(FIXTURES / "complaints.csv")
    assert csv_set.complaint == [1] * 5 + [0] * 5 and csv_set.sentiment is None
    assert csv_set.texts[-1] == ""
    jsonl = read_any(FIXTURES / "sentiment.jsonl")
    assert jsonl.sentiment == [2, 2, 1, 1, 0, 0] and jsonl.complaint is None
    folder = read_any(FIXTURES / "tweeteval")
    assert folder.sentiment == [2, 1, 0] and len(folder.texts) == 3


def test_bad_labels_are_named(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("text,label\nhello,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="maybe"):
        read_any(path)


def test_held_out_split_is_fixed_stratified_and_disjoint(tmp_path: Path) -> None:
    rows = ["id,text,label,domain"] + [
        f"{i},text {i},{int(i % 3 == 0)},{'a' if i % 2 else 'b'}" for i in range(200)
    ]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    data = read_complaints(path)
    first, second = complaint_splits(data), complaint_splits(data)
    assert all(np.array_equal(first[k], second[k]) for k in first)
    parts = [set(first[k].tolist()) for k in ("train", "dev", "test")]
    assert sum(map(len, parts)) == 200 and len(set.union(*parts)) == 200
    test_labels = [data.complaint[i] for i in first["test"]]
    assert len(test_labels) == 40
    # One in three rows is a complaint overall; the held-out fifth keeps that share.
    assert abs(np.mean(test_labels) - np.mean(data.complaint)) < 0.05
    rest, held = stratified_split(["x"] * 10, 0.3, seed=1)
    assert len(held) == 3 and len(rest) == 7
