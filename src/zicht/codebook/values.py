"""Coded values as table cells and back: the coded-cases CSV layout, one visitor per row.

A variable of type `many` becomes one 0/1 column per category (`coercion.violence`); the
others one column. An empty cell is *unknown / not mentioned*; `not_coded` marks a variable
nobody has coded yet (after a codebook migration), in every column of that variable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from zicht.codebook.model import NOT_CODED, Codebook, Value, Values, Variable

NOT_CODED_MARK = "not_coded"
_TRUE = {"1", "1.0", "true", "yes", "ja"}
_FALSE = {"0", "0.0", "false", "no", "nee"}


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


def from_row(codebook: Codebook, row: Mapping[str, str | None]) -> tuple[dict[str, Value], list[tuple[str, str]]]:
    """Parse one row; returns the values and the problems as (column, reason)."""
    values: dict[str, Value] = {}
    problems: list[tuple[str, str]] = []
    for variable in codebook:
        try:
            values[variable.id] = _parse(variable, row)
        except ValueError as e:
            column, reason = e.args
            problems.append((column, reason))
    if not problems:
        problems.extend(check_values(codebook, values))
    return values, problems


def _parse(variable: Variable, row: Mapping[str, str | None]) -> Value:
    cells = {c: (row.get(c) or "").strip() for c in variable_columns(variable)}
    present = [c for c, text in cells.items() if text]
    if not present:
        return None
    if all(cells[c] == NOT_CODED_MARK for c in cells):
        return NOT_CODED
    if variable.type == "many":
        chosen = set()
        for column, text in cells.items():
            if text.lower() in _TRUE:
                chosen.add(column.split(".", 1)[1])
            elif text.lower() not in _FALSE:
                raise ValueError(column, f"expected 0 or 1, got {text!r}")
        if len(present) < len(cells):
            blank = next(c for c in cells if not cells[c])
            raise ValueError(blank, "empty, while other categories of this variable are filled")
        return frozenset(chosen)
    return parse_scalar(variable, cells[variable.id])


def parse_scalar(variable: Variable, text: str) -> Value:
    """One cell of a single-column variable; raises ValueError(column, reason)."""
    column = variable.id
    if variable.type == "one":
        if text not in variable.category_ids:
            known = ", ".join(variable.category_ids)
            raise ValueError(column, f"unknown category {text!r} (known: {known})")
        return text
    if variable.type == "flag":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(column, f"expected 1 or 0, got {text!r}")
    if variable.type == "integer":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(column, f"expected a whole number, got {text!r}") from None
        if not number.is_integer():
            raise ValueError(column, f"expected a whole number, got {text!r}")
        return int(number)
    if variable.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(column, f"expected a date YYYY-MM-DD, got {text!r}") from None
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ValueError(column, f"expected a month YYYY-MM, got {text!r}") from None


def check_values(codebook: Codebook, values: Values) -> list[tuple[str, str]]:
    """Codes that the codebook forbids: out of range, unknown category, or not applicable."""
    problems: list[tuple[str, str]] = []
    for variable in codebook:
        value = values.get(variable.id)
        if value is None or value is NOT_CODED:
            continue
        if variable.type == "integer" and variable.range and isinstance(value, int):
            low, high = variable.range
            if not low <= value <= high:
                problems.append((variable.id, f"{value} is outside {low}-{high}"))
        if variable.type == "one" and value not in variable.category_ids:
            problems.append((variable.id, f"unknown category {value!r}"))
        if variable.type == "many" and isinstance(value, frozenset):
            problems.extend((variable.id, f"unknown category {c!r}") for c in sorted(value - set(variable.category_ids)))
        if not codebook.applies(variable, values):
            cond = variable.applies_when
            assert cond is not None
            rule = f"includes {cond.includes}" if cond.includes else f"is {cond.equals}"
            problems.append((variable.id, f"coded, but applies only when {cond.variable} {rule}"))
    return problems
