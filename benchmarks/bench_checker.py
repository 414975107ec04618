"""Benchmark: seconds the reply checker takes on long and hostile text.

    python benchmarks/bench_checker.py [--kb 100] [--repeat 3]

Runs ``check_reply`` (every rule, on every platform, without and with a
complaint to ground the reply in) on texts built to make a
backtracking regex rescan: one unbroken run of letters, dotted runs, runs of
"@", "sorry so so so ..." (an apology makes the over-apology rule run), ordinary
sentences. Each figure is the best of ``--repeat`` runs, so other load on the
machine inflates it less. The bar is half a second for 100 KB; before the e-mail
and over-apology patterns were made linear, a run of letters took about 70 s and
"sorry so so so ..." 80 s. Not a test: ``tests/respond/test_checker.py`` checks
what the patterns match.

2-core AMD EPYC (avx avx2 fma f16c, no avx512 nor VNNI), 2026-11-28: slowest 1.27 s
("dotted", X) while every word list was tried at every position; 0.42 s ("sorry so so")
once each list leads with the characters its matches start with
(``monitor.core.patterns.compile_fast``) and X's length is counted with one pattern.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.respond.checker import check_reply  # noqa: E402
from sources import PLATFORMS  # noqa: E402


def texts(size: int) -> dict[str, str]:
    """Inputs of ``size`` characters, each aimed at a different kind of rescan."""

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "letters": fill("a"),
        "dotted": fill("a."),
        "at signs": fill("ab@cd"),
        "address-like": fill("a.b+c-d@"),
        "sorry so so": "sorry " + fill("so ")[6:],
        "spaces": "sorry" + " " * (size - 10) + "DM us",
        "sentences": fill("We're sorry your parcel is late; DM us your order number. "),
    }


def best_of(text: str, platform: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        # With the text as its own complaint too: every grounding and echo rule runs.
        check_reply(text, platform=platform)
        check_reply(text, platform=platform, complaint=text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=100, help="text size in KB (1000 chars)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.kb * 1000
    print(f"check_reply on {args.kb} KB, best of {args.repeat} (seconds)")
    print(f"{'text':<14}" + "".join(f"{p:>10}" for p in PLATFORMS))
    worst = 0.0
    for name, text in texts(size).items():
        row = [best_of(text, platform, args.repeat) for platform in PLATFORMS]
        worst = max(worst, *row)
        print(f"{name:<14}" + "".join(f"{t:>10.3f}" for t in row))
    print(f"slowest {worst:.3f} s ({'within' if worst <= 0.5 else 'over'} the 0.5 s bar)")


if __name__ == "__main__":
    main()
