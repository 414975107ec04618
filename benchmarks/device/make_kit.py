"""Build ``.gpu/kit.tar.xz``: what ``cv_classify.py`` needs on a device machine that the
working tree does not carry, under the 64 MiB a call may take.

    python benchmarks/device/make_kit.py [--data ../shared/data]

- ``data/``: the shared complaint and TweetEval files (``../shared`` does not travel);
- ``minilm/``: the packaged MiniLM in float16 with only the vocabulary rows that the
  shared data's prepared texts use (``unpack.py`` rebuilds a float32 safetensors file
  there; rows no text uses stay zero and are never read);
- ``site/emoji``: the ``emoji`` package, which the device's Python lacks.

About 38 MB; ``.gpu/`` is kept out of git by ``.git/info/exclude``. Then, on the device,
``FOLDS="lodo:transport k5:fold2" bash benchmarks/device/run_folds.sh`` with ``.gpu`` carried.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

MODEL_FILES = ("tokenizer.json", "config.json", "vocab.txt")
EMBEDDINGS = "word_embeddings.weight"


def used_rows(data: Path, model_dir: Path) -> np.ndarray:
    """Every token id the shared data's texts are read as (after ``prepare``), and the
    first 1,000 ids (the special and unused tokens)."""
    from monitor.classify.labelled import read_complaints, read_tweeteval
    from monitor.classify.tokens import load_tokenizer, token_ids

    texts = read_complaints(data / "complaints-acl2019" / "train.csv").texts
    for split in ("train", "val"):
        texts += read_tweeteval(data / "tweeteval-sentiment", split).texts
    ids = {i for row in token_ids(load_tokenizer(model_dir), texts) for i in row}
    return np.array(sorted(ids | set(range(1000))), dtype=np.int32)


def pack_model(model_dir: Path, rows: np.ndarray, out: Path) -> None:
    from safetensors.numpy import load_file

    packed: dict[str, np.ndarray] = {}
    for name, weight in load_file(str(model_dir / "model.safetensors")).items():
        if weight.dtype == np.float32:
            weight = weight.astype(np.float16)
        if name.endswith(EMBEDDINGS):
            packed["__rows__"], packed["__shape__"] = rows, np.array(weight.shape)
            weight = weight[rows]
        packed[name] = weight
    out.mkdir(parents=True)
    np.savez(out / "pack.npz", **packed)
    for name in MODEL_FILES:
        shutil.copy(model_dir / name, out / name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    import emoji

    from monitor.classify.packaged import packaged_model_dir

    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        for name in ("complaints-acl2019", "tweeteval-sentiment"):
            shutil.copytree(args.data / name, stage / "data" / name)
        shutil.copytree(Path(emoji.__file__).parent, stage / "site" / "emoji")
        model_dir = packaged_model_dir()
        pack_model(model_dir, used_rows(args.data, model_dir), stage / "minilm")
        kit = ROOT / ".gpu" / "kit.tar.xz"
        kit.parent.mkdir(exist_ok=True)
        with tarfile.open(kit, "w:xz") as tar:
            for part in ("data", "site", "minilm"):
                tar.add(stage / part, arcname=part)
    print(f"wrote {kit} ({kit.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
