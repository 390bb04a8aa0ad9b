"""Suggest: codes for every case of the year with the words they rest on; and how good they are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zicht.codebook import Codebook
from zicht.errors import ZichtError
from zicht.pipeline.monitoring import monitor
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
    from zicht.coding import Suggestion
    from zicht.coding.evaluate import FieldScore, FigureDifference
    from zicht.coding.learn import Model


@dataclass(frozen=True)
class Suggested:
    conversations: int
    found: list[tuple[str, tuple[str, ...], dict[str, Suggestion]]]  # visitor, chats, suggestions
    stored: int
    opened: int  # cases opened for visitors without one


def learned_model(project: Project, rules_only: bool = False) -> Model | None:
    """The project's learned suggester, if one is trained and it is wanted."""
    from zicht.coding.learn import load

    path = project.model_file
    return None if rules_only or not path.exists() else load(path, project.secret)


def train(project: Project, years: tuple[int, ...], steps: Steps = QUIET) -> Model:
    """Learn from the coded cases of the years; `suggest_year` and `evaluate` use the model from then on."""
    from zicht.coding.learn import save
    from zicht.coding.learn import train as learn
    from zicht.store import linking, queries

    cases = [case for year in years for case in queries.cases_of_year(year, project.codebook)]
    chats = {c.id: c for year in years for c in linking.conversations(year)}
    steps.start(f"learn from {len(cases)} coded cases")
    model = learn(cases, chats, project.codebook, project.secret, years)
    save(model, project.model_file, project.secret)
    return model


def suggest_year(project: Project, year: int, by: str, codebook: Codebook | None = None, rules_only: bool = False,
                 steps: Steps = QUIET) -> Suggested:  # fmt: skip
    """Suggestions for every case of the year, each read from its own chats, stored for the workbench.

    Visitors without a case get one first (not coded yet): the chats linked by the merges decided
    so far, unless a coded case holds one of them.
    """
    from zicht.coding.learn import suggest_with
    from zicht.store import linking, suggesting
    from zicht.store.cases import cases_of_chats, open_cases

    book = codebook or project.codebook
    model = learned_model(project, rules_only)
    by_id = {c.id: c for c in linking.conversations(year)}
    if not by_id:
        raise ZichtError(f"{project.directory}: no flagged conversations in {year}")
    opened = open_cases(year, book, by)
    cases = cases_of_chats(year)
    steps.start(f"suggest codes for {len(cases)} visitors", total=len(cases))
    found = []
    for visitor, ids in cases:
        found.append((visitor, tuple(ids), suggest_with(model, [by_id[i] for i in ids], book, project.secret)))
        steps.advance()
    stored = suggesting.replace_suggestions(year, book, found)
    return Suggested(len(by_id), found, stored, opened)


@dataclass(frozen=True)
class Evaluation:
    scores: list[FieldScore]
    differences: list[FigureDifference]  # per published share: from suggestions alone against the codes
    folds: int  # 1, or the folds of a cross-validated learned suggester

    @property
    def untouched(self) -> float:
        """The share of fields a coder would not need to touch, over every variable."""
        return sum(s.untouched for s in self.scores) / len(self.scores) if self.scores else 0.0


def evaluate(project: Project, year: int, codebook: Codebook | None = None, rules_only: bool = False,
             steps: Steps = QUIET) -> Evaluation:  # fmt: skip
    """Suggestions for each coded case of the year, scored per variable and per published share."""
    from zicht.analysis import monitor as count
    from zicht.analysis.published import read_figures, read_mapping
    from zicht.coding.evaluate import field_scores, figure_differences, folds_for, suggested_cases
    from zicht.store import linking, queries

    book = codebook or project.codebook
    tables, cases = monitor(project, year, (), book)
    chats = {c.id: c for c in linking.conversations(year)}
    model = learned_model(project, rules_only)
    steps.start(f"suggest codes for {len(cases)} coded visitors", total=len(cases))
    suggested = suggested_cases(cases, chats, book, project.secret, model, year, advance=steps.advance)
    earlier = tuple(y for y in (year - 1,) if y in queries.years())
    from_suggestions = count(list(suggested.values()), book, year, compare={y: queries.cases_of_year(y, book) for y in earlier},
                             flows={y: queries.flow(y) for y in (year, *earlier)})  # fmt: skip
    spec = project.published / f"published-{year}.yaml"
    differences: list[FigureDifference] = []
    if spec.exists():
        _, figures = read_figures(spec)
        mapping = read_mapping(project.published / f"mapping-{year}.yaml")
        differences = figure_differences(tables, from_suggestions, figures, mapping)
    return Evaluation(field_scores(cases, suggested, book), differences, folds_for(model, year))
