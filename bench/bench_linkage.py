"""Visitor linkage: accuracy on the synthetic years, and speed and memory as the corpus grows.

Accuracy: pairwise precision and recall of the visitors against the truth files, for 2019
and 2020 and several seeds, at five thresholds, and pooled over all (the figure to judge:
one year's 42 returning chats move a score by 0.024 each). Speed: profile extraction and
Splink (DuckDB) on a network of helplines holding N flagged chats (default 30,000 and 100,000;
pass others: `bench_linkage.py 30000 100000 1000000`), each helpline a synthetic year of its own,
with the 2020 corpus in the same process as the baseline. `--seeds 0` skips the accuracy.

    python bench/bench_linkage.py [SIZES...] [--seeds N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.memory import Peak
from zicht.linkage.evaluate import pairwise_scores
from zicht.linkage.match import DEFAULT_THRESHOLD, clusters_at, link
from zicht.reading import Profile, lean, profile
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


def network(chats: int) -> tuple[list[Profile], dict[str, str]]:
    """A network of helplines holding `chats` flagged chats: each a synthetic year of its own (seed), its
    chats on a channel of their own, read in processes (generated there too: nothing big crosses)."""
    helplines = range(max(1, round(chats / 364)))
    read: list[Profile] = []
    truth: dict[str, str] = {}
    with ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn")) as pool:
        for profiles, persons in pool.map(helpline_year, helplines, chunksize=4):
            read += map(lean, profiles)  # as reading.many does: the words shared with the other helplines' profiles
            truth |= persons
    return read[:chats], truth


def helpline_year(helpline: int) -> tuple[list[Profile], dict[str, str]]:
    corpus = generate(2020, helpline)
    chats = [replace(c, id=f"H{helpline}-{c.id}", channel=f"helpline-{helpline}") for c in corpus.flagged]
    return [lean(profile(c, SECRET)) for c in chats], {
        f"H{helpline}-{t['conversation_id']}": f"H{helpline}-{t['person_id']}" for t in corpus.truth
    }


def speed(sizes: list[int]) -> None:
    """Profiles and Splink for a network of helplines, each size in the same process as the one before:
    the time, the most memory held, and the pairs scored should grow with the chats, not faster."""
    peak, before = Peak(), None
    for n in [364, *sizes]:
        peak.reset()
        started = time.perf_counter()
        profiles, truth = network(n)
        extraction = time.perf_counter() - started
        started = time.perf_counter()
        result = link(profiles)
        linkage = time.perf_counter() - started
        held = peak.reset() / 1e9
        scores = pairwise_scores(result.clusters, truth)
        row = (len(profiles), extraction, linkage, len(result.pairs), held)
        grown = ""
        if before:
            chats = row[0] / before[0]
            grown = (
                f"; {chats:.0f}x the chats took {row[1] / before[1]:.1f}x the profiles, {row[2] / before[2]:.1f}x Splink, "
                f"{row[3] / max(1, before[3]):.1f}x the pairs, {row[4] / before[4]:.1f}x the memory"
            )
        print(
            f"{row[0]:>9,} chats ({row[0] // 364:,} helplines): profiles {extraction:.1f} s ({row[0] / extraction:,.0f}/s, in processes), "
            f"Splink {linkage:.1f} s, {row[3]:,} pairs at p >= 0.01, most memory held {held:.2f} GB, "
            f"precision {scores.precision:.3f} recall {scores.recall:.3f}{grown}",
            flush=True,
        )
        before = row


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[30_000, 100_000])
    parser.add_argument("--seeds", type=int, default=5, help="synthetic years per calendar year for the accuracy")
    args = parser.parse_args()
    if args.seeds:
        accuracy(args.seeds)
    speed(args.sizes)
