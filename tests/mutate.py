"""`make mutate`: do the tests notice a changed counting rule, value reader, disclosure rule or case rule?

mutmut (configured in pyproject.toml) changes one thing at a time in the counting rules
(`analysis/frame.py`, `populations.py`, `variable_tables.py`), the values reader
(`codebook/values.py`), disclosure control (`analysis/disclosure.py`) and the store's case logic
(`store/cases.py`), and runs the tests that reach it. A mutant the tests let through is a rule no
test pins down.

`make mutate` checks every mutant (hours on two cores); `make mutate EVERY=4` checks every fourth
of each module in mutmut's order, as the scores in docs/testing.md were measured. mutmut keeps
its verdicts in mutants/, so a second run goes on where the first stopped. The score per module,
and each surviving mutant, is printed last (`tests/mutate.py 4 report` prints them again).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

MUTMUT = str(Path(sys.executable).with_name("mutmut"))


def verdicts() -> dict[str, str]:
    """Every mutant mutmut made, by name, with its verdict so far."""
    listed = subprocess.run([MUTMUT, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    return dict(line.strip().rsplit(": ", 1) for line in listed.splitlines() if ": " in line)


def module(mutant: str) -> str:
    return mutant.rsplit(".x", 1)[0]  # zicht.analysis.frame.xǁFrameǁholds__mutmut_3 -> zicht.analysis.frame


def sample(names: list[str], every: int) -> list[str]:
    """Every `every`-th mutant of each module, the same ones each run."""
    seen: Counter[str] = Counter()
    chosen = []
    for name in names:
        if seen[module(name)] % every == 0:
            chosen.append(name)
        seen[module(name)] += 1
    return chosen


def main(every: int, run: bool) -> None:
    if run:
        subprocess.run([MUTMUT, "run", "zicht.__none__"], capture_output=True)  # makes the mutants, runs none
    chosen = sample(list(verdicts()), every)
    if run:
        print(f"checking {len(chosen)} mutants (every {every}th of each module)", flush=True)  # noqa: T201
        subprocess.run([MUTMUT, "run", "--max-children", "2", *chosen], check=False)
    found = verdicts()
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for name in chosen:
        by_module[module(name)][found[name]] += 1
    # The score is caught over caught and survived: a timeout (a slow start as much as a hang) and a
    # mutant no selected test reaches are counted apart.
    print(f"\n{'module':32} {'checked':>7} {'caught':>6} {'survived':>8} {'timeout':>7} {'no test':>7} {'score':>6}")  # noqa: T201
    for name, counts in sorted(by_module.items()):
        caught, survived = counts["killed"], counts["survived"]
        score = f"{100 * caught / (caught + survived):.0f}%" if caught + survived else "-"
        row = f"{name:32} {sum(counts.values()):7} {caught:6} {survived:8} {counts['timeout']:7} {counts['no tests']:7} {score:>6}"
        print(row)  # noqa: T201
    print("\nsurvived:")  # noqa: T201
    for name in chosen:
        if found[name] == "survived":
            print(f"  {name}")  # noqa: T201


if __name__ == "__main__":  # tests/mutate.py [EVERY] [report]: `report` prints the last run's scores only
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1, run="report" not in sys.argv[2:])
