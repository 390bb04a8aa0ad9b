"""Coded cases as column arrays, so that every table is a few vector operations.

A monitor has a hundred tables over populations of up to tens of thousands of visitors;
looping over the cases once per table is too slow, looping once to build masks is not.
The counting rules that change what a value *is* (R4: no form named counts as sexual; R7:
minor by age) are applied here, once, so every table sees the same effective values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from zicht.analysis.definition import MINOR, Rule
from zicht.codebook import NOT_CODED, Codebook, CodedCase, Variable

Mask = npt.NDArray[np.bool_]


def any_of(masks: list[Mask], size: int) -> Mask:
    """Where at least one mask holds (none given: nowhere)."""
    out = np.zeros(size, dtype=bool)
    for mask in masks:
        out |= mask
    return out


def _columns(cases: Sequence[CodedCase], codebook: Codebook) -> list[tuple[object, ...]]:
    """The values of every variable as columns (a variable a case lacks is not coded)."""
    ids = [v.id for v in codebook]
    if not cases:
        return [() for _ in ids]
    row = itemgetter(*ids) if len(ids) > 1 else lambda values: (values[ids[0]],)
    try:
        return list(zip(*map(row, (c.values for c in cases)), strict=True))
    except KeyError:
        return [tuple(c.values.get(i, NOT_CODED) for c in cases) for i in ids]


class Frame:
    """The coded cases of one year: per variable a mask of the known cases and of each category."""

    def __init__(self, cases: Sequence[CodedCase], codebook: Codebook, age_variable: str) -> None:
        self.codebook = codebook
        self.size = len(cases)
        self.conversations = np.array([len(c.conversation_ids) or 1 for c in cases], dtype=np.int64)
        self.not_coded: dict[str, Mask] = {}
        self.known: dict[str, Mask] = {}
        self.category: dict[str, dict[str, Mask]] = {}
        self.number: dict[str, npt.NDArray[np.float64]] = {}  # integer, date (ordinal), month (ordinal)
        for variable, values in zip(codebook, _columns(cases, codebook), strict=True):
            self._add(variable, list(values))
        self.applies: dict[str, Mask] = {}
        self.counted_as: dict[str, Mask] = {}  # where rule R4 filled in a many-variable
        for variable in codebook:
            self._applies(variable)
        self._none_named_counts_as()
        self.age_variable = age_variable

    def _add(self, variable: Variable, values: list[object]) -> None:
        vid = variable.id
        self.not_coded[vid] = np.array([v is NOT_CODED for v in values], dtype=bool)
        self.known[vid] = np.array([v is not None and v is not NOT_CODED for v in values], dtype=bool)
        if variable.type == "one":
            array = np.array(values, dtype=object)
            self.category[vid] = {c: array == c for c in variable.category_ids}
        elif variable.type == "flag":
            self.category[vid] = {
                "true": np.array([v is True for v in values], dtype=bool),
                "false": np.array([v is False for v in values], dtype=bool),
            }
        elif variable.type == "many":
            masks = {c: np.zeros(self.size, dtype=bool) for c in variable.category_ids}
            for i, v in enumerate(values):
                if isinstance(v, frozenset):
                    for c in v:
                        masks[c][i] = True
            self.category[vid] = masks
        elif variable.type == "integer":
            self.number[vid] = np.array([v if isinstance(v, int) and not isinstance(v, bool) else np.nan for v in values], dtype=float)
        else:
            self.number[vid] = np.array([v.toordinal() if isinstance(v, dt.date) else np.nan for v in values], dtype=float)

    def _applies(self, variable: Variable) -> Mask:
        if variable.id in self.applies:
            return self.applies[variable.id]
        condition = variable.applies_when
        if condition is None:
            self.applies[variable.id] = np.ones(self.size, dtype=bool)
            return self.applies[variable.id]
        parent = self.codebook[condition.variable]
        if condition.includes is not None:
            holds = self.category[parent.id][condition.includes]
        elif parent.type == "flag":
            holds = self.category[parent.id]["true" if condition.equals else "false"]
        else:
            holds = self.category[parent.id][str(condition.equals)]
        self.applies[variable.id] = self._applies(parent) & holds
        return self.applies[variable.id]

    def _none_named_counts_as(self) -> None:
        """R4: where a many-variable applies but no category is named, it counts as the named one."""
        for variable in self.codebook:
            if variable.none_named_counts_as is None:
                continue
            named = any_of(list(self.category[variable.id].values()), self.size)
            fill = self.applies[variable.id] & ~self.not_coded[variable.id] & ~named
            self.category[variable.id][variable.none_named_counts_as] |= fill
            self.known[variable.id] |= fill
            self.counted_as[variable.id] = fill

    def categories(self, variable_id: str) -> dict[str, Mask]:
        """Category masks, including the derived `minor` (R7: under minor_age at the first chat)."""
        if variable_id == MINOR:
            age = self.number[self.age_variable]
            with np.errstate(invalid="ignore"):
                return {"yes": age < self.codebook.minor_age, "no": age >= self.codebook.minor_age}
        return self.category[variable_id]

    def answer_sets(self, variable_id: str) -> npt.NDArray[np.int64]:
        """Each case's exact set of answers of a multi-answer variable as one number: its categories as bits."""
        code = np.zeros(self.size, dtype=np.int64)
        for bit, mask in enumerate(self.categories(variable_id).values()):
            code |= mask.astype(np.int64) << bit
        return code

    def is_known(self, variable_id: str) -> Mask:
        if variable_id == MINOR:
            return ~np.isnan(self.number[self.age_variable])
        return self.known[variable_id]

    def holds(self, rule: Rule, year: int) -> Mask:
        """Where one population rule holds; unknown and not-coded values never satisfy a test."""
        known = self.is_known(rule.variable)
        if rule.known is not None:
            return known if rule.known else ~known
        if rule.on_or_after is not None:
            month, day = rule.on_or_after
            with np.errstate(invalid="ignore"):
                return self.number[rule.variable] >= dt.date(year, month, day).toordinal()
        cats = self.categories(rule.variable)
        if rule.equals is not None:
            return cats["true" if rule.equals is True else "false" if rule.equals is False else str(rule.equals)]
        if rule.in_ is not None:
            return any_of([cats[c] for c in rule.in_], self.size)
        if rule.includes is not None:
            return cats[rule.includes]
        assert rule.is_ is not None
        mask = known.copy()
        for c, m in cats.items():
            mask &= m if c in rule.is_ else ~m
        return mask
