"""Monitor, report and check: the year's tables by the codebook's counting rules, the report's files,
and the computed figures against a published report's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zicht.analysis import Tables
from zicht.codebook import Codebook, CodedCase
from zicht.errors import ZichtError
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
    from zicht.analysis.disclosure import Protection
    from zicht.analysis.published import Check


def monitor(project: Project, year: int, compare: Sequence[int] = (), codebook: Codebook | None = None) -> tuple[Tables, list[CodedCase]]:
    """The tables of `year` beside the compared years, from the coded cases as saved now; and the year's cases."""
    from zicht.analysis import monitor as count
    from zicht.store import queries

    book = codebook or project.codebook
    cases = queries.cases_of_year(year, book)
    tables = count(cases, book, year, compare={y: queries.cases_of_year(y, book) for y in compare},
                   flows={y: queries.flow(y) for y in (year, *compare)})  # fmt: skip
    return tables, cases


def compared_years(project: Project, year: int, compare: Sequence[int]) -> tuple[int, ...]:
    """The years to set beside `year`: those asked for, else the year before if the project has it."""
    from zicht.store import queries

    stored = queries.years()
    if year not in stored:
        raise ZichtError(f"{project.directory}: no coded cases for {year} (years in the project: {', '.join(map(str, stored)) or 'none'})")
    missing = [y for y in compare if y not in stored]
    if missing:
        raise ZichtError(f"{project.directory}: no coded cases for --compare {', '.join(map(str, missing))}")
    return tuple(compare) or tuple(y for y in (year - 1,) if y in stored)


@dataclass(frozen=True)
class Report:
    paths: dict[str, Path]
    flow_problems: list[str]  # what does not add up in the year's flow (also on the report's first page)
    protection: Protection | None  # what --public hid


def report(project: Project, year: int, compare: Sequence[int], out: Path, threshold: int | None = None,
           codebook: Codebook | None = None, steps: Steps = QUIET) -> Report:  # fmt: skip
    """The report's files; with `threshold`, for the public: small counts hidden, no case files."""
    from zicht.analysis import builtin_definition
    from zicht.analysis.disclosure import protect
    from zicht.analysis.flowcheck import flow_problems
    from zicht.pipeline.screening import estimate
    from zicht.pipeline.theming import theme_chapters
    from zicht.report import STEPS, write_report

    book = codebook or project.codebook
    steps.start("statistics", total=len(STEPS) + 1)
    tables, cases = monitor(project, year, compared_years(project, year, compare), book)
    problems = flow_problems(tables)
    if problems and threshold is not None:
        raise ZichtError(f"no public report of {year} while its count does not add up: {' '.join(problems)}")
    protection = None
    if threshold is not None:
        steps.start("hiding small counts", total=len(STEPS) + 1)
        tables, protection = protect(tables, threshold, builtin_definition(book.id).about_the_chat)
    steps.advance()
    unseen = estimate(project, year, book, steps)
    themes = theme_chapters(tables, cases, book)

    def step(name: str) -> None:
        steps.start(f"report: {name}")
        steps.advance()

    paths = write_report(tables, cases, book, out, progress=step, public=protection, unseen=unseen, themes=themes)
    return Report(paths, problems, protection)


def check(project: Project, spec: Path, year: int | None = None, mapping: Path | None = None,
          codebook: Codebook | None = None, steps: Steps = QUIET) -> list[Check]:  # fmt: skip
    """Every figure of a published report (SPEC.yaml) against the computed one."""
    from zicht.analysis.published import check_published, read_figures, read_mapping
    from zicht.store import queries

    spec_year, figures = read_figures(spec)
    year = year or spec_year
    mapping = mapping or project.published / f"mapping-{year}.yaml"
    if not mapping.exists():
        raise ZichtError(f"{mapping}: no mapping file; write one (see docs/tables.md) or pass --mapping")
    steps.start(f"statistics {year}")
    earlier = compared_years(project, year, [y for y in queries.years() if y < year])
    tables, _ = monitor(project, year, earlier, codebook)
    return check_published(tables, figures, read_mapping(mapping))
