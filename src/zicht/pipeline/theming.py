"""Thematic analysis of a subset: passages imported from a file, and each analysis's chapter for the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zicht.errors import Problem, ZichtError
from zicht.pipeline.project import Project

if TYPE_CHECKING:
    from zicht.analysis import Tables
    from zicht.analysis.definition import ThemeAnalysis
    from zicht.analysis.themes import ThemeChapter
    from zicht.codebook import Codebook, CodedCase


@dataclass(frozen=True)
class ImportedPassages:
    analysis: str
    stored: int
    already: int  # passages the project held as they are
    quotes: int  # of those in the file, chosen to quote


def theme_analysis(codebook: Codebook, analysis_id: str | None) -> ThemeAnalysis:
    """The monitor definition's thematic analysis by id; without one, its only one."""
    from zicht.analysis import builtin_definition

    analyses = builtin_definition(codebook.id).themes
    if analysis_id is None and len(analyses) == 1:
        return next(iter(analyses.values()))
    if analysis_id not in analyses:
        known = ", ".join(analyses) or "none"
        raise ZichtError(f"no thematic analysis {analysis_id!r} in the monitor of {codebook.id} (known: {known})")
    return analyses[analysis_id]


def import_passages(project: Project, path: Path, analysis_id: str | None, by: str) -> ImportedPassages:
    """Every passage of the file, or none: a row the project cannot take is named with its line."""
    from zicht.store.themes import code_passages
    from zicht.transcripts.passages import read_passages, refused

    analysis = theme_analysis(project.codebook, analysis_id)
    rows = read_passages(path)
    stored, already, problems = code_passages(rows, analysis, project.codebook, by)
    if problems:
        raise refused(path, [Problem(str(path), line, column, reason) for line, column, reason in problems])
    return ImportedPassages(analysis.id, stored, already, sum(r.quote for r in rows))


def theme_chapters(tables: Tables, cases: Sequence[CodedCase], codebook: Codebook) -> list[ThemeChapter]:
    """Each thematic analysis of the monitor with its counts (from `tables`, perhaps protected) and chosen quotes."""
    from zicht.analysis import builtin_definition
    from zicht.analysis.populations import members
    from zicht.analysis.themes import theme_chapter
    from zicht.store.themes import passages

    chapters = []
    for analysis in builtin_definition(codebook.id).themes.values():
        if not tables.has(analysis.table, tables.year):
            continue
        subset = members(cases, codebook, tables.year, analysis.population)
        chapters.append(theme_chapter(analysis, tables, codebook, passages(analysis.id, subset), subset))
    return chapters
