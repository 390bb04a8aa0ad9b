"""Visitor linkage: accuracy on the synthetic years, and speed and memory as the corpus grows.

Accuracy: pairwise precision and recall of the visitors against the truth files, for 2019
and 2020 and several seeds, at five thresholds, and pooled over all (the figure to judge:
one year's 42 returning chats move a score by 0.024 each). Speed: profile extraction and
Splink (DuckDB) on N conversations (default 10,000; pass more: `bench_linkage.py 10000
100000`), with the 2020 corpus in the same process as the baseline.

    python bench/bench_linkage.py [SIZES...] [--seeds N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.linkage.evaluate import pairwise_scores
from zicht.linkage.match import DEFAULT_THRESHOLD, clusters_at, link
from zicht.reading import profile
from zicht.synth import generate

SECRET = b"bench" * 8
THRESHOLDS = (0.7, 0.8, DEFAULT_THRESHOLD, 0.9, 0.95)


def accuracy(seeds: int) -> None:
    pooled = {t: [0, 0, 0] for t in THRESHOLDS}  # right pairs, predicted pairs, true pairs
    for year in (2019, 2020):
        for seed in range(seeds):
            corpus = generate(year, seed)
            truth = {t["conversation_id"]: t["person_id"] for t in corpus.truth}
            result = link([profile(c, SECRET) for c in corpus.flagged])
            shown = []
            for threshold in THRESHOLDS:
                s = pairwise_scores(clusters_at(result, threshold), truth)
                pooled[threshold][0] += round(s.precision * s.predicted)
                pooled[threshold][1] += s.predicted
                pooled[threshold][2] += s.true
                shown.append(f"{threshold}: {s.precision:.2f}/{s.recall:.2f}")
            print(f"{year} seed {seed}  precision/recall  " + "  ".join(shown), flush=True)
    print(
        f"pooled over {2 * seeds} years  "
        + "  ".join(f"{t}: {right / predicted:.3f}/{right / true:.3f}" for t, (right, predicted, true) in pooled.items())
    )


def speed(sizes: list[int]) -> None:
    base = None
    for n in [364, *sizes]:
        scale = max(1, round(n / 364))
        conversations = generate(2020, 0, scale=scale).flagged[:n]
        started = time.perf_counter()
        profiles = [profile(c, SECRET) for c in conversations]
        extraction = time.perf_counter() - started
        started = time.perf_counter()
        result = link(profiles)
        linkage = time.perf_counter() - started
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # the process's peak so far
        per_second = len(profiles) / (extraction + linkage)
        base = base or per_second
        print(
            f"{len(profiles):>9,} conversations: profiles {extraction:.1f} s ({len(profiles) / extraction:,.0f}/s), "
            f"Splink {linkage:.1f} s, {len(result.pairs):,} pairs scored, max RSS so far {rss:,.0f} MB, "
            f"throughput {per_second / base:.2f}x the 2020 baseline",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--seeds", type=int, default=5, help="synthetic years per calendar year for the accuracy")
    args = parser.parse_args()
    accuracy(args.seeds)
    speed(args.sizes)
