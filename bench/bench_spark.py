"""The core's functions on a Spark standalone cluster on this machine: a master and two workers of one core each.

For each size, an export of that many chats (full synthetic years, `zicht synth --chats`) is
screened and profiled on the cluster as `mapPartitions`, and the throughput per core is printed,
with the ratio to the smallest size in the same run. What a network would take follows from the
throughput per core (docs/scale.md).

    python bench/bench_spark.py [JOB ...] [CHATS ...]    (default: screen profiles, 20000 100000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.spark import jobs
from zicht.spark.cluster import session, standalone
from zicht.synth import generate
from zicht.transcripts import write_chats

SECRET = b"bench" * 8
WORKERS, CORES = 2, 1


YEAR = 20_000  # chats in a synthetic year
SEEDS = 5  # distinct years; a larger export repeats them under other ids (generating a million takes longer than reading it)


def export(chats: int, folder: Path) -> Path:
    """`chats` chats as full years of 20,000 (the last one partly): SEEDS years of their own, then again
    under new ids. The cost of reading a chat does not depend on whether another helpline said the same."""
    path = folder / f"chats-{chats}.jsonl"
    years = [generate(2020, seed, chats=YEAR).conversations for seed in range(min(SEEDS, -(-chats // YEAR)))]
    write_chats(
        (
            replace(c, id=f"S{start // YEAR}-{c.id}")
            for start in range(0, chats, YEAR)
            for c in years[start // YEAR % len(years)][: chats - start]
        ),
        path,
    )
    return path


JOBS = {"screen": jobs.screened, "profiles": jobs.profiles}


def main(sizes: list[int], names: list[str]) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="zicht-bench-spark-") as folder,
        standalone(workers=WORKERS, cores=CORES, memory="2g") as master,
    ):
        spark = session(master, executor_memory="1536m", partitions=4 * WORKERS * CORES)
        base = None
        for chats in sizes:
            path = export(chats, Path(folder))
            for name in names:
                job = JOBS[name]
                started = time.perf_counter()
                done = job(jobs.chats(spark, str(path), ("fier", "csg"), partitions=8 * WORKERS).conversations, SECRET).count()
                took = time.perf_counter() - started
                per_core = done / took / (WORKERS * CORES)
                base = base or {}
                ratio = f", {per_core / base[name]:.2f}x the smallest size's rate" if name in base else ""
                base.setdefault(name, per_core)
                print(
                    f"{name:>8} {done:>9,} chats on {WORKERS}x{CORES} cores: {took:7.1f} s, {per_core:,.0f} chats/s per core{ratio}",
                    flush=True,
                )
        spark.stop()


if __name__ == "__main__":
    args = sys.argv[1:]
    main([int(a) for a in args if a.isdigit()] or [20_000, 100_000], [a for a in args if a in JOBS] or list(JOBS))
