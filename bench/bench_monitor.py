"""The monitor's statistics and the full report, on the 2020 corpus and on 100 years of it.

Targets (issue 3): the statistics on 28,300 visitors in under 2 s; `zicht demo` in under
60 s on a 2-core machine. The 2020 corpus (283 visitors) is the baseline in the same
process, so the ratios show how each step grows with the number of visitors.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.analysis import Tables, monitor
from zicht.codebook import load_codebook
from zicht.report import write_report
from zicht.synth import generate

T = TypeVar("T")
BOOK = load_codebook("nl-2020")


def timed(run: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """The result of the last run and the best time of `repeat` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return result, best


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="zicht-bench-monitor-"))
    figures: dict[str, dict[str, float]] = {}
    for name, scale in (("2020 (baseline)", 1), ("100 years", 100)):
        years = {year: generate(year, 0, scale=scale) for year in (2019, 2020)}
        flows = {y: c.flow() for y, c in years.items()}
        cases = years[2020].cases

        def stats(cases: list = cases, years: dict = years, flows: dict = flows) -> Tables:  # type: ignore[type-arg]
            return monitor(cases, BOOK, 2020, compare={2019: years[2019].cases}, flows=flows)

        tables, seconds = timed(stats, repeat=3)
        _, report = timed(lambda tables=tables, cases=cases, scale=scale: write_report(tables, cases, BOOK, work / f"report-{scale}"))
        figures[name] = {"visitors": len(cases), "stats": seconds, "report": report}
        print(f"{name}: {len(cases):,} visitors (+ {len(years[2019].cases):,} compared), {len(tables.tables)} tables")
        print(f"  statistics {seconds:.3f} s = {len(cases) / seconds:,.0f} visitors/s; full report {report:.1f} s")
    base, big = figures["2020 (baseline)"], figures["100 years"]
    print(
        f"ratio 100 years / 2020: visitors x{big['visitors'] / base['visitors']:.0f}, "
        f"statistics x{big['stats'] / base['stats']:.1f}, report x{big['report'] / base['report']:.2f}"
    )
    print(f"statistics on {big['visitors']:,.0f} visitors: {big['stats']:.2f} s (target < 2 s)")

    command = [str(Path(sys.executable).parent / "zicht"), "demo", "--out", str(work / "demo")]
    _, demo = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    print(f"zicht demo: {demo:.1f} s (target < 60 s)")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
