"""The `zicht` command: thin shells around the core and the store.

Steps of the pipeline, in order: init → import → link → screen → suggest → stats → report.
"""

from __future__ import annotations

import gc
import getpass
import signal
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from zicht.analysis import Tables
from zicht.analysis.published import Check
from zicht.codebook import NOT_CODED, NOT_CODED_MARK, Codebook, CodedCase, builtin_ids, load_codebook, migrate_values
from zicht.errors import ImportFailed, ZichtError
from zicht.transcripts import csvsafe

if TYPE_CHECKING:  # Splink and Django load only for the commands that need them
    from zicht.coding import Suggestion
    from zicht.coding.evaluate import FieldScore, FigureDifference
    from zicht.linkage.match import Linkage
    from zicht.linkage.review import Proposal
    from zicht.transcripts.model import Conversation

console = Console()
err = Console(stderr=True)


class _Group(click.Group):
    """Turns zicht's own errors into a message and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ImportFailed as e:
            err.print(f"[red]Import failed:[/red] {e}", markup=True, highlight=False)
            sys.exit(1)
        except ZichtError as e:
            err.print(f"[red]Error:[/red] {e}", markup=True, highlight=False)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """zicht: the yearly monitor of trafficking victims seen on a helpline chat, offline.

    \b
    Steps:
      init      create a project folder (database + pseudonym secret)
      import    chats (JSONL, CSV, text) and coded cases (CSV, .sav)
      export    coded cases as CSV or SPSS .sav
      stats     the monitor's tables (tables.json), by the codebook's counting rules
      report    the report: HTML, PDF, Word, figures, .sav
      check-published  computed figures against a published report's
      link      the same visitor under several usernames: propose, review, export
      codebook  show a codebook, or migrate coded data to the next version
      synth     write a calibrated synthetic corpus (chats, codes, truth)
      demo      all of the above on the synthetic corpus
    """


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """Create a project in DIRECTORY: a SQLite database (or DATABASE_URL) and a secret key."""
    from zicht.store.project import init_project

    init_project(directory)
    console.print(f"Created project {directory} (keep {directory}/secret.key private).")


@main.command("import")
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--chats",
    "chat_files",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Chat export(s): .jsonl, .csv (a message per row) or .txt transcripts.",
)
@click.option(
    "--coded",
    "coded_file",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Coded cases: .csv (codebook ids as columns) or SPSS .sav.",
)
@click.option("--codebook", default="nl-2020", show_default=True, help="Codebook of the coded file.")
@click.option("--skip-bad", is_flag=True, help="Store the good records; write bad ones to FILE.rejects.csv.")
def import_(
    directory: Path,
    chat_files: tuple[Path, ...],
    coded_file: Path | None,
    codebook: str,
    skip_bad: bool,
) -> None:
    """Import files into the project. Each file is all or nothing unless --skip-bad."""
    from zicht.store.project import open_project

    if not chat_files and not coded_file:
        raise click.UsageError("give --chats FILE... and/or --coded FILE")
    secret = open_project(directory)
    from zicht.store.importing import import_chats, import_coded

    book = load_codebook(codebook)
    channels = book["channel"].category_ids
    jobs = [(f, lambda f, p: import_chats(f, secret, channels, skip_bad, p)) for f in chat_files]
    if coded_file:
        jobs.append((coded_file, lambda f, p: import_coded(f, book, skip_bad, p)))
    for path, run in jobs:
        with _progress() as bar:
            task = bar.add_task(f"import {path.name}", total=None)
            result = run(
                path,
                lambda n, t=task, name=path.name: bar.update(t, description=f"import {name}: {n} records"),
            )
        if result.already_imported:
            console.print(f"{path}: already imported, nothing to do.")
            continue
        console.print(f"{path}: stored {result.stored} record(s).")
        if (followed := result.cases_followed).closed:
            console.print(f"{followed.closed} case(s) zicht had opened, not coded yet, now belong to the coded visitors of this file "
                          f"and are closed; {followed.opened} opened for visitors it leaves without one.")  # fmt: skip
        if result.rejected:
            err.print(f"{path}: {len(result.rejected)} bad record(s) written to {result.rejects_file}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--coded",
    "out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write: FILE.csv or FILE.sav (SPSS, with labels).",
)
@click.option("--codebook", default="nl-2020", show_default=True)
@click.option("--year", type=int, help="Only visitors whose first chat is in this year.")
def export(directory: Path, out: Path, codebook: str, year: int | None) -> None:
    """Export the coded cases of the project, one row per unique visitor."""
    from zicht.store.project import open_project
    from zicht.transcripts import write_coded_csv, write_coded_sav

    open_project(directory)
    from zicht.store.queries import coded_cases

    book = load_codebook(codebook)
    writer = write_coded_sav if out.suffix.lower() == ".sav" else write_coded_csv
    n = writer(coded_cases(book, year), book, out)
    console.print(f"Wrote {n} visitor(s) to {out}.")


@main.group()
def codebook() -> None:
    """Show a codebook, or move coded data to the next codebook version."""


@codebook.command("show")
@click.argument("name", default="nl-2020")
def codebook_show(name: str) -> None:
    """Print a codebook (built-in id or a YAML path): variables, types, counting rules, categories."""
    book = load_codebook(name)
    table = Table(title=f"{book.id}: {book.title}", show_lines=False)
    for column in ("variable", "label", "type", "missing", "applies when", "categories"):
        table.add_column(column)
    for v in book:
        cond = v.applies_when
        when = "" if cond is None else f"{cond.variable} {'∋ ' + cond.includes if cond.includes else '= ' + str(cond.equals)}"
        missing = v.missing + (" (lower bound)" if v.lower_bound else "")
        table.add_row(v.id, v.label, v.type, missing, when, ", ".join(v.category_ids))
    console.print(table)
    console.print(f"Built-in codebooks: {', '.join(builtin_ids())}. Not coded yet is written as '{NOT_CODED_MARK}'.")


@codebook.command("migrate")
@click.argument("source_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--from", "source", default="nl-2019", show_default=True)
@click.option("--to", "target", default="nl-2020", show_default=True)
def codebook_migrate(source_file: Path, out: Path, source: str, target: str) -> None:
    """Move a coded-cases file to the next codebook; added variables become 'not coded yet'."""
    from zicht.codebook import CodedCase
    from zicht.errors import Problem
    from zicht.transcripts import read_coded, write_coded_csv, write_coded_sav

    old, new = load_codebook(source), load_codebook(target)
    cases, problems = [], []
    for item in read_coded(source_file, old):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        case = item[1]
        cases.append(
            CodedCase(
                case.visitor_id,
                new.id,
                migrate_values(case.values, old, new),
                case.conversation_ids,
            )
        )
    if problems:
        raise ImportFailed(str(source_file), problems)
    writer = write_coded_sav if out.suffix.lower() == ".sav" else write_coded_csv
    writer(cases, new, out)
    open_codes = sum(1 for c in cases for v in c.values.values() if v is NOT_CODED)
    console.print(f"Migrated {len(cases)} visitor(s) {old.id} → {new.id}; {open_codes} code(s) now 'not coded yet'.")


@main.command()
@click.option("--year", type=click.Choice(["2019", "2020"]), required=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False))
def synth(year: str, seed: int, out: Path) -> None:
    """Write a synthetic corpus calibrated to the published monitor: chats, codes, evidence, truth."""
    from zicht.synth import generate, write_corpus

    with _progress() as bar:
        bar.add_task(f"generate {year} (seed {seed})", total=None)
        paths = write_corpus(generate(int(year), seed), out)
    for kind, path in paths.items():
        console.print(f"{kind:15} {path}")


def _monitor(directory: Path, year: int, compare: tuple[int, ...], codebook: str) -> tuple[Tables, list[CodedCase], Codebook]:
    """The project's tables for `year` (and the compared years) and the year's cases."""
    from zicht.store.project import open_project

    open_project(directory)
    from zicht.store import queries

    book = load_codebook(codebook)
    stored = queries.years()
    if year not in stored:
        raise ZichtError(f"{directory}: no coded cases for {year} (years in the project: {', '.join(map(str, stored)) or 'none'})")
    if not compare and year - 1 in stored:
        compare = (year - 1,)
    missing = [y for y in compare if y not in stored]
    if missing:
        raise ZichtError(f"{directory}: no coded cases for --compare {', '.join(map(str, missing))}")
    tables, cases = queries.monitor_tables(year, compare, book)
    return tables, cases, book


_YEAR = click.option("--year", type=int, required=True, help="The monitor's year: visitors whose first chat is in it.")
_COMPARE = click.option(
    "--compare",
    type=int,
    multiple=True,
    help="Year(s) to set beside it (repeat for more). Default: the year before, if the project has it.",
)
_CODEBOOK = click.option("--codebook", default="nl-2020", show_default=True, help="Codebook to count by; older codings are migrated.")
_PROJECT = click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))


@main.command()
@_PROJECT
@_YEAR
@_COMPARE
@_CODEBOOK
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="Where to write tables.json.")
def stats(directory: Path, year: int, compare: tuple[int, ...], codebook: str, out: Path) -> None:
    """Compute the monitor's tables by the codebook's counting rules and write tables.json.

    Every table has its id, population, n (the denominator), n missing, counts, shares and
    the codebook version; docs/tables.md describes the file.
    """
    with _progress() as bar:
        bar.add_task(f"statistics {year}", total=None)
        tables, _, _ = _monitor(directory, year, compare, codebook)
        tables.write(out)
    flow = tables.get("flow")
    console.print(
        f"{len(tables.tables)} tables for {', '.join(map(str, tables.years))} → {out}\n"
        f"{year}: {flow.counts['flagged_chats']} flagged chats, {flow.counts['duplicate_chats']} duplicates, "
        f"{flow.counts['not_trafficking']} not about trafficking, {flow.counts['unique_visitors']} unique visitors."
    )
    _warn_flow(tables)


def _warn_flow(tables: Tables) -> list[str]:
    """Say, before anything is read into the numbers, when the year's flow does not add up."""
    from zicht.analysis.flowcheck import flow_problems

    problems = flow_problems(tables)
    for problem in problems:
        err.print(f"[bold red]Let op:[/] {problem}")
    return problems


@main.command()
@_PROJECT
@_YEAR
@_COMPARE
@_CODEBOOK
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the report.")
@click.option("--public", is_flag=True, help="For publication: small counts hidden (see --threshold), no case files.")
@click.option("--threshold", type=click.IntRange(min=2), default=5, show_default=True, help="--public hides counts below this.")
@click.option("--final", is_flag=True, help="This is the year's published report: its raw chats may then be purged.")
@click.option("--by", default=lambda: getpass.getuser(), show_default="your user name", help="Who finalises (with --final).")
def report(directory: Path, year: int, compare: tuple[int, ...], codebook: str, out: Path, public: bool, threshold: int,
           final: bool, by: str) -> None:  # fmt: skip
    """Write the monitor's report: report.html, .pdf and .docx, figures, tables.json, cases.sav and .csv.

    \b
    --public applies small-cell protection to every table and figure: counts from 1 to
    THRESHOLD-1 are shown as "<THRESHOLD", and further counts as "x" wherever a hidden one could
    otherwise be worked out from totals, groups or the other year; the report explains this,
    and cases.sav and cases.csv are left out. Without it the numbers are exact (internal use).
    """
    paths, problems = _write_report(directory, year, compare, codebook, out, threshold if public else None)
    _print_paths(paths)
    if final and problems:
        raise ZichtError(f"the {year} report cannot be final while its count does not add up (see above); its first page says so too")
    if final:
        from zicht.store.retention import finalise

        finalise(year, paths["tables.json"], by)
        console.print(f"The {year} report is final; `zicht purge {directory} --year {year}` may now remove its raw chat text.")


def _write_report(directory: Path, year: int, compare: tuple[int, ...], codebook: str, out: Path,
                  threshold: int | None = None) -> tuple[dict[str, Path], list[str]]:  # fmt: skip
    """The report, and what does not add up in its flow (said on the terminal and on its first page)."""
    from zicht.analysis.disclosure import protect
    from zicht.report import STEPS, write_report

    with _progress() as bar:
        task = bar.add_task("statistics", total=len(STEPS) + 1)
        tables, cases, book = _monitor(directory, year, compare, codebook)
        problems = _warn_flow(tables)
        if problems and threshold is not None:
            raise ZichtError(f"no public report of {year} while its count does not add up (see above)")
        protection = None
        if threshold is not None:
            bar.update(task, description="hiding small counts")
            tables, protection = protect(tables, threshold)
        bar.advance(task)

        def step(name: str) -> None:
            bar.update(task, description=f"report: {name}", advance=1)

        paths = write_report(tables, cases, book, out, progress=step, public=protection)
    if protection:
        console.print(f"Public report: {len(protection.primary)} counts below {threshold} hidden, {len(protection.secondary)} more "
                      f"so that none can be worked out; no case files.")  # fmt: skip
    return paths, problems


def _print_paths(paths: dict[str, Path]) -> None:
    for name, path in paths.items():
        console.print(f"{name:12} {path}")


@main.command("check-published")
@_PROJECT
@click.argument("spec", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--year", type=int, help="The monitor's year. Default: the year the spec is about.")
@_CODEBOOK
@click.option(
    "--mapping",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Which table holds each figure. Default: PROJECT/published/mapping-YEAR.yaml.",
)
@click.option("--all", "show_all", is_flag=True, help="List every figure, not only those that differ.")
def check_published(directory: Path, spec: Path, year: int | None, codebook: str, mapping: Path | None, show_all: bool) -> None:
    """Compare the computed figures with a published report's (SPEC.yaml); exit 1 on a mismatch.

    \b
    Counts must be equal, percentages within 0.05 of the printed one, vague words
    ("bijna 60%") within their range. Figures about the year before come from the
    project's data of that year. A figure the mapping marks `report_inconsistent` is
    shown as `known` and does not fail the check.
    """
    checks = _check_published(directory, spec, year, codebook, mapping)
    _print_checks(checks, show_all)
    if any(c.fails for c in checks):
        sys.exit(1)


def _check_published(directory: Path, spec: Path, year: int | None, codebook: str, mapping: Path | None) -> list[Check]:
    from zicht.analysis.published import check_published, read_figures, read_mapping
    from zicht.store.project import PUBLISHED, open_project

    spec_year, figures = read_figures(spec)
    year = year or spec_year
    mapping = mapping or directory / PUBLISHED / f"mapping-{year}.yaml"
    if not mapping.exists():
        raise ZichtError(f"{mapping}: no mapping file; write one (see docs/tables.md) or pass --mapping")
    open_project(directory)
    from zicht.store import queries

    earlier = tuple(y for y in queries.years() if y < year)
    with _progress() as bar:
        bar.add_task(f"statistics {year}", total=None)
        tables, _, _ = _monitor(directory, year, earlier, codebook)
    return check_published(tables, figures, read_mapping(mapping))


def _print_checks(checks: list[Check], show_all: bool) -> None:
    table = Table(title="Gepubliceerde cijfers")
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


def _linking(directory: Path) -> tuple[bytes, ModuleType]:
    """Open the project; return its secret and the store's linkage module (importable only now)."""
    from zicht.store.project import open_project

    secret = open_project(directory)
    from zicht.store import linking

    return secret, linking


PROPOSE_AT = 0.5  # pairs this likely are proposed for review; merged only by a researcher (or --accept-above)

_BY = click.option(
    "--by", default=lambda: getpass.getuser(), show_default="your user name", help="Who decides (stored with each decision)."
)


@link.command("propose")
@_PROJECT
@click.option("--year", type=int, help="Only conversations that started in this year.")
@click.option("--threshold", type=float, default=PROPOSE_AT, show_default=True, help="Propose pairs at least this likely.")
@click.option("--accept-above", type=float, help="Merge every open proposal at least this likely, without review.")
@click.option("--em", is_flag=True, help="Refine the prior m-probabilities by EM (for projects of thousands of chats).")
@click.option(
    "--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True, help="Spark: local mode, or a cluster."
)
@_BY
def link_propose(directory: Path, year: int | None, threshold: float, accept_above: float | None, em: bool, engine: str, by: str) -> None:
    """Score every plausible pair of conversations (Splink on DuckDB, trained on the project's own chats)."""
    from zicht.linkage.review import accept_above as accept
    from zicht.linkage.review import open_proposals

    secret, linking = _linking(directory)
    result, found = _propose(directory, linking, secret, year, threshold, em, engine)
    decided = linking.decisions()
    waiting = open_proposals(found, decided)
    console.print(
        f"{len(result.clusters)} conversations: {len(set(result.clusters.values()))} visitors at p ≥ {result.threshold}; "
        f"{len(found)} pair(s) at ≥ {threshold}, {len(waiting)} still to review; {result.how_u}."
    )
    if accept_above is not None:
        merged = linking.save_decisions(accept(found, decided, accept_above, by))
        console.print(f"Merged {merged} pair(s) at ≥ {accept_above} (by {by}).")


def _propose(
    project: Path, linking: ModuleType, secret: bytes, year: int | None, threshold: float, em: bool = False, engine: str = "duckdb"
) -> tuple[Linkage, list[Proposal]]:
    """Profiles, Splink, and the proposals at or above `threshold` stored in place of the last run's."""
    from zicht.linkage import profile
    from zicht.linkage.match import link as run_link
    from zicht.linkage.match import proposals as scored

    with _progress() as bar:
        task = bar.add_task("profiles", total=None)
        profiles = [profile(c, secret) for c in linking.conversations(year)]
        if len(profiles) < 2:
            raise ZichtError(f"{project}: fewer than two conversations{f' in {year}' if year else ''} to link")
        bar.update(task, description=f"linkage of {len(profiles)} conversations")
        result = run_link(profiles, em=em, engine="spark" if engine == "spark" else "duckdb")
        found = scored(result, threshold)
        linking.replace_proposals(found)
    return result, found


@link.command("review")
@_PROJECT
@_BY
def link_review(directory: Path, by: str) -> None:
    """Walk through the open proposals: the evidence side by side, then merge, keep apart or skip."""
    from zicht.linkage import profile
    from zicht.linkage.review import decide, open_proposals, side_by_side

    secret, linking = _linking(directory)
    waiting = open_proposals(linking.proposals(), linking.decisions())
    if not waiting:
        console.print("Nothing to review.")
        return
    for i, proposal in enumerate(waiting, start=1):
        left, right = (profile(c, secret) for c in linking.conversations(ids=[proposal.left, proposal.right]))
        table = Table(title=f"{i}/{len(waiting)}: {proposal.left} ~ {proposal.right}  (p = {proposal.probability:.3f})")
        for column, justify in (("", "left"), (proposal.left, "left"), (proposal.right, "left"), ("gewicht", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for what, a, b, weight in side_by_side(left, right, proposal.evidence):
            table.add_row(what, a, b, "" if weight is None else f"{weight:+.1f}")
        console.print(table)
        answer = click.prompt("[m]erge, [k]eep apart, [s]kip, [q]uit", type=click.Choice(["m", "k", "s", "q"]), default="s")
        if answer == "q":
            break
        if answer in "mk":
            linking.save_decisions([decide(proposal, "merge" if answer == "m" else "apart", by)])


@link.command("undo")
@_PROJECT
@click.argument("left")
@click.argument("right")
@_BY
def link_undo(directory: Path, left: str, right: str, by: str) -> None:
    """Undo the decision on a pair of conversations (it stays on record as undone)."""
    _, linking = _linking(directory)
    if not linking.undo_decision(left, right, by=by):
        raise ZichtError(f"no active decision on {left} ~ {right}")
    console.print(f"Undone: {left} ~ {right}.")


@link.command("export")
@_PROJECT
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--year", type=int)
def link_export(directory: Path, out: Path, year: int | None) -> None:
    """Write conversation_id,visitor_id for every conversation, after the merges decided so far."""
    import csv

    from zicht.linkage.review import visitors

    _, linking = _linking(directory)
    ids = [c.id for c in linking.conversations(year)]
    visitor = visitors(ids, linking.decisions())
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["conversation_id", "visitor_id"])
        writer.writerows(csvsafe.row((c, visitor[c])) for c in ids)
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


@main.command()
@_PROJECT
@click.option("--year", type=int, help="Only conversations that started in this year.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Every conversation's screening as CSV.")
@click.option("--show", type=int, default=20, show_default=True, help="How many likely missed chats to list.")
def screen(directory: Path, year: int | None, out: Path | None, show: int) -> None:
    """Is each conversation about trafficking, flagged or not? Lists the unflagged ones that look like it.

    For each: the suggestion, its confidence, and the words it rests on (message and span).
    """
    import csv

    from zicht.coding.screen import screen as screen_all

    secret, linking = _linking(directory)
    conversations = {c.id: c for c in linking.conversations(year, flagged=None)}
    with _progress() as bar:
        bar.add_task(f"screen {len(conversations)} conversations", total=None)
        screened = screen_all(conversations.values(), secret)
    missed = [s for s in screened if s.missed]
    flagged = [s for s in screened if s.flagged]
    agree = sum(s.suggestion.value == "yes" for s in flagged)
    console.print(
        f"{len(screened)} conversations, {len(flagged)} flagged ({agree} of them about trafficking by the words); "
        f"{len(missed)} not flagged but about trafficking by the words: review them."
    )
    table = Table(title="Mogelijk gemiste chats over mensenhandel")
    for column in ("gesprek", "zekerheid", "waarop"):
        table.add_column(column)
    for s in missed[:show]:
        table.add_row(s.conversation_id, f"{s.suggestion.confidence:.2f}", _quote(conversations[s.conversation_id], s.suggestion))
    if missed:
        console.print(table)
    if out:
        with out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["conversation_id", "flagged", "about_trafficking", "confidence", "message", "start", "end"])
            for s in screened:
                span = s.suggestion.evidence[0] if s.suggestion.evidence else None
                where = [span.message, span.start, span.end] if span else ["", "", ""]
                cells = [s.conversation_id, int(s.flagged), s.suggestion.value, f"{s.suggestion.confidence:.2f}", *where]
                writer.writerow(csvsafe.row(cells))
        console.print(f"→ {out}")


def _quote(conversation: Conversation, suggestion: Suggestion) -> str:
    """The words a suggestion rests on, in their message, redacted: a terminal is read over shoulders."""
    if not suggestion.evidence:
        return ""
    from rich.markup import escape

    from zicht.privacy.redaction import redact_text

    span = suggestion.evidence[0]
    text = conversation.messages[span.message].text
    before, words, after = text[max(0, span.start - 60) : span.start], text[span.start : span.end], text[span.end :][:60]
    return f"{escape(redact_text(before))}[bold]{escape(redact_text(words))}[/bold]{escape(redact_text(after))}"


@main.group()
def suggest() -> None:
    """Suggest a code for every variable, with the words it rests on; compare with the researchers' codes.

    \b
      zicht suggest train PROJECT --year Y [--year Y ...]   learn from the coded cases (fills in where the rules are silent)
      zicht suggest run PROJECT --year Y [--out FILE.csv]   per visitor (after the link merges), stored
      zicht suggest evaluate PROJECT --year Y               against the coded cases of the year
    """


MODEL = Path("models") / "suggester.model"


@suggest.command("train")
@_PROJECT
@click.option("--year", "years", type=int, multiple=True, required=True, help="Learn from the coded cases of this year (repeat).")
@click.option("--codebook", "codebook_id", default="nl-2020", show_default=True)
def suggest_train(directory: Path, years: tuple[int, ...], codebook_id: str) -> None:
    """Train the learned suggester on the project's coded cases; run and evaluate use it from then on."""
    from zicht.coding.learn import save, train

    secret, linking = _linking(directory)
    from zicht.store import queries

    book = load_codebook(codebook_id)
    cases = [case for year in years for case in queries.cases_of_year(year, book)]
    chats = {c.id: c for year in years for c in linking.conversations(year)}
    with _progress() as bar:
        bar.add_task(f"learn from {len(cases)} coded cases", total=None)
        model = train(cases, chats, book, secret, years)
    save(model, directory / MODEL, secret)
    learned = f"{model.cases} coded cases ({', '.join(map(str, years))})"
    console.print(f"Learned from {learned}: {len(model.classifiers)} targets → {directory / MODEL}")


def _model(directory: Path, secret: bytes, rules_only: bool) -> Any:
    from zicht.coding.learn import load

    path = directory / MODEL
    return None if rules_only or not path.exists() else load(path, secret)


_RULES_ONLY = click.option("--rules-only", is_flag=True, help="Leave the learned suggester out, even when one is trained.")


@suggest.command("run")
@_PROJECT
@click.option("--year", type=int, required=True, help="Conversations that started in this year.")
@click.option("--codebook", "codebook_id", default="nl-2020", show_default=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also write them as a coded-cases CSV.")
@_RULES_ONLY
def suggest_run(directory: Path, year: int, codebook_id: str, out: Path | None, rules_only: bool) -> None:
    """Suggest codes for every case of the year, each read from its own chats.

    Visitors without a case get one first (not coded yet): the conversations linked by the
    merges decided so far, unless a coded case holds one of them.
    """
    from zicht.coding import as_case
    from zicht.transcripts.coded_files import write_coded_csv

    secret, linking = _linking(directory)
    from zicht.store import suggesting
    from zicht.store.cases import cases_of_chats, open_cases

    book = load_codebook(codebook_id)
    model = _model(directory, secret, rules_only)
    by_id = {c.id: c for c in linking.conversations(year)}
    if not by_id:
        raise ZichtError(f"{directory}: no flagged conversations in {year}")
    opened = open_cases(year, book, getpass.getuser())
    cases = cases_of_chats(year)
    with _progress() as bar:
        task = bar.add_task(f"suggest codes for {len(cases)} visitors", total=len(cases))
        found = []
        for visitor, ids in cases:
            found.append((visitor, ids, _suggest([by_id[i] for i in ids], book, secret, model)))
            bar.advance(task)
        stored = suggesting.replace_suggestions(year, book, found)
    console.print(
        f"{len(by_id)} conversations, {len(cases)} visitors: {stored} suggestions stored; "
        f"{opened} new cases to code in the workbench (zicht serve {directory})."
    )
    if out:
        write_coded_csv([as_case(v, s, book, ids) for v, ids, s in found], book, out)
        console.print(f"→ {out}")


def _suggest(conversations: list[Conversation], book: Codebook, secret: bytes, model: Any = None) -> dict[str, Suggestion]:
    from zicht.coding import suggest as suggest_codes
    from zicht.coding.learn import suggest_learned

    return suggest_codes(conversations, book, secret) if model is None else suggest_learned(model, conversations, book, secret)


@suggest.command("evaluate")
@_PROJECT
@click.option("--year", type=int, required=True)
@click.option("--codebook", "codebook_id", default="nl-2020", show_default=True)
@_RULES_ONLY
def suggest_evaluate(directory: Path, year: int, codebook_id: str, rules_only: bool) -> None:
    """Per variable, the suggestions against the researchers' codes; then every published share counted from suggestions alone.

    The suggestions are made afresh for each coded case, from the conversations the
    researchers put under that visitor, so the score is of the coding, not of the linkage.
    With a learned suggester trained on this very year, it is cross-validated (5 folds).
    """
    scores, differences = _evaluate(directory, year, codebook_id, rules_only)
    table = Table(title=f"Suggesties tegen de codes van de onderzoekers, {year}")
    for column in ("variabele", "maat", "score", "gevallen", "onaangeroerd"):
        table.add_column(column, justify="left" if column in ("variabele", "maat") else "right")
    for s in scores:
        table.add_row(s.variable, s.measure, "–" if s.score is None else f"{s.score:.3f}", str(s.cases), f"{s.untouched:.1%}")
    console.print(table)
    cells = sum(s.untouched for s in scores) / len(scores) if scores else 0.0
    console.print(f"Fields a coder would not need to touch: {cells:.1%}.")
    _print_differences(differences)


def _evaluate(directory: Path, year: int, codebook_id: str, rules_only: bool = False) -> tuple[list[FieldScore], list[FigureDifference]]:
    """Suggestions for each coded case of the year, scored per variable and per published share."""
    from zicht.analysis import monitor
    from zicht.analysis.published import read_figures, read_mapping
    from zicht.coding import as_case
    from zicht.coding.evaluate import field_scores, figure_differences
    from zicht.store.project import PUBLISHED

    tables, cases, book = _monitor(directory, year, (), codebook_id)
    secret, linking = _linking(directory)
    from zicht.store import queries

    by_id = {c.id: c for c in linking.conversations(year)}
    model = _model(directory, secret, rules_only)
    folds = 5 if model is not None and year in model.years else 1
    if folds > 1:
        console.print(f"The learned suggester was trained on {year}: cross-validated, {folds} folds.")
    suggested = {}
    with _progress() as bar:
        task = bar.add_task(f"suggest codes for {len(cases)} coded visitors", total=len(cases))
        for fold in range(folds):
            if folds > 1:
                from zicht.coding.learn import train

                model = train([c for i, c in enumerate(cases) if i % folds != fold], by_id, book, secret)
            for case in cases[fold::folds]:
                chats = [by_id[i] for i in case.conversation_ids if i in by_id]
                if chats:
                    suggested[case.visitor_id] = as_case(case.visitor_id, _suggest(chats, book, secret, model), book, case.conversation_ids)
                bar.advance(task)
    earlier = tuple(y for y in (year - 1,) if y in queries.years())
    from_suggestions = monitor(
        list(suggested.values()),
        book,
        year,
        compare={y: queries.cases_of_year(y, book) for y in earlier},
        flows={y: queries.flow(y) for y in (year, *earlier)},
    )
    spec = directory / PUBLISHED / f"published-{year}.yaml"
    differences: list[FigureDifference] = []
    if spec.exists():
        _, figures = read_figures(spec)
        differences = figure_differences(tables, from_suggestions, figures, read_mapping(directory / PUBLISHED / f"mapping-{year}.yaml"))
    return field_scores(cases, suggested, book), differences


def _print_differences(differences: list[FigureDifference]) -> None:
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


@main.command("backup")
@_PROJECT
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="The backup file to write.")
def backup_(directory: Path, out: Path) -> None:
    """An encrypted, consistent snapshot of the project's database, also while the workbench runs.

    It is encrypted with a key derived from PROJECT/secret.key: keep that file apart from the
    backups. `zicht restore` brings a backup back into a project with the same secret.key.
    """
    from zicht.store.backup import backup

    size = backup(directory, out)
    console.print(f"Backup of {directory} → {out} ({size / 1e6:.1f} MB, encrypted; restore needs {directory / 'secret.key'}).")


@main.command()
@click.argument("backup_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_PROJECT
def restore(backup_file: Path, directory: Path) -> None:
    """Bring BACKUP_FILE back as PROJECT's database (stop the workbench first).

    PROJECT must hold the secret.key the backup was made with. The database it replaces is
    kept beside it (zicht.sqlite3.before-restore-...); a damaged or foreign backup restores nothing.
    """
    from zicht.store.backup import restore as restore_backup

    kept = restore_backup(backup_file, directory)
    console.print(f"Restored {backup_file} into {directory}." + (f" The previous database is kept as {kept}." if kept else ""))


@main.command()
@_PROJECT
@click.option("--year", type=int, required=True, help="The year whose raw chat text goes (its report must be final).")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--by", default=lambda: getpass.getuser(), show_default="your user name", help="Who purges (in the audit trail).")
def purge(directory: Path, year: int, dry_run: bool, yes: bool, by: str) -> None:
    """Remove the raw chat text of a year whose report is final, by the project's retention policy.

    The codes, the redacted evidence of each suggestion, the times of the messages and the audit
    trail stay; the year's report renders as before. Chats of cases not coded yet stay whole.
    The policy (days to wait after the report is final) is PROJECT/retention.yaml. Backups made
    before still hold the text: delete them on the same schedule.
    """
    from zicht.store.project import open_project

    open_project(directory)
    from zicht.store import retention

    plan = retention.plan(year, retention.policy_days(directory))
    console.print(f"{year}: the raw text of {len(plan.chats)} chats goes; {plan.kept_back} chats of cases not coded yet stay whole.")
    if dry_run or not plan.chats:
        return
    if not yes:
        click.confirm("Remove it? This cannot be undone (except from a backup)", abort=True)
    emptied = retention.purge(plan, by)
    console.print(f"Purged: {emptied} messages of {len(plan.chats)} chats. The purge is in the audit trail.")


@main.group()
def key() -> None:
    """The text key that seals chat text in the database (PROJECT/text.key)."""


@key.command("rotate")
@_PROJECT
def key_rotate(directory: Path) -> None:
    """Seal all chat text again under a new key and forget the old one.

    The workbench may keep running: rows are re-sealed in short transactions, and while that
    runs the key file holds the old and the new key, which readers follow. Backups made before
    carry the keys they need.
    """
    from zicht.store import keys
    from zicht.store.project import open_project

    open_project(directory)
    total = sum(m.objects.count() for m, _ in keys.sealed_fields())
    with _progress() as bar:
        task = bar.add_task("sealing again", total=total)
        new, rows = keys.rotate(directory, progress=lambda n: bar.advance(task, n))
    console.print(f"{rows} texts sealed again with key {new}; {keys.key_file(directory)} holds only that key now.")


@main.group()
def user() -> None:
    """The workbench's accounts: coordinator, researcher or reader."""


@user.command("add")
@_PROJECT
@click.argument("name")
@click.option("--role", type=click.Choice(["coordinator", "researcher", "reader"]), required=True)
@click.option(
    "--password-env",
    metavar="VAR",
    help="Read the password from this environment variable (for scripts); otherwise it is asked twice, unseen.",
)
def user_add(directory: Path, name: str, role: str, password_env: str | None) -> None:
    """Add an account; the first one is the coordinator, who adds the others in the workbench."""
    import os

    from django.core.exceptions import ValidationError

    from zicht.store.project import open_project

    open_project(directory)
    from zicht.store import audit
    from zicht.web.roles import add_user

    if password_env:
        password = os.environ.get(password_env, "")
        if not password:
            raise ZichtError(f"--password-env {password_env}: that environment variable is empty or not set")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        account = add_user(name, password, role)
    except (ValueError, ValidationError) as e:
        reason = " ".join(e.messages) if isinstance(e, ValidationError) else str(e)
        raise ZichtError(f"{name!r}: {reason}") from None
    stored = account.get_username()  # the name as the login reads it (NFKC)
    audit.record(getpass.getuser(), "user_add", new={"user": stored, "role": role})
    console.print(f"{stored} added as {role}.")


@main.command()
@_PROJECT
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--threads", type=int, default=8, show_default=True, help="Requests served at once.")
def serve(directory: Path, port: int, threads: int) -> None:
    """Start the workbench on http://127.0.0.1:PORT (this machine only; never on the network).

    Researchers code, consult and review there; add the first account with `zicht user add`.
    Requests are logged to PROJECT/workbench.log (method, path, status, user, time; never text).
    """
    from waitress import serve as waitress_serve

    from zicht.store.project import open_project

    open_project(directory)
    from django.contrib.auth import get_user_model
    from django.core.wsgi import get_wsgi_application

    if not get_user_model().objects.exists():
        err.print(f"No accounts yet: add the coordinator with `zicht user add {directory} NAME --role coordinator`.")
    from zicht.privacy.redaction import deducer

    with _progress() as bar:  # before the first request: no researcher waits for it on opening a case
        bar.add_task("loading the redaction (deduce, ~10 s; the first time on a machine ~2 minutes)", total=None)
        deducer()
    from zicht.web import counting

    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as Ctrl-C does
    console.print(f"zicht workbench on http://127.0.0.1:{port}/  (Ctrl-C stops it)")
    try:
        waitress_serve(get_wsgi_application(), host="127.0.0.1", port=port, threads=threads, ident="zicht")
    except KeyboardInterrupt:
        console.print("zicht workbench stopped.")
    finally:
        counting.shutdown()
        gc.freeze()  # the redaction's ~1 GB of objects: collecting them at exit took 20 s; the system frees them at once


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@main.command()
@click.option(
    "--out",
    default="zicht-demo",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
)
@click.option("--seed", type=int, default=0, show_default=True)
def demo(out: Path, seed: int) -> None:
    """The whole job on the synthetic corpus: generate 2019 and 2020, import, link, count, report, check, suggest.

    Everything goes under OUT: corpus/ (the generated files), project/ (database, secret,
    published figures), report/ (HTML, PDF, Word, figures, tables.json, .sav, .csv).
    """
    import shutil

    from zicht.store.project import PUBLISHED, init_project, open_project
    from zicht.synth import generate, write_corpus

    if out.exists():
        shutil.rmtree(out)
    book = load_codebook("nl-2020")
    project = out / "project"
    with _progress() as bar:
        task = bar.add_task("generate the synthetic corpus", total=None)
        paths = {year: write_corpus(generate(year, seed), out / "corpus") for year in (2019, 2020)}
        bar.update(task, description="create the project")
        init_project(project)
        secret = open_project(project)
        from zicht.store.importing import import_chats, import_coded

        for year, files in paths.items():
            bar.update(task, description=f"import {year}")
            import_chats(files["chats"], secret, book["channel"].category_ids)
            import_coded(files["coded"], book)
    _demo_linkage(secret, 2020, paths[2020]["truth"], project)
    report_paths, _ = _write_report(project, 2020, (2019,), book.id, out / "report")
    published = project / PUBLISHED / "published-2020.yaml"
    checks = _check_published(project, published, 2020, book.id, None)
    _print_checks(checks, show_all=False)
    scores, differences = _evaluate(project, 2020, book.id)
    untouched = sum(s.untouched for s in scores) / len(scores)
    console.print(f"Suggestions (rules, no training): fields a coder would not need to touch {untouched:.1%}.")
    _print_differences(differences)
    console.print(f"corpus       {out / 'corpus'}\nproject      {project}")
    _print_paths(report_paths)
    if any(c.fails for c in checks):
        sys.exit(1)


def _demo_linkage(secret: bytes, year: int, truth: Path, project: Path) -> None:
    """Link the year's chats and hold the visitors found to the truth file; merging is left to review."""
    from zicht.linkage.evaluate import pairwise_scores, read_visitors
    from zicht.store import linking

    result, found = _propose(project, linking, secret, year, threshold=PROPOSE_AT)
    s = pairwise_scores(result.clusters, read_visitors(truth))
    console.print(
        f"linkage {year}: {len(result.clusters)} chats → {s.visitors} visitors at p ≥ {result.threshold} "
        f"(truly {s.true_visitors}; pairwise precision {s.precision:.2f}, recall {s.recall:.2f}); "
        f"{len(found)} proposals to review: zicht link review {project}"
    )


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
