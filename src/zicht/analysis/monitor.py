"""The statistics of the yearly monitor, by the codebook's counting rules.

Which tables exist is the monitor definition's business (data); how a table of each kind
is counted is this module's: the denominators of rules R3 (over the known), R5
(multi-response: over those naming one) and R6 (`counts_as_no`: over all), R4 and R7 via
the frame, and lower bounds carried from the variables into every table that uses them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from zicht.analysis.definition import MINOR, MonitorDefinition, Population, TableSpec, builtin_definition
from zicht.analysis.frame import Frame, Mask, any_of
from zicht.analysis.tables import Number, Table, Tables
from zicht.codebook import Codebook, CodedCase, load_codebook, migrate_values
from zicht.errors import ZichtError

MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Flow:
    """Chapter 2's chat-level counts, which the coded cases alone cannot give."""

    flagged_chats: int
    channels: Mapping[str, int] = field(default_factory=dict)


def monitor(
    cases: Sequence[CodedCase],
    codebook: Codebook,
    year: int | None = None,
    *,
    compare: Mapping[int, Sequence[CodedCase]] | None = None,
    flows: Mapping[int, Flow] | None = None,
    definition: MonitorDefinition | None = None,
) -> Tables:
    """Every table of the monitor for `year`, and for each compared year, with side-by-side tables."""
    definition = definition or builtin_definition(codebook.id)
    flows = flows or {}
    year = year or _main_year(cases, codebook)
    by_year = {year: cases, **{y: c for y, c in (compare or {}).items() if y != year}}
    tables: list[Table] = []
    for y, year_cases in by_year.items():
        tables += _Year(list(_under(year_cases, codebook)), codebook, definition, y, flows.get(y)).tables()
    result = Tables(codebook.id, year, sorted(by_year, reverse=True), tables)
    if len(by_year) > 1:
        result.tables += compare_years(result, definition.compare)
    return result


def _main_year(cases: Sequence[CodedCase], codebook: Codebook) -> int:
    dated = [v for v in (c.values.get(_first_date(codebook)) for c in cases) if isinstance(v, dt.date)]
    if not dated:
        raise ZichtError("cannot tell the monitor's year: no case has a date of first chat; pass the year")
    return Counter(d.year for d in dated).most_common(1)[0][0]


def _first_date(codebook: Codebook) -> str:
    return next(v.id for v in codebook if v.type == "date")


def _under(cases: Sequence[CodedCase], codebook: Codebook) -> list[CodedCase]:
    """The cases with their codes under `codebook`, migrating those coded with its predecessor."""
    out = []
    for case in cases:
        if case.codebook != codebook.id:
            values = migrate_values(case.values, load_codebook(case.codebook), codebook)
            case = CodedCase(case.visitor_id, codebook.id, values, case.conversation_ids)
        out.append(case)
    return out


class _Year:
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

    def tables(self) -> list[Table]:
        out = [self.flow_table()]
        out += [self.population_table(p) for p in self.definition.populations.values()]
        out += [self.age_table(pid) for pid in self.definition.age_for]
        out += [self.table(spec) for spec in self.definition.tables]
        return out

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
        return table

    def table(self, spec: TableSpec) -> Table:
        if spec.kind == "distribution":
            return self.distribution(spec)
        if spec.kind == "crosstab":
            return self.crosstab(spec)
        if spec.kind == "months":
            return self.months(spec)
        if spec.kind == "coverage":
            return self.coverage(spec)
        raise ZichtError(f"table {spec.id}: unknown kind {spec.kind!r}")

    def distribution(self, spec: TableSpec) -> Table:
        assert spec.variable is not None
        variable = self.codebook[spec.variable]
        frame = self.frame
        in_population = self.population(spec.population)
        base = in_population & frame.applies[variable.id]
        coded = base & ~frame.not_coded[variable.id]
        known, cats = self.effective(variable.id)
        known = known & coded
        if spec.denominator == "population":
            n, denominator = int(in_population.sum()), "population"
        else:
            n = int(known.sum())
            denominator = "all" if variable.missing == "counts_as_no" else "named" if variable.type == "many" else "known"
        counts = {c: int((m & coded).sum()) for c, m in cats.items()}
        labels = self.labels(variable.id)
        for g in spec.groups:
            counts[g.id] = int((any_of([cats[c] for c in g.categories], frame.size) & coded).sum())
            labels[g.id] = g.label
        stats: dict[str, Number] = {}
        if variable.type == "many":
            stats["mentions"] = sum(counts[c] for c in variable.category_ids)
            stats["none_named"] = int((coded & frame.known[variable.id] & ~known).sum())
            if variable.id in frame.counted_as:
                stats[f"counted_as.{variable.none_named_counts_as}"] = int((frame.counted_as[variable.id] & coded).sum())
            for combination, count in self.combinations(variable.id, known).items():
                stats[f"only.{combination}"] = count
        table = self.new(
            spec.id,
            "distribution",
            spec.title or f"{variable.label}",
            spec.population,
            n,
            variable=variable.id,
            lower_bound=variable.lower_bound,
            denominator=denominator,
            counts=counts,
            labels=labels,
            groups=[g.id for g in spec.groups],
            members={g.id: list(g.categories) for g in spec.groups},
            stats=stats,
            n_missing=int((coded & ~(known if variable.type == "many" else frame.known[variable.id])).sum()),
            n_not_coded=int((base & frame.not_coded[variable.id]).sum()),
            figure=spec.figure,
        )
        return table

    def combinations(self, variable_id: str, named: Mask) -> dict[str, int]:
        """How many cases named exactly each combination of answers (`sexual+criminal`)."""
        cats = self.frame.categories(variable_id)
        keys = np.zeros(self.frame.size, dtype=np.int64)
        for bit, mask in enumerate(cats.values()):
            keys |= mask.astype(np.int64) << bit
        ids = list(cats)
        found = Counter(keys[named].tolist())
        return {"+".join(c for bit, c in enumerate(ids) if key >> bit & 1): n for key, n in sorted(found.items())}

    def labels(self, variable_id: str) -> dict[str, str]:
        if variable_id == MINOR:
            return dict(self.definition.minor_categories)
        variable = self.codebook[variable_id]
        if variable.type == "flag":
            return {"true": "Ja", "false": "Nee"}
        return {c.id: c.label for c in variable.categories}

    def label(self, variable_id: str) -> str:
        return self.definition.minor_label if variable_id == MINOR else self.codebook[variable_id].label

    def age_table(self, pid: str) -> Table:
        """Age summary (R7 minors, 15 or younger, bands) and fn 89: adults who were minors when it began."""
        d = self.definition
        age = self.frame.number[d.age_variable]
        mask = self.population(pid) & ~np.isnan(age)
        ages = age[mask]
        minor = self.codebook.minor_age
        n = len(ages)
        counts = {
            b.id: int(((ages >= (b.min if b.min is not None else -np.inf)) & (ages <= (b.max if b.max is not None else np.inf))).sum())
            for b in d.age_bands
        }
        counts["minors"] = int((ages < minor).sum())
        counts["young"] = int((ages <= d.age_young).sum())
        stats: dict[str, Number] = {
            "min": int(ages.min()) if n else None,
            "max": int(ages.max()) if n else None,
            "mean": round(float(ages.mean()), 4) if n else None,
            "median": float(np.median(ages)) if n else None,
        }
        if d.age_duration:
            stats["minor_at_start_extra"] = self.minor_at_start(mask)
        labels = {b.id: b.label for b in d.age_bands}
        labels["minors"] = f"Minderjarig (jonger dan {minor})"
        labels["young"] = f"{d.age_young} jaar of jonger"
        base = self.population(pid) & self.frame.applies[d.age_variable]
        below = {
            key: [b.id for b in d.age_bands if b.max is not None and b.max <= top]
            for key, top in (("minors", minor - 1), ("young", d.age_young))
        }
        return self.new(
            f"{pid}.age",
            "age",
            self.codebook[d.age_variable].label,
            pid,
            n,
            variable=d.age_variable,
            counts=counts,
            labels=labels,
            members=below,
            stats=stats,
            n_missing=int((base & ~mask & ~self.frame.not_coded[d.age_variable]).sum()),
            n_not_coded=int((base & self.frame.not_coded[d.age_variable]).sum()),
        )

    def minor_at_start(self, with_age: Mask) -> int:
        """Adults whose situation began before they were 18: age + 1 - the duration's shortest years <= 18."""
        d = self.definition
        assert d.age_duration is not None
        minor = self.codebook.minor_age
        age = self.frame.number[d.age_variable]
        total = 0
        for category in self.codebook[d.age_duration].categories:
            if category.min_years is None:
                continue
            mask = with_age & self.frame.category[d.age_duration][category.id] & (age >= minor)
            total += int((age[mask] + 1 - category.min_years <= minor).sum())
        return total

    def crosstab(self, spec: TableSpec) -> Table:
        assert spec.rows is not None and spec.columns is not None
        population = self.population(spec.population)
        rows_known, rows = self.effective(spec.rows)
        columns_known, columns = self.effective(spec.columns)
        both = population & rows_known & columns_known
        cells = {r: {c: int((rm & cm & both).sum()) for c, cm in columns.items()} for r, rm in rows.items()}
        row_labels, column_labels = self.labels(spec.rows), self.labels(spec.columns)
        lower = any(v in self.codebook and self.codebook[v].lower_bound for v in (spec.rows, spec.columns))
        return self.new(
            spec.id,
            "crosstab",
            spec.title or f"{self.label(spec.rows)} naar {self.label(spec.columns).lower()}",
            spec.population,
            int(both.sum()),
            counts={r: sum(row.values()) for r, row in cells.items()},
            labels=row_labels,
            columns=column_labels,
            cells=cells,
            axes={"rows": self.label(spec.rows), "columns": self.label(spec.columns)},
            lower_bound=lower,
            n_missing=int((population & ~both).sum()),
        )

    def effective(self, variable_id: str) -> tuple[Mask, dict[str, Mask]]:
        """Where a variable counts as known, and its category masks, by the missing rule.

        `excluded`: known where coded and not unknown; a multi-response variable only where
        at least one answer is named (R5). `counts_as_no`: known wherever it applies, and a
        flag that is not 'yes' is 'no' (R6).
        """
        frame = self.frame
        cats = frame.categories(variable_id)
        if variable_id == MINOR:
            return frame.is_known(variable_id), cats
        variable = self.codebook[variable_id]
        if variable.missing == "counts_as_no":
            known = frame.applies[variable_id] & ~frame.not_coded[variable_id]
            if variable.type == "flag":
                cats = {"true": cats["true"], "false": known & ~cats["true"]}
            return known, cats
        if variable.type == "many":
            return any_of(list(cats.values()), frame.size), cats
        return frame.known[variable_id], cats

    def months(self, spec: TableSpec) -> Table:
        """Cases per month of a date (Figuur 17, 18); months outside the year are counted apart."""
        assert spec.variable is not None
        population = self.population(spec.population)
        days = self.frame.number[spec.variable][population]
        days = days[~np.isnan(days)]
        found = Counter(dt.date.fromordinal(int(d)).strftime("%Y-%m") for d in days)
        counts = {f"{self.year}-{m:02d}": found.pop(f"{self.year}-{m:02d}", 0) for m in range(1, 13)}
        labels = {f"{self.year}-{m:02d}": MONTHS_NL[m - 1] for m in range(1, 13)}
        return self.new(
            spec.id,
            "months",
            spec.title or f"{self.label(spec.variable)} per maand",
            spec.population,
            len(days),
            variable=spec.variable,
            counts=counts,
            labels=labels,
            stats={"outside_year": sum(found.values())},
            n_missing=int(population.sum()) - len(days),
            figure=spec.figure,
        )

    def coverage(self, spec: TableSpec) -> Table:
        """A count of the monitor set against a reference figure from elsewhere (the national estimate)."""
        assert spec.reference is not None and spec.count is not None
        reference = self.definition.references[spec.reference]
        age = self.age_table(spec.population)
        table = self.new(
            spec.id,
            "coverage",
            spec.title or reference.label,
            spec.population,
            round(reference.value),
            denominator="reference",
            counts={spec.count: age.counts[spec.count]},
            labels={spec.count: age.labels[spec.count]},
            note=f"n = {reference.label}",
        )
        return table


def compare_years(tables: Tables, table_ids: Sequence[str]) -> list[Table]:
    """For each table id: its counts (and n) in every year, one column per year."""
    out = []
    for table_id in table_ids:
        per_year = {y: tables.get(table_id, y) for y in tables.years if tables.has(table_id, y)}
        if len(per_year) < 2:
            continue
        main = per_year.get(tables.year) or next(iter(per_year.values()))
        rows = {"n": "n"} | main.labels
        cells = {r: {str(y): int(t.n if r == "n" else _cell(t, r)) for y, t in sorted(per_year.items())} for r in rows}
        out.append(
            Table(
                f"years.{table_id}",
                "years",
                f"{main.title}: {' en '.join(str(y) for y in sorted(per_year))}",
                tables.year,
                tables.codebook,
                main.population,
                main.population_label,
                main.n,
                labels=rows,
                cells=cells,
                columns={str(y): str(y) for y in sorted(per_year)},
                lower_bound=main.lower_bound,
            )
        )
    return out


def _cell(table: Table, row: str) -> int:
    if row in table.counts:
        return table.counts[row]
    if table.cells and row in table.cells:
        return sum(table.cells[row].values())
    return 0


def _or(bound: int | None, default: float) -> float:
    return default if bound is None else bound


def _pct(count: int, n: int) -> float:
    return round(100 * count / n, 4) if n else 0.0
