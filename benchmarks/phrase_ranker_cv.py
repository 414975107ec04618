"""Experiment: would a learned ranker pick the problem phrase better than the rules?

    HF_HUB_OFFLINE=1 python benchmarks/phrase_ranker_cv.py [--cache-dir ~/.cache/amends]

Over the annotated tuning rows of ``bench_drafts.py`` (998 posts, 910 with a phrase):
every candidate ``monitor.respond.phrases.candidates`` offers is described by the
rules' own signals (the hint, the problem slot, the MiniLM similarity to the post,
opener, length, position, ...), optionally with its MiniLM vector, and labelled by
whether it echoes the annotated phrase (the benchmark's echo rule). A logistic
regression is trained on all splits but one and picks the best candidate of each post
of that split, for each of the 18 splits in turn (leave one split out), so no post is
ranked by a model that saw it. Compared, on the phrase alone (not the draft), with
the phrase ``analyse`` picks now and with the best any ranking could do. Not a test.

2026-11-28, 2-core AMD EPYC: the rules pick an echoing phrase on 507/910 (55.7 %; tuned
on these rows, so optimistic); any ranking of today's candidates could reach 647
(71.1 %). Learned, leave one split out: hand signals 519 (57.0 %) at C=0.1, 516 at
C=1; with the candidate's vector 493 and 478. Not adopted: within the noise of 910
posts (about 1.6 points), and the ceiling is the candidates, not their order.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

OPENERS = ("my", "the", "a", "your", "this", "")


def describe(text: str, category: str, embedder) -> list[tuple[list[float], np.ndarray, str]]:
    """(signals, vector, echo) of every candidate of ``text``."""
    from monitor.respond import phrases as P
    from monitor.respond.checker import points_elsewhere

    found = P.candidates(text)
    if not found:
        return []
    avoid = (
        frozenset() if category == "contact" and not P.private_message(text) else P.CHANNEL_HEADS
    )
    plain = " ".join(P.strip_noise(text).split())
    whole = embedder.embed([text])[0]
    vectors = embedder.embed([" ".join(p.words) for p in found])
    out = []
    for rank, (p, vector) in enumerate(zip(found, vectors, strict=True)):
        body = " ".join(p.words)
        signals = [
            P.in_problem_slot(p, plain),
            P._avoided(p, avoid),
            points_elsewhere(p.echo),
            P._hint(p),
            P._PROBLEM_NOUN.match(p.words[-1]) is not None,
            body.lower() in P._GENERIC,
            all(w[:1].isupper() for w in p.words),
            plain.lower().find(body.lower()) / max(1, len(plain)),
            any(ch.isdigit() for ch in body),
            float(vector @ whole),
            1 / (1 + rank),
            rank == len(found) - 1,
            len(p.words),
            len(found),
            len(p.words) == 1 and not p.opener,
            *[(p.opener == o) if o else not p.opener for o in OPENERS],
        ]
        out.append(([float(s) for s in signals], vector, p.echo))
    return out


def main() -> None:
    import bench_drafts as bench
    from sklearn.linear_model import LogisticRegression

    from monitor.classify.embedding import drafting_embedder
    from monitor.config import DraftingSettings
    from monitor.core.models import Mention
    from monitor.respond.analysis import analyse, category_set

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", type=Path, default=Path("~/.cache/amends"))
    args = parser.parse_args()
    if not bench.DATA.exists():
        print(f"skipped: {bench.DATA} is not here")
        return
    embedder = drafting_embedder(args.cache_dir.expanduser())
    categories = category_set(DraftingSettings(), embedder)
    posts = []
    for row in bench.load_rows("tune")[0]:
        mention = Mention(
            platform="x",
            platform_id=str(row.note["id"]),
            author="customer",
            text=row.text,
            url="https://example.com/post",
            created_at=datetime.now(UTC),
        )
        analysis = analyse(mention, embedder=embedder, categories=categories)
        phrase = str(row.note["phrase"] or "")
        cands = describe(row.text, analysis.category, embedder)
        labels = [bool(phrase) and bench.echoes(phrase, echo) for _, _, echo in cands]
        chosen = analysis.specifics.get("problem")
        rules = bool(phrase and chosen) and bench.echoes(phrase, str(chosen))
        posts.append((row.note["split"], phrase, cands, labels, rules))
    phrased = [p for p in posts if p[1]]
    print(
        f"{len(phrased)} posts with a phrase; the rules echo it on"
        f" {sum(p[4] for p in phrased)}, the best ranking could on"
        f" {sum(any(p[3]) for p in phrased)}"
    )
    splits = sorted({p[0] for p in posts})
    for with_vector in (False, True):
        for c in (0.1, 1.0):

            def rows_of(cands, with_vector=with_vector):
                return [s + (list(v) if with_vector else []) for s, v, _ in cands]

            hits = 0
            for held in splits:
                train = [p for p in posts if p[0] != held]
                x = np.array([r for p in train for r in rows_of(p[2])], dtype=np.float64)
                y = np.array([lab for p in train for lab in p[3]])
                mu, sd = x.mean(0), x.std(0) + 1e-6
                model = LogisticRegression(C=c, max_iter=3000).fit((x - mu) / sd, y)
                for _, _, cands, labels, _ in (p for p in phrased if p[0] == held):
                    if cands:
                        score = model.predict_proba((np.array(rows_of(cands)) - mu) / sd)[:, 1]
                        hits += labels[int(np.argmax(score))]
            print(
                f"learned, leave one split out, {'with' if with_vector else 'without'} the"
                f" candidate's vector, C={c}: {hits}/{len(phrased)}"
            )


if __name__ == "__main__":
    main()
