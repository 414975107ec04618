"""The builtin classifier end to end: packaged MiniLM + committed adapters and heads,
the ONNX encoder built into a temporary cache dir, and the ``amends classify``
command's JSON contract (run as a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from monitor.classify.classifier import BuiltinClassifier, load_classifier
from monitor.classify.fastpath_build import BUILD_FORMAT
from monitor.classify.heads import ARTIFACT, PACKAGED, load_artifact
from monitor.config import ClassifierSettings

ROOT = Path(__file__).resolve().parents[2]
# An int8 product as the saved graph has it: quantised, its quantising fused in by
# onnxruntime (``DynamicQuantizeMatMul``) or the scales folded after it.
INT8_PRODUCTS = ("MatMulInteger", "DynamicQuantizeMatMul", "MatMulIntegerToFloat")

COMPLAINTS = [
    "@acme my order is three weeks late and nobody answers my emails. Unacceptable!",
    "@acme you charged my card twice and still no refund, worst service ever",
    "@acme the app crashes every time I try to pay, fix it please, this is ridiculous",
]
HAPPY = [
    "Thank you @acme, the team sorted it in minutes, absolutely brilliant service!",
    "I love my new headphones from @acme, best purchase this year",
]
NEUTRAL = ["The meeting is on Tuesday at 3pm in room 4."]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("amends-cache")


@pytest.fixture(scope="module")
def builtin(cache_dir: Path) -> BuiltinClassifier:
    classifier = load_classifier(ClassifierSettings(), cache_dir)
    assert isinstance(classifier, BuiltinClassifier)
    return classifier


def test_the_encoder_is_built_once_into_the_cache_dir(
    builtin: BuiltinClassifier, cache_dir: Path
) -> None:
    (built,) = cache_dir.glob(f"minilm-{builtin.version}-int8-*.onnx")
    stamp = built.stat().st_mtime_ns
    again = load_classifier(ClassifierSettings(), cache_dir)
    assert again.version == builtin.version
    assert built.stat().st_mtime_ns == stamp  # reused, not rebuilt


def test_a_new_build_format_replaces_the_old_build_of_the_same_model(tmp_path: Path) -> None:
    version = load_artifact().version
    old_build = tmp_path / f"minilm-{version}-int8-b1.onnx"
    other_model = tmp_path / "minilm-0123456789ab-int8-b1.onnx"
    for path in (old_build, other_model):
        path.write_bytes(b"an encoder built the old way")
    classifier = load_classifier(ClassifierSettings(), tmp_path)
    assert classifier.version == version
    assert [p.name for p in tmp_path.glob(f"minilm-{version}-*.onnx")] == [
        f"minilm-{version}-int8-{BUILD_FORMAT}.onnx"
    ]
    assert other_model.exists()  # another model version: not ours to remove


def test_every_large_product_is_int8_and_only_outlier_channels_stay_fp32(
    builtin: BuiltinClassifier, cache_dir: Path
) -> None:
    import onnx

    from monitor.classify.outlier_split import OUTLIER_PRODUCT

    (built,) = cache_dir.glob(f"minilm-{builtin.version}-int8-*.onnx")
    graph = onnx.load(str(built)).graph
    weights = {w.name: w for w in graph.initializer}
    fp32 = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]
    # The 36 projections are int8; what stays fp32 is the outlier channels' share,
    # a product over at most a few input channels each.
    assert fp32 and all(n.name.endswith(OUTLIER_PRODUCT) for n in fp32)
    assert all(weights[n.input[1]].dims[0] <= 4 for n in fp32)
    assert "/layers.0/out/MatMul" + OUTLIER_PRODUCT in {n.name for n in fp32}
    assert sum(n.op_type in INT8_PRODUCTS for n in graph.node) == 36
    # Saved with onnxruntime's fusions done: the encoder opens it without redoing any.
    assert {"SkipLayerNormalization", "BiasGelu"} <= {n.op_type for n in graph.node}


def test_version_is_the_artifact_hash(builtin: BuiltinClassifier) -> None:
    import hashlib

    assert builtin.version == hashlib.sha256(ARTIFACT.read_bytes()).hexdigest()[:12]
    assert builtin.name == "builtin"


def test_unambiguous_texts(builtin: BuiltinClassifier) -> None:
    results = builtin.classify(COMPLAINTS + HAPPY + NEUTRAL)
    for r in results[:3]:
        assert r.complaint and r.complaint_score > 0.5 and r.sentiment == "negative"
    for r in results[3:5]:
        assert not r.complaint and r.complaint_score < 0.5 and r.sentiment == "positive"
    assert not results[5].complaint and results[5].sentiment == "neutral"
    for r in results:
        assert sum(r.sentiment_scores.values()) == pytest.approx(1.0, abs=1e-5)
        assert r.model_version == builtin.version


def test_the_fast_model_is_the_distilled_student(cache_dir: Path) -> None:
    fast = load_classifier(ClassifierSettings(model="builtin-fast"), cache_dir)
    assert isinstance(fast, BuiltinClassifier) and fast.name == "builtin-fast"
    assert fast.version == load_artifact(PACKAGED["builtin-fast"]).version
    (built,) = cache_dir.glob(f"minilm-{fast.version}-int8-*.onnx")
    import onnx

    # Four layers of six: 6 int8 products each (the feed-forward ones split in two).
    graph = onnx.load(str(built)).graph
    assert sum(n.op_type in INT8_PRODUCTS for n in graph.node) == 24
    results = fast.classify(COMPLAINTS + HAPPY + NEUTRAL)
    assert [r.complaint for r in results] == [True, True, True, False, False, False]
    assert [r.sentiment for r in results[3:5]] == ["positive", "positive"]
    assert all(r.model == "builtin-fast" for r in results)


def test_empty_texts_and_order(builtin: BuiltinClassifier) -> None:
    texts = ["", COMPLAINTS[0], "   ", HAPPY[0], COMPLAINTS[0]]
    results = builtin.classify(texts)
    assert [r.complaint for r in results] == [False, True, False, False, True]
    assert results[0].complaint_score == 0.0 and results[0].sentiment == "neutral"
    assert results[1] == results[4]  # identical texts, identical answers (cache)
    assert builtin.classify([]) == []


def test_brand_thresholds(cache_dir: Path) -> None:
    settings = ClassifierSettings(brand_thresholds={"acme": 0.999})
    classifier = load_classifier(settings, cache_dir)
    results = classifier.classify([COMPLAINTS[0]] * 2, ["acme", "other"])
    assert [r.complaint for r in results] == [results[0].complaint_score >= 0.999, True]


def test_fast_path_matches_torch_fp32(builtin: BuiltinClassifier) -> None:
    """The int8 ONNX encoder stays close to the fp32 torch model it was built from."""
    import torch

    from monitor.classify.minilm_torch import from_artifact
    from monitor.classify.packaged import packaged_model_dir
    from monitor.classify.tokens import load_tokenizer, pad, token_ids

    art = load_artifact()
    model = from_artifact(art).eval()  # the shipped encoder: a student, if distilled
    texts = COMPLAINTS + HAPPY + NEUTRAL
    ids, mask = pad(token_ids(load_tokenizer(packaged_model_dir()), texts))
    with torch.no_grad():
        reference = model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    sent_ref, comp_ref = art.heads.predict(reference)
    fast = builtin.classify(texts)
    # int8 moves single scores by up to ~0.1; held-out figures move by under a point.
    assert np.abs(np.array([r.complaint_score for r in fast]) - comp_ref).max() < 0.15
    assert [r.sentiment for r in fast] == [
        ("negative", "neutral", "positive")[i] for i in sent_ref.argmax(1)
    ]


ANGRY = ["😡😡😡", "😠", "🤬"]
SAD = ["😢😭", "😞", "💔"]
GLAD = ["🙂", "😍🎉", "😂😂👍", "❤️"]


def test_emoji_only_posts_read_as_their_meaning(builtin: BuiltinClassifier) -> None:
    """Before emoji were written out as words, every one of these was the same unknown
    token: "😡😡😡" scored positive, like "🙂"."""
    results = builtin.classify(ANGRY + SAD + GLAD)
    angry, sad, glad = results[:3], results[3:6], results[6:]
    assert [r.sentiment for r in angry + sad] == ["negative"] * 6
    assert [r.sentiment for r in glad] == ["positive"] * 4
    # A wordless post is not a complaint on its own, but anger is nearer one than joy:
    # on average (post by post, "🤬" scores 0.022 against "😂😂👍" 0.028, both nil).
    assert np.mean([r.complaint_score for r in angry]) > 3 * np.mean(
        [r.complaint_score for r in glad]
    )


def test_emoticons_read_as_their_meaning(builtin: BuiltinClassifier) -> None:
    frown, smile = builtin.classify(["the parcel came today :(", "the parcel came today :)"])
    assert frown.sentiment_scores["negative"] > smile.sentiment_scores["negative"]
    assert smile.sentiment_scores["positive"] > frown.sentiment_scores["positive"]


def test_embed_is_normalised_and_semantic(builtin: BuiltinClassifier) -> None:
    vectors = builtin.embed(
        ["my parcel is late", "the delivery has not arrived", "I like jazz", ""]
    )
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_a_text_s_drafting_vector_does_not_depend_on_its_batch(cache_dir: Path) -> None:
    # The int8 graph scales activations over a whole batch, padding included: batched, a
    # phrase's vector (and so the phrase a draft echoes) would shift with its neighbours.
    text = "the printer"
    long = "a much longer post about a late train, a lost bag and a refund that never came"
    alone = load_classifier(ClassifierSettings(), cache_dir).embed([text])[0]
    batched = load_classifier(ClassifierSettings(), cache_dir).embed([long, text, "hi"])[1]
    assert np.array_equal(alone, batched)


# --- the command line, as a real process ------------------------------------------------


def _amends(args: list[str], cache_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    # Reports whether torch was imported: `amends classify` must not need it.
    code = (
        "import sys; from monitor.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
        "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    env.pop("AMENDS_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args, "--cache-dir", str(cache_dir)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_classify_cli_json_contract(builtin: BuiltinClassifier, cache_dir: Path) -> None:
    lines = [COMPLAINTS[1], "", HAPPY[1], NEUTRAL[0]]
    proc = _amends(["classify", "-"], cache_dir, "\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().endswith("NO-TORCH")
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(objs) == 4
    assert set(objs[0]) == {"complaint", "complaint_score", "sentiment", "sentiment_scores"}
    assert [o["complaint"] for o in objs] == [True, False, False, False]
    assert objs[1] == {
        "complaint": False,
        "complaint_score": 0.0,
        "sentiment": "neutral",
        "sentiment_scores": {"negative": 0.0, "neutral": 1.0, "positive": 0.0},
    }
    assert objs[2]["sentiment"] == "positive"
    direct = builtin.classify(lines)
    # Dynamic int8 scales activations per batch, so a text's batch-mates (here: those it
    # was first encoded with, then cached) move its score by up to ~0.05-0.1.
    got = np.array([o["complaint_score"] for o in objs])
    assert np.abs(got - [r.complaint_score for r in direct]).max() < 0.1


def test_classify_cli_jsonl_and_file(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rows = [{"text": HAPPY[0], "id": 1}, {"text": COMPLAINTS[2], "brand": "acme"}, {"text": ""}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n", encoding="utf-8")
    proc = _amends(["classify", str(path), "--format", "jsonl"], cache_dir)
    assert proc.returncode == 0, proc.stderr
    objs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["complaint"] for o in objs] == [False, True, False, False]


def test_eval_cli_on_a_fixture(cache_dir: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "classifier" / "complaints.csv"
    proc = _amends(["eval", str(fixture), "--json"], cache_dir)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    complaint = report["complaint"]
    assert complaint["n"] == 10
    assert set(complaint) >= {"accuracy", "precision", "recall", "f1", "macro_f1", "macro_recall"}
    assert complaint["f1"] >= 0.8  # five blatant complaints, five plainly not
    for figure in ("f1", "macro_f1"):
        low, high = complaint[f"{figure}_95ci"]
        assert low <= complaint[figure] <= high
    assert report["model"]["name"] == "builtin"


def test_eval_cli_held_out_split_only(cache_dir: Path, tmp_path: Path) -> None:
    import csv

    path = tmp_path / "complaints.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text", "label", "domain"])
        for i in range(30):
            writer.writerow([i, COMPLAINTS[i % 3] if i % 2 else HAPPY[i % 2], i % 2, "retail"])
    proc = _amends(["eval", str(path), "--held-out", "--json"], cache_dir)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["complaint"]["n"] == 6  # a fifth of each label
