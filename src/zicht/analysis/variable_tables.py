"""The per-variable tables of one year: distributions, crosstabs, ages, months and coverage.

Each counts by its variables' missing rule: over the known (R3), over those naming one
answer of a multi-response variable (R5), over all where `counts_as_no` (R6); the minors'
variable (R7) comes from the frame.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np

from zicht.analysis.definition import MINOR, TableSpec
from zicht.analysis.frame import Mask, any_of
from zicht.analysis.populations import YearPopulations
from zicht.analysis.tables import Number, Table
from zicht.codebook.values import MONTHS_NL
from zicht.errors import ZichtError


class YearTables(YearPopulations):
    """Every table of one year: the populations' and flow's (from `YearPopulations`) and the per-variable ones."""

    def tables(self) -> list[Table]:
        out = [self.flow_table()]
        out += [self.population_table(p) for p in self.definition.populations.values()]
        out += [self.age_table(pid) for pid in self.definition.age_for]
        out += [self.table(spec) for spec in self.definition.tables]
        return out

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
        keys = self.frame.answer_sets(variable_id)
        ids = list(self.frame.categories(variable_id))
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
