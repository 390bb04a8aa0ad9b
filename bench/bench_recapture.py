"""The capture-recapture estimate on simulated years whose true number of trafficking chats is known.

For each scenario, RUNS years are drawn: every trafficking chat is flagged by the counsellor with
one chance and found by the screening with another. Printed: how often the 95% interval covers
the true number, the mean estimate against the truth, and the interval's mean width. The last
scenarios break the independence the estimate assumes (obvious chats are found by both), to show
what that costs: the estimate falls short and the interval covers less often.

    python bench/bench_recapture.py [RUNS]      (default 2000)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.analysis.recapture import chapman

# (name, true chats, chance flagged, chance screened, share of obvious chats that both find at 0.95)
SCENARIOS = [
    ("flag 0.80, screening 0.73 (its recall on texts zicht did not write)", 350, 0.80, 0.73, 0.0),
    ("a weaker screening", 350, 0.80, 0.40, 0.0),
    ("a small year, small overlap", 60, 0.30, 0.30, 0.0),
    ("a large network", 5_000, 0.60, 0.70, 0.0),
    ("dependent: a quarter obvious", 350, 0.80, 0.73, 0.25),
    ("dependent: half obvious", 350, 0.80, 0.73, 0.50),
]


def year(rng: random.Random, true: int, flag: float, screen: float, obvious: float) -> tuple[int, int, int]:
    first = second = both = 0
    for _ in range(true):
        easy = rng.random() < obvious
        f = rng.random() < (0.95 if easy else flag)
        s = rng.random() < (0.95 if easy else screen)
        first, second, both = first + f, second + s, both + (f and s)
    return first, second, both


def main(runs: int) -> None:
    rng = random.Random(2020)
    print(f"{runs} simulated years per scenario; 95% interval (Chapman, Chao's log-normal)")
    for name, true, flag, screen, obvious in SCENARIOS:
        started = time.perf_counter()
        estimates = [chapman(*year(rng, true, flag, screen, obvious)) for _ in range(runs)]
        covered = sum(e.low <= true <= e.high for e in estimates) / runs
        mean = statistics.fmean(e.total for e in estimates)
        width = statistics.fmean(e.high - e.low for e in estimates)
        print(
            f"  {name:66} true {true:>5}: covered {covered:6.1%}, mean estimate {mean:8.1f} ({mean / true - 1:+.1%}), "
            f"mean width {width:7.1f} ({time.perf_counter() - started:.1f} s)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
