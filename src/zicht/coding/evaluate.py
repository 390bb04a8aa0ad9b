"""How good the suggestions are: per variable against the researchers' codes, and per published figure.

Categorical variables are scored by macro-F1 over their categories (a rare category counts
as much as a common one), numbers and dates by exact agreement over the cases where the
researchers coded one. "Untouched" is the share of cases where the suggestion is the code:
the fields a coder would not need to change. The report-level error is what each published
share would be if the monitor were counted from the suggestions alone, minus the share from
the researchers' codes, in percentage points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from zicht.analysis.published import Figure, Locator, figure_values
from zicht.analysis.tables import Tables
from zicht.codebook import Codebook, CodedCase, Value, Variable
from zicht.coding.learn import Model, suggest_with, train
from zicht.coding.suggest import as_case
from zicht.transcripts.model import Conversation

FOLDS = 5  # a learned suggester trained on the year it is scored on is cross-validated in this many folds


@dataclass(frozen=True)
class FieldScore:
    variable: str
    measure: str  # "macro-F1" or "exact"
    score: float | None  # None: nothing to score (no case coded and none suggested)
    cases: int  # cases the score is over
    untouched: float  # share of all cases where the suggestion equals the code


@dataclass(frozen=True)
class FigureDifference:
    id: str
    coded: float  # the percentage from the researchers' codes
    suggested: float | None  # from the suggestions alone; None when the tables have no such value
    difference: float | None  # in percentage points


def suggested_cases(cases: Sequence[CodedCase], chats: dict[str, Conversation], codebook: Codebook, secret: bytes,
                    model: Model | None = None, year: int | None = None,
                    advance: Callable[[], None] = lambda: None) -> dict[str, CodedCase]:  # fmt: skip
    """Suggestions made afresh for each coded case, from the chats the researchers put under that visitor,
    so the score is of the coding, not of the linkage.

    A learned suggester trained on this very year is cross-validated: each fold is suggested by a
    model trained on the other folds only, so no case is suggested by a model that learned it.
    """
    folds = folds_for(model, year)
    suggested = {}
    for fold in range(folds):
        if folds > 1:
            model = train([c for i, c in enumerate(cases) if i % folds != fold], chats, codebook, secret)
        for case in cases[fold::folds]:
            own = [chats[i] for i in case.conversation_ids if i in chats]
            if own:
                suggestions = suggest_with(model, own, codebook, secret)
                suggested[case.visitor_id] = as_case(case.visitor_id, suggestions, codebook, case.conversation_ids)
            advance()
    return suggested


def folds_for(model: Model | None, year: int | None) -> int:
    """1, or FOLDS when a learned suggester is scored on a year it was trained on."""
    return FOLDS if model is not None and year in model.years else 1


def field_scores(coded: Sequence[CodedCase], suggested: Mapping[str, CodedCase], codebook: Codebook) -> list[FieldScore]:
    """Per variable; `suggested` holds the suggestions as cases, by the researchers' visitor id."""
    pairs = [(case.values, suggested[case.visitor_id].values) for case in coded if case.visitor_id in suggested]
    scores = []
    for variable in codebook:
        truth = [c.get(variable.id) for c, _ in pairs]
        guess = [s.get(variable.id) for _, s in pairs]
        untouched = sum(t == g for t, g in zip(truth, guess, strict=True)) / len(pairs) if pairs else 0.0
        if variable.type in ("one", "many", "flag"):
            score, n = _macro_f1(variable, truth, guess), len(pairs)
            scores.append(FieldScore(variable.id, "macro-F1", score, n, untouched))
        else:
            stated = [(t, g) for t, g in zip(truth, guess, strict=True) if t is not None]
            exact = sum(t == g for t, g in stated) / len(stated) if stated else None
            scores.append(FieldScore(variable.id, "exact", exact, len(stated), untouched))
    return scores


def _macro_f1(variable: Variable, truth: list[Value], guess: list[Value]) -> float | None:
    """The mean over categories of F1; "not mentioned" is no category, so a wrong silence is a miss."""
    categories = ["true"] if variable.type == "flag" else list(variable.category_ids)
    f1s = []
    for category in categories:
        t = [_has(variable, v, category) for v in truth]
        g = [_has(variable, v, category) for v in guess]
        tp = sum(a and b for a, b in zip(t, g, strict=True))
        wrong = sum(a != b for a, b in zip(t, g, strict=True))
        if tp or wrong:
            f1s.append(2 * tp / (2 * tp + wrong))
    return sum(f1s) / len(f1s) if f1s else None


def _has(variable: Variable, value: Value, category: str) -> bool:
    if variable.type == "flag":
        return value is True
    if variable.type == "many":
        return isinstance(value, frozenset) and category in value
    return value == category


def figure_differences(
    coded: Tables, suggested: Tables, figures: Sequence[Figure], mapping: Mapping[str, Locator]
) -> list[FigureDifference]:
    """Every published share, counted from the codes and from the suggestions."""
    out = []
    for figure in figures:
        where = mapping.get(figure.id)
        if where is None or figure.pct is None or where.pct is None:
            continue
        try:
            _, from_codes, _ = figure_values(coded, figure, where)
        except KeyError:
            continue
        if from_codes is None:
            continue
        try:
            _, from_suggestions, _ = figure_values(suggested, figure, where)
        except KeyError:
            from_suggestions = None
        difference = None if from_suggestions is None else from_suggestions - from_codes
        out.append(FigureDifference(figure.id, from_codes, from_suggestions, difference))
    return out
