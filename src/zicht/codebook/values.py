"""Coded values as table cells and back: the coded-cases CSV layout, one visitor per row.

A variable of type `many` becomes one 0/1 column per category (`coercion.violence`); the
others one column. An empty cell is *unknown / not mentioned*; `not_coded` marks a variable
nobody has coded yet (after a codebook migration), in every column of that variable. Where a
variable does not apply, 0 in its flag or in every column of a `many` variable reads as empty.

A problem is a CodeProblem: the (column, reason) the user reads, and its kind, by which a caller
sorts problems (the workbench leaves the not-applicable ones to its own rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from zicht.codebook.model import NOT_CODED, Codebook, Condition, Value, Values, Variable
from zicht.errors import CellRefused

NOT_CODED_MARK = "not_coded"
_TRUE = {"1", "1.0", "true", "yes", "ja"}
_FALSE = {"0", "0.0", "false", "no", "nee"}

Kind = Literal["invalid", "incomplete", "not_applicable"]
"""invalid: a cell or value that is no code of its variable (unreadable, unknown category, out of range);
incomplete: some columns of a multi-answer variable empty, others filled; not_applicable: coded where
the codes it depends on rule the variable out."""


class CodeProblem(tuple[str, str]):
    """A problem of a row or of coded values: the (column, reason) the user reads, and its kind.

    A pair still, so that it unpacks and compares as the (column, reason) it was; the kind is
    beside it, not in it, for callers that sort problems by what they are, not by their text.
    """

    kind: Kind

    def __new__(cls, column: str, reason: str, kind: Kind = "invalid") -> CodeProblem:
        problem = super().__new__(cls, (column, reason))
        problem.kind = kind
        return problem

    @property
    def column(self) -> str:
        return self[0]

    @property
    def reason(self) -> str:
        return self[1]


def columns(codebook: Codebook) -> list[str]:
    """The columns of a coded-cases table, in codebook order."""
    return [c for v in codebook for c in variable_columns(v)]


def variable_columns(variable: Variable) -> list[str]:
    if variable.type == "many":
        return [f"{variable.id}.{c}" for c in variable.category_ids]
    return [variable.id]


def format_value(variable: Variable, value: Value) -> dict[str, str]:
    """The cells of one variable."""
    cols = variable_columns(variable)
    if value is NOT_CODED:
        return dict.fromkeys(cols, NOT_CODED_MARK)
    if value is None:
        return dict.fromkeys(cols, "")
    if variable.type == "many":
        assert isinstance(value, frozenset)
        return {f"{variable.id}.{c}": "1" if c in value else "0" for c in variable.category_ids}
    return {variable.id: format_scalar(variable, value)}


MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def in_dutch(day: dt.date, with_day: bool = True) -> str:
    """A date as a researcher reads it: "1 jan 2020"; a month: "mrt 2020"."""
    month = f"{MONTHS_NL[day.month - 1]} {day.year}"
    return f"{day.day} {month}" if with_day else month


def format_scalar(variable: Variable, value: Value) -> str:
    if variable.type == "flag":
        return "1" if value else "0"
    if variable.type == "month":
        assert isinstance(value, dt.date)
        return value.strftime("%Y-%m")
    if variable.type == "date":
        assert isinstance(value, dt.date)
        return value.isoformat()
    return str(value)


def to_row(codebook: Codebook, values: Values) -> dict[str, str]:
    row: dict[str, str] = {}
    for variable in codebook:
        row.update(format_value(variable, values.get(variable.id)))
    return row


def from_row(codebook: Codebook, row: Mapping[str, str | None]) -> tuple[dict[str, Value], list[CodeProblem]]:
    """Parse one row; returns the values and the problems, each a (column, reason) with its kind.

    Where a variable does not apply (the codes it depends on rule it out), a flag of 0 and a
    multi-answer variable with every column 0 or empty are unknown, as zicht keeps a variable
    that does not apply: SPSS users write 0s there. A problem's column is the one to fix; for
    a multi-answer variable, the columns concerned, joined by commas.
    """
    values: dict[str, Value] = {}
    found: dict[str, CodeProblem] = {}
    incomplete: set[str] = set()
    for variable in codebook:
        try:
            values[variable.id] = _parse(variable, row)
        except _Incomplete as e:
            values[variable.id] = e.value
            found[variable.id] = CodeProblem(e.column, e.reason, "incomplete")
            incomplete.add(variable.id)
        except CellRefused as e:
            found[variable.id] = CodeProblem(e.column, e.reason)
    known = {k: v for k, v in values.items() if k not in incomplete}
    for variable in codebook:
        if variable.id in values and _applicability(codebook, variable, known) is False:
            if variable.id in incomplete:  # empty cells are right where it does not apply
                del found[variable.id]
            if _says_nothing(variable, values[variable.id]):
                values[variable.id] = None
    problems = [found[v.id] for v in codebook if v.id in found]
    if not problems:
        problems = [_in_columns(codebook[p.column], values, p) for p in check_values(codebook, values)]
    return values, problems


class _Incomplete(CellRefused):
    """Some columns of a multi-answer variable empty and others not: wrong only where it applies."""

    def __init__(self, value: Value, column: str, reason: str) -> None:
        super().__init__(column, reason)
        self.value = value


def _says_nothing(variable: Variable, value: Value) -> bool:
    """A flag of 0, or a multi-answer variable naming no category: what 'not applicable' looks like in SPSS."""
    if variable.type == "flag":
        return value is False
    return variable.type == "many" and value == frozenset()


def _in_columns(variable: Variable, values: Values, problem: CodeProblem) -> CodeProblem:
    """A problem of a variable, at the columns the user must fix."""
    value = values.get(variable.id)
    if variable.type != "many" or not isinstance(value, frozenset):
        return problem
    chosen = [f"{variable.id}.{c}" for c in variable.category_ids if c in value]
    return CodeProblem(",".join(chosen or variable_columns(variable)), f"{variable.id} {problem.reason}", problem.kind)


def _parse(variable: Variable, row: Mapping[str, str | None]) -> Value:
    cells = {c: (row.get(c) or "").strip() for c in variable_columns(variable)}
    present = [c for c, text in cells.items() if text]
    if not present:
        return None
    not_coded = [c for c in present if cells[c] == NOT_CODED_MARK]
    if len(not_coded) == len(cells):
        return NOT_CODED
    if not_coded:
        raise CellRefused(",".join(not_coded), f"not coded, unlike the other columns of {variable.id}")
    if variable.type == "many":
        chosen = set()
        for column in present:
            if cells[column].lower() in _TRUE:
                chosen.add(column.split(".", 1)[1])
            elif cells[column].lower() not in _FALSE:
                raise CellRefused(column, f"expected 0 or 1, got {cells[column]!r}")
        if len(present) < len(cells):
            blank = ",".join(c for c in cells if not cells[c])
            raise _Incomplete(frozenset(chosen), blank, f"empty, while other columns of {variable.id} are filled")
        return frozenset(chosen)
    return parse_scalar(variable, cells[variable.id])


def parse_scalar(variable: Variable, text: str) -> Value:
    """One cell of a single-column variable; raises CellRefused(column, reason)."""
    column = variable.id
    if variable.type == "one":
        if text not in variable.category_ids:
            known = ", ".join(variable.category_ids)
            raise CellRefused(column, f"unknown category {text!r} (known: {known})")
        return text
    if variable.type == "flag":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise CellRefused(column, f"expected 1 or 0, got {text!r}")
    if variable.type == "integer":
        try:
            number = float(text)
        except ValueError:
            raise CellRefused(column, f"expected a whole number, got {text!r}") from None
        if not number.is_integer():
            raise CellRefused(column, f"expected a whole number, got {text!r}")
        return int(number)
    if variable.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CellRefused(column, f"expected a date YYYY-MM-DD, got {text!r}") from None
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CellRefused(column, f"expected a month YYYY-MM, got {text!r}") from None


def check_values(codebook: Codebook, values: Values) -> list[CodeProblem]:
    """Codes that the codebook forbids: out of range or unknown category (invalid), or not applicable.

    A code is not applicable when the codes it depends on rule it out; while one of them is
    not coded yet (or not given), it may still apply.
    """
    problems: list[CodeProblem] = []
    for variable in codebook:
        value = values.get(variable.id)
        if value is None or value is NOT_CODED:
            continue
        if variable.type == "integer" and variable.range and isinstance(value, int):
            low, high = variable.range
            if not low <= value <= high:
                problems.append(CodeProblem(variable.id, f"{value} is outside {low}-{high}"))
        if variable.type == "one" and value not in variable.category_ids:
            problems.append(CodeProblem(variable.id, f"unknown category {value!r}"))
        if variable.type == "many" and isinstance(value, frozenset):
            problems.extend(CodeProblem(variable.id, f"unknown category {c!r}") for c in sorted(value - set(variable.category_ids)))
        if _applicability(codebook, variable, values) is False:
            cond = variable.applies_when
            assert cond is not None
            reason = f"coded, but applies only when {cond.variable} {_rule(codebook, cond)}"
            problems.append(CodeProblem(variable.id, reason, "not_applicable"))
    return problems


def _applicability(codebook: Codebook, variable: Variable, values: Values) -> bool | None:
    """Whether a variable applies; None while a code it depends on is not coded yet or not given."""
    condition = variable.applies_when
    if condition is None:
        return True
    above = _applicability(codebook, codebook[condition.variable], values)
    if above is False:
        return False
    if values.get(condition.variable, NOT_CODED) is NOT_CODED:
        return None
    return above if condition.holds(values) else False


def _rule(codebook: Codebook, condition: Condition) -> str:
    """A condition as the file writes it: `includes criminal`, `is yes`, `is 1`."""
    if condition.includes is not None:
        return f"includes {condition.includes}"
    return f"is {format_scalar(codebook[condition.variable], condition.equals)}"
