"""Visitor linkage: accuracy on the synthetic years, and speed and memory as the corpus grows.

Accuracy: pairwise precision and recall of the clusters against the truth file, for 2019
and 2020, at three thresholds. Speed: profile extraction and Splink (DuckDB) on N
conversations (default 10,000; pass more: `bench_linkage.py 10000 100000`), with the 2020
corpus in the same process as the baseline.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.linkage import profile
from zicht.linkage.evaluate import pairwise_scores
from zicht.linkage.match import link
from zicht.synth import generate

SECRET = b"bench" * 8


def accuracy() -> None:
    for year in (2019, 2020):
        corpus = generate(year, 0)
        truth = {t["conversation_id"]: t["person_id"] for t in corpus.truth}
        profiles = [profile(c, SECRET) for c in corpus.conversations]
        for threshold in (0.5, 0.9, 0.99):
            precision, recall, predicted, true = pairwise_scores(link(profiles, threshold).clusters, truth)
            print(f"{year} at {threshold}: precision {precision:.3f}, recall {recall:.3f} ({predicted} pairs predicted, {true} true)")


def speed(sizes: list[int]) -> None:
    base = None
    for n in [364, *sizes]:
        scale = max(1, round(n / 364))
        conversations = generate(2020, 0, scale=scale).conversations[:n]
        tracemalloc.start()
        started = time.perf_counter()
        profiles = [profile(c, SECRET) for c in conversations]
        extraction = time.perf_counter() - started
        started = time.perf_counter()
        result = link(profiles)
        linkage = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        per_second = len(profiles) / (extraction + linkage)
        base = base or per_second
        print(
            f"{len(profiles):>9,} conversations: profiles {extraction:.1f} s ({len(profiles) / extraction:,.0f}/s), "
            f"Splink {linkage:.1f} s, {len(result.pairs):,} pairs scored, peak traced Python memory {peak:.0f} MB, "
            f"throughput {per_second / base:.2f}x the 2020 baseline"
        )
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    accuracy()
    speed([int(a) for a in sys.argv[1:]] or [10_000])
