"""Measuring the readers on annotated texts: zicht measure."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from zicht.cli.console import console, progress
from zicht.cli.group import main
from zicht.pipeline import measuring

PARTS = ("test", "development", "all")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--part", type=click.Choice(PARTS), default="test", show_default=True,
              help="Which part of the corpus: the test part is only scored, the development part may be read while tuning.")  # fmt: skip
@click.option(
    "--misses",
    is_flag=True,
    help="Also list each stated code that was not suggested, and each suggestion the text does not state "
    "(never for the test part while tuning).",
)
@click.option("--fit-screening", is_flag=True,
              help="Fit the screening on the development part; print it for suggest-nl.yaml, and how it does on unseen texts.")  # fmt: skip
def measure(folder: Path, part: str, misses: bool, fit_screening: bool) -> None:
    """How well zicht reads texts annotated by hand: suggestions, screening and redaction.

    FOLDER holds one YAML file per text (the format is in tests/data/external/README.md):
    its messages, the codes it states with the words they rest on, and its identifiers.
    zicht's own corpus of texts it did not write is tests/data/external. Annotate a sample
    of your own chats the same way to measure zicht on them; nothing leaves the machine.
    """
    if fit_screening:
        _fit_screening(folder)
        return
    with progress() as bar:
        m = measuring.measure(folder, part, steps=bar)
    s = m.suggestions
    console.print(f"{len(m.texts)} texts ({part}); {s.texts} flagged by the counsellor.")
    table = Table(title="Suggestions against what the texts state")
    for column in ("variable", "stated", "suggested right", "share", "suggested, not stated"):
        table.add_column(column, justify="left" if column == "variable" else "right")
    for score in s.scores:
        share = "–" if score.recall is None else f"{score.recall:.0%}"
        table.add_row(score.variable, str(score.stated), str(score.right), share, str(score.unstated))
    console.print(table)
    if s.recall is not None:
        console.print(f"Of the {s.stated} stated codes, {s.right} were suggested right ({s.recall:.0%}).")
    if s.flagged:
        console.print(f"About trafficking or not: right on {s.about_right} of {s.flagged} flagged texts ({s.about_right / s.flagged:.0%}).")
    screening = m.screening
    if screening.ranked:
        right, listed = screening.found()
        console.print(
            f"Screening of {len(screening.ranked)} unflagged texts, {screening.about} about trafficking: "
            f"{listed} listed as likely missed (chance > {screening.threshold:.2f}), {right} of them rightly; "
            f"recall {_share(screening.recall)}, precision {_share(screening.precision)} "
            f"(with 5 chats on other subjects for each one about trafficking: {_share(screening.precision_among(5))}), "
            f"the ranking's average precision {_share(screening.average_precision)}."
        )
    r = m.redaction
    planted, hidden = sum(r.planted.values()), sum(r.hidden.values())
    if planted:
        kinds = ", ".join(f"{kind} {r.hidden[kind]}/{n}" for kind, n in sorted(r.planted.items()))
        console.print(f"Redacted: {hidden} of {planted} identifiers ({hidden / planted:.0%}; {kinds}).")
    if r.ordinary_words:
        console.print(
            f"Ordinary words redacted: {r.ordinary_redacted} of {r.ordinary_words} ({r.ordinary_redacted / r.ordinary_words:.1%})."
        )
    if misses:
        for text_id, variable, stated, suggested in s.misses:
            console.print(f"  {text_id}: {variable} = {stated}, suggested: {suggested}")
        for text_id, variable, suggested in s.unstated:
            console.print(f"  {text_id}: {variable} suggested: {suggested}, not stated")


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _fit_screening(folder: Path) -> None:
    with progress() as bar:
        fitted = measuring.fit_screening(folder, steps=bar)
    held_out = fitted.held_out
    right, listed = held_out.found()
    console.print(
        f"Fitted on {fitted.texts} texts of the development part. Of its {len(held_out.ranked)} unflagged texts, each scored by a "
        f"model fitted without it: {listed} listed above {fitted.likely_missed:.2f}, {right} of the {held_out.about} about trafficking; "
        f"recall {_share(held_out.recall)}, precision {_share(held_out.precision)}, "
        f"the ranking's average precision {_share(held_out.average_precision)}."
    )
    weights = ", ".join(f"{name}: {weight:.2f}" for name, weight in fitted.weights.items())
    click.echo(f"  intercept: {fitted.intercept:.2f}\n  weights: {{{weights}}}\n  likely_missed: {fitted.likely_missed:.2f}")
