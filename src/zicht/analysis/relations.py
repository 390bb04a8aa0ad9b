"""What a reader of a public report knows: every published count by its key, and how the counts hang together.

Disclosure control (`zicht.analysis.disclosure`) hides counts until none of 1-4 can be worked
out from these relations:

- a single-answer table's categories add up to its n; a group of categories is their sum (or,
  with several answers, at least each of them and at most their sum);
- with several answers, each count is at most n and all together at least n;
- a crosstab row adds up to the row's count;
- a table's n, its unknown and its not coded add up to the population it counts in (where not
  mentioned counts as no, R6, the unknown are in n already);
- a population is no larger than the one it lies within, whose size it states;
- the stats that count people are counts too: the mentions of a multi-answer table are the sum
  of its counts, the cases naming exactly each combination of answers add up to its n and, for
  each answer, to its count;
- the comparison between years repeats the same counts as each year's own table (one count);
- the flow's counts, where one is the sum of others, and the flow as chapter 2 tells it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from zicht.analysis.tables import Table, Tables, counts_people

Key = tuple[str, int, str]  # table id, year, path as Table.value reads it ("counts.male", "cells.yes.no", "n")
Relation = tuple[dict[Key, int], str]  # coefficients, "eq" (sum = 0) or "ge" (sum >= 0)


def public_stat(t: Table, stat: str) -> bool:
    """The cases naming exactly one combination of answers are public only where the report draws
    them (Figuur 1): elsewhere they are many small counts that nobody reads in the report."""
    return not stat.startswith("only.") or t.figure == "combinations"


def published_counts(tables: Tables) -> tuple[dict[Key, int], dict[Key, Key]]:
    """Every published count by its key; the years comparison's cells as aliases of the years' own counts."""
    values: dict[Key, int] = {}
    alias: dict[Key, Key] = {}
    for t in tables:
        if t.kind == "years":
            source = t.id.removeprefix("years.")
            for row, by_year in t.cells.items():
                for year, count in by_year.items():
                    target = (source, int(year), "n" if row == "n" else f"counts.{row}")
                    alias[(t.id, t.year, f"cells.{row}.{year}")] = target
                    values.setdefault(target, count)
            continue
        for name in ("n", "n_missing", "n_not_coded"):
            values[(t.id, t.year, name)] = getattr(t, name)
        for k, v in t.counts.items():
            values[(t.id, t.year, f"counts.{k}")] = v
        for k, stat in t.stats.items():
            if counts_people(k) and public_stat(t, k) and isinstance(stat, int):
                values[(t.id, t.year, f"stats.{k}")] = stat
        if t.within:  # the size it states of the population it lies within is that population's n
            alias[(t.id, t.year, "stats.within_n")] = (f"population.{t.within}", t.year, "n")
        for r, columns in t.cells.items():
            for c, v in columns.items():
                values[(t.id, t.year, f"cells.{r}.{c}")] = v
    return values, alias


def known_relations(tables: Tables, values: dict[Key, int]) -> list[Relation]:
    """What a reader knows of how the counts hang together: each candidate relation that holds."""
    populations = {(t.population, t.year): (t.id, t.year, "n") for t in tables if t.kind == "population"}
    within = [
        ({populations[(t.within, t.year)]: 1, (t.id, t.year, "n"): -1}, "ge")
        for t in tables
        if t.kind == "population" and (t.within, t.year) in populations
    ]
    return within + [
        (coefficients, sense)
        for t in tables
        if t.kind not in ("years", "population")
        for coefficients, sense in _candidates(t, populations.get((t.population, t.year)), values)
        if coefficients and (sense == "ge" or _holds(coefficients, values))  # one count alone: it is 0 (no combination names it)
    ]


def _holds(coefficients: dict[Key, int], values: dict[Key, int]) -> bool:
    return sum(a * values[k] for k, a in coefficients.items()) == 0


def _candidates(t: Table, population: Key | None, values: dict[Key, int]) -> Iterator[Relation]:
    def key(path: str) -> Key:
        return (t.id, t.year, path)

    base = [k for k in t.counts if k not in t.groups and k not in t.members]
    yield {key("n"): -1} | {key(f"counts.{k}"): 1 for k in base}, "eq"
    if t.denominator == "named":  # several answers (R5): n names at least one, each answer is named by at most n
        yield {key("n"): -1} | {key(f"counts.{k}"): 1 for k in base}, "ge"
        yield from (({key("n"): 1, key(f"counts.{k}"): -1}, "ge") for k in base)
    for group, members in t.members.items():
        total = {key(f"counts.{group}"): -1} | {key(f"counts.{m}"): 1 for m in members if m in t.counts}
        if _holds(total, values):
            yield total, "eq"
        else:  # several answers: at least each member, at most all of them
            yield total, "ge"
            yield from (({key(f"counts.{group}"): 1, key(f"counts.{m}"): -1}, "ge") for m in members if m in t.counts)
    for r, columns in t.cells.items():
        if r in t.counts:
            yield {key(f"counts.{r}"): -1} | {key(f"cells.{r}.{c}"): 1 for c in columns}, "eq"
    if "mentions" in t.stats:
        yield {key("stats.mentions"): -1} | {key(f"counts.{k}"): 1 for k in base}, "eq"
    combinations = [k.removeprefix("only.") for k in t.stats if k.startswith("only.") and public_stat(t, k)]
    if combinations:
        yield {key("n"): -1} | {key(f"stats.only.{c}"): 1 for c in combinations}, "eq"
        for answer in base:
            yield {key(f"counts.{answer}"): -1} | {key(f"stats.only.{c}"): 1 for c in combinations if answer in c.split("+")}, "eq"
    if population and population != key("n"):
        yield {population: -1, key("n"): 1, key("n_missing"): 1, key("n_not_coded"): 1}, "eq"
        yield {population: -1, key("n"): 1, key("n_not_coded"): 1}, "eq"  # R6: the unknown counted as no, in n
    if t.kind == "flow":
        yield from _sums_among([key(f"counts.{k}") for k in t.counts], values)
        yield from _flow(key, values)


def _flow(key: Callable[[str], Key], values: dict[Key, int]) -> Iterator[Relation]:
    """The flow as chapter 2 tells it: the chats flagged hold the duplicates and the cases about
    trafficking, not about it and not coded yet (and those whose subject is unknown); the cases
    are those three (and the unknown); the chats in cases are the cases and their duplicates."""
    parts = [key(p) for p in ("counts.not_trafficking", "counts.unique_visitors", "stats.not_coded")]
    told = [
        {key("counts.flagged_chats"): 1, key("counts.duplicate_chats"): -1} | dict.fromkeys(parts, -1),
        {key("stats.cases"): 1} | dict.fromkeys(parts, -1),
        {key("stats.chats_in_cases"): 1, key("stats.cases"): -1, key("counts.duplicate_chats"): -1},
    ]
    for coefficients in told:  # each at least 0; equal to 0 where nothing else is in it
        if all(k in values for k in coefficients) and (rest := sum(a * values[k] for k, a in coefficients.items())) >= 0:
            yield coefficients, "eq" if rest == 0 else "ge"


def _sums_among(keys: list[Key], values: dict[Key, int]) -> Iterable[Relation]:
    """Each count that is the sum of two or three others: a reader may know it is."""
    for total in keys:
        others = [k for k in keys if k != total]
        for size in (2, 3):
            for part in itertools.combinations(others, size):
                if sum(values[k] for k in part) == values[total]:
                    yield {total: -1} | dict.fromkeys(part, 1), "eq"
