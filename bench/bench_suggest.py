"""Code suggestions: how fast, and how much memory, on the 2020 corpus and on N synthetic chats.

The target of issue 5: the whole 2020 corpus in under 10 s; 100,000 chats in under 10
minutes on 2 cores. One visitor per chat here (the slowest case: no chats shared).

    python bench/bench_suggest.py [N ...]      (default 100000)
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.codebook import load_codebook
from zicht.coding import suggest
from zicht.synth import generate

SECRET = b"bench" * 8


def run(n: int, base: float | None) -> float:
    scale = max(1, round(n / 364))
    conversations = generate(2020, 0, scale=scale).flagged[:n]
    book = load_codebook("nl-2020")
    started = time.perf_counter()
    for conversation in conversations:
        suggest([conversation], book, SECRET)
    took = time.perf_counter() - started
    per_second = len(conversations) / took
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    ratio = f", {per_second / base:.2f}x the 2020 baseline" if base else ""
    print(f"{len(conversations):>9,} chats: {took:.1f} s, {per_second:,.0f} chats/s{ratio}; max RSS so far {rss:,.0f} MB", flush=True)
    return per_second


if __name__ == "__main__":
    baseline = run(364, None)
    for size in [int(a) for a in sys.argv[1:]] or [100_000]:
        run(size, baseline)
