"""A public report's hidden counts against a reader of its own: an integer programme over the relations between tables.

The reader is written from what a public monitor shows, not from `zicht.analysis.disclosure`:
it reads the published numbers (a count marked "<5" is 1 to 4, an "x" any count), writes down
how they hang together, and for each hidden count finds its least and greatest whole value.
A hidden count whose least and greatest agree is worked out. The relations it knows:

- a single-answer table's categories add up to its n; a multi-answer table's each count at most n,
  all together at least n; a group is the sum of its members (single answer) or between the
  largest and the sum (several);
- a table's n, its unknown and its not coded add up to its population, where the variable is
  asked of everyone in it (no condition but "about trafficking: yes", in a population within it);
  where not mentioned counts as no (R6), the unknown are in n already;
- a crosstab row adds up to its count, and the rows to n where each case has one answer on both axes;
- the years side by side repeat each year's own table;
- a population is no larger than the one it lies within, and states that one's size;
- the flow: the chats flagged hold the duplicates, the cases not about trafficking, the visitors
  and the cases not coded yet (and those whose subject is unknown);
- the stats that count people are counts: a multi-answer table's mentions are the sum of its
  counts; the cases naming exactly each set of answers add up to n, and to each answer's count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from zicht.analysis import Table, Tables, monitor
from zicht.analysis.definition import builtin_definition
from zicht.analysis.disclosure import DisclosureError, Hidden, protect
from zicht.codebook import NOT_CODED, CodedCase, load_codebook

from . import tally
from .test_tally import coded_case

pytestmark = pytest.mark.long  # a minute or more: handed to a worker first (tests/conftest.py)

BOOK = load_codebook("nl-2020")
DEFINITION = builtin_definition(BOOK.id)
YEAR = 2020
THRESHOLD = 5

Key = tuple[str, int, str]  # table id, year, number ("n", "counts.male", "cells.yes.no")
Relation = tuple[dict[Key, int], str]  # coefficients; "eq": sum = 0, "ge": sum >= 0


# The stats a reader takes for counts of people: the report prints them as numbers of visitors.
COUNTING = re.compile(r"mentions|none_named|minor_at_start_extra|outside_year|within_n|(chats_in_)?cases|not_coded|(only|counted_as)\..+")


def _published(tables: Tables) -> dict[Key, Any]:
    """Every count as the public report prints it: a number, or its mark."""
    shown: dict[Key, Any] = {}
    for t in tables:
        for path in ("n", "n_missing", "n_not_coded"):
            shown[(t.id, t.year, path)] = getattr(t, path)
        shown |= {(t.id, t.year, f"counts.{k}"): v for k, v in t.counts.items()}
        shown |= {(t.id, t.year, f"stats.{k}"): v for k, v in t.stats.items() if COUNTING.fullmatch(k)}
        shown |= {(t.id, t.year, f"cells.{r}.{c}"): v for r, row in t.cells.items() for c, v in row.items()}
    return shown


def _asked_of_everyone(t: Table) -> bool:
    """Whether every case of the table's population is asked this variable."""
    condition = BOOK[t.variable].applies_when if t.variable in BOOK else None
    if condition is None:
        return True
    about = condition.variable == "about_trafficking" and condition.equals == "yes"
    return about and t.population != "visitors"


def _relations(tables: Tables) -> Iterator[Relation]:
    """How the published counts hang together, as a reader of the report knows."""
    for t in tables:

        def key(path: str, t: Table = t) -> Key:
            return (t.id, t.year, path)

        if t.kind == "distribution" and t.denominator != "population":
            variable = BOOK[t.variable]  # type: ignore[index]
            answers = ["true", "false"] if variable.type == "flag" else list(variable.category_ids)
            if variable.type == "many":
                yield {key(f"counts.{a}"): 1 for a in answers} | {key("n"): -1}, "ge"
                yield from (({key("n"): 1, key(f"counts.{a}"): -1}, "ge") for a in answers)
                yield {key(f"counts.{a}"): 1 for a in answers} | {key("stats.mentions"): -1}, "eq"
                sets = [k.removeprefix("only.") for k in t.stats if k.startswith("only.")]
                if sets:  # each case naming answers names exactly one set of them
                    yield {key(f"stats.only.{s}"): 1 for s in sets} | {key("n"): -1}, "eq"
                    for a in answers:
                        yield {key(f"stats.only.{s}"): 1 for s in sets if a in s.split("+")} | {key(f"counts.{a}"): -1}, "eq"
            else:
                yield {key(f"counts.{a}"): 1 for a in answers} | {key("n"): -1}, "eq"
            for group, members in t.members.items():
                whole = {key(f"counts.{group}"): -1} | {key(f"counts.{m}"): 1 for m in members}
                if variable.type == "many":
                    yield whole, "ge"
                    yield from (({key(f"counts.{group}"): 1, key(f"counts.{m}"): -1}, "ge") for m in members)
                else:
                    yield whole, "eq"
            if _asked_of_everyone(t):
                size = (f"population.{t.population}", t.year, "n")
                if variable.missing == "counts_as_no":  # R6: the unknown are in n already, counted as no
                    yield {size: -1, key("n"): 1, key("n_not_coded"): 1}, "eq"
                else:
                    yield {size: -1, key("n"): 1, key("n_missing"): 1, key("n_not_coded"): 1}, "eq"
        if t.kind == "crosstab":
            for r, row in t.cells.items():
                yield {key(f"counts.{r}"): -1} | {key(f"cells.{r}.{c}"): 1 for c in row}, "eq"
            spec = next(s for s in DEFINITION.tables if s.id == t.id)
            if all(axis not in BOOK or BOOK[axis].type != "many" for axis in (spec.rows, spec.columns)):
                yield {key("n"): -1} | {key(f"counts.{r}"): 1 for r in t.cells}, "eq"  # one answer a case: each in one cell
        if t.kind == "years":
            compared = t.id.removeprefix("years.")
            for k, by_year in t.cells.items():
                for year in by_year:
                    path = "n" if k == "n" else f"counts.{k}"
                    yield {key(f"cells.{k}.{year}"): -1, (compared, int(year), path): 1}, "eq"
        if t.kind == "flow":  # the chats flagged hold the duplicates and the cases about trafficking, not, or not coded yet
            parts = ("counts.duplicate_chats", "counts.not_trafficking", "counts.unique_visitors", "stats.not_coded")
            yield {key("counts.flagged_chats"): 1} | {key(p): -1 for p in parts}, "ge"  # and those whose subject is unknown
        if t.kind == "population":
            within = DEFINITION.populations[t.population].within
            if within:
                yield {(f"population.{within}", t.year, "n"): 1, key("n"): -1}, "ge"
                yield {(f"population.{within}", t.year, "n"): 1, key("stats.within_n"): -1}, "eq"


def worked_out(public: Tables) -> dict[Key, int]:
    """The hidden counts whose least and greatest whole values under every relation agree."""
    shown = _published(public)
    hidden = {k for k, v in shown.items() if isinstance(v, Hidden)}
    constraints: list[tuple[dict[Key, int], int, str]] = []  # hidden part, -published part, sense
    for coefficients, sense in _relations(public):
        if all(k in shown for k in coefficients) and (part := {k: a for k, a in coefficients.items() if k in hidden}):
            constant = sum(a * int(shown[k]) for k, a in coefficients.items() if k not in hidden)
            constraints.append((part, -constant, sense))
    found: dict[Key, int] = {}
    for group in _apart(constraints):
        found |= _pinned(sorted(group), [c for c in constraints if next(iter(c[0])) in group], shown)
    return found


def _apart(constraints: list[tuple[dict[Key, int], int, str]]) -> list[set[Key]]:
    """Hidden counts that share no relation tell nothing of each other: each group is solved alone."""
    groups: list[set[Key]] = []
    for part, _, _ in constraints:
        joined = set(part)
        for group in [g for g in groups if g & joined]:
            joined |= group
            groups.remove(group)
        groups.append(joined)
    return groups


def _pinned(keys: list[Key], constraints: list[tuple[dict[Key, int], int, str]], shown: dict[Key, Any]) -> dict[Key, int]:
    index = {k: i for i, k in enumerate(keys)}
    rows = np.array([[part.get(k, 0) for k in keys] for part, _, _ in constraints], dtype=float)
    low = [bound for _, bound, _ in constraints]
    high = [bound if sense == "eq" else np.inf for _, bound, sense in constraints]
    primary = [str(shown[k]) == f"<{THRESHOLD}" for k in keys]
    bounds = Bounds([1 if p else 0 for p in primary], [THRESHOLD - 1 if p else 10_000 for p in primary])
    found = {}
    for k, i in index.items():
        goal = np.zeros(len(keys))
        goal[i] = 1
        ends = []
        for sign in (1, -1):
            result = milp(sign * goal, constraints=[LinearConstraint(rows, low, high)], integrality=np.ones(len(keys)), bounds=bounds)
            assert result.success, (k, result.message)
            ends.append(round(sign * result.fun))
        if ends[0] == ends[1]:
            found[k] = ends[0]
    return found


def _public(cases: list[CodedCase], earlier: list[CodedCase]) -> Tables:
    before = tally.year_before(earlier)
    public, _ = protect(monitor(cases, BOOK, YEAR, compare={YEAR - 1: before}), THRESHOLD)
    return public


@st.composite
def small_year(draw: st.DrawFn) -> list[CodedCase]:
    return [draw(coded_case(i)) for i in range(draw(st.integers(3, 14)))]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(small_year(), small_year())
def test_no_hidden_count_can_be_worked_out_from_the_relations_the_report_guards(cases: list[CodedCase], earlier: list[CodedCase]) -> None:
    try:
        public = _public(cases, earlier)
    except DisclosureError:  # refused whole, said in words: nothing published to work anything out from
        return
    assert worked_out(public) == {}


def _victims(genders: list[Any], **more: list[Any]) -> list[CodedCase]:
    out = []
    for i, gender in enumerate(genders):
        values: dict[str, Any] = dict.fromkeys((v.id for v in BOOK), None)
        values |= {"about_trafficking": "yes", "first_chat": dt.date(YEAR, 5, 1), "victim_age": 15, "victim_gender": gender}
        values |= {variable: column[i] for variable, column in more.items()}
        out.append(CodedCase(f"V{i}", BOOK.id, values, (f"C{i}",)))
    return out


def test_an_unknown_hidden_beside_a_published_n_and_population_stays_hidden() -> None:
    """Three unknown genders among 20 victims: n 17 and the population 20 would give the unknown away."""
    cases = _victims(["female"] * 17 + [None] * 3)
    public = _public(cases, [])
    gender = public.get("all.victim_gender")
    assert isinstance(gender.n_missing, Hidden)
    assert worked_out(public) == {}


def test_not_coded_yet_beside_a_counts_as_no_table_stays_hidden() -> None:
    """Two of twenty not coded yet for the corona link (R6: n counts the unknown as no): 18 + x = 20."""
    from zicht.codebook import NOT_CODED

    cases = _victims(["female"] * 20, corona_link=[True] * 5 + [None] * 13 + [NOT_CODED] * 2)
    public = _public(cases, [])
    assert isinstance(public.get("all.corona_link").n_not_coded, Hidden)
    assert worked_out(public) == {}


def test_a_hidden_population_size_is_not_stated_by_the_population_within_it() -> None:
    cases = _victims(["female"] * 3)  # three victims: "<5"; none of them in exploitation
    public = _public(cases, [])
    assert isinstance(public.get("population.all").n, Hidden)
    assert isinstance(public.get("population.in_exploitation").stats.get("within_n"), Hidden)


def test_a_small_flow_count_is_not_worked_out_from_the_flows_sums() -> None:
    """Three of 23 chats not about trafficking: 23 flagged - 0 duplicates - 20 visitors would say 3."""
    cases = _victims(["female"] * 20)
    cases += [CodedCase(f"N{i}", BOOK.id, {**cases[0].values, "about_trafficking": "no"}, (f"N{i}",)) for i in range(3)]
    public = _public(cases, [])
    flow = public.get("flow").counts
    assert isinstance(flow["not_trafficking"], Hidden)
    assert sum(isinstance(v, Hidden) for v in flow.values()) >= 2, "the flow as printed, subtracted, would give it away"
    assert worked_out(public) == {}


def test_two_small_flow_counts_are_not_pinned_by_what_the_flow_leaves_for_them() -> None:
    """22 chats, 20 visitors, no duplicates: 2 left for one not about trafficking and one not coded, each at least 1."""
    cases = _victims(["female"] * 20)
    cases += [CodedCase("N0", BOOK.id, {**cases[0].values, "about_trafficking": "no"}, ("N0",))]
    cases += [CodedCase("N1", BOOK.id, {**cases[0].values, "about_trafficking": NOT_CODED}, ("N1",))]
    public = _public(cases, [])
    assert isinstance(public.get("flow").counts["not_trafficking"], Hidden)
    assert worked_out(public) == {}


def test_the_combinations_of_answers_are_public_only_where_the_report_draws_them() -> None:
    cases = _victims(["female"] * 30, form=[frozenset({"sexual"})] * 20 + [frozenset({"sexual", "criminal"})] * 10)
    tables = monitor(cases, BOOK, YEAR)
    public, _ = protect(tables, THRESHOLD)
    combined = {t.id for t in public if any(k.startswith("only.") for k in t.stats)}
    drawn = {t.id for t in tables if t.figure == "combinations" and any(k.startswith("only.") for k in t.stats)}
    assert drawn == {"all.form"} and combined == drawn, "Figuur 1 keeps its bars; the other tables keep their combinations inside"


def test_nothing_hidden_in_the_synthetic_public_report_can_be_worked_out() -> None:
    """The whole public monitor of the synthetic 2020, 2019 beside it: some 400 hidden counts."""
    from zicht.synth import generate

    years = {year: generate(year, 0) for year in (YEAR - 1, YEAR)}
    tables = monitor(
        years[YEAR].cases, BOOK, YEAR, compare={YEAR - 1: years[YEAR - 1].cases}, flows={y: c.flow() for y, c in years.items()}
    )
    public, protection = protect(tables, THRESHOLD)
    assert len(protection.hidden) > 300
    assert worked_out(public) == {}
