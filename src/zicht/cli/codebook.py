"""Codebooks and corpora without a project: codebook show, codebook migrate, synth."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from zicht.cli.console import console, progress
from zicht.cli.group import main
from zicht.cli.options import OutputFile
from zicht.codebook import NOT_CODED, NOT_CODED_MARK, builtin_ids, load_codebook, migrate_cases
from zicht.errors import ImportFailed, Problem
from zicht.pipeline.project import DEFAULT_CODEBOOK


@main.group()
def codebook() -> None:
    """Show a codebook, move coded data to the next codebook version, or start one from a QDA tool's."""


@codebook.command("show")
@click.argument("name", default=DEFAULT_CODEBOOK)
def codebook_show(name: str) -> None:
    """Print a codebook (built-in id or a YAML path): variables, types, counting rules, categories."""
    book = load_codebook(name)
    table = Table(title=f"{book.id}: {book.title}", show_lines=False)
    table.add_column("variable", no_wrap=True)  # an id is typed as it is: never cut, on a narrow terminal too
    for column in ("label", "type", "missing", "applies when", "categories"):
        table.add_column(column)
    for v in book:
        cond = v.applies_when
        when = "" if cond is None else f"{cond.variable} {'∋ ' + cond.includes if cond.includes else '= ' + str(cond.equals)}"
        missing = v.missing + (" (lower bound)" if v.lower_bound else "")
        table.add_row(v.id, v.label, v.type, missing, when, ", ".join(v.category_ids))
    console.print(table)
    console.print(f"Built-in codebooks: {', '.join(builtin_ids())}. Not coded yet is written as '{NOT_CODED_MARK}'.")


@codebook.command("import")
@click.argument("qdc_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out", required=True, type=OutputFile(), help="The codebook to write (YAML), to check and complete.")
@click.option("--id", "codebook_id", default="imported", show_default=True, help="The new codebook's id.")
@click.option("--title", default="Codeboek uit een ander programma", show_default=True, help="Its title, as researchers read it.")
def codebook_import(qdc_file: Path, out: Path, codebook_id: str, title: str) -> None:
    """Start a codebook from another tool's REFI-QDA codebook (QDC_FILE: ATLAS.ti, MAXQDA, NVivo, Taguette).

    Each top code becomes a variable, its codes beneath it the categories ("many"), a code without
    any a flag. A QDA codebook has no types or counting rules: check them in the YAML before coding.
    """
    from zicht.pipeline.exchanging import import_qdc

    book = import_qdc(qdc_file, out, codebook_id, title)
    console.print(f"Wrote codebook {book.id} to {out}: {len(book.variables)} variable(s), {sum(len(v.categories) for v in book)} "
                  f"categories. Check the types and counting rules (zicht codebook show {out}).")  # fmt: skip


@codebook.command("migrate")
@click.argument("source_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out", required=True, type=OutputFile())
@click.option("--from", "source", default="nl-2019", show_default=True)
@click.option("--to", "target", default=DEFAULT_CODEBOOK, show_default=True)
def codebook_migrate(source_file: Path, out: Path, source: str, target: str) -> None:
    """Move a coded-cases file to the next codebook; added variables become 'not coded yet'."""
    from zicht.transcripts import read_coded, write_coded_csv, write_coded_sav

    old, new = load_codebook(source), load_codebook(target)
    items = list(read_coded(source_file, old))
    problems = [item for item in items if isinstance(item, Problem)]
    if problems:
        raise ImportFailed(str(source_file), problems)
    cases = migrate_cases((item[1] for item in items if not isinstance(item, Problem)), old, new)
    writer = write_coded_sav if out.suffix.lower() == ".sav" else write_coded_csv
    writer(cases, new, out)
    open_codes = sum(1 for c in cases for v in c.values.values() if v is NOT_CODED)
    console.print(f"Migrated {len(cases)} visitor(s) {old.id} → {new.id}; {open_codes} code(s) now 'not coded yet'.")


@main.command()
@click.option("--year", type=click.Choice(["2019", "2020"]), required=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--chats",
    type=click.IntRange(min=1),
    help="Fill the year up to this many chats with the helpline's everyday subjects, from about half as many "
    "people (a real year: 20000). The flagged chats and every published figure stay as they are.",
)
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False))
def synth(year: str, seed: int, chats: int | None, out: Path) -> None:
    """Write a synthetic corpus calibrated to the published monitor: chats, codes, evidence, truth.

    Without --chats the year holds the monitor's chats: the flagged ones and a few unflagged ones for
    screening (539 in 2020). With --chats 20000 it is a helpline's full year.
    """
    from zicht.synth import generate, write_corpus

    with progress(f"generate {year} (seed {seed})"):
        try:
            corpus = generate(int(year), seed, chats=chats)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--chats") from None
        paths = write_corpus(corpus, out)
    for kind, path in paths.items():
        console.print(f"{kind:15} {path}")
