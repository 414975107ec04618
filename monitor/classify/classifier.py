"""Complaint and sentiment classification of mentions.

``builtin`` (the default) is the packaged MiniLM-L6 with our LoRA adapters and
heads (``monitor/classify/data/classifier.npz``), run through the ONNX fast path. Any
Hugging Face sequence-classification model can be configured instead; its
labels are mapped to negative/neutral/positive and, having no complaint head,
its complaint score is the probability of its negative labels.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from monitor.classify.labelled import SENTIMENTS
from monitor.core.models import Classification

if TYPE_CHECKING:
    from monitor.config import ClassifierSettings

logger = logging.getLogger(__name__)
Progress = Callable[[int], None]


class Classifier(Protocol):
    name: str
    version: str

    def classify(
        self, texts: Sequence[str], brands: Sequence[str | None] | None = None
    ) -> list[Classification]: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class Scored:
    """Turns probabilities into Classifications: thresholds, empty texts, names."""

    name: str
    version: str

    def __init__(self, threshold: float, brand_thresholds: dict[str, float]) -> None:
        self._threshold = threshold
        self._brand_thresholds = brand_thresholds

    def set_thresholds(self, threshold: float, brand_thresholds: dict[str, float]) -> None:
        """A reloaded config's thresholds (SIGHUP); the model stays as loaded."""
        self._threshold = threshold
        self._brand_thresholds = dict(brand_thresholds)

    def scores(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def classify(
        self,
        texts: Sequence[str],
        brands: Sequence[str | None] | None = None,
        progress: Progress | None = None,
    ) -> list[Classification]:
        if brands is not None and len(brands) != len(texts):
            raise ValueError("brands must be None or one per text")
        real = [i for i, t in enumerate(texts) if t and t.strip()]
        sent, comp = self.scores([texts[i] for i in real], progress)
        results = [self._empty()] * len(texts)
        for row, i in enumerate(real):
            brand = brands[i] if brands is not None else None
            threshold = self._brand_thresholds.get(brand or "", self._threshold)
            probs: dict[str, float] = {
                name: float(p) for name, p in zip(SENTIMENTS, sent[row], strict=True)
            }
            results[i] = Classification(
                complaint=bool(comp[row] >= threshold),
                complaint_score=float(comp[row]),
                sentiment=SENTIMENTS[int(np.argmax(sent[row]))],
                sentiment_scores=probs,
                model=self.name,
                model_version=self.version,
            )
        if progress and len(real) < len(texts):
            progress(len(texts) - len(real))
        return results

    def _empty(self) -> Classification:
        # Nothing to read is nothing to answer: a neutral non-complaint.
        return Classification(
            complaint=False,
            complaint_score=0.0,
            sentiment="neutral",
            sentiment_scores={"negative": 0.0, "neutral": 1.0, "positive": 0.0},
            model=self.name,
            model_version=self.version,
        )


class BuiltinClassifier(Scored):
    """MiniLM-L6 + adapters (ONNX, int8) + numpy heads."""

    name = "builtin"

    def __init__(
        self,
        settings: ClassifierSettings,
        cache_dir: Path,
        artifact: Path | None = None,
        *,
        quantize: bool = True,
    ) -> None:
        from monitor.classify.embedding import drafting_embedder, open_encoder
        from monitor.classify.encoders import artifact_spec
        from monitor.classify.heads import active_artifact, load_artifact

        super().__init__(settings.complaint_threshold, dict(settings.brand_thresholds))
        path = artifact or active_artifact(cache_dir, settings.model)
        self.name = settings.model  # "builtin" or "builtin-fast", stored with each verdict
        art = load_artifact(path, weights=False)  # the encoder is built from it elsewhere
        self.version = art.version
        self.heads = art.heads
        self._encoder = open_encoder(
            artifact_spec(path, art.version, quantize=quantize),
            cache_dir,
            settings.threads,
            settings.batch_size,
        )
        self._embedder = drafting_embedder(cache_dir, settings.threads)

    def scores(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if not texts:
            return np.zeros((0, 3), np.float32), np.zeros(0, np.float32)
        return self.heads.predict(self._encoder.encode(texts, progress))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._embedder.embed(texts)


class HFClassifier(Scored):
    """A transformers sequence-classification model (local directory or hub id)."""

    def __init__(self, settings: ClassifierSettings, cache_dir: Path) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from monitor.classify.embedding import quiet_transformers

        super().__init__(settings.complaint_threshold, dict(settings.brand_thresholds))
        quiet_transformers()
        local = Path(settings.model).expanduser().is_dir()
        source = str(Path(settings.model).expanduser()) if local else settings.model
        self._torch = torch
        torch.set_num_threads(settings.threads)
        self._tok = AutoTokenizer.from_pretrained(source, local_files_only=local)
        self._model = AutoModelForSequenceClassification.from_pretrained(
            source, local_files_only=local
        ).eval()
        labels = [self._model.config.id2label[i] for i in range(self._model.config.num_labels)]
        self._columns = label_columns(labels, dict(settings.label_map))
        self.name = f"hf:{settings.model}"
        self.version = hashlib.sha256(self._model.config.to_json_string().encode()).hexdigest()[:12]
        self._batch = settings.batch_size
        self._cache_dir, self._threads = cache_dir, settings.threads

    def scores(
        self, texts: Sequence[str], progress: Progress | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        probs = np.zeros((len(texts), self._model.config.num_labels), np.float32)
        for start in range(0, len(texts), self._batch):
            chunk = list(texts[start : start + self._batch])
            enc = self._tok(
                chunk, padding=True, truncation=True, max_length=128, return_tensors="pt"
            )
            with self._torch.inference_mode():
                logits = self._model(**enc).logits
            probs[start : start + len(chunk)] = logits.softmax(-1).numpy()
            if progress:
                progress(len(chunk))
        sent = probs @ self._columns
        # Labels mapped to nothing (e.g. "irony") drop out; renormalise the rest.
        total = sent.sum(1, keepdims=True)
        sent = np.where(total > 0, sent / np.maximum(total, 1e-12), 1 / 3)
        return sent, sent[:, 0]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from monitor.classify.embedding import drafting_embedder

        return drafting_embedder(self._cache_dir, self._threads).embed(texts)


def label_columns(labels: list[str], label_map: dict[str, str]) -> np.ndarray:
    """(num_labels, 3) 0/1 matrix sending each model label to a sentiment."""
    guess = {"label_0": "negative", "label_1": "neutral", "label_2": "positive"}
    out = np.zeros((len(labels), 3), np.float32)
    for i, label in enumerate(labels):
        name = label_map.get(label) or label_map.get(label.lower())
        if name is None and len(labels) == 3:
            name = guess.get(label.lower())
        if name is None:
            name = next((s for s in SENTIMENTS if label.lower().startswith(s[:3])), None)
        if name is not None:
            out[i, SENTIMENTS.index(name)] = 1.0
    if not out.any():
        raise ValueError(f"none of the model's labels {labels} maps to a sentiment; set label_map")
    return out


def load_classifier(settings: ClassifierSettings, cache_dir: Path) -> Classifier:
    cache_dir = Path(cache_dir).expanduser()
    from monitor.classify.heads import PACKAGED

    if settings.model in PACKAGED:
        return BuiltinClassifier(settings, cache_dir)
    return HFClassifier(settings, cache_dir)
