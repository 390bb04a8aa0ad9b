"""One year's populations and the flow of chapter 2: the masks the definition's rules select.

A population is a mask over the year's frame, narrowed from the one it lies `within`; a
population selected by a lower-bound variable makes every table over it a lower bound (R6).
`YearPopulations.new` builds each table with its shares and that lower bound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from zicht.analysis.definition import MonitorDefinition, Population
from zicht.analysis.frame import Frame, Mask
from zicht.analysis.tables import Table
from zicht.codebook import Codebook, CodedCase


@dataclass(frozen=True)
class Flow:
    """Chapter 2's chat-level counts, which the coded cases alone cannot give."""

    flagged_chats: int
    channels: Mapping[str, int] = field(default_factory=dict)


class YearPopulations:
    """One year's coded cases as a frame, its populations' masks (cached), and the tables of those and the flow."""

    def __init__(self, cases: list[CodedCase], codebook: Codebook, definition: MonitorDefinition, year: int, flow: Flow | None) -> None:
        self.codebook = codebook
        self.definition = definition
        self.year = year
        self.flow = flow
        self.frame = Frame(cases, codebook, definition.age_variable)
        self.masks: dict[str, Mask] = {}

    def population(self, pid: str) -> Mask:
        if pid not in self.masks:
            p = self.definition.populations[pid]
            mask = self.population(p.within) if p.within else np.ones(self.frame.size, dtype=bool)
            for rule in p.where:
                mask = mask & self.frame.holds(rule, self.year)
            self.masks[pid] = mask
        return self.masks[pid]

    def lower_bound(self, p: Population) -> bool:
        """A population selected by a lower-bound variable is itself a lower bound (R6)."""
        own = any(r.variable in self.codebook and self.codebook[r.variable].lower_bound for r in p.where)
        return own or (p.within is not None and self.lower_bound(self.definition.populations[p.within]))

    def new(self, table_id: str, kind: str, title: str, pid: str, n: int, **rest: object) -> Table:
        p = self.definition.populations[pid]
        table = Table(table_id, kind, title, self.year, self.codebook.id, pid, p.label, n, **rest)  # type: ignore[arg-type]
        table.lower_bound = table.lower_bound or self.lower_bound(p)
        table.shares = {k: _pct(v, n) for k, v in table.counts.items()}
        return table

    def flow_table(self) -> Table:
        """Chapter 2: flagged chats, duplicates, not about trafficking, unique visitors, channels."""
        frame = self.frame
        about = frame.category.get("about_trafficking", {})
        chats = self.flow.flagged_chats if self.flow else int(frame.conversations.sum())
        counts = {
            "flagged_chats": chats,
            "duplicate_chats": int((frame.conversations - 1).sum()),
            "not_trafficking": int(about["no"].sum()) if "no" in about else 0,
            "unique_visitors": int(about["yes"].sum()) if "yes" in about else frame.size,
        }
        flow = self.definition.flow
        labels = {key: flow.labels.get(key, key) for key in counts}
        channel = {c.id: c.label for v in self.codebook if v.id == "channel" for c in v.categories}
        for cid, n in (self.flow.channels if self.flow else {}).items():
            counts[f"channel.{cid}"] = n
            labels[f"channel.{cid}"] = flow.labels.get("channel", "{}").format(channel.get(cid, cid))
        table = self.new("flow", "flow", flow.title, "visitors", chats, denominator="chats", counts=counts, labels=labels)
        table.population_label = flow.population
        not_coded = frame.not_coded.get("about_trafficking", np.zeros(frame.size, dtype=bool))
        table.stats = {"cases": frame.size, "chats_in_cases": int(frame.conversations.sum()), "not_coded": int(not_coded.sum())}
        return table

    def population_table(self, p: Population) -> Table:
        n = int(self.population(p.id).sum())
        table = self.new(f"population.{p.id}", "population", p.label, p.id, n, denominator="cases")
        if p.within:
            within = int(self.population(p.within).sum())
            table.stats = {"within_n": within, "share_of_within": _pct(n, within)}
            table.note = f"binnen: {self.definition.populations[p.within].label}"
            table.within = p.within
        return table


def _pct(count: int, n: int) -> float:
    return round(100 * count / n, 4) if n else 0.0


def members(cases: Sequence[CodedCase], codebook: Codebook, year: int, population: str,
            definition: MonitorDefinition | None = None) -> frozenset[str]:  # fmt: skip
    """The visitors a population counts, by the counting rules (a theme's quotes come only from its subset)."""
    from zicht.analysis.definition import builtin_definition
    from zicht.analysis.monitor import under_codebook

    definition = definition or builtin_definition(codebook.id)
    mask = YearPopulations(under_codebook(cases, codebook), codebook, definition, year, None).population(population)
    return frozenset(case.visitor_id for case, member in zip(cases, mask.tolist(), strict=True) if member)
