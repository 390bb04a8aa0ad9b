"""Case data for partners in the Human Trafficking Case Data Standard: how many of the year's cases give
each value of each field the codebook can fill, or, for the coordinator, each case's values.

The mapping is data (`knowledge.htcds`); this module only applies it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from zicht.analysis import Tables
from zicht.analysis.disclosure import SECONDARY, Hidden
from zicht.codebook import NOT_CODED, CodedCase
from zicht.errors import ZichtError
from zicht.knowledge.htcds import CaseStandard, Field


@dataclass(frozen=True)
class Count:
    field: str
    value: str
    count: int  # a `Hidden` in a public aggregate where it would name someone
    of: int  # the cases the field's table counts over (its n)
    variable: str
    categories: tuple[str, ...]


def aggregate(tables: Tables, standard: CaseStandard) -> Iterator[Count]:
    """Each value's count, from the population's table of the variable: the cases that give it.

    A value with a hidden part is hidden whole: its sum beside the part shown would give the other away.
    A value of several answers of a multi-answer question, more than one of them given, is hidden too:
    the cases naming any of them are not the sum (one case may name two), and their number beside the
    parts would tell how many named both.
    """
    for field in standard.fields:
        table_id = f"{standard.population}.{field.variable}"
        if not tables.has(table_id, tables.year):
            raise ZichtError(f"{field.name}: the monitor has no table {table_id} to count it from")
        table = tables.get(table_id)
        for value, categories in field.values.items():
            parts = [table.counts.get(c, 0) for c in categories]
            hidden = next((p for p in parts if isinstance(p, Hidden)), None)
            if hidden is None and table.denominator == "named" and sum(1 for p in parts if p) > 1:
                hidden = Hidden(SECONDARY)
            yield Count(field.name, value, hidden if hidden is not None else sum(parts), table.n, field.variable, categories)
        if field.unknown is not None:
            yield Count(field.name, field.unknown, table.n_missing, table.n + table.n_missing, field.variable, ())


def case_values(case: CodedCase, field: Field) -> tuple[str, ...]:
    """The field's values for one case: none where it is not coded yet or gives no value of the standard."""
    value = case.values.get(field.variable)
    if value is NOT_CODED:
        return ()
    if value is None:
        return (field.unknown,) if field.unknown is not None else ()
    categories = sorted(value) if isinstance(value, frozenset) else [value]
    return tuple(dict.fromkeys(v for c in categories if (v := field.value_of(str(c))) is not None))


def case_rows(cases: Sequence[CodedCase], standard: CaseStandard) -> Iterator[dict[str, str]]:
    """One row a case: its visitor id and each field's values, several joined by ';' as the standard's multi-selects."""
    for case in cases:
        yield {"case": case.visitor_id, **{f.name: ";".join(case_values(case, f)) for f in standard.fields}}
