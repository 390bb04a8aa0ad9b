"""The counting rules of chapter 2, as properties that hold for any coded data (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zicht.analysis import Table, monitor
from zicht.codebook import CodedCase, load_codebook

BOOK = load_codebook("nl-2020")
YEAR = 2020


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _subset(variable: str) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(BOOK[variable].category_ids))


@st.composite
def cases(draw: st.DrawFn, min_size: int = 0) -> list[CodedCase]:
    """Visitors about trafficking with the variables the rules are about; the rest unknown."""
    out = []
    for i in range(draw(st.integers(min_size, 40))):
        first_chat = draw(st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)))
        values: dict[str, Any] = dict.fromkeys((v.id for v in BOOK), None)
        values |= {
            "about_trafficking": "yes",
            "first_chat": first_chat,
            "visitor_role": draw(_maybe(st.sampled_from(BOOK["visitor_role"].category_ids))),
            "form": draw(_maybe(_subset("form"))),
            "victim_gender": draw(_maybe(st.sampled_from(BOOK["victim_gender"].category_ids))),
            "victim_age": draw(_maybe(st.integers(5, 70))),
            "perpetrator": draw(_maybe(st.sampled_from(BOOK["perpetrator"].category_ids))),
            "multiple_perpetrators": draw(_maybe(st.booleans())),
            "other_victims": draw(_maybe(st.booleans())),
            "coercion": draw(_maybe(_subset("coercion"))),
            "corona_link": draw(_maybe(st.booleans())),
        }
        out.append(CodedCase(f"V{i:04d}", BOOK.id, values, (f"C{i:04d}",)))
    return out


def unknown_case(**known: Any) -> CodedCase:
    values: dict[str, Any] = dict.fromkeys((v.id for v in BOOK), None)
    values |= {"about_trafficking": "yes", "first_chat": dt.date(YEAR, 6, 1), **known}
    return CodedCase("V-unknown", BOOK.id, values, ("C-unknown",))


def table(data: list[CodedCase], table_id: str) -> Table:
    return monitor(data, BOOK, YEAR).get(table_id)


@settings(max_examples=60, deadline=None)
@given(cases(min_size=1))
def test_shares_over_the_known_sum_to_100(data: list[CodedCase]) -> None:
    for table_id in ("all.victim_gender", "all.visitor_role", "all.perpetrator"):
        t = table(data, table_id)
        if t.n:
            assert abs(sum(t.shares.values()) - 100) < 1e-3, table_id  # shares are stored to 4 decimals
        assert t.n + t.n_missing == len(data), "every case is known or missing"


@settings(max_examples=60, deadline=None)
@given(cases(min_size=1))
def test_a_missing_value_leaves_excluded_shares_alone_and_lowers_counts_as_no(data: list[CodedCase]) -> None:
    before = monitor(data, BOOK, YEAR)
    after = monitor([*data, unknown_case()], BOOK, YEAR)
    gender_before, gender_after = before.get("all.victim_gender"), after.get("all.victim_gender")
    assert gender_after.shares == gender_before.shares, "missing: excluded → over the known, unchanged (R3)"
    assert gender_after.n_missing == gender_before.n_missing + 1
    multiple_before, multiple_after = before.get("all.multiple_perpetrators"), after.get("all.multiple_perpetrators")
    assert multiple_after.n == multiple_before.n + 1, "counts_as_no → over all (R6)"
    if multiple_before.counts["true"]:
        assert multiple_after.shares["true"] < multiple_before.shares["true"]
    else:
        assert multiple_after.shares["true"] == 0


@settings(max_examples=60, deadline=None)
@given(cases(min_size=1))
def test_multi_response_counts_every_mention_over_those_naming_one(data: list[CodedCase]) -> None:
    t = table(data, "all.coercion")
    named = [c.values["coercion"] for c in data if c.values["coercion"]]
    assert t.n == len(named), "R5: over the cases naming at least one"
    assert t.stats["mentions"] == sum(len(s) for s in named) == sum(t.counts.values())
    combinations = {k: v for k, v in t.stats.items() if k.startswith("only.")}
    assert sum(v or 0 for v in combinations.values()) == t.n


@settings(max_examples=60, deadline=None)
@given(cases())
def test_month_counts_sum_to_the_year(data: list[CodedCase]) -> None:
    tables = monitor(data, BOOK, YEAR)
    months = tables.get("sexual_in_exploitation.by_month")
    assert len(months.counts) == 12
    assert sum(months.counts.values()) == months.n == tables.get("population.sexual_in_exploitation").n


@settings(max_examples=60, deadline=None)
@given(cases())
def test_no_form_named_counts_as_sexual(data: list[CodedCase]) -> None:
    tables = monitor(data, BOOK, YEAR)
    none_named = sum(1 for c in data if not c.values["form"])
    only_sexual = sum(1 for c in data if c.values["form"] == {"sexual"})
    assert tables.get("all.form").stats["counted_as.sexual"] == none_named
    assert tables.get("population.sexual").n == none_named + only_sexual, "R4"


@settings(max_examples=60, deadline=None)
@given(cases())
def test_minors_are_under_18_at_the_first_chat(data: list[CodedCase]) -> None:
    age = table(data, "all.age")
    ages = [c.values["victim_age"] for c in data if c.values["victim_age"] is not None]
    assert age.n == len(ages)
    assert age.counts["minors"] == sum(a < 18 for a in ages), "R7"
    assert age.counts["young"] == sum(a <= 15 for a in ages)
    assert sum(age.counts[b] for b in ("0-12", "13-14", "15", "16-17", "18-22", "23-29", "30+")) == len(ages)


def test_lower_bound_variables_are_marked_in_every_table_that_uses_them() -> None:
    data = [unknown_case(multiple_perpetrators=True, exploitation_start=dt.date(YEAR, 4, 1), form=frozenset({"sexual"}))]
    tables = monitor(data, BOOK, YEAR)
    assert tables.get("all.multiple_perpetrators").lower_bound
    assert tables.get("population.sexual_new_from_march").lower_bound, "a population chosen by a lower-bound variable"
    assert tables.get("sexual.multiple_perpetrators_by_other_victims").lower_bound
    assert not tables.get("all.victim_gender").lower_bound


def test_the_march_rule_counts_only_situations_that_began_on_or_after_1_march() -> None:
    def case(i: int, first: dt.date, start: dt.date | None) -> CodedCase:
        c = unknown_case(form=frozenset({"sexual"}), first_chat=first, exploitation_start=start)
        return CodedCase(f"V{i}", c.codebook, c.values, (f"C{i}",))

    data = [
        case(1, dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 1)),  # counted
        case(2, dt.date(YEAR, 9, 9), dt.date(YEAR, 2, 1)),  # began before March
        case(3, dt.date(YEAR, 2, 28), dt.date(YEAR, 2, 1)),  # chat before March
        case(4, dt.date(YEAR, 5, 5), None),  # start unknown
    ]
    months = monitor(data, BOOK, YEAR).get("sexual_new_from_march.by_month")
    assert months.n == 1 and months.counts[f"{YEAR}-03"] == 1


def test_years_side_by_side() -> None:
    old = [unknown_case(victim_gender="male", first_chat=dt.date(YEAR - 1, 5, 1))]
    new = [unknown_case(victim_gender="female"), CodedCase("V2", BOOK.id, unknown_case(victim_gender="male").values, ("C2",))]
    tables = monitor(new, BOOK, YEAR, compare={YEAR - 1: old})
    side = tables.get("years.all.victim_gender")
    assert side.cells["male"] == {str(YEAR - 1): 1, str(YEAR): 1}
    assert side.cells["n"] == {str(YEAR - 1): 1, str(YEAR): 2}


def test_cases_coded_with_the_previous_codebook_are_migrated_not_dropped() -> None:
    old_book = load_codebook("nl-2019")
    values: dict[str, Any] = dict.fromkeys((v.id for v in old_book), None)
    values |= {"about_trafficking": "yes", "first_chat": dt.date(YEAR - 1, 5, 1), "visitor_role": "victim", "victim_gender": "male"}
    old = [CodedCase("V1", old_book.id, values, ("C1",))]
    tables = monitor([unknown_case()], BOOK, YEAR, compare={YEAR - 1: old})
    gender = tables.get("all.victim_gender", YEAR - 1)
    assert gender.counts["male"] == 1
    assert tables.get("all.first_disclosure", YEAR - 1).n_not_coded == 1, "new in nl-2020: not coded yet, not 'no'"
