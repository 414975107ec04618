"""Responder feedback: ``amends label`` writes to the real store, and a retrained
model replaces the active one only when it is not worse on held-out data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from monitor.classify.heads import Heads, active_artifact, load_artifact, save_artifact
from monitor.classify.training import not_worse
from monitor.core.errors import AmendsError
from monitor.core.models import Batch, Mention
from monitor.store import Store

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _mention(n: int, text: str) -> Mention:
    return Mention(
        platform="demo",
        platform_id=str(n),
        author="someone",
        text=text,
        url=f"https://example.invalid/{n}",
        created_at=NOW,
    )


def _cli(
    db: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`amends --db DB ARGS...` in a subprocess, with no config from the environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    env.pop("AMENDS_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _paged_complaints(db: Path, mention_ids: list[int]) -> None:
    """Bare complaint rows, straight into the file: only what label and resolve read."""
    with closing(sqlite3.connect(db)) as conn, conn:
        for mention_id in mention_ids:
            conn.execute(
                "insert into complaints (mention_id, status) values (?, 'paged')", [mention_id]
            )


def _label(
    db: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return _cli(db, "label", *args, env_extra=env_extra)


def test_label_records_the_latest_verdict(tmp_path: Path) -> None:
    db = tmp_path / "amends.db"
    store = Store.open(db)
    ids = store.save_batch(
        Batch(source="demo", mentions=[_mention(1, "where is my parcel"), _mention(2, "nice")]),
        now=NOW,
    ).new_ids
    store.close()
    assert _label(db, str(ids[0]), "not", "--by", "sam").returncode == 0
    assert _label(db, str(ids[0]), "complaint", "--by", "sam").returncode == 0
    assert _label(db, str(ids[1]), "not").returncode == 0
    bad = _label(db, str(ids[1]), "maybe")
    assert bad.returncode != 0 and "complaint" in bad.stderr
    missing = _label(db, "999", "not")
    assert missing.returncode == 2 and "999" in missing.stderr
    examples = Store.open(db).feedback_examples()
    assert examples == [("where is my parcel", True), ("nice", False)]


def test_a_page_s_complaint_id_labels_its_mention(tmp_path: Path) -> None:
    db = tmp_path / "amends.db"
    store = Store.open(db)
    ids = store.save_batch(
        Batch(
            source="demo",
            mentions=[_mention(1, "nice kettle"), _mention(2, "lid broke, sent a new one")],
        ),
        now=NOW,
    ).new_ids
    store.close()
    _paged_complaints(db, list(reversed(ids)))  # complaint 1 is mention 2's, and the reverse
    assert _label(db, "1", "not", "--of-complaint").returncode == 0
    assert Store.open(db).feedback_examples() == [("lid broke, sent a new one", False)]
    absent = _label(db, "7", "not", "--of-complaint")
    assert absent.returncode == 2 and "no complaint with id 7" in absent.stderr


def test_resolving_a_false_alarm_labels_it(tmp_path: Path) -> None:
    db = tmp_path / "amends.db"
    store = Store.open(db)
    ids = store.save_batch(
        Batch(source="demo", mentions=[_mention(1, "praise, read as a complaint")]), now=NOW
    ).new_ids
    store.close()
    _paged_complaints(db, [ids[0]])
    done = _cli(db, "resolve", "1", "--not-a-complaint", "--by", "sam")
    assert done.returncode == 0, done.stderr
    after = Store.open(db)
    assert after.complaint(1).status == "resolved"
    assert after.complaint(1).resolution_note == "not a complaint (false alarm)"
    assert after.feedback_examples() == [("praise, read as a complaint", False)]


def test_label_and_resolve_record_the_same_responder_name(tmp_path: Path) -> None:
    # LOGNAME and USER disagree on purpose: every command must pick the same one.
    login = {"LOGNAME": "pat", "USER": "someone-else"}
    db = tmp_path / "amends.db"
    store = Store.open(db)
    ids = store.save_batch(
        Batch(source="demo", mentions=[_mention(1, "refund?"), _mention(2, "love it")]), now=NOW
    ).new_ids
    store.close()
    _paged_complaints(db, [ids[1]])
    assert _label(db, str(ids[0]), "complaint", env_extra=login).returncode == 0
    done = _cli(db, "resolve", "1", "--not-a-complaint", env_extra=login)
    assert done.returncode == 0, done.stderr
    with closing(sqlite3.connect(db)) as conn:
        labellers = [by for (by,) in conn.execute("select labelled_by from feedback order by id")]
    assert labellers == ["pat", "pat"]
    assert [e.by for e in Store.open(db).events(1)] == ["pat"]


def _metrics(f1: float, recall: float) -> dict[str, dict]:
    return {"complaint_test": {"f1": f1}, "tweeteval_val": {"macro_recall": recall}}


def test_not_worse_needs_complaint_f1_and_sentiment_recall() -> None:
    old = _metrics(0.80, 0.70)
    assert not_worse(_metrics(0.80, 0.70), old)
    assert not_worse(_metrics(0.82, 0.697), old)  # sentiment within noise
    assert not not_worse(_metrics(0.79, 0.75), old)
    assert not not_worse(_metrics(0.85, 0.69), old)


def test_a_feedback_artifact_in_the_cache_dir_becomes_active(tmp_path: Path) -> None:
    packaged = load_artifact()
    assert active_artifact(tmp_path) != tmp_path / "classifier.npz"
    h = packaged.heads
    shifted = Heads(h.mu, h.sigma, h.sent_w, h.sent_b, h.sent_t, h.comp_w, h.comp_b + 1.0, h.platt)
    version = save_artifact(
        tmp_path / "classifier.npz", shifted, packaged.adapters, packaged.meta, packaged.student
    )
    assert active_artifact(tmp_path) == tmp_path / "classifier.npz"
    local = load_artifact(active_artifact(tmp_path))
    assert local.version == version != packaged.version
    assert np.isclose(local.heads.comp_b, packaged.heads.comp_b + 1.0)


# --- retraining end to end, on a tiny synthetic data set -------------------------------

BAD = [
    "my order is late again",
    "the app keeps crashing",
    "you charged me twice",
    "still no refund after a month",
    "nobody answers the support line",
]
GOOD = [
    "thanks for the quick help",
    "love the new update",
    "great service today",
    "the team sorted it fast",
    "best purchase this year",
]
PLAIN = [
    "the store opens at nine",
    "meeting moved to friday",
    "the bus leaves at noon",
    "new menu out next week",
    "the report is due monday",
]


def _synthetic_data(root: Path) -> Path:
    tweeteval = root / "tweeteval-sentiment"
    tweeteval.mkdir(parents=True)
    rows = [
        (f"{t} #{i}", label)
        for i in range(8)
        for label, group in enumerate((BAD, PLAIN, GOOD))
        for t in group
    ]
    for split, part in (("train", rows), ("val", rows[::4])):
        (tweeteval / f"{split}_text.txt").write_text("".join(f"{t}\n" for t, _ in part))
        (tweeteval / f"{split}_labels.txt").write_text("".join(f"{y}\n" for _, y in part))
    complaints = root / "complaints-acl2019"
    complaints.mkdir()
    lines = ["id,text,label,domain"] + [
        f"{n},{text} (case {i}),{label},{'retail' if i % 2 else 'random_tweet'}"
        for i in range(6)
        for label, group in ((1, BAD), (0, GOOD + PLAIN))
        for n, text in enumerate(group, start=100 * i + 10 * label)
    ]
    (complaints / "train.csv").write_text("\n".join(lines) + "\n")
    return root


def test_retrain_with_feedback_switches_only_when_not_worse(tmp_path: Path) -> None:
    from monitor.classify.training import Recipe, retrain

    data = _synthetic_data(tmp_path / "data")
    cache = tmp_path / "cache"
    recipe = Recipe(first_tuned=5, rank=2, sentiment_rows=64, epochs=1)
    examples = [("the parcel never came, again", True), ("lovely weather", False)]
    message = retrain(data, cache, examples, None, progress=lambda _: None, recipe=recipe)
    assert message.startswith("old ") and "\nnew " in message
    active = cache / "classifier.npz"
    assert not (cache / "classifier.candidate.npz").exists()
    if "switched to" in message:
        art = load_artifact(active)
        assert art.meta["feedback_rows"] == 2 and art.meta["recipe"]["rank"] == 2
        assert active_artifact(cache) == active
    else:
        assert "kept" in message and not active.exists()
    out = tmp_path / "explicit.npz"
    message = retrain(data, cache, examples, out, progress=lambda _: None, recipe=recipe)
    assert out.exists() and "not switched" in message
    assert not load_artifact(out).student  # six layers unless a student is asked for


def test_a_student_recipe_writes_the_fast_model(tmp_path: Path) -> None:
    from monitor.classify.training import Recipe, retrain

    data = _synthetic_data(tmp_path / "data")
    recipe = Recipe(first_tuned=5, rank=2, sentiment_rows=64, epochs=1, student_layers=(0, 2, 4, 5))
    out = tmp_path / "fast.npz"
    message = retrain(data, tmp_path / "cache", None, out, progress=lambda _: None, recipe=recipe)
    assert message.startswith(f"wrote {out}")
    # Four of the six layers, their own weights; the heads and adapters of the teacher.
    written = load_artifact(out)
    assert written.meta["student"]["layers"] == [0, 2, 4, 5]
    assert {k.split(".")[1] for k in written.student} == {"0", "1", "2", "3"}
    assert written.adapters


def test_a_trained_model_is_distilled_without_training_it_again(tmp_path: Path) -> None:
    """``amends train --student 0,5 --teacher FILE``: the teacher's heads and adapters
    as they are, its recipe's data, a two-layer student of its own encoder."""
    from monitor.classify.training import Recipe, distil_artifact, recipe_of, retrain

    data = _synthetic_data(tmp_path / "data")
    recipe = Recipe(first_tuned=5, rank=2, sentiment_rows=64, epochs=1, distil_rows=40)
    teacher = tmp_path / "teacher.npz"
    retrain(data, tmp_path / "cache", None, teacher, progress=lambda _: None, recipe=recipe)
    taught = load_artifact(teacher)
    out = tmp_path / "student.npz"
    version, metrics = distil_artifact(data, teacher, out, (0, 5), progress=lambda _: None)
    student = load_artifact(out)
    assert student.version == version and set(metrics) == {"tweeteval_val", "complaint_test"}
    assert student.meta["student"] == {"layers": [0, 5], "teacher": taught.version}
    assert {k.split(".")[1] for k in student.student} == {"0", "1"}
    assert np.array_equal(student.heads.arrays()["comp_w"], taught.heads.arrays()["comp_w"])
    assert recipe_of(student.meta) == Recipe(
        first_tuned=5, rank=2, sentiment_rows=64, epochs=1, distil_rows=40, student_layers=(0, 5)
    )
    with pytest.raises(AmendsError, match="itself a distilled student"):
        distil_artifact(data, out, tmp_path / "again.npz", (0, 5), progress=lambda _: None)


def test_a_complaint_share_trains_on_part_of_the_split_and_holds_out_the_same(
    tmp_path: Path,
) -> None:
    from monitor.classify.training import Recipe, load_sets

    data = _synthetic_data(tmp_path / "data")
    whole = load_sets(data, Recipe(sentiment_rows=64))
    half = load_sets(data, Recipe(sentiment_rows=64, complaint_share=0.5))
    assert set(half.comp_train.texts) < set(whole.comp_train.texts)
    assert abs(len(half.comp_train.texts) - len(whole.comp_train.texts) / 2) <= 2
    # Stratified: each domain and label keeps its share.
    for group in set(whole.comp_train.groups):
        assert (
            abs(half.comp_train.groups.count(group) * 2 - whole.comp_train.groups.count(group)) <= 1
        )
    assert half.comp_test.texts == whole.comp_test.texts
    assert half.comp_dev.texts == whole.comp_dev.texts


def test_a_given_split_replaces_the_fixed_complaint_split(tmp_path: Path) -> None:
    """Cross-validation folds: the complaint rows go where the split says, and the
    sentiment sets stay the recipe's."""
    import numpy as np

    from monitor.classify.labelled import read_complaints
    from monitor.classify.training import Recipe, load_sets

    data = _synthetic_data(tmp_path / "data")
    texts = read_complaints(data / "complaints-acl2019" / "train.csv").texts
    rows = np.arange(len(texts))
    split = {"train": rows[10:], "dev": rows[5:10], "test": rows[:5]}
    fold = load_sets(data, Recipe(sentiment_rows=64), split=split)
    fixed = load_sets(data, Recipe(sentiment_rows=64))
    assert fold.comp_test.texts == texts[:5]
    assert fold.comp_dev.texts == texts[5:10]
    assert fold.comp_train.texts == texts[10:]
    assert fold.comp_test.texts != fixed.comp_test.texts
    assert fold.sent_train.texts == fixed.sent_train.texts


def test_advice_finds_the_threshold_that_separates_the_labels() -> None:
    from monitor.classify.thresholds import advise

    # This brand's complaints score 0.30-0.45 and its non-complaints under 0.25: the
    # default 0.5 misses every complaint, 0.30 catches all of them.
    scores = [0.30, 0.35, 0.40, 0.45, 0.32, 0.38] * 2 + [0.05, 0.10, 0.15, 0.20, 0.25] * 2
    labels = [True] * 12 + [False] * 10
    advice = advise(scores, labels, current=0.5)
    assert advice.current.recall == 0.0
    assert advice.suggested is not None
    assert advice.suggested.threshold == 0.3 and advice.suggested.f1 == 1.0


def test_advice_refuses_to_fit_a_handful_of_labels() -> None:
    from monitor.classify.thresholds import advise

    advice = advise([0.9, 0.1, 0.8], [True, False, True], current=0.5)
    assert advice.suggested is None and "need at least 20" in advice.needed


def test_tune_threshold_reads_the_brand_s_labels(tmp_path: Path) -> None:
    from monitor.core.models import Classification

    db = tmp_path / "amends.db"
    store = Store.open(db)
    brands = ["Acme"] * 22 + ["Other"] * 3
    mentions = [replace(_mention(i, f"post {i}"), brand=b) for i, b in enumerate(brands)]
    ids = store.save_batch(Batch(source="demo", mentions=mentions), now=NOW).new_ids
    scores = [0.35] * 11 + [0.1] * 11 + [0.9] * 3
    store.save_classifications(
        [
            (
                mention_id,
                Classification(
                    complaint=score >= 0.5,
                    complaint_score=score,
                    sentiment="negative",
                    sentiment_scores={"negative": 1.0, "neutral": 0.0, "positive": 0.0},
                    model="builtin",
                    model_version="test",
                ),
            )
            for mention_id, score in zip(ids, scores, strict=True)
        ],
        now=NOW,
    )
    for mention_id, score in zip(ids, scores, strict=True):
        store.add_feedback(mention_id, score > 0.3, "sam", now=NOW)
    store.close()
    tuned = _cli(db, "tune-threshold", "--brand", "Acme")
    assert tuned.returncode == 0, tuned.stderr
    assert "22 labelled mentions for brand 'Acme', 11 of them complaints" in tuned.stdout
    # Every threshold from 0.15 to 0.35 separates them; the one nearest 0.5 is kept.
    assert 'brand_thresholds = { "Acme" = 0.35 }' in tuned.stdout
    few = _cli(db, "tune-threshold", "--brand", "Other")
    assert few.returncode != 0 and "too few labels" in few.stderr


def test_build_reads_the_encoder_from_a_given_model_dir(tmp_path: Path) -> None:
    """``model_dir`` (cv_classify's --model-dir) replaces the packaged MiniLM: the same
    files with one layer's output zeroed give other features than the packaged ones."""
    import shutil

    import torch
    from safetensors.torch import load_file, save_file

    from monitor.classify.packaged import packaged_model_dir
    from monitor.classify.training import Recipe, build

    data = _synthetic_data(tmp_path / "data")
    changed = tmp_path / "minilm"
    changed.mkdir()
    shutil.copy(packaged_model_dir() / "tokenizer.json", changed / "tokenizer.json")
    weights = load_file(str(packaged_model_dir() / "model.safetensors"))
    weights["encoder.layer.5.output.dense.weight"] = torch.zeros_like(
        weights["encoder.layer.5.output.dense.weight"]
    )
    save_file(weights, str(changed / "model.safetensors"))
    recipe = Recipe(first_tuned=6, rank=0, sentiment_rows=64, epochs=0)

    def quiet(_: str) -> None:
        pass

    _, _, packaged, _ = build(data, recipe, progress=quiet)
    _, _, same, _ = build(data, recipe, progress=quiet, model_dir=packaged_model_dir())
    _, _, other, _ = build(data, recipe, progress=quiet, model_dir=changed)
    assert np.allclose(packaged["comp_test"], same["comp_test"])
    assert not np.allclose(packaged["comp_test"], other["comp_test"], atol=1e-3)


def test_build_hands_over_its_adapters_and_resumes_from_them(tmp_path: Path) -> None:
    """A fold cut short after training (cv_classify on a device with a time limit)
    finishes from the adapters it kept, without training again: the same features."""
    from monitor.classify.training import Recipe, build

    data = _synthetic_data(tmp_path / "data")
    recipe = Recipe(first_tuned=5, rank=2, sentiment_rows=64, epochs=1)
    kept: list[dict[str, np.ndarray]] = []
    messages: list[str] = []
    _, adapters, trained, _ = build(data, recipe, progress=lambda _: None, trained=kept.append)
    assert len(kept) == 1 and kept[0].keys() == adapters.keys()
    assert all(np.array_equal(kept[0][k], adapters[k]) for k in adapters)
    _, _, resumed, _ = build(data, recipe, progress=messages.append, adapters=kept[0])
    assert not any(m.startswith("step ") for m in messages)  # no training steps
    assert np.allclose(trained["comp_test"], resumed["comp_test"], atol=1e-5)
    _, _, untrained, _ = build(
        data, Recipe(first_tuned=5, rank=2, sentiment_rows=64, epochs=0), progress=lambda _: None
    )
    assert not np.allclose(trained["comp_test"], untrained["comp_test"], atol=1e-3)


def test_too_few_sentiment_rows_for_the_recipe_is_a_clear_error(tmp_path: Path) -> None:
    from monitor.classify.training import Recipe, load_sets

    data = _synthetic_data(tmp_path / "data")  # 120 TweetEval rows
    with pytest.raises(AmendsError, match="120 training rows, too few for 120 to train on"):
        load_sets(data, Recipe(sentiment_rows=120))
    assert len(load_sets(data, Recipe(sentiment_rows=119)).sent_dev.texts) == 1
