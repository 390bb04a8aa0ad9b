"""The codebook as a form: fields generated from the YAML, and a posted form read back into values.

Three states stay apart in the form as in the store: a field nobody touched is *not coded
yet*, "onbekend / niet genoemd" is *unknown*, anything else is a value. A suggestion fills a
field in but stays *pending* until the coder accepts or changes it; pending fields are not saved.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from zicht.codebook import NOT_CODED, Codebook, Value, Variable
from zicht.codebook.values import NOT_CODED_MARK, check_values, format_scalar, from_row, in_dutch, variable_columns
from zicht.coding import Suggestion
from zicht.store.codes import json_value

UNKNOWN = "__unknown"  # the posted choice "onbekend / niet genoemd"
NONE_OF_THESE = "__none"  # the posted choice "geen van deze" of a multiple-choice variable (_field.html)
PENDING = "_pending"  # posted names of fields that still hold an unaccepted suggestion


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    definition: str
    checked: bool


@dataclass
class Field:
    variable: Variable
    choices: list[Choice]
    text: str  # integer, date and month fields: the value as typed
    unknown: bool
    none_named: bool
    coded: bool
    applies_when: str  # JSON for the page's script: {"variable": ..., "equals" | "includes": ...}
    suggestion: Suggestion | None = None
    suggestion_label: str = ""
    suggestion_reader: str = ""  # where the suggestion came from, in Dutch
    pending: bool = False
    theirs: str = ""  # after a conflict: what the colleague saved


def fields(codebook: Codebook, values: Mapping[str, Value], suggestions: Mapping[str, Suggestion]) -> list[Field]:
    """One field per variable; a variable nobody coded yet shows its suggestion, pending.

    Where the chats gave nothing there is no suggestion: the field stays not coded yet. A field
    that does not apply is kept as unknown (`read_post`); shown once it applies, it is not coded
    yet, since nobody saw it.
    """
    out = []
    for variable in codebook:
        value = values.get(variable.id, NOT_CODED)
        value = NOT_CODED if value is None and not codebook.applies(variable, values) else value
        suggestion = suggestions.get(variable.id)
        suggestion = suggestion if suggestion is not None and suggestion.found else None
        pending = value is NOT_CODED and suggestion is not None
        shown = suggestion.value if pending and suggestion is not None else value
        out.append(_field(variable, shown, suggestion, pending))
    return out


def field_for(variable: Variable, values: Mapping[str, Value]) -> Field:
    """One variable's field as coded, without suggestion (the coordinator's decision in overleg)."""
    return _field(variable, values.get(variable.id, NOT_CODED), None, False)


def _field(variable: Variable, value: Value, suggestion: Suggestion | None, pending: bool) -> Field:
    chosen: set[str] = set()
    if isinstance(value, frozenset):
        chosen = set(value)
    elif variable.type == "flag" and isinstance(value, bool):
        chosen = {"1" if value else "0"}
    elif isinstance(value, str):
        chosen = {value}
    categories = [(c.id, c.label, c.definition) for c in variable.categories]
    if variable.type == "flag":
        categories = [("1", "Ja", ""), ("0", "Nee", "")]
    text = format_scalar(variable, value) if variable.type in ("integer", "date", "month") and _is_value(value) else ""
    condition = variable.applies_when
    applies = "" if condition is None else json.dumps({k: v for k, v in vars(condition).items() if v is not None})
    return Field(
        variable=variable,
        choices=[Choice(i, label, definition, i in chosen) for i, label, definition in categories],
        text=text,
        unknown=value is None,
        none_named=value == frozenset(),
        coded=value is not NOT_CODED,
        applies_when=applies,
        suggestion=suggestion,
        suggestion_label=label_of(variable, suggestion.value) if suggestion else "",
        suggestion_reader=READERS.get(suggestion.reader, "") if suggestion else "",
        pending=pending,
    )


READERS: dict[str, str] = {  # coding.Reader, as the researcher reads where a suggestion came from
    "words": "uit de woorden van de bezoeker",
    "chat": "uit de gegevens van de chat",
    "flag": "uit de markering door de hulpverlener",
    "codebook": "codeboek: niets gezegd",
    "learned": "geleerd van eerdere codes",
}


def _is_value(value: Value) -> bool:
    return value is not None and value is not NOT_CODED


def label_of(variable: Variable, value: Value) -> str:
    """A value as researchers read it, in Dutch."""
    if value is NOT_CODED:
        return "nog niet gecodeerd"
    if value is None:
        return "onbekend / niet genoemd"
    if isinstance(value, frozenset):
        return ", ".join(variable.category(c).label for c in variable.category_ids if c in value) or "geen van deze"
    if variable.type == "flag":
        return "ja" if value else "nee"
    if variable.type == "one" and isinstance(value, str):
        return variable.category(value).label
    if variable.type in ("date", "month") and isinstance(value, dt.date):
        return in_dutch(value, with_day=variable.type == "date")
    return format_scalar(variable, value)


def stored_label(variable: Variable, code: Mapping[str, Any] | None) -> str:
    """A code as the store keeps it ({"state", "value"}), as researchers read it."""
    if not code or code.get("state") == "not_coded":
        return label_of(variable, NOT_CODED)
    return label_of(variable, json_value(variable, code.get("value")))


def read_post(codebook: Codebook, post: QueryDict) -> tuple[dict[str, Value], list[tuple[str, str]]]:
    """The values a coder saved (pending suggestions left out), and the problems per variable.

    A variable that does not apply, given the codes it depends on, is saved as unknown, as the
    importer keeps it; while those codes are not given, it stays not coded. So the codebook's
    not-applicable problems are no problems here: the form settles them itself.
    """
    pending = set(post.getlist(PENDING))
    row: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    for variable in codebook:
        posted = [v.strip() for v in post.getlist(variable.id) if v.strip()]
        if variable.type == "many" and (strange := [p for p in posted if p not in {*variable.category_ids, NONE_OF_THESE, UNKNOWN}]):
            unknown.append((variable.id, f"onbekende keuze {', '.join(map(repr, strange))}"))
            posted = []
        row.update(_cells(variable, posted))
    parsed, found = from_row(codebook, row)
    problems = unknown + [(p.column.split(".")[0], p.reason) for p in found if p.kind != "not_applicable"]
    values = {k: v for k, v in parsed.items() if k not in pending}
    for variable in codebook:
        condition = variable.applies_when
        if condition and parsed.get(condition.variable) is not NOT_CODED and not codebook.applies(variable, parsed):
            values[variable.id] = None  # does not apply: the codes it depends on are given, so it is settled
    problems += [(p.column, p.reason) for p in check_values(codebook, values) if p.kind != "not_applicable"]
    return values, problems


def _cells(variable: Variable, posted: list[str]) -> dict[str, str]:
    """A variable's posted choices as the coded-cases CSV cells, so one parser checks both."""
    columns = variable_columns(variable)
    if not posted:
        return dict.fromkeys(columns, NOT_CODED_MARK)
    if UNKNOWN in posted:
        return dict.fromkeys(columns, "")
    if variable.type == "many":  # "geen van deze" names no category: every column 0
        return {f"{variable.id}.{c}": "1" if c in posted else "0" for c in variable.category_ids}
    return {variable.id: posted[0]}
