"""Thematic analysis of a subset (the report's chapter 4): passages coded by theme, quotes for the report."""

from __future__ import annotations

from pathlib import Path

import click

from zicht.cli.console import console, progress
from zicht.cli.group import main
from zicht.cli.options import BY, PROJECT
from zicht.pipeline.project import Project
from zicht.pipeline.theming import import_passages


@main.group()
def themes() -> None:
    """Passages of a subset's chats coded by theme (the corona chats of chapter 4).

    The researchers code them in the workbench (Thema's) or in another tool; the report gives each
    theme its count and the passages chosen as quotes, redacted.
    """


@themes.command("import")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--analysis", "analysis_id", help="Which thematic analysis of the monitor (default: its only one, corona).")
@BY
def import_(directory: Path, file: Path, analysis_id: str | None, by: str) -> None:
    """Import theme passages from FILE, all or nothing.

    FILE is a CSV with the columns conversation_id, message (counted from 0 in the chat), start and
    end (character offsets in the message's text), theme (a category id of the analysis's variable,
    e.g. clients_continue) and quote (1: quote it in the report). Each passage is kept redacted; its
    theme joins the case's code. A passage imported before is left as it is, but whether to quote it
    follows the file.
    """
    project = Project.open(directory)
    with progress(f"passages from {file.name}"):
        done = import_passages(project, file, analysis_id, by)
    console.print(f"{file}: {done.stored} passage(s) stored in {done.analysis}, {done.already} held already; "
                  f"{done.quotes} chosen to quote.")  # fmt: skip
