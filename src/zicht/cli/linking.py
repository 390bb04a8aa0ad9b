"""The same visitor under several usernames: link (propose), review, undo, export, score."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from zicht.cli.console import console, progress
from zicht.cli.group import main
from zicht.cli.options import BY, PROJECT, OutputFile
from zicht.pipeline import linking
from zicht.pipeline.project import Project


class _LinkGroup(click.Group):
    """`zicht link PROJECT` proposes; `zicht link review|undo|export PROJECT` work on the proposals."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["propose", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_LinkGroup)
def link() -> None:
    """Find the same visitor under several usernames: propose merges, review them, export.

    \b
      zicht link PROJECT [--year Y] [--accept-above P]   score pairs, store proposals
      zicht link review PROJECT                           merge / keep apart / skip, one by one
      zicht link undo PROJECT CONV_A CONV_B               undo the decision on a pair
      zicht link export PROJECT --out FILE.csv            conversation_id,visitor_id
      zicht link score FILE.csv TRUTH                     precision and recall against a truth
    """


@link.command("propose")
@PROJECT
@click.option("--year", type=int, help="Only conversations that started in this year.")
@click.option("--threshold", type=float, default=linking.PROPOSE_AT, show_default=True, help="Propose pairs at least this likely.")
@click.option("--accept-above", type=float, help="Merge every open proposal at least this likely, without review.")
@click.option("--em", is_flag=True, help="Refine the prior m-probabilities by EM (for projects of thousands of chats).")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="Spark: local mode, or a cluster.")  # fmt: skip
@BY
def link_propose(directory: Path, year: int | None, threshold: float, accept_above: float | None, em: bool, engine: str, by: str) -> None:
    """Score every plausible pair of conversations (Splink on DuckDB, trained on the project's own chats)."""
    project = Project.open(directory)
    with progress() as bar:
        proposed = linking.propose(project, year, threshold, em, "spark" if engine == "spark" else "duckdb", accept_above, by, bar)
    result = proposed.linkage
    console.print(
        f"{len(result.clusters)} conversations: {len(set(result.clusters.values()))} visitors at p ≥ {result.threshold}; "
        f"{len(proposed.found)} pair(s) at ≥ {threshold}, {len(proposed.waiting)} still to review; {result.how_u}."
    )
    if accept_above is not None:
        console.print(f"Merged {proposed.merged} pair(s) at ≥ {accept_above} (by {by}).")


@link.command("review")
@PROJECT
@BY
def link_review(directory: Path, by: str) -> None:
    """Walk through the open proposals: the evidence side by side, then merge, keep apart or skip."""
    project = Project.open(directory)
    waiting = linking.waiting()
    if not waiting:
        console.print("Nothing to review.")
        return
    for i, proposal in enumerate(waiting, start=1):
        table = Table(title=f"{i}/{len(waiting)}: {proposal.left} ~ {proposal.right}  (p = {proposal.probability:.3f})")
        for column, justify in (("", "left"), (proposal.left, "left"), (proposal.right, "left"), ("gewicht", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for what, a, b, weight in linking.side_by_side(project, proposal):
            table.add_row(what, a, b, "" if weight is None else f"{weight:+.1f}")
        console.print(table)
        answer = click.prompt("[m]erge, [k]eep apart, [s]kip, [q]uit", type=click.Choice(["m", "k", "s", "q"]), default="s")
        if answer == "q":
            break
        if answer in "mk":
            linking.decide(proposal, merge=answer == "m", by=by)


@link.command("undo")
@PROJECT
@click.argument("left")
@click.argument("right")
@BY
def link_undo(directory: Path, left: str, right: str, by: str) -> None:
    """Undo the decision on a pair of conversations (it stays on record as undone)."""
    Project.open(directory)
    linking.undo(left, right, by)
    console.print(f"Undone: {left} ~ {right}.")


@link.command("export")
@PROJECT
@click.option("--out", required=True, type=OutputFile())
@click.option("--year", type=int)
def link_export(directory: Path, out: Path, year: int | None) -> None:
    """Write conversation_id,visitor_id for every conversation, after the merges decided so far."""
    from zicht.linkage.evaluate import write_visitors

    Project.open(directory)
    ids, visitor = linking.visitors(year)
    write_visitors(ids, visitor, out)
    console.print(f"{len(ids)} conversations, {len(set(visitor.values()))} visitors → {out}")


@link.command("score")
@click.argument("visitors", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("truth", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def link_score(visitors: Path, truth: Path) -> None:
    """Pairwise precision and recall of VISITORS (a `link export`) against TRUTH.

    TRUTH is a synthetic corpus's truth-YEAR.json or a conversation_id,visitor_id CSV of
    confirmed visitors. Only conversations in both files count.
    """
    from zicht.linkage.evaluate import pairwise_scores, read_visitors

    s = pairwise_scores(read_visitors(visitors), read_visitors(truth))
    console.print(
        f"precision {s.precision:.3f}, recall {s.recall:.3f} "
        f"({s.predicted} pairs put together, {s.true} true; {s.visitors} visitors, truly {s.true_visitors})"
    )
