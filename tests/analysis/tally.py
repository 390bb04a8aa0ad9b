"""A second count of the monitor, in plain Python, written from the report's counting rules (chapter 2).

It shares nothing with `zicht.analysis` but the monitor definition's data (which populations and
tables there are): no masks, no frame, a loop over the cases for every number. The rules:

- three states are never confused: not coded yet (NOT_CODED), unknown / not mentioned (None), a value;
- a variable counts only where it applies, by the codes it depends on as coded;
- R3 (`missing: excluded`): over the cases where it is known;
- R4: where `form` applies and is coded but names no form, it counts as `sexual`;
- R5 (multi-response): over the cases naming at least one answer;
- R6 (`missing: counts_as_no`): over every coded case where it applies; not 'yes' is 'no';
- R7: a minor is younger than the codebook's `minor_age` at the first chat;
- a population test is never met by an unknown or not-coded value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zicht.analysis.definition import MINOR, MonitorDefinition, Rule, TableSpec
from zicht.codebook import NOT_CODED, Codebook, CodedCase, Variable


@dataclass
class Expected:
    n: int
    counts: dict[str, int]
    n_missing: int
    n_not_coded: int = 0
    cells: dict[str, dict[str, int]] = field(default_factory=dict)


def applies(codebook: Codebook, variable: Variable, values: Mapping[str, Any]) -> bool:
    """Whether the coder codes it, given the codes it depends on as coded (not as R4 reads them)."""
    condition = variable.applies_when
    if condition is None:
        return True
    parent = codebook[condition.variable]
    if not applies(codebook, parent, values):
        return False
    value = values.get(parent.id)
    if condition.includes is not None:
        return isinstance(value, frozenset) and condition.includes in value
    return value is not NOT_CODED and value is not None and value == condition.equals


def effective(codebook: Codebook, variable: Variable, values: Mapping[str, Any]) -> Any:
    """The value as the tables count it: R4 fills a coded multi-answer variable that names nothing."""
    value = values.get(variable.id)
    fill = variable.none_named_counts_as
    if fill and applies(codebook, variable, values) and value is not NOT_CODED and not value:
        return frozenset({fill})
    return value


def categories_of(codebook: Codebook, variable_id: str, values: Mapping[str, Any], minor_age: int, age: str) -> set[str] | None:
    """The categories a case is in for one variable, by its missing rule; None where it does not count."""
    if variable_id == MINOR:
        years = values.get(age)
        if not isinstance(years, int) or isinstance(years, bool):
            return None
        return {"yes"} if years < minor_age else {"no"}
    variable = codebook[variable_id]
    value = effective(codebook, variable, values)
    if value is NOT_CODED:
        return None
    if variable.missing == "counts_as_no":
        if not applies(codebook, variable, values):
            return None
        return {"true"} if value is True else {"false"}
    if value is None:
        return None
    if variable.type == "many":
        return set(value) or None  # R5: naming none is no answer
    if variable.type == "flag":
        return {"true" if value else "false"}
    return {str(value)}


def holds(codebook: Codebook, rule: Rule, values: Mapping[str, Any], year: int, age: str) -> bool:
    if rule.variable == MINOR:
        years = values.get(age)
        known = isinstance(years, int) and not isinstance(years, bool)
        if rule.known is not None:
            return known == rule.known
        return known and ({"yes"} if years < codebook.minor_age else {"no"}) == {str(rule.equals)}  # type: ignore[operator]
    variable = codebook[rule.variable]
    value = effective(codebook, variable, values)
    known = value is not None and value is not NOT_CODED
    if rule.known is not None:
        return known == rule.known
    if not known:
        return False
    if rule.on_or_after is not None:
        return bool(value >= dt.date(year, *rule.on_or_after))
    if rule.equals is not None:
        return bool(value == rule.equals)
    if rule.in_ is not None:
        return value in rule.in_
    if rule.includes is not None:
        return isinstance(value, frozenset) and rule.includes in value
    return isinstance(value, frozenset) and value == rule.is_


def population(definition: MonitorDefinition, codebook: Codebook, pid: str, cases: Sequence[CodedCase], year: int) -> list[CodedCase]:
    p = definition.populations[pid]
    within = population(definition, codebook, p.within, cases, year) if p.within else list(cases)
    return [c for c in within if all(holds(codebook, r, c.values, year, definition.age_variable) for r in p.where)]


def distribution(definition: MonitorDefinition, codebook: Codebook, spec: TableSpec, cases: Sequence[CodedCase], year: int) -> Expected:
    assert spec.variable is not None
    variable = codebook[spec.variable]
    members = population(definition, codebook, spec.population, cases, year)
    base = [c for c in members if applies(codebook, variable, c.values)]
    coded = [c for c in base if c.values.get(variable.id) is not NOT_CODED]
    told = [categories_of(codebook, variable.id, c.values, codebook.minor_age, definition.age_variable) for c in coded]
    ids = ["true", "false"] if variable.type == "flag" else list(variable.category_ids)
    counts = {c: sum(1 for t in told if t and c in t) for c in ids}
    for group in spec.groups:
        counts[group.id] = sum(1 for t in told if t and t & set(group.categories))
    known = sum(1 for t in told if t)
    unknown = sum(1 for c in coded if effective(codebook, variable, c.values) is None) if variable.type != "many" else len(told) - known
    n = len(members) if spec.denominator == "population" else known
    return Expected(n, counts, unknown, len(base) - len(coded))


def crosstab(definition: MonitorDefinition, codebook: Codebook, spec: TableSpec, cases: Sequence[CodedCase], year: int) -> Expected:
    assert spec.rows is not None and spec.columns is not None
    members = population(definition, codebook, spec.population, cases, year)
    age, minor = definition.age_variable, codebook.minor_age
    both = [
        (rows, columns)
        for c in members
        if (rows := categories_of(codebook, spec.rows, c.values, minor, age))
        and (columns := categories_of(codebook, spec.columns, c.values, minor, age))
    ]
    ids = {axis: _ids(codebook, axis) for axis in (spec.rows, spec.columns)}
    cells = {r: {k: sum(1 for rows, columns in both if r in rows and k in columns) for k in ids[spec.columns]} for r in ids[spec.rows]}
    return Expected(len(both), {r: sum(row.values()) for r, row in cells.items()}, len(members) - len(both), cells=cells)


def year_before(cases: Sequence[CodedCase]) -> list[CodedCase]:
    """The same visitors as the year before's (other ids, first chat a year earlier): a year to compare with."""
    out = []
    for c in cases:
        first = c.values["first_chat"]
        values = c.values | {"first_chat": first.replace(year=first.year - 1, day=1)}
        out.append(CodedCase("P" + c.visitor_id, c.codebook, values, c.conversation_ids))
    return out


def _ids(codebook: Codebook, variable_id: str) -> list[str]:
    if variable_id == MINOR:
        return ["yes", "no"]
    variable = codebook[variable_id]
    return ["true", "false"] if variable.type == "flag" else list(variable.category_ids)


def population_size(definition: MonitorDefinition, codebook: Codebook, pid: str, cases: Sequence[CodedCase], year: int) -> Expected:
    return Expected(len(population(definition, codebook, pid, cases, year)), {}, 0)


def ages(definition: MonitorDefinition, codebook: Codebook, pid: str, cases: Sequence[CodedCase], year: int) -> Expected:
    """The age summary: bands, minors (R7), 15 or younger, and fn 89's adults who were minors when it began."""
    variable = codebook[definition.age_variable]
    members = [c for c in population(definition, codebook, pid, cases, year) if applies(codebook, variable, c.values)]
    years = [c.values[variable.id] for c in members if isinstance(c.values.get(variable.id), int)]
    counts = {
        band.id: sum(1 for a in years if (band.min is None or a >= band.min) and (band.max is None or a <= band.max))
        for band in definition.age_bands
    }
    counts["minors"] = sum(1 for a in years if a < codebook.minor_age)
    counts["young"] = sum(1 for a in years if a <= definition.age_young)
    missing = sum(1 for c in members if c.values.get(variable.id) is None)
    return Expected(len(years), counts, missing, sum(1 for c in members if c.values.get(variable.id) is NOT_CODED))


def minor_when_it_began(definition: MonitorDefinition, codebook: Codebook, pid: str, cases: Sequence[CodedCase], year: int) -> int:
    """Fn 89: adults at the first chat whose situation, by the shortest time its duration category says, began before 18."""
    assert definition.age_duration is not None
    duration = codebook[definition.age_duration]
    shortest = {c.id: c.min_years for c in duration.categories if c.min_years is not None}
    count = 0
    for case in population(definition, codebook, pid, cases, year):
        age, lasted = case.values.get(definition.age_variable), case.values.get(duration.id)
        if isinstance(age, int) and age >= codebook.minor_age and lasted in shortest and age + 1 - shortest[lasted] <= codebook.minor_age:
            count += 1
    return count


def months(definition: MonitorDefinition, codebook: Codebook, spec: TableSpec, cases: Sequence[CodedCase], year: int) -> Expected:
    assert spec.variable is not None
    members = population(definition, codebook, spec.population, cases, year)
    days = [d for c in members if isinstance(d := c.values.get(spec.variable), dt.date)]
    counts = {f"{year}-{m:02d}": sum(1 for d in days if (d.year, d.month) == (year, m)) for m in range(1, 13)}
    return Expected(len(days), counts, len(members) - len(days))
