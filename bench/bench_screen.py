"""Screening: how fast, and how much memory, on the 2020 corpus and on N synthetic chats.

The target of issue 20: a helpline's year of 20,000 chats screened in under 10 minutes on 2
cores. Every chat is read once and scored (the reading is the cost; the model is a sum).

    python bench/bench_screen.py [N ...]      (default 20000)
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.coding.screen import screen
from zicht.synth import generate

SECRET = b"bench" * 8


def run(n: int, base: float | None) -> float:
    scale = max(1, round(n / 539))  # the 2020 corpus holds 539 chats, 364 of them flagged
    conversations = generate(2020, 0, scale=scale).conversations[:n]
    started = time.perf_counter()
    screened = screen(conversations, SECRET)
    took = time.perf_counter() - started
    per_second = len(conversations) / took
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    listed = sum(s.missed for s in screened)
    ratio = f", {per_second / base:.2f}x the 2020 rate" if base else ""
    print(
        f"{len(conversations):>9,} chats: {took:.1f} s, {per_second:,.0f} chats/s{ratio}; {listed} listed; max RSS so far {rss:,.0f} MB",
        flush=True,
    )
    return per_second


if __name__ == "__main__":
    baseline = run(539, None)
    for size in [int(a) for a in sys.argv[1:]] or [20_000]:
        run(size, baseline)
