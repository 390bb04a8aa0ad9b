"""What the counting rules make of each case, as columns beside its codes, so that SPSS redoes the report's counts.

The report does not count the codes as coded: a form nobody named counts as the codebook says
(R4), a flag nobody said counts as no where the codebook says so (R6), a minor is one by age
(R7), and every table counts over a population. An SPSS user with only the codes would have to
rebuild all of that; these columns carry it, from the same frame the tables are counted from.
Column names start with `counted_` or `in_` (`DERIVED_PREFIXES`), so that reading a coded file back skips them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from zicht.analysis.definition import MINOR, MonitorDefinition, builtin_definition
from zicht.analysis.frame import Frame, Mask
from zicht.analysis.populations import YearPopulations
from zicht.codebook import Codebook, CodedCase

Level = Literal["nominal", "ordinal", "scale"]
YES_NO = {0: "Nee", 1: "Ja"}


@dataclass(frozen=True)
class CountedColumn:
    name: str
    label: str
    values: list[int | None]  # None: the rule does not apply to this case (system-missing)
    value_labels: dict[int, str] = field(default_factory=lambda: dict(YES_NO))
    level: Level = "nominal"


def counted_columns(cases: Sequence[CodedCase], codebook: Codebook, year: int,
                    definition: MonitorDefinition | None = None) -> list[CountedColumn]:  # fmt: skip
    """The counting rules' values of `cases` (already under `codebook`), in the cases' order."""
    definition = definition or builtin_definition(codebook.id)
    year_populations = YearPopulations(list(cases), codebook, definition, year, None)
    frame = year_populations.frame
    out: list[CountedColumn] = []
    drawn_as_combinations = {t.variable for t in definition.tables if t.figure == "combinations"}
    for variable in codebook:
        if variable.id in frame.counted_as:
            known = frame.applies[variable.id] & ~frame.not_coded[variable.id] & frame.known[variable.id]
            rule = variable.category(str(variable.none_named_counts_as)).label.lower()
            for c in variable.categories:
                label = f"{variable.label} zoals geteld (geen genoemd: {rule}): {c.label}"
                out.append(CountedColumn(f"counted_{variable.id}.{c.id}", label, _flags(frame.category[variable.id][c.id], known)))
        if variable.type == "many" and variable.id in drawn_as_combinations:
            out.append(_combinations(frame, variable.id))
        if variable.type == "flag" and variable.missing == "counts_as_no":
            known = frame.applies[variable.id] & ~frame.not_coded[variable.id]
            label = f"{variable.label} (niet genoemd telt als nee)"
            out.append(CountedColumn(f"counted_{variable.id}", label, _flags(frame.category[variable.id]["true"], known)))
    minor = frame.categories(MINOR)["yes"]
    out.append(CountedColumn("counted_minor", definition.minor_label, _flags(minor, frame.is_known(MINOR)),
                             {0: definition.minor_categories["no"], 1: definition.minor_categories["yes"]}))  # fmt: skip
    everyone = np.ones(frame.size, dtype=bool)
    for pid, population in definition.populations.items():
        out.append(CountedColumn(f"in_{pid}", population.label, _flags(year_populations.population(pid), everyone)))
    return out


def combination_label(labels: Sequence[str]) -> str:
    """One exact set of answers in words, as Figuur 1 names it: "Seksuele uitbuiting en criminele uitbuiting"."""
    return " en ".join([labels[0], *(x.lower() for x in labels[1:])])


def _combinations(frame: Frame, variable_id: str) -> CountedColumn:
    """Each exact set of answers as one code (its categories as bits: 1, 2, 3 = the first two, ...)."""
    variable = frame.codebook[variable_id]
    code = frame.answer_sets(variable_id)
    labels = [c.label for c in variable.categories]
    value_labels = {
        key: combination_label([label for bit, label in enumerate(labels) if key >> bit & 1]) for key in sorted(set(code.tolist()) - {0})
    }
    values = [int(k) if k else None for k in code.tolist()]
    return CountedColumn(f"counted_{variable_id}", f"{variable.label} zoals geteld: de combinatie", values, value_labels)


def _flags(holds: Mask, known: Mask) -> list[int | None]:
    return [int(h) if k else None for h, k in zip(holds.tolist(), known.tolist(), strict=True)]
