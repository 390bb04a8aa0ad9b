"""Agreement between two coders of the same cases: per variable percent agreement, Cohen's kappa
and Krippendorff's alpha (nominal), and the disagreements to resolve.

A variable counts for a case when both coders coded it and it applies under both coders' codes
(`Codebook.applies`): a field nobody had to fill is no agreement. A `many` answer is compared as
a whole (the same combination of categories), as the monitor counts combinations.
Where it applies for one coder only, the case is left out: that disagreement is counted on the variable it depends on.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from zicht.codebook import NOT_CODED, Codebook, Value, Values


@dataclass(frozen=True)
class Agreement:
    variable: str
    n: int  # cases where the variable applies for both coders and both coded it
    percent: float | None
    kappa: float | None  # None where it is undefined (one value throughout)
    alpha: float | None


@dataclass(frozen=True)
class Disagreement:
    case: str
    variable: str
    first: Value
    second: Value


def agreement(codebook: Codebook, pairs: Sequence[tuple[str, Values, Values]]) -> tuple[list[Agreement], list[Disagreement]]:
    """`pairs`: (case, first coder's values, second coder's values)."""
    table, disagreements = [], []
    for variable in codebook:
        applicable = [(case, a, b) for case, a, b in pairs if codebook.applies(variable, a) and codebook.applies(variable, b)]
        both = [(case, a.get(variable.id, NOT_CODED), b.get(variable.id, NOT_CODED)) for case, a, b in applicable]
        both = [(case, x, y) for case, x, y in both if x is not NOT_CODED and y is not NOT_CODED]
        first = [_unit(x) for _, x, _ in both]
        second = [_unit(y) for _, _, y in both]
        same = sum(x == y for x, y in zip(first, second, strict=True))
        table.append(Agreement(variable.id, len(both), same / len(both) if both else None, _kappa(first, second), _alpha(first, second)))
        disagreements += [Disagreement(case, variable.id, x, y) for case, x, y in both if _unit(x) != _unit(y)]
    return table, disagreements


def _unit(value: Value) -> str:
    """A value as one nominal category: unknown is a category of its own."""
    if value is None:
        return "<unknown>"
    if isinstance(value, frozenset):
        return "+".join(sorted(value)) or "<none>"
    return str(value)


def _kappa(first: list[str], second: list[str]) -> float | None:
    if len(set(first) | set(second)) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        kappa = float(cohen_kappa_score(first, second))
    return None if math.isnan(kappa) else kappa


def _alpha(first: list[str], second: list[str]) -> float | None:
    labels = sorted(set(first) | set(second))
    if len(labels) < 2:
        return None
    index = {label: i for i, label in enumerate(labels)}
    data = np.array([[index[x] for x in first], [index[y] for y in second]], dtype=float)
    alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(alpha) else alpha
