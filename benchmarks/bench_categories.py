"""Category accuracy on the labelled complaints (tests/fixtures/complaints_labelled.jsonl).

    python benchmarks/bench_categories.py [--no-model] [--errors]

Prints overall and per-category accuracy for the combined classifier (MiniLM
similarity + cue words) and, for comparison, cue words alone. The set was
written by hand, in three splits: the cue lists and weights were tuned while
looking at the "dev" rows, so their score flatters; "holdout" was written before
any tuning, measured, and then used for a second round of tuning; "holdout2" was
written after that, before the second round, and is the fairest number.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from monitor.classify.embedding import Embedder, MiniLMEmbedder  # noqa: E402
from monitor.config import DraftingSettings  # noqa: E402
from monitor.core.models import Mention  # noqa: E402
from monitor.respond.analysis import analyse, category_set  # noqa: E402

FIXTURE = ROOT / "tests/fixtures/complaints_labelled.jsonl"
# The fixture predates the finer categories; each refines old labels and counts as right
# for them (the same rule as tests/respond/test_analysis.py).
REFINES = {
    "delay": {"delivery"},
    "disruption": {"delivery"},
    "luggage": {"delivery"},
    "quality": {"defect", "other"},
    "contact": {"staff"},
    "conditions": {"other"},
    "stock": {"other"},
}


def load() -> list[dict[str, str]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line]


def evaluate(rows: list[dict[str, str]], embedder: Embedder | None) -> list[tuple[str, str, str]]:
    cats = category_set(DraftingSettings(), embedder)
    out = []
    for i, row in enumerate(rows):
        mention = Mention(
            platform=row["platform"],
            platform_id=str(i),
            author=row["author"],
            text=row["text"],
            url="",
            created_at=datetime.now(UTC),
        )
        out.append(
            (
                row["category"],
                analyse(mention, embedder=embedder, categories=cats).category,
                row["text"],
            )
        )
    return out


def report(name: str, results: list[tuple[str, str, str]], errors: bool) -> None:
    total, right = Counter(), Counter()
    for want, got, _ in results:
        total[want] += 1
        right[want] += want == got or want in REFINES.get(got, set())
    print(
        f"{name}: {sum(right.values())}/{len(results)} = {sum(right.values()) / len(results):.1%}"
    )
    for key in sorted(total):
        print(f"  {key:<9} {right[key]:>2}/{total[key]:<2} {right[key] / total[key]:.0%}")
    if errors:
        for want, got, text in results:
            if want != got and want not in REFINES.get(got, set()):
                print(f"  ✗ {want} → {got}: {text[:90]}")


def main(argv: list[str]) -> None:
    rows = load()
    errors = "--errors" in argv
    embedders: list[tuple[str, Embedder | None]] = []
    if "--no-model" not in argv:
        start = time.perf_counter()
        embedders.append(("model + cues", MiniLMEmbedder()))
        print(f"(model loaded in {time.perf_counter() - start:.1f}s)")
    embedders.append(("cues only", None))
    for name, embedder in embedders:
        results = evaluate(rows, embedder)
        for split in ("dev", "holdout", "holdout2"):
            part = [
                r for r, row in zip(results, rows, strict=True) if row.get("split", "dev") == split
            ]
            report(f"{name}, {split}", part, errors)
        report(f"{name}, all", results, False)


if __name__ == "__main__":
    main(sys.argv[1:])
