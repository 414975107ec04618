"""On the device: ``.gpu/minilm/pack.npz`` (``make_kit.py``) back to a float32
``model.safetensors`` beside it, the file name ``cv_classify.py --model-dir`` reads."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file


def main(model_dir: Path) -> None:
    pack = np.load(model_dir / "pack.npz")
    weights = {}
    for name in pack.files:
        if name.startswith("__"):
            continue
        weight = pack[name]
        if name.endswith("word_embeddings.weight"):
            full = np.zeros(tuple(pack["__shape__"]), dtype=weight.dtype)
            full[pack["__rows__"]] = weight
            weight = full
        tensor = torch.from_numpy(np.ascontiguousarray(weight))
        weights[name] = tensor.float() if tensor.dtype == torch.float16 else tensor
    save_file(weights, str(model_dir / "model.safetensors"))
    print(f"unpacked {len(weights)} tensors into {model_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
