"""Disclosure control: no count below the threshold is published, and no hidden count can be worked out."""

from __future__ import annotations

import copy
import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zicht.analysis import Table, Tables, monitor
from zicht.analysis.disclosure import Hidden, audit, protect, public_json
from zicht.codebook import load_codebook
from zicht.synth import generate

from .test_disclosure_readers import COUNTING

THRESHOLD = 5


def _table(counts: list[int], group: tuple[int, int] | None) -> Table:
    """A single-answer table: categories c0.., n their sum, and maybe a group of two of them."""
    keys = [f"c{i}" for i in range(len(counts))]
    table = Table("t", "distribution", "t", 2020, "nl-2020", "all", "all", sum(counts), counts=dict(zip(keys, counts, strict=True)))
    if group:
        members = [keys[group[0]], keys[group[1]]]
        table.counts["g"], table.groups, table.members = sum(table.counts[m] for m in members), ["g"], {"g": members}
    table.shares = {k: 100 * v / table.n if table.n else 0.0 for k, v in table.counts.items()}
    return table


def _completions(public: Table, truth: Table) -> dict[str, set[int]]:
    """What a reader can know, by brute force: every value of each hidden count that fits all published numbers."""
    keys = [k for k in public.counts if k not in public.groups]
    n_shown = None if isinstance(public.n, Hidden) else public.n

    def domain(value: int | Hidden) -> range:
        if not isinstance(value, Hidden):
            return range(value, value + 1)
        if str(value) == f"<{THRESHOLD}":
            return range(1, THRESHOLD)
        return range(0, (n_shown if n_shown is not None else truth.n + 20) + 1)

    possible: dict[str, set[int]] = {k: set() for k in [*public.counts, "n"]}
    for values in itertools.product(*(domain(public.counts[k]) for k in keys)):
        filled = dict(zip(keys, values, strict=True))
        n = sum(filled.values())
        wrong_n = n != n_shown if n_shown is not None else str(public.n) == f"<{THRESHOLD}" and not 0 < n < THRESHOLD
        if wrong_n:
            continue
        for g, members in public.members.items():
            filled[g] = sum(filled[m] for m in members)
            if not isinstance(public.counts[g], Hidden) and filled[g] != public.counts[g]:
                break
            if str(public.counts[g]) == f"<{THRESHOLD}" and not 0 < filled[g] < THRESHOLD:
                break
        else:
            for k, v in filled.items():
                possible[k].add(v)
            possible["n"].add(n)
    return possible


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 9), min_size=2, max_size=4),
    st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda p: p[0] != p[1])),
)
def test_no_hidden_count_of_a_table_can_be_worked_out(counts: list[int], group: tuple[int, int] | None) -> None:
    if group and max(group) >= len(counts):
        group = None
    truth = _table(counts, group)
    public, _ = protect(Tables("nl-2020", 2020, [2020], [truth]), THRESHOLD)
    shown = public.tables[0]
    published = [v for k, v in shown.counts.items() if not isinstance(v, Hidden)]
    assert not [v for v in published if 0 < v < THRESHOLD], "a small count is published"
    possible = _completions(shown, truth)
    for key, value in shown.counts.items():
        if isinstance(value, Hidden):
            assert truth.counts[key] in possible[key]  # the truth fits (the brute force is right)
            assert len(possible[key]) > 1, f"{key} = {truth.counts[key]} can be worked out from {shown.counts}"
    assert truth.counts == _table(counts, group).counts  # the internal tables are not touched


@pytest.fixture(scope="module")
def tables() -> Tables:
    book = load_codebook("nl-2020")
    years = {year: generate(year, 0) for year in (2019, 2020)}
    return monitor(years[2020].cases, book, 2020, compare={2019: years[2019].cases}, flows={y: c.flow() for y, c in years.items()})


def test_the_monitor_publishes_no_small_count_and_the_audit_finds_none_exposed(tables: Tables) -> None:
    before = copy.deepcopy(tables.to_json())
    public, protection = protect(tables, THRESHOLD)
    assert tables.to_json() == before  # the internal report keeps exact numbers
    assert len(protection.primary) > 50 and protection.secondary
    numbers = json.dumps(public_json(public.to_json()))
    assert "Hidden" not in numbers
    for t in json.loads(numbers)["tables"]:
        counted = [t["n"], t["n_missing"], *t["counts"].values(), *(v for row in t["cells"].values() for v in row.values())]
        counted += [v for k, v in t["stats"].items() if COUNTING.fullmatch(k)]
        assert not [v for v in counted if isinstance(v, int) and 0 < v < THRESHOLD], t["id"]
    from zicht.analysis.relations import known_relations, published_counts

    values, _ = published_counts(tables)
    assert audit(values, known_relations(tables, values), protection) == set()


def test_a_count_hidden_in_one_year_is_hidden_in_the_comparison_of_years(tables: Tables) -> None:
    public, _ = protect(tables, THRESHOLD)
    compared = [t for t in public if t.kind == "years"]
    assert compared
    for t in compared:
        source = t.id.removeprefix("years.")
        for row, by_year in t.cells.items():
            for year, value in by_year.items():
                own = public.get(source, int(year))
                mine = own.n if row == "n" else own.counts.get(row)
                if mine is not None:
                    assert isinstance(value, Hidden) == isinstance(mine, Hidden), (t.id, row, year)


def test_shares_and_statistics_of_a_table_with_a_hidden_count_are_hidden(tables: Tables) -> None:
    public, _ = protect(tables, THRESHOLD)
    ages = [t for t in public if t.kind == "age" and any(isinstance(v, Hidden) for v in t.counts.values())]
    assert ages
    for t in ages:
        assert all(isinstance(t.shares[k], Hidden) for k, v in t.counts.items() if isinstance(v, Hidden))
        assert all(isinstance(v, Hidden) for k, v in t.stats.items() if v is not None and not COUNTING.fullmatch(k)), "mean, median, ..."
        assert not [v for k, v in t.stats.items() if COUNTING.fullmatch(k) and not isinstance(v, Hidden) and 0 < v < THRESHOLD]
