"""Reading the chats for codes: screen, suggest train, suggest run, suggest evaluate."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from zicht.cli.console import console, print_differences, progress
from zicht.cli.group import main
from zicht.cli.options import CODEBOOK, PROJECT, RULES_ONLY, OutputFile
from zicht.pipeline import screening, suggesting
from zicht.pipeline.project import Project

if TYPE_CHECKING:
    from zicht.coding import Span
    from zicht.transcripts.model import Conversation


@main.command()
@PROJECT
@click.option("--year", type=int, help="Only conversations that started in this year.")
@click.option("--out", type=OutputFile(), help="Every conversation's screening as CSV.")
@click.option("--show", type=int, default=20, show_default=True, help="How many likely missed chats to list.")
def screen(directory: Path, year: int | None, out: Path | None, show: int) -> None:
    """How likely is each conversation about trafficking, flagged or not? Lists the unflagged ones most likely first.

    Each gets a chance from what the reader finds in it, and the words that weigh most. Those above
    the threshold in suggest-nl.yaml (chosen on texts zicht did not write; docs/suggestions.md) are
    listed as likely missed: read them from the top. --out writes every conversation's chance.
    """
    from zicht.coding.screen import write_screening
    from zicht.knowledge.suggestion import suggestion_rules

    project = Project.open(directory)
    with progress() as bar:
        found = screening.screen(project, year, bar)
        if found.missed:  # their words are shown redacted
            from zicht.privacy.redaction import load_redaction

            bar.start("load the redaction (deduce; the first time it builds its lookup, about two minutes)")
            load_redaction()
    missed, flagged = found.missed, found.flagged
    agree = sum(s.suggestion.value == "yes" for s in flagged)
    threshold = suggestion_rules().screening.likely_missed
    console.print(
        f"{len(found.screened)} conversations, {len(flagged)} flagged ({agree} of them about trafficking by their words); "
        f"{len(missed)} unflagged with a chance above {threshold:.2f} of being about trafficking: read them."
    )
    table = Table(title="Conversations about trafficking that may have been missed, the most likely first")
    for column in ("conversation", "chance", "words"):
        table.add_column(column)
    for s in missed[:show]:
        table.add_row(s.conversation_id, f"{s.chance:.2f}", _quote(found.conversations[s.conversation_id], s.evidence))
    if missed:
        console.print(table)
    if out:
        write_screening(found.screened, out)
        console.print(f"→ {out}")


def _quote(conversation: Conversation, evidence: tuple[Span, ...], room: int = 60) -> str:
    """The words a chance rests on, with up to `room` characters of whole words either side, redacted
    as the whole message is: a terminal is read over shoulders, and a place found by the words
    around it ("ik woon in hoograven") stays hidden where the quote cuts those words off."""
    if not evidence:
        return ""
    from rich.markup import escape

    from zicht.privacy.redaction import find_personal

    span = evidence[0]
    text = conversation.messages[span.message].text
    masks = find_personal(text)
    lo, hi = max(0, span.start - room), min(len(text), span.end + room)
    if lo > 0:
        lo = (text.find(" ", lo, span.start) + 1) or span.start
    if hi < len(text):
        hi = max(text.rfind(" ", span.end, hi), span.end)

    def shown(a: int, b: int, first: bool) -> str:
        out, at = [], a
        for p in masks:
            if p.end <= at or p.start >= b:
                continue
            out.append(escape(text[at : max(at, p.start)]))
            if p.start >= a or first:  # a stretch across two parts is labelled once, where it begins
                out.append(escape(f"[{p.label}]"))
            at = min(max(at, p.end), b)
        return "".join([*out, escape(text[at:b])])

    before, words, after = shown(lo, span.start, True), shown(span.start, span.end, span.start == lo), shown(span.end, hi, False)
    return f"{'…' if lo > 0 else ''}{before}[bold]{words}[/bold]{after}{'…' if hi < len(text) else ''}"


@main.group()
def suggest() -> None:
    """Suggest a code for every variable, with the words it rests on; compare with the researchers' codes.

    \b
      zicht suggest train PROJECT --year Y [--year Y ...]   learn from the coded cases (fills in where the rules are silent)
      zicht suggest run PROJECT --year Y [--out FILE.csv]   per visitor (after the link merges), stored
      zicht suggest evaluate PROJECT --year Y               against the coded cases of the year
    """


@suggest.command("train")
@PROJECT
@click.option("--year", "years", type=int, multiple=True, required=True, help="Learn from the coded cases of this year (repeat).")
def suggest_train(directory: Path, years: tuple[int, ...]) -> None:
    """Train the learned suggester on the project's coded cases; run and evaluate use it from then on."""
    project = Project.open(directory)
    with progress() as bar:
        model = suggesting.train(project, years, bar)
    learned = f"{model.cases} coded cases ({', '.join(map(str, years))})"
    console.print(f"Learned from {learned}: {len(model.classifiers)} targets → {project.model_file}")


@suggest.command("run")
@PROJECT
@click.option("--year", type=int, required=True, help="Conversations that started in this year.")
@CODEBOOK
@click.option("--out", type=OutputFile(), help="Also write them as a coded-cases CSV.")
@RULES_ONLY
def suggest_run(directory: Path, year: int, codebook_id: str | None, out: Path | None, rules_only: bool) -> None:
    """Suggest codes for every case of the year, each read from its own chats.

    Visitors without a case get one first (not coded yet): the conversations linked by the
    merges decided so far, unless a coded case holds one of them.
    """
    from zicht.coding import as_case
    from zicht.transcripts.coded_files import write_coded_csv

    project = Project.open(directory)
    book = project.codebook_or(codebook_id)
    with progress() as bar:
        done = suggesting.suggest_year(project, year, getpass.getuser(), book, rules_only, bar)
    console.print(
        f"{done.conversations} conversations, {len(done.found)} visitors: {done.stored} suggestions stored; "
        f"{done.opened} new cases to code in the workbench (zicht serve {directory})."
    )
    if out:
        write_coded_csv([as_case(v, s, book, ids) for v, ids, s in done.found], book, out)
        console.print(f"→ {out}")


@suggest.command("evaluate")
@PROJECT
@click.option("--year", type=int, required=True)
@CODEBOOK
@RULES_ONLY
def suggest_evaluate(directory: Path, year: int, codebook_id: str | None, rules_only: bool) -> None:
    """Per variable, the suggestions against the researchers' codes; then every published share counted from suggestions alone.

    The suggestions are made afresh for each coded case, from the conversations the
    researchers put under that visitor, so the score is of the coding, not of the linkage.
    With a learned suggester trained on this very year, it is cross-validated (5 folds).
    """
    project = Project.open(directory)
    with progress() as bar:
        evaluation = suggesting.evaluate(project, year, project.codebook_or(codebook_id), rules_only, bar)
    if evaluation.folds > 1:
        console.print(f"The learned suggester was trained on {year}: cross-validated, {evaluation.folds} folds.")
    scores = evaluation.scores
    table = Table(title=f"Suggestions against the researchers' codes, {year}")
    for column in ("variable", "measure", "score", "cases", "untouched"):
        table.add_column(column, justify="left" if column in ("variable", "measure") else "right")
    for s in scores:
        table.add_row(s.variable, s.measure, "–" if s.score is None else f"{s.score:.3f}", str(s.cases), f"{s.untouched:.1%}")
    console.print(table)
    console.print(f"Fields a coder would not need to touch: {evaluation.untouched:.1%}.")
    print_differences(evaluation.differences)
