"""The monitor's output: tables with their population and denominator, as plain data.

`tables.json` is these objects as JSON (schema in docs/tables.md); the report, the
published-figures check and any later analysis read the tables, never the cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from zicht.errors import ZichtError

SCHEMA = "zicht-tables/1"
Number = int | float | None
# The stats that count people (or chats): disclosure control guards them as it guards counts.
COUNT_STATS = (
    *("mentions", "none_named", "only.", "counted_as.", "minor_at_start_extra", "outside_year"),  # per table
    *("cases", "chats_in_cases", "not_coded"),  # the flow
)


def counts_people(stat: str) -> bool:
    """Whether a stat is a count (`only.sexual+criminal`, `minor_at_start_extra`), not a mean or an age."""
    return any(stat == name or (name.endswith(".") and stat.startswith(name)) for name in COUNT_STATS)


@dataclass
class Table:
    """One table of the monitor for one year.

    `n` is the denominator of `shares` (percentages): the cases where the variable is known
    (rule R3), all applicable cases (`counts_as_no`), or the cases naming at least one
    answer (multi-response, R5). `n_missing` counts the unknown ones, `n_not_coded` those
    nobody has coded yet.
    """

    id: str
    kind: str
    title: str
    year: int
    codebook: str
    population: str
    population_label: str
    n: int
    # known (R3) | all (counts_as_no, R6) | named (multi-response, R5) | population | cases | chats | reference
    denominator: str = "known"
    n_missing: int = 0
    n_not_coded: int = 0
    variable: str | None = None
    lower_bound: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)  # keys of counts that sum several categories
    members: dict[str, list[str]] = field(default_factory=dict)  # such a key (a group, minors): the categories it counts
    stats: dict[str, Number] = field(default_factory=dict)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # crosstab / years: column id -> label
    axes: dict[str, str] = field(default_factory=dict)  # crosstab: the labels of the row and column variables
    figure: str = ""  # how the report draws it: bars | combinations | months; "" for no figure
    note: str = ""
    within: str = ""  # a population's size: the population it lies within (its `within_n`)

    def value(self, path: str) -> Number:
        """A number by its path: `n`, `counts.male`, `shares.male`, `stats.mean`, `cells.true.true`."""
        head, _, rest = path.partition(".")
        if head in ("n", "n_missing", "n_not_coded") and not rest:
            number: Number = getattr(self, head)
            return number
        if head == "cells":
            row, _, column = rest.partition(".")
            if row in self.cells and column in self.cells[row]:
                return self.cells[row][column]
        elif head in ("counts", "shares", "stats"):
            part: dict[str, Any] = getattr(self, head)
            if rest in part:
                found: Number = part[rest]
                return found
        raise KeyError(f"table {self.id} ({self.year}) has no {path!r}")


@dataclass
class Tables:
    """All tables of a monitor run: the main year and the years it is compared with."""

    codebook: str
    year: int
    years: list[int]
    tables: list[Table]

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)

    def get(self, table_id: str, year: int | None = None) -> Table:
        year = self.year if year is None else year
        for t in self.tables:
            if t.id == table_id and t.year == year:
                return t
        raise KeyError(f"no table {table_id!r} for {year}")

    def has(self, table_id: str, year: int) -> bool:
        return any(t.id == table_id and t.year == year for t in self.tables)

    def of_year(self, year: int) -> list[Table]:
        return [t for t in self.tables if t.year == year]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "codebook": self.codebook,
            "year": self.year,
            "years": self.years,
            "tables": [asdict(t) for t in self.tables],
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def read(cls, path: Path) -> Tables:
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ZichtError(f"{path}: cannot read tables: {e}") from None
        if raw.get("schema") != SCHEMA:
            raise ZichtError(f"{path}: schema is {raw.get('schema')!r}, expected {SCHEMA!r}")
        return cls(raw["codebook"], raw["year"], raw["years"], [Table(**t) for t in raw["tables"]])
