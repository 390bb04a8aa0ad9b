"""The statistics of the yearly monitor, by the codebook's counting rules.

Which tables exist is the monitor definition's business (data); this module counts them
for the main year and each compared year, and sets the years side by side. How a table of
each kind is counted is `variable_tables`'s: the denominators of rules R3 (over the known),
R5 (multi-response: over those naming one) and R6 (`counts_as_no`: over all), R4 and R7 via
the frame; `populations` selects the cases each table counts and carries the lower bounds
from the variables into every table that uses them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from zicht.analysis.definition import MonitorDefinition, builtin_definition
from zicht.analysis.populations import Flow
from zicht.analysis.tables import Table, Tables
from zicht.analysis.variable_tables import YearTables
from zicht.codebook import Codebook, CodedCase, load_codebook, migrate_values
from zicht.errors import ZichtError

__all__ = ["Flow", "compare_years", "monitor", "under_codebook"]


def monitor(
    cases: Sequence[CodedCase],
    codebook: Codebook,
    year: int | None = None,
    *,
    compare: Mapping[int, Sequence[CodedCase]] | None = None,
    flows: Mapping[int, Flow] | None = None,
    definition: MonitorDefinition | None = None,
) -> Tables:
    """Every table of the monitor for `year`, and for each compared year, with side-by-side tables."""
    definition = definition or builtin_definition(codebook.id)
    flows = flows or {}
    year = year or _main_year(cases, codebook)
    by_year = {year: cases, **{y: c for y, c in (compare or {}).items() if y != year}}
    tables: list[Table] = []
    for y, year_cases in by_year.items():
        tables += YearTables(list(under_codebook(year_cases, codebook)), codebook, definition, y, flows.get(y)).tables()
    result = Tables(codebook.id, year, sorted(by_year, reverse=True), tables)
    if len(by_year) > 1:
        result.tables += compare_years(result, definition.compare)
    return result


def _main_year(cases: Sequence[CodedCase], codebook: Codebook) -> int:
    dated = [v for v in (c.values.get(_first_date(codebook)) for c in cases) if isinstance(v, dt.date)]
    if not dated:
        raise ZichtError("cannot tell the monitor's year: no case has a date of first chat; pass the year")
    return Counter(d.year for d in dated).most_common(1)[0][0]


def _first_date(codebook: Codebook) -> str:
    return next(v.id for v in codebook if v.type == "date")


def under_codebook(cases: Sequence[CodedCase], codebook: Codebook) -> list[CodedCase]:
    """The cases with their codes under `codebook`, migrating those coded with its predecessor."""
    out = []
    for case in cases:
        if case.codebook != codebook.id:
            values = migrate_values(case.values, load_codebook(case.codebook), codebook)
            case = CodedCase(case.visitor_id, codebook.id, values, case.conversation_ids)
        out.append(case)
    return out


def compare_years(tables: Tables, table_ids: Sequence[str]) -> list[Table]:
    """For each table id: its counts (and n) in every year, one column per year."""
    out = []
    for table_id in table_ids:
        per_year = {y: tables.get(table_id, y) for y in tables.years if tables.has(table_id, y)}
        if len(per_year) < 2:
            continue
        main = per_year.get(tables.year) or next(iter(per_year.values()))
        rows = {"n": "n"} | main.labels
        cells = {r: {str(y): int(t.n if r == "n" else _cell(t, r)) for y, t in sorted(per_year.items())} for r in rows}
        out.append(
            Table(
                f"years.{table_id}",
                "years",
                f"{main.title}: {' en '.join(str(y) for y in sorted(per_year))}",
                tables.year,
                tables.codebook,
                main.population,
                main.population_label,
                main.n,
                labels=rows,
                cells=cells,
                columns={str(y): str(y) for y in sorted(per_year)},
                lower_bound=main.lower_bound,
            )
        )
    return out


def _cell(table: Table, row: str) -> int:
    if row in table.counts:
        return table.counts[row]
    if table.cells and row in table.cells:
        return sum(table.cells[row].values())
    return 0
