"""Every distribution and crosstab of the monitor, count by count, against a plain-Python tally of the report's rules.

The cases hold every variable in all three states (not coded yet, unknown, a value), as coders
leave them: a variable that does not apply is empty, and one below a not-coded code is not coded.
`tally.py` counts them again, case by case, without the analysis package's masks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zicht.analysis import monitor
from zicht.analysis.definition import builtin_definition
from zicht.codebook import NOT_CODED, CodedCase, Variable, load_codebook

from . import tally

BOOK = load_codebook("nl-2020")
DEFINITION = builtin_definition(BOOK.id)
YEAR = 2020
SPECS = [s for s in DEFINITION.tables if s.kind in ("distribution", "crosstab")]


def _value(variable: Variable) -> st.SearchStrategy[Any]:
    if variable.type == "one":
        return st.sampled_from(variable.category_ids)
    if variable.type == "many":
        return st.frozensets(st.sampled_from(variable.category_ids))  # the empty set too: none named
    if variable.type == "flag":
        return st.booleans()
    if variable.type == "integer":
        low, high = variable.range or (0, 99)
        return st.sampled_from([low, 12, 15, 16, 17, 18, 19, 25, high])  # the minor age's edges above all
    start = dt.date(YEAR - 2, 1, 1) if variable.type == "month" else dt.date(YEAR, 1, 1)
    days = st.dates(start, dt.date(YEAR, 12, 31))
    return days.map(lambda d: d.replace(day=1)) if variable.type == "month" else days


@st.composite
def coded_case(draw: st.DrawFn, index: int) -> CodedCase:
    values: dict[str, Any] = {}
    for variable in BOOK:
        state = draw(st.sampled_from(["value", "value", "value", "unknown", "not_coded"]))
        if variable.id == "first_chat":
            state = "value"  # every case has its year
        if variable.id == "about_trafficking":
            state = draw(st.sampled_from(["value", "value", "value", "value", "unknown", "not_coded"]))
        values[variable.id] = draw(_value(variable)) if state == "value" else None if state == "unknown" else NOT_CODED
        if variable.id == "about_trafficking" and state == "value":
            values[variable.id] = draw(st.sampled_from(["yes", "yes", "yes", "no"]))
        condition = variable.applies_when
        if condition is not None:
            parent = values[condition.variable]
            if parent is NOT_CODED:
                values[variable.id] = NOT_CODED  # below a code not coded yet: not coded either
            elif not tally.applies(BOOK, variable, values):
                values[variable.id] = None  # does not apply: left empty, as zicht keeps it
    return CodedCase(f"V{index:04d}", BOOK.id, values, (f"C{index:04d}",))


@st.composite
def year_of_cases(draw: st.DrawFn) -> list[CodedCase]:
    return [draw(coded_case(i)) for i in range(draw(st.integers(0, 30)))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(year_of_cases())
def test_every_count_of_every_distribution_and_crosstab_is_the_rules_count(cases: list[CodedCase]) -> None:
    tables = monitor(cases, BOOK, YEAR)
    wrong = []
    for spec in SPECS:
        table = tables.get(spec.id)
        count = tally.distribution if spec.kind == "distribution" else tally.crosstab
        expected = count(DEFINITION, BOOK, spec, cases, YEAR)
        got = tally.Expected(table.n, table.counts, table.n_missing, table.n_not_coded, table.cells)
        if got != expected:
            wrong.append(f"{spec.id}: {got} != {expected}")
    assert wrong == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(year_of_cases())
def test_every_population_age_summary_and_month_count_is_the_rules_count(cases: list[CodedCase]) -> None:
    tables = monitor(cases, BOOK, YEAR)
    wrong = []
    for pid in DEFINITION.populations:
        if (n := tables.get(f"population.{pid}").n) != (expected := tally.population_size(DEFINITION, BOOK, pid, cases, YEAR).n):
            wrong.append(f"population.{pid}: {n} != {expected}")
    for pid in DEFINITION.age_for:
        table = tables.get(f"{pid}.age")
        got = tally.Expected(table.n, table.counts, table.n_missing, table.n_not_coded)
        if got != (expected_age := tally.ages(DEFINITION, BOOK, pid, cases, YEAR)):
            wrong.append(f"{pid}.age: {got} != {expected_age}")
        if table.stats["minor_at_start_extra"] != (extra := tally.minor_when_it_began(DEFINITION, BOOK, pid, cases, YEAR)):
            wrong.append(f"{pid}.age: fn 89 {table.stats['minor_at_start_extra']} != {extra}")
    for spec in (s for s in DEFINITION.tables if s.kind == "months"):
        table = tables.get(spec.id)
        got = tally.Expected(table.n, table.counts, table.n_missing)
        if got != (expected_months := tally.months(DEFINITION, BOOK, spec, cases, YEAR)):
            wrong.append(f"{spec.id}: {got} != {expected_months}")
    assert wrong == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(year_of_cases(), year_of_cases())
def test_the_years_side_by_side_are_each_years_own_counts(cases: list[CodedCase], earlier: list[CodedCase]) -> None:
    before = tally.year_before(earlier)
    tables = monitor(cases, BOOK, YEAR, compare={YEAR - 1: before})
    side_by_side = [t for t in tables.tables if t.id.startswith("years.")]
    assert side_by_side
    for table in side_by_side:
        compared = table.id.removeprefix("years.")
        for year, year_cases in ((YEAR - 1, before), (YEAR, cases)):
            if compared.startswith("population."):
                size = tally.population_size(DEFINITION, BOOK, compared.removeprefix("population."), year_cases, year).n
                assert table.cells["n"][str(year)] == size, (table.id, year)
                continue
            spec = next(s for s in SPECS if s.id == compared)
            expected = (tally.distribution if spec.kind == "distribution" else tally.crosstab)(DEFINITION, BOOK, spec, year_cases, year)
            assert {c: column[str(year)] for c, column in table.cells.items() if c != "n"} == expected.counts, (table.id, year)
            assert table.cells["n"][str(year)] == expected.n, (table.id, year)


def test_the_tally_covers_every_counted_table_of_the_monitor() -> None:
    kinds = {t.kind for t in monitor([], BOOK, YEAR).tables}
    assert kinds - {"flow", "coverage"} == {"distribution", "crosstab", "population", "age", "months"}
    assert len(SPECS) + len(DEFINITION.populations) + len(DEFINITION.age_for) >= 150


def _case(index: int, **given: Any) -> CodedCase:
    values: dict[str, Any] = dict.fromkeys((v.id for v in BOOK), None)
    values |= {"about_trafficking": "yes", "first_chat": dt.date(YEAR, 6, 1), **given}
    return CodedCase(f"V{index}", BOOK.id, values, (f"C{index}",))


def test_an_18_year_old_is_no_minor_in_the_crosstabs() -> None:
    cases = [_case(1, victim_age=17, form=frozenset({"sexual"}), acute_unsafe="yes", duration="lt_3m"),
             _case(2, victim_age=18, form=frozenset({"sexual"}), acute_unsafe="yes", duration="lt_3m")]  # fmt: skip
    cells = monitor(cases, BOOK, YEAR).get("sexual_in_exploitation.duration_by_minor").cells
    assert cells["lt_3m"] == {"yes": 1, "no": 1}


@pytest.mark.parametrize("form", [None, frozenset()])
def test_a_form_not_coded_yet_is_no_sexual_victim_but_none_named_is(form: frozenset[str] | None) -> None:
    tables = monitor([_case(1, form=NOT_CODED), _case(2, form=form)], BOOK, YEAR)
    assert tables.get("population.sexual").n == 1, "R4 fills a coded form that names nothing, never one not coded yet"
    assert tables.get("all.form").n_not_coded == 1
