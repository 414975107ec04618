"""The classifier heads in numpy: pooled encoder features -> sentiment and complaint.

Kept free of torch so the fast path needs only onnxruntime + numpy. The artifact
(``monitor/classify/data/classifier.npz``) holds these arrays plus the LoRA adapters that
are folded into the ONNX encoder when it is built, and, for a distilled student, the
weights of the layers it kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ARTIFACT = Path(__file__).parent / "data" / "classifier.npz"
# The packaged artifact of each built-in model: "builtin-fast" is a four-layer student
# distilled from the six tuned layers (monitor.classify.distil): a third faster for a
# whole `amends classify`, a little less accurate (bench_classify.py --model builtin-fast).
PACKAGED = {"builtin": ARTIFACT, "builtin-fast": ARTIFACT.with_name("classifier-fast.npz")}
HEAD_KEYS = ("mu", "sigma", "sent_w", "sent_b", "sent_t", "comp_w", "comp_b", "platt")


@dataclass(frozen=True)
class Heads:
    mu: np.ndarray  # (384,) feature standardisation
    sigma: np.ndarray
    sent_w: np.ndarray  # (3, 384)
    sent_b: np.ndarray  # (3,)
    sent_t: float  # temperature fitted on held-out sentiment data
    comp_w: np.ndarray  # (387,): standardised features + sentiment probabilities
    comp_b: float
    platt: tuple[float, float]  # a, b: calibrated p = sigmoid(a * logit + b)

    def predict(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sentiment probabilities (n, 3), complaint probabilities (n,))."""
        z = (features.astype(np.float32) - self.mu) / self.sigma
        sent = softmax((z @ self.sent_w.T + self.sent_b) / self.sent_t)
        logit = np.concatenate([z, sent], axis=1) @ self.comp_w + self.comp_b
        a, b = self.platt
        return sent, sigmoid(a * logit + b)

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "mu": self.mu,
            "sigma": self.sigma,
            "sent_w": self.sent_w,
            "sent_b": self.sent_b,
            "sent_t": np.asarray(self.sent_t, np.float32),
            "comp_w": self.comp_w,
            "comp_b": np.asarray(self.comp_b, np.float32),
            "platt": np.asarray(self.platt, np.float32),
        }

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray]) -> Heads:
        platt = a["platt"]
        return cls(
            a["mu"],
            a["sigma"],
            a["sent_w"],
            a["sent_b"],
            float(a["sent_t"]),
            a["comp_w"],
            float(a["comp_b"]),
            (float(platt[0]), float(platt[1])),
        )


def active_artifact(cache_dir: Path, model: str = "builtin") -> Path:
    """The artifact in use for a built-in ``model``: one retrained with team feedback
    (``amends train --feedback`` writes it only when it is not worse), else the
    packaged one."""
    packaged = PACKAGED[model]
    local = Path(cache_dir).expanduser() / packaged.name
    return local if local.exists() else packaged


@dataclass(frozen=True)
class Artifact:
    heads: Heads
    adapters: dict[str, np.ndarray]  # MiniLM parameter name -> tuned tensor
    meta: dict  # recipe (first_tuned, rank, alpha, ...), metrics, student (layers kept)
    version: str  # short hash of the file: stored with every classification
    # A distilled student's layer weights (parameter name -> tensor), when the encoder
    # is a student with fewer layers: the adapters are then folded into its start.
    student: dict[str, np.ndarray] = field(default_factory=dict)


def load_artifact(path: Path = ARTIFACT, *, weights: bool = True) -> Artifact:
    """The artifact at ``path``; ``weights=False`` leaves the encoder's tensors (adapters,
    a student's layers) unread: classifying needs only the heads and the version, and a
    student's layers take a quarter of a second to decompress."""
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    with np.load(path, allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
        heads = Heads.from_arrays({k: npz[f"head.{k}"] for k in HEAD_KEYS})

        def part(prefix: str) -> dict[str, np.ndarray]:
            if not weights:
                return {}
            return {k.removeprefix(prefix): npz[k] for k in npz.files if k.startswith(prefix)}

        return Artifact(heads, part("adapter."), meta, version, part("student."))


def save_artifact(
    path: Path,
    heads: Heads,
    adapters: dict[str, np.ndarray],
    meta: dict,
    student: dict[str, np.ndarray] | None = None,
) -> str:
    arrays = {f"head.{k}": np.asarray(v, np.float32) for k, v in heads.arrays().items()}
    arrays |= {f"adapter.{k}": v.astype(np.float32) for k, v in adapters.items()}
    # A student's full layers in half precision: half the size, and the encoder built
    # from them is int8 anyway (figures in benchmarks/bench_classify.py).
    arrays |= {f"student.{k}": v.astype(np.float16) for k, v in (student or {}).items()}
    arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    # load_artifact reads with allow_pickle=False; saying so here too keeps **arrays
    # from being taken for that keyword.
    np.savez_compressed(tmp, allow_pickle=False, **arrays)
    tmp.replace(path)
    return load_artifact(path).version


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))
