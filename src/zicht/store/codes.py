"""A code as the store keeps it (a state, and the value as JSON) and back as the core's value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from zicht.codebook import NOT_CODED, Codebook, Value, Variable
from zicht.store import models

CODE_FIELDS = ("variable", "state", "value")  # a stored code as code_values reads it, from Code or BlindCode


def code_values(codes: Iterable[tuple[str, str, Any]], codebook: Codebook) -> dict[str, Value]:
    """A case's stored codes (or a coder's blind codes) as the core's values, every variable of the codebook."""
    by_variable = {variable: (state, raw) for variable, state, raw in codes}
    return {v.id: code_value(v, *by_variable.get(v.id, (models.Code.NOT_CODED, None))) for v in codebook}


def code_value(variable: Variable, state: str, raw: Any) -> Value:
    if state == models.Code.NOT_CODED:
        return NOT_CODED
    if state == models.Code.UNKNOWN:
        return None
    return json_value(variable, raw)


def json_value(variable: Variable, raw: Any) -> Value:
    """A value as the store keeps it in JSON (code_fields), back as the core's value."""
    if raw is None:
        return None
    if variable.type == "many":
        return frozenset(raw)
    if variable.type in ("date", "month"):
        return dt.date.fromisoformat(raw)
    value: Value = raw
    return value


def progress(values: Mapping[str, Value]) -> str:
    """Where a case stands for the workbench's queue: nothing, some or every variable coded."""
    coded = [v for v in values.values() if v is not NOT_CODED]
    if values and len(coded) == len(values):
        return models.Case.CODED
    return models.Case.PARTIAL if coded else models.Case.NOT_CODED


def first_chat_at(values: Mapping[str, Value]) -> dt.datetime | None:
    first = values.get("first_chat")
    return dt.datetime.combine(first, dt.time()) if isinstance(first, dt.date) else None


def code_fields(value: Value) -> dict[str, Any]:
    """A value as the store keeps it: its state, and JSON for the value itself."""
    if value is NOT_CODED:
        return {"state": models.Code.NOT_CODED, "value": None}
    if value is None:
        return {"state": models.Code.UNKNOWN, "value": None}
    if isinstance(value, frozenset):
        return {"state": models.Code.VALUE, "value": sorted(value)}
    if isinstance(value, dt.date):
        return {"state": models.Code.VALUE, "value": value.isoformat()}
    return {"state": models.Code.VALUE, "value": value}
