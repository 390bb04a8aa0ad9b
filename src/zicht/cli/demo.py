"""`zicht demo`: the whole job on the synthetic corpus, in a folder of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zicht.cli.console import console, print_checks, print_differences, print_paths, progress, warn
from zicht.cli.group import main
from zicht.pipeline.demo import demo as run_demo


@main.command()
@click.option("--out", default="zicht-demo", show_default=True, type=click.Path(path_type=Path, file_okay=False))
@click.option("--seed", type=int, default=0, show_default=True)
def demo(out: Path, seed: int) -> None:
    """The whole job on the synthetic corpus: generate 2019 and 2020, import, link, count, report, check, suggest.

    Everything goes under OUT: corpus/ (the generated files), project/ (database, secret,
    published figures), report/ (HTML, PDF, Word, figures, tables.json, .sav, .csv).
    """
    with progress() as bar:
        done = run_demo(out, seed, bar)
    linkage, s = done.linkage.linkage, done.linkage_scores
    console.print(
        f"linkage 2020: {len(linkage.clusters)} chats → {s.visitors} visitors at p ≥ {linkage.threshold} "
        f"(truly {s.true_visitors}; pairwise precision {s.precision:.2f}, recall {s.recall:.2f}); "
        f"{len(done.linkage.found)} proposals to review: zicht link review {done.project.directory}"
    )
    warn(done.report.flow_problems)
    print_checks(done.checks, show_all=False)
    console.print(f"Suggestions (rules, no training): fields a coder would not need to touch {done.evaluation.untouched:.1%}.")
    print_differences(done.evaluation.differences)
    console.print(f"corpus       {done.corpus}\nproject      {done.project.directory}")
    print_paths(done.report.paths)
    if any(c.fails for c in done.checks):
        sys.exit(1)
