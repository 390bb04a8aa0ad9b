"""The core's functions on a Spark standalone cluster on this machine: a master and two workers of one core each.

For each size, an export of that many chats (full synthetic years, `zicht synth --chats`, each
year a helpline of its own) is screened and profiled on the cluster as `mapPartitions`, and the
throughput per core is printed, with the ratio to the smallest size in the same run, and the most
memory the cluster's processes held. The job `network` runs a network's year end to end: every
chat screened on the cluster, the flagged ones profiled there, their profiles linked on the
driver (DuckDB). What a network would take follows from the throughput per core (docs/scale.md).

    python bench/bench_spark.py [JOB ...] [CHATS ...]    (default: screen profiles, 20000 100000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.memory import Peak, TreePeak
from zicht.linkage.match import link
from zicht.spark import jobs
from zicht.spark.cluster import session, standalone
from zicht.synth import generate
from zicht.transcripts import write_chats

SECRET = b"bench" * 8
WORKERS, CORES = 2, 1


YEAR = 20_000  # chats in a synthetic year
SEEDS = 5  # distinct years; a larger export repeats them under other ids (generating a million takes longer than reading it)


def export(chats: int, folder: Path) -> Path:
    """`chats` chats as full years of 20,000 (the last one partly), each a helpline: SEEDS years of their
    own, then again under new ids. The cost of reading a chat does not depend on whether another helpline
    said the same; linkage finds a visitor of a year again in its copies (the same phone numbers)."""
    path = folder / f"chats-{chats}.jsonl"
    years = [generate(2020, seed, chats=YEAR).conversations for seed in range(min(SEEDS, -(-chats // YEAR)))]
    write_chats(
        (
            replace(c, id=f"S{start // YEAR}-{c.id}", channel=helpline(start // YEAR))
            for start in range(0, chats, YEAR)
            for c in years[start // YEAR % len(years)][: chats - start]
        ),
        path,
    )
    return path


def helpline(number: int) -> str:
    return f"helpline-{number}"


JOBS = {"screen": jobs.screened, "profiles": jobs.profiles}
T = TypeVar("T")


def main(sizes: list[int], names: list[str]) -> None:
    cluster, driver = TreePeak(), Peak()
    with (
        tempfile.TemporaryDirectory(prefix="zicht-bench-spark-") as folder,
        standalone(workers=WORKERS, cores=CORES, memory="2g") as master,
    ):
        spark = session(master, executor_memory="1536m", partitions=4 * WORKERS * CORES)
        base: dict[str, float] = {}

        def timed(step: str, chats: int, run: Callable[..., T], *args: Any, rate: bool = True) -> T:
            """Runs one step, prints its time, memory and (`rate`) its chats per second per core, with the ratio to
            the smallest size's rate."""
            cluster.reset(), driver.reset()
            started = time.perf_counter()
            result = run(*args)
            took = time.perf_counter() - started
            (held, executor), on_driver = cluster.reset(), driver.reset()
            per_core = chats / took / (WORKERS * CORES)
            ratio = f", {per_core / base[step]:.2f}x the smallest size's rate" if step in base else ""
            base.setdefault(step, per_core)
            speed = f", {per_core:,.0f} chats/s per core{ratio}" if rate else ""
            print(
                f"{step:>17} {chats:>9,} chats on {WORKERS}x{CORES} cores: {took:7.1f} s{speed}; "
                f"most memory: {held / 1e9:.2f} GB all processes, {executor / 1e9:.2f} GB one executor with its Python, "
                f"{on_driver / 1e9:.2f} GB this driver",
                flush=True,
            )
            return result

        for chats in sizes:
            path = export(chats, Path(folder))
            conversations = jobs.chats(spark, str(path), [helpline(n) for n in range(-(-chats // YEAR))], 8 * WORKERS).conversations
            for name in names:
                if name != "network":
                    timed(name, chats, JOBS[name](conversations, SECRET).count)
                    continue
                missed = timed("network: screen", chats, jobs.screened(conversations, SECRET).filter(lambda s: s.missed).count)
                flagged = jobs.profiles(conversations.filter(lambda c: c.flagged), SECRET)
                profiles = timed("network: profiles", chats, flagged.collect, rate=False)  # of the flagged chats only
                linkage = timed("network: link", chats, link, profiles, rate=False)
                print(
                    f"{'':>17} {chats:>9,} chats: {missed:,} likely missed, {len(profiles):,} flagged linked into "
                    f"{len(set(linkage.clusters.values())):,} visitors ({len(linkage.pairs):,} pairs scored)",
                    flush=True,
                )
        spark.stop()


if __name__ == "__main__":
    args = sys.argv[1:]
    main([int(a) for a in args if a.isdigit()] or [20_000, 100_000], [a for a in args if a in (*JOBS, "network")] or list(JOBS))
