"""Responder feedback: ``amends label`` writes to the real store, and a retrained
model replaces the active one only when it is not worse on held-out data."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from monitor.heads import Heads, active_artifact, load_artifact, save_artifact
from monitor.models import Batch, Mention
from monitor.store import Store
from monitor.training import not_worse

ROOT = Path(__file__).resolve().parents[1]
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


def _label(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("AMENDS_CONFIG", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from monitor.cli import main; main()",
            "--db",
            str(db),
            "label",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


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
    version = save_artifact(tmp_path / "classifier.npz", shifted, packaged.adapters, packaged.meta)
    assert active_artifact(tmp_path) == tmp_path / "classifier.npz"
    local = load_artifact(active_artifact(tmp_path))
    assert local.version == version != packaged.version
    assert np.isclose(local.heads.comp_b, packaged.heads.comp_b + 1.0)
