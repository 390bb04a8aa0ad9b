"""A helpline's year from export to report: import, screen every chat, link the flagged ones, suggest, count, report.

Issue 16's target: a year of 20,000 chats in under 3 minutes on 2 cores. Each size runs in a
process of its own (a project is one database per process), first the monitor's year (539
chats) and then the full year, and prints each step's time and the most memory the process
held during it, with the ratio of the full year to the small one.

    python bench/bench_year.py [CHATS ...]      (default 20000)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.memory import Peak

YEAR, BEFORE = 2020, 2019


def one_year(chats: int | None) -> dict[str, tuple[float, int]]:
    """Each step's seconds and peak bytes for one year of `chats` (None: the monitor's year)."""
    from zicht.pipeline.imports import import_files
    from zicht.pipeline.linking import propose
    from zicht.pipeline.monitoring import report
    from zicht.pipeline.project import Project
    from zicht.pipeline.screening import screen
    from zicht.pipeline.suggesting import suggest_year
    from zicht.synth import generate, write_corpus

    work = Path(tempfile.mkdtemp(prefix="zicht-year-"))
    peak, steps = Peak(), {}

    @contextmanager
    def step(name: str) -> Iterator[None]:
        peak.reset()
        started = time.perf_counter()
        yield
        steps[name] = (time.perf_counter() - started, peak.reset())

    with step("generate (not part of the year)"):
        files = {y: write_corpus(generate(y, 0, chats=chats if y == YEAR else None), work / "corpus") for y in (BEFORE, YEAR)}
        project = Project.init(work / "project")
        list(import_files(project, [files[BEFORE]["chats"]], files[BEFORE]["coded"]))
    with step("import"):
        [(_, result), _] = import_files(project, [files[YEAR]["chats"]], files[YEAR]["coded"])
    with step("screen every chat"):
        screened = screen(project, YEAR)
    with step("link the flagged chats"):
        propose(project, YEAR)
    with step("suggest codes"):
        suggest_year(project, YEAR, by="bench")
    with step("count and report (PDF, Word, .sav)"):
        report(project, YEAR, (BEFORE,), work / "report")
    steps["the year, export to report"] = (sum(s for name, (s, _) in steps.items() if not name.startswith("generate")), 0)
    print(f"  {result.stored} chats imported, {len(screened.missed)} unflagged listed as likely missed", file=sys.stderr)
    return steps


def main(sizes: list[int]) -> None:
    runs = {"monitor's year": _in_process(None)}
    for size in sizes:
        runs[f"{size:,} chats"] = _in_process(size)
    base = runs["monitor's year"]
    for name, steps in runs.items():
        print(f"\n{name}")
        for step, (seconds, most) in steps.items():
            ratio = f"  {seconds / base[step][0]:5.1f}x the monitor's year" if name != "monitor's year" and base[step][0] else ""
            memory = f"{most / 1e6:7,.0f} MB" if most else " " * 10
            print(f"  {step:<40} {seconds:7.1f} s {memory}{ratio}")


def _in_process(chats: int | None) -> dict[str, tuple[float, int]]:
    argv = [sys.executable, __file__, "--one", str(chats or 0)]
    done = subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True)
    return {k: tuple(v) for k, v in json.loads(done.stdout).items()}  # type: ignore[misc]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:  # one size, in the process _in_process started
        print(json.dumps(one_year(int(sys.argv[2]) or None)))
    else:
        main([int(a) for a in sys.argv[1:]] or [20_000])
