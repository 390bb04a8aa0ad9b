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
    from django.db import transaction

    from zicht.store import models
    from zicht.store.themes import PassageRefused, choose_quote, code_passage
    from zicht.transcripts.passages import read_passages, refused

    book = project.codebook
    analysis = theme_analysis(book, analysis_id)
    rows = read_passages(path)
    stored = already = 0
    problems = []
    with transaction.atomic():
        for row in rows:
            case = models.Case.kept.filter(held__conversation=row.conversation_id).first()
            if case is None:
                problems.append(Problem(str(path), row.line, "conversation_id", f"no case holds chat {row.conversation_id!r}"))
                continue
            same = models.Passage.objects.filter(analysis=analysis.id, theme=row.theme, conversation=row.conversation_id,
                                                 message=row.message, start=row.start, end=row.end).first()  # fmt: skip
            if same is not None:  # imported before: only whether to quote it can change
                if same.quote == row.quote:
                    already += 1
                else:
                    choose_quote(same, analysis, row.quote, by)
                    stored += 1
                continue
            try:
                code_passage(case, analysis, book, row.theme, row.conversation_id, row.message, row.start, row.end, by, row.quote)
            except PassageRefused as e:
                problems.append(Problem(str(path), row.line, "", str(e)))
                continue
            stored += 1
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise refused(path, problems)
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
