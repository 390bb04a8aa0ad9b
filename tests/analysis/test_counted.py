"""The counting rules' columns give, counted the plain way SPSS counts, the monitor's own numbers (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from tests.analysis.test_counting_rules import BOOK, YEAR, cases

from zicht.analysis import builtin_definition, monitor
from zicht.analysis.counted import counted_columns
from zicht.codebook import CodedCase

DEFINITION = builtin_definition(BOOK.id)


def _columns(data: list[CodedCase]) -> dict[str, list[int | None]]:
    return {c.name: c.values for c in counted_columns(data, BOOK, YEAR)}


@settings(max_examples=60, deadline=None)
@given(cases())
def test_a_population_column_holds_1_for_the_cases_its_table_counts(data: list[CodedCase]) -> None:
    tables, columns = monitor(data, BOOK, YEAR), _columns(data)
    for pid in DEFINITION.populations:
        assert sum(v == 1 for v in columns[f"in_{pid}"]) == tables.get(f"population.{pid}").n, pid
        assert None not in columns[f"in_{pid}"], "every case is in a population or not"


@settings(max_examples=60, deadline=None)
@given(cases())
def test_the_form_as_counted_gives_figure_1_and_the_form_table(data: list[CodedCase]) -> None:
    tables, columns = monitor(data, BOOK, YEAR), _columns(data)
    form = tables.get("all.form")
    for category in BOOK["form"].category_ids:
        assert sum(v == 1 for v in columns[f"counted_form.{category}"]) == form.counts[category], "R4 applied"
    bits = {c: 1 << i for i, c in enumerate(BOOK["form"].category_ids)}
    combinations = {sum(bits[c] for c in key[5:].split("+")): n for key, n in form.stats.items() if key.startswith("only.") and n}
    counted = [v for v, about in zip(columns["counted_form"], columns["in_all"], strict=True) if about and v is not None]
    assert {code: counted.count(code) for code in set(counted)} == combinations
    assert len(counted) == form.n


@settings(max_examples=60, deadline=None)
@given(cases())
def test_a_flag_not_said_counts_as_no_where_the_codebook_says_so(data: list[CodedCase]) -> None:
    tables, columns = monitor(data, BOOK, YEAR), _columns(data)
    for variable in (v for v in BOOK if v.type == "flag" and v.missing == "counts_as_no"):
        table = tables.get(f"all.{variable.id}")
        in_all = [v for v, about in zip(columns[f"counted_{variable.id}"], columns["in_all"], strict=True) if about]
        assert sum(v is not None for v in in_all) == table.n, variable.id
        assert sum(v == 1 for v in in_all) == table.counts["true"], variable.id


@settings(max_examples=60, deadline=None)
@given(cases())
def test_minor_is_by_age_at_the_first_chat(data: list[CodedCase]) -> None:
    minor = _columns(data)["counted_minor"]
    ages = [c.values["victim_age"] for c in data]
    assert minor == [None if a is None else int(a < BOOK.minor_age) for a in ages]
