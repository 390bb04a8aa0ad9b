"""What the commands print: the console, progress bars for long steps, and the tables of results."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from zicht.analysis.published import Check
    from zicht.coding.evaluate import FigureDifference

console = Console()
err = Console(stderr=True)


class _Bar:
    """A pipeline step's `Steps` as one transient progress bar on stderr."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID = progress.add_task("", total=None)

    def start(self, description: str, total: int | None = None) -> None:
        if total is None:
            self.progress.update(self.task, description=description)
        else:
            self.progress.reset(self.task, description=description, total=total)

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)


@contextmanager
def progress(description: str = "") -> Iterator[_Bar]:
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as shown:
        bar = _Bar(shown)
        bar.start(description)
        yield bar


def print_paths(paths: dict[str, Path]) -> None:
    for name, path in paths.items():
        console.print(f"{name:12} {path}")


def warn(problems: list[str]) -> None:
    """Said before anything is read into the numbers: the year's flow does not add up."""
    for problem in problems:
        err.print(f"[bold red]Warning:[/] {escape(problem)}")


def print_checks(checks: list[Check], show_all: bool) -> None:
    table = Table(title="Published figures")
    for column in ("id", "published", "computed", "ok"):
        table.add_column(column, justify="right" if column in ("published", "computed") else "left")
    colour = {"ok": "green", "known": "yellow", "mismatch": "red"}
    for c in checks:
        if show_all or c.status != "ok":
            status = f"[{colour[c.status]}]{c.status}[/]" + (f" {c.reason}" if c.reason else "")
            table.add_row(c.id, c.published, c.computed, status)
    if table.rows:
        console.print(table)
    counts = {s: sum(1 for c in checks if c.status == s) for s in ("ok", "known", "mismatch")}
    console.print(
        f"{len(checks)} figures: {counts['ok']} ok, {counts['known']} known inconsistency of the report, {counts['mismatch']} mismatch."
    )


def print_differences(differences: list[FigureDifference]) -> None:
    if not differences:
        console.print("No published figures for this year in the project: no report-level error.")
        return
    known = [d for d in differences if d.difference is not None]
    within = sum(abs(d.difference) < 2 for d in known if d.difference is not None)
    worst = max(known, key=lambda d: abs(d.difference or 0.0), default=None)
    line = f"From suggestions alone: {within} of {len(differences)} published shares within 2 percentage points of the researchers' figures"
    if worst and worst.difference is not None:
        line += f" (largest: {worst.id}, {worst.coded:.1f}% → {worst.suggested:.1f}%, {worst.difference:+.1f} pp)"
    console.print(line + ".")
