"""The monitor: stats (tables.json), report, check-published."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zicht.cli.console import console, print_checks, print_paths, progress, warn
from zicht.cli.group import main
from zicht.cli.options import BY, CODEBOOK, COMPARE, PROJECT, YEAR, OutputFile
from zicht.errors import ZichtError
from zicht.pipeline import upkeep
from zicht.pipeline.monitoring import Report, check, compared_years, monitor, report
from zicht.pipeline.project import Project


@main.command()
@PROJECT
@YEAR
@COMPARE
@CODEBOOK
@click.option("--out", required=True, type=OutputFile(), help="Where to write tables.json.")
def stats(directory: Path, year: int, compare: tuple[int, ...], codebook_id: str | None, out: Path) -> None:
    """Compute the monitor's tables by the codebook's counting rules and write tables.json.

    Every table has its id, population, n (the denominator), n missing, counts, shares and
    the codebook version; docs/tables.md describes the file.
    """
    from zicht.analysis.flowcheck import flow_problems

    project = Project.open(directory)
    with progress(f"statistics {year}"):
        tables, _ = monitor(project, year, compared_years(project, year, compare), project.codebook_or(codebook_id))
        tables.write(out)
    flow = tables.get("flow")
    console.print(
        f"{len(tables.tables)} tables for {', '.join(map(str, tables.years))} → {out}\n"
        f"{year}: {flow.counts['flagged_chats']} flagged chats, {flow.counts['duplicate_chats']} duplicates, "
        f"{flow.counts['not_trafficking']} not about trafficking, {flow.counts['unique_visitors']} unique visitors."
    )
    warn(flow_problems(tables))


@main.command()
@PROJECT
@YEAR
@CODEBOOK
def estimate(directory: Path, year: int, codebook_id: str | None) -> None:
    """How many trafficking chats the year held, the ones nobody recognised included.

    Two detectors look at every chat: the counsellor's flag and zicht's screening (zicht screen).
    How often they find the same chats says how many neither found (capture-recapture: Chapman's
    estimate, with a 95% interval). A chat the researchers coded as not about trafficking counts
    for neither. It assumes the two find chats independently, within one closed year.
    """
    from zicht.pipeline.screening import estimate as estimated

    project = Project.open(directory)
    with progress() as bar:
        e = estimated(project, year, project.codebook_or(codebook_id), bar)
    console.print(
        f"{year}: the counsellors flagged {e.first} trafficking chats, the screening found {e.second}, {e.both} of them both "
        f"({e.seen} in all).\n"
        f"Estimated trafficking chats: {e.total:.0f} ({e.level:.0%} interval {e.low:.0f} to {e.high:.0f}); "
        f"the counsellors' flag found {e.coverage:.0%} of them.\n"
        "This assumes that the flag and the screening find chats independently and that the year's chats are one closed "
        "population. Where both react to the same words, the estimate is too low: a lower bound."
    )


@main.command("report")
@PROJECT
@YEAR
@COMPARE
@CODEBOOK
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the report.")
@click.option("--public", is_flag=True, help="For publication: small counts hidden (see --threshold), no case files.")
@click.option("--threshold", type=click.IntRange(min=2), default=5, show_default=True, help="--public hides counts below this.")
@click.option("--final", is_flag=True, help="This is the year's published report: its raw chats may then be purged.")
@BY
def report_(directory: Path, year: int, compare: tuple[int, ...], codebook_id: str | None, out: Path, public: bool, threshold: int,
            final: bool, by: str) -> None:  # fmt: skip
    """Write the monitor's report: report.html, .pdf and .docx, figures, tables.json, cases.sav and .csv.

    \b
    --public applies small-cell protection to every table and figure: counts from 1 to
    THRESHOLD-1 are shown as "<THRESHOLD", and further counts as "x" wherever a hidden one could
    otherwise be worked out from totals, groups or the other year; the report explains this,
    and cases.sav and cases.csv are left out. Without it the numbers are exact (internal use).
    """
    project = Project.open(directory)
    written = write(project, year, compare, out, threshold if public else None, codebook_id)
    if final and written.flow_problems:
        raise ZichtError(f"the {year} report cannot be final while its count does not add up (see above); its first page says so too")
    if final:
        upkeep.finalise(year, written.paths["tables.json"], by)
        console.print(f"The {year} report is final; `zicht purge {directory} --year {year}` may now remove its raw chat text.")


def write(project: Project, year: int, compare: tuple[int, ...], out: Path, threshold: int | None = None,
          codebook_id: str | None = None) -> Report:  # fmt: skip
    """The report, with what does not add up said before its paths (also by `zicht demo`)."""
    with progress("statistics") as bar:
        written = report(project, year, compare, out, threshold, project.codebook_or(codebook_id), bar)
    warn(written.flow_problems)
    if written.protection:
        console.print(f"Public report: {len(written.protection.primary)} counts below {threshold} hidden, "
                      f"{len(written.protection.secondary)} more so that none can be worked out; no case files.")  # fmt: skip
    print_paths(written.paths)
    return written


@main.command("check-published")
@PROJECT
@click.argument("spec", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--year", type=int, help="The monitor's year. Default: the year the spec is about.")
@CODEBOOK
@click.option("--mapping", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Which table holds each figure. Default: PROJECT/published/mapping-YEAR.yaml.")  # fmt: skip
@click.option("--all", "show_all", is_flag=True, help="List every figure, not only those that differ.")
def check_published(directory: Path, spec: Path, year: int | None, codebook_id: str | None, mapping: Path | None,
                    show_all: bool) -> None:  # fmt: skip
    """Compare the computed figures with a published report's (SPEC.yaml); exit 1 on a mismatch.

    \b
    Counts must be equal, percentages within 0.05 of the printed one, vague words
    ("bijna 60%") within their range. Figures about the year before come from the
    project's data of that year. A figure the mapping marks `report_inconsistent` is
    shown as `known` and does not fail the check.
    """
    project = Project.open(directory)
    with progress() as bar:
        checks = check(project, spec, year, mapping, project.codebook_or(codebook_id), bar)
    print_checks(checks, show_all)
    if any(c.fails for c in checks):
        sys.exit(1)
