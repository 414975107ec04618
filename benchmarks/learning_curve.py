"""How complaint F1 grows with labelled complaint tweets: the packaged recipe
(`amends train`) trained on shares of the complaint training split.

    HF_HUB_OFFLINE=1 python benchmarks/learning_curve.py [--shares 0.5 0.75 1]
        [--data ../shared/data] [--threads 2]

Each share is a full training run: about 25 minutes on two cores, or 40 minutes
each for two runs side by side with ``--threads 1``, one share per process.
Nothing is written: the figures are printed, one line per share, on the held-out
complaint test split and on the dev split (which only calibrates). Whether more
labelled tweets would help is read off the slope.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--shares", type=float, nargs="+", default=[0.5, 0.75, 1.0])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import numpy as np
    import torch

    from monitor.classify.metrics import complaint_report
    from monitor.classify.training import Recipe, build, evaluate

    torch.set_num_threads(args.threads)
    print("share  rows  test P  test R  test F1  dev F1  sentiment MR  minutes", flush=True)
    for share in args.shares:
        started = time.monotonic()
        recipe = Recipe(complaint_share=share)
        heads, _, feats, sets = build(args.data, recipe, progress=lambda _: None)
        held_out = evaluate(heads, feats, sets)
        test = held_out["complaint_test"]
        _, dev_scores = heads.predict(feats["comp_dev"])
        dev = complaint_report(np.array(sets.comp_dev.complaint), dev_scores)
        print(
            f"{share:5.2f} {len(sets.comp_train.texts):5d}  {test['precision']:6.3f}"
            f"  {test['recall']:6.3f}  {test['f1']:7.3f}  {dev['f1']:6.3f}"
            f"  {held_out['tweeteval_val']['macro_recall']:12.3f}"
            f"  {(time.monotonic() - started) / 60:7.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
