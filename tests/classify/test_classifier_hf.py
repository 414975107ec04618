"""A configured Hugging Face model instead of the builtin one: a tiny random BERT
saved to a temporary directory (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.classify.classifier import HFClassifier, label_columns, load_classifier
from monitor.classify.packaged import packaged_model_dir
from monitor.config import ClassifierSettings


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    torch.manual_seed(0)
    out = tmp_path_factory.mktemp("tiny-bert")
    tok = BertTokenizerFast(vocab_file=str(packaged_model_dir() / "vocab.txt"))
    config = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=4,
        id2label={0: "NEG", 1: "NEU", 2: "POS", 3: "irony"},
        label2id={"NEG": 0, "NEU": 1, "POS": 2, "irony": 3},
    )
    BertForSequenceClassification(config).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def test_label_map_sends_model_labels_to_sentiments(tiny_model: Path, tmp_path: Path) -> None:
    settings = ClassifierSettings(
        model=str(tiny_model),
        label_map={"NEG": "negative", "NEU": "neutral", "POS": "positive"},
        complaint_threshold=0.3,
    )
    classifier = load_classifier(settings, tmp_path)
    assert isinstance(classifier, HFClassifier)
    assert classifier.name == f"hf:{tiny_model}"
    texts = ["my parcel never came", "", "thanks, all sorted"]
    results = classifier.classify(texts)
    assert len(results) == 3
    assert results[1].complaint is False and results[1].complaint_score == 0.0
    for r in (results[0], results[2]):
        assert sum(r.sentiment_scores.values()) == pytest.approx(1.0, abs=1e-5)
        # No complaint head: the complaint score is the (renormalised) negative probability.
        assert r.complaint_score == pytest.approx(r.sentiment_scores["negative"], abs=1e-6)
        assert r.complaint == (r.complaint_score >= 0.3)
        assert r.model_version == classifier.version


def test_unmapped_labels_drop_out_and_renormalise() -> None:
    cols = label_columns(["NEG", "NEU", "POS", "irony"], {"NEG": "negative", "POS": "positive"})
    # NEU is found by its prefix; "irony" maps to nothing.
    assert cols.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]
    assert label_columns(["LABEL_0", "LABEL_1", "LABEL_2"], {}).argmax(1).tolist() == [0, 1, 2]


def test_a_model_whose_labels_map_to_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="label_map"):
        label_columns(["spam", "ham"], {})


def test_brand_threshold_overrides_the_default(tiny_model: Path, tmp_path: Path) -> None:
    base = ClassifierSettings(model=str(tiny_model), label_map={"NEG": "negative"})
    score = load_classifier(base, tmp_path).classify(["late again"])[0].complaint_score
    assert 0.0 < score < 1.0
    low, high = max(score - 0.01, 0.001), min(score + 0.01, 0.999)
    settings = ClassifierSettings(
        model=str(tiny_model),
        label_map={"NEG": "negative"},
        complaint_threshold=high,
        brand_thresholds={"acme": low},
    )
    results = load_classifier(settings, tmp_path).classify(["late again"] * 2, ["acme", "other"])
    assert [r.complaint for r in results] == [True, False]
    assert np.isclose(results[0].complaint_score, score)
