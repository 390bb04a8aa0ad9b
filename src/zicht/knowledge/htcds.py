"""The codebook's variables as fields of the Human Trafficking Case Data Standard (`exchange/data/htcds-nl.yaml`), checked.

Every category the file names must be one of its variable's, no category may give two values of
one field, and the fields the codebook cannot fill are listed with the reason: a partner reads
what is missing as well as what is there.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zicht.knowledge.read import Reader, frozen, load


@dataclass(frozen=True)
class Field:
    name: str  # as the standard spells it (`vic_TypeOfExploitation`)
    label: str
    variable: str  # the codebook variable it comes from
    values: Mapping[str, tuple[str, ...]]  # HTCDS value -> the categories that give it
    unknown: str | None  # the value for a case whose variable is unknown, where the standard has one
    note: str  # what the mapping loses

    def value_of(self, category: str) -> str | None:
        return next((value for value, categories in self.values.items() if category in categories), None)


@dataclass(frozen=True)
class Unmapped:
    name: str
    why: str


@dataclass(frozen=True)
class CaseStandard:
    standard: str
    codebook: str
    population: str  # the monitor population the aggregate counts
    fields: tuple[Field, ...]
    unmapped: tuple[Unmapped, ...]


@functools.cache
def htcds() -> CaseStandard:
    """The shipped mapping, compiled once per process."""
    return load("zicht.exchange", "htcds-nl.yaml", compile_htcds)


def compile_htcds(r: Reader, raw: dict[str, Any]) -> CaseStandard:
    codebook = r.codebook(raw)
    r.fields(raw, "", ("standard", "codebook", "population", "fields", "unmapped"))
    fields = []
    for where, item in r.listed(raw.get("fields"), "fields", "fields"):
        entry = r.fields(item, where, ("field", "label", "variable", "values", "note"), ("unknown",))
        variable = r.text(entry.get("variable"), f"{where}.variable")
        values: dict[str, tuple[str, ...]] = {}
        given: dict[str, str] = {}
        for value, categories in r.mapping(entry.get("values"), f"{where}.values").items():
            at = f"{where}.values.{value}"
            values[value] = r.words(categories, at)
            for category in values[value]:
                r.category(codebook, variable, category, at)
                if category in given:
                    r.problem(at, f"'{category}' already gives {given[category]}: a category gives one value of a field")
                given[category] = value
        unknown = entry.get("unknown")
        fields.append(Field(r.text(entry.get("field"), f"{where}.field"), r.text(entry.get("label"), f"{where}.label"), variable,
                            frozen(values), None if unknown is None else r.text(unknown, f"{where}.unknown"),
                            r.text(entry.get("note"), f"{where}.note")))  # fmt: skip
    unmapped = []
    for where, item in r.listed(raw.get("unmapped"), "unmapped", "fields with the reason"):
        entry = r.fields(item, where, ("field", "why"))
        unmapped.append(Unmapped(r.text(entry.get("field"), f"{where}.field"), r.text(entry.get("why"), f"{where}.why")))
    named = [f.name for f in fields] + [u.name for u in unmapped]
    for name in sorted({n for n in named if named.count(n) > 1}):
        r.problem("fields", f"{name} is named twice")
    return CaseStandard(r.text(raw.get("standard"), "standard"), codebook.id, r.text(raw.get("population"), "population"),
                        tuple(fields), tuple(unmapped))  # fmt: skip
