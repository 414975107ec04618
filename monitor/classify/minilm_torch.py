"""MiniLM-L6 (BERT) written out in plain torch, for training and ONNX export only.

Writing the few layers out ourselves (rather than calling transformers) keeps the
LoRA adapters explicit, lets training start from cached hidden states of the
frozen lower layers, and gives the ONNX exporter a small graph with no
version-dependent attention code. The daemon never imports this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import torch
from torch import nn

if TYPE_CHECKING:
    from monitor.classify.heads import Artifact

HIDDEN = 384
HEADS = 12
LAYERS = 6
LN_EPS = 1e-12


def load_weights(model_dir: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    return load_file(str(model_dir / "model.safetensors"))


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update ``B @ A`` (zero at start)."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, rank: int, alpha: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight.clone(), requires_grad=False)
        self.bias = nn.Parameter(bias.clone(), requires_grad=False)
        self.rank = rank
        self.scale = alpha / rank if rank else 0.0
        if rank:
            self.lora_a = nn.Parameter(
                torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1])
            )
            self.lora_b = nn.Parameter(torch.zeros(weight.shape[0], rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = nn.functional.linear(x, self.weight, self.bias)
        if self.rank:
            out = out + (x @ self.lora_a.T @ self.lora_b.T) * self.scale
        return out

    def merged(self) -> torch.Tensor:
        if not self.rank:
            return self.weight.detach()
        return (self.weight + self.scale * self.lora_b @ self.lora_a).detach()


class Layer(nn.Module):
    NAMES = ("query", "key", "value", "attn_out", "inter", "out")
    # Set by name in __init__ (one per KEYS entry), declared for the type checker.
    query: LoRALinear
    key: LoRALinear
    value: LoRALinear
    attn_out: LoRALinear
    inter: LoRALinear
    out: LoRALinear
    KEYS: ClassVar[dict[str, str]] = {
        "query": "attention.self.query",
        "key": "attention.self.key",
        "value": "attention.self.value",
        "attn_out": "attention.output.dense",
        "inter": "intermediate.dense",
        "out": "output.dense",
    }

    def __init__(self, w: dict[str, torch.Tensor], prefix: str, rank: int, alpha: float) -> None:
        super().__init__()
        for name, key in self.KEYS.items():
            lin = LoRALinear(w[f"{prefix}.{key}.weight"], w[f"{prefix}.{key}.bias"], rank, alpha)
            setattr(self, name, lin)
        self.ln1 = _layer_norm(w, f"{prefix}.attention.output.LayerNorm", trainable=rank > 0)
        self.ln2 = _layer_norm(w, f"{prefix}.output.LayerNorm", trainable=rank > 0)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        d = HIDDEN // HEADS

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, HEADS, d).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        x = self.ln1(x + self.drop(self.attn_out(ctx)))
        h = self.out(nn.functional.gelu(self.inter(x)))
        return self.ln2(x + self.drop(h))


def _layer_norm(w: dict[str, torch.Tensor], prefix: str, trainable: bool) -> nn.LayerNorm:
    ln = nn.LayerNorm(HIDDEN, eps=LN_EPS)
    ln.weight = nn.Parameter(w[f"{prefix}.weight"].clone(), requires_grad=trainable)
    ln.bias = nn.Parameter(w[f"{prefix}.bias"].clone(), requires_grad=trainable)
    return ln


class MiniLM(nn.Module):
    """Embeddings + 6 layers; layers from ``first_tuned`` on carry LoRA adapters."""

    def __init__(
        self,
        w: dict[str, torch.Tensor],
        *,
        first_tuned: int = LAYERS,
        rank: int = 0,
        alpha: float = 16.0,
    ) -> None:
        super().__init__()
        self.word = nn.Parameter(w["embeddings.word_embeddings.weight"], requires_grad=False)
        self.pos = nn.Parameter(w["embeddings.position_embeddings.weight"], requires_grad=False)
        self.typ = nn.Parameter(w["embeddings.token_type_embeddings.weight"], requires_grad=False)
        self.emb_ln = _layer_norm(w, "embeddings.LayerNorm", trainable=False)
        self.first_tuned = first_tuned
        self.layers = nn.ModuleList(
            Layer(w, f"encoder.layer.{i}", rank if i >= first_tuned else 0, alpha)
            for i in range(LAYERS)
        )

    @property
    def device(self) -> torch.device:
        return self.word.device

    @staticmethod
    def mask_bias(mask: torch.Tensor) -> torch.Tensor:
        return ((1.0 - mask.to(torch.float32)) * -1e4)[:, None, None, :]

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1], device=ids.device)
        return self.emb_ln(self.word[ids] + self.pos[positions][None] + self.typ[0])

    def run(self, x: torch.Tensor, mask: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        bias = self.mask_bias(mask)
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean-pooled (not normalised) last hidden state."""
        return mean_pool(self.run(self.embed_tokens(ids), mask, 0, len(self.layers)), mask)

    def keep_layers(self, kept: Sequence[int]) -> None:
        """Keep only the layers ``kept``, in that order: the start of a distilled student,
        whose every layer is its own (none frozen below a first tuned one)."""
        self.layers = nn.ModuleList(self.layers[i] for i in kept)
        self.first_tuned = 0


def pad_ids(
    rows: Sequence[Sequence[int]], device: torch.device | str = "cpu"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Token rows as (ids, mask) tensors padded to the longest, on ``device``."""
    from monitor.classify.tokens import pad

    ids, mask = pad(rows)
    return torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.to(hidden.dtype).unsqueeze(-1)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def adapter_state(model: MiniLM) -> dict[str, np.ndarray]:
    """The trainable tensors only (LoRA factors, tuned LayerNorms) as float32 arrays."""
    return {
        name: p.detach().cpu().numpy().astype(np.float32)
        for name, p in model.named_parameters()
        if p.requires_grad
    }


def load_adapters(model: MiniLM, arrays: dict[str, np.ndarray]) -> None:
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in arrays.items():
            params[name].copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)))


def merge_adapters(model: MiniLM) -> None:
    """Fold each LoRA update into its frozen weight so export sees plain linears."""
    with torch.no_grad():
        for layer in model.layers:
            for name in Layer.NAMES:
                lin: LoRALinear = getattr(layer, name)
                if lin.rank:
                    lin.weight.copy_(lin.merged())
                    lin.rank = 0


def student_state(model: MiniLM) -> dict[str, np.ndarray]:
    """A distilled student's own weights: every layer's linears and LayerNorms (LoRA
    factors, folded in before distillation, are not part of it)."""
    return {
        name: p.detach().cpu().numpy().astype(np.float32)
        for name, p in model.named_parameters()
        if name.startswith("layers.") and "lora_" not in name
    }


def tuned(
    adapters: dict[str, np.ndarray],
    *,
    first_tuned: int,
    rank: int,
    alpha: float,
    model_dir: Path | None = None,
) -> MiniLM:
    """The packaged MiniLM with ``adapters`` folded into its weights."""
    from monitor.classify.packaged import packaged_model_dir

    model = MiniLM(
        load_weights(model_dir or packaged_model_dir()),
        first_tuned=first_tuned,
        rank=rank,
        alpha=alpha,
    )
    load_adapters(model, adapters)
    merge_adapters(model)
    return model


def from_artifact(art: Artifact, model_dir: Path | None = None) -> MiniLM:
    """The artifact's encoder in torch, adapters folded into the weights (as exported and
    as evaluated): the packaged MiniLM tuned; for a distilled student, only the layers it
    kept, carrying the student's weights."""
    recipe = art.meta["recipe"]
    model = tuned(
        art.adapters,
        first_tuned=recipe["first_tuned"],
        rank=recipe["rank"],
        alpha=recipe["alpha"],
        model_dir=model_dir,
    )
    if art.student:
        model.keep_layers(art.meta["student"]["layers"])
        load_adapters(model, art.student)
    return model
