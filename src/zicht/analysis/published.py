"""Compare computed tables with the figures a report published.

What the researchers do when they re-run last year's monitor: every printed number is
looked up in the tables (through a mapping file, never special cases here) and checked to
the report's own rounding: counts exactly, percentages to within 0.05, vague words
("bijna 60%") as a range.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from zicht.analysis.tables import Number, Tables
from zicht.errors import ZichtError

PCT_TOLERANCE = 0.05


@dataclass(frozen=True)
class Figure:
    """One published figure: a count, a percentage as printed, or a range for words."""

    id: str
    where: str = ""
    says: str = ""
    of: str = ""
    count: float | None = None
    pct: float | None = None
    range: tuple[float, float] | None = None


@dataclass(frozen=True)
class Locator:
    """Where a figure lives in the tables."""

    table: str
    year: int = 0  # offset from the monitor's year
    count: str | None = None
    pct: str | None = None
    value: str | None = None
    report_inconsistent: str | None = None


@dataclass(frozen=True)
class Check:
    id: str
    published: str
    computed: str
    status: str  # ok | known | mismatch
    reason: str = ""

    @property
    def fails(self) -> bool:
        return self.status == "mismatch"


def read_figures(path: Path) -> tuple[int, list[Figure]]:
    """A published-figures file (`year`, `facts`: id, where, says, count / pct / range, of)."""
    raw = _yaml(path)
    figures = []
    for i, fact in enumerate(raw.get("facts") or []):
        if not isinstance(fact, dict) or "id" not in fact:
            raise ZichtError(f"{path}: facts[{i}]: needs an id")
        if not {"count", "pct", "range"} & set(fact):
            raise ZichtError(f"{path}: facts[{i}] ({fact['id']}): needs count, pct or range")
        low_high = fact.get("range")
        figures.append(
            Figure(
                id=str(fact["id"]),
                where=str(fact.get("where", "")),
                says=str(fact.get("says", "")),
                of=str(fact.get("of", "")),
                count=fact.get("count"),
                pct=fact.get("pct"),
                range=(float(low_high[0]), float(low_high[1])) if low_high else None,
            )
        )
    return int(raw.get("year", 0)), figures


def read_mapping(path: Path) -> dict[str, Locator]:
    raw = _yaml(path)
    mapping = {}
    for figure_id, spec in (raw.get("figures") or {}).items():
        if not isinstance(spec, dict) or "table" not in spec:
            raise ZichtError(f"{path}: figures.{figure_id}: needs a table")
        unknown = set(spec) - {"table", "year", "category", "count", "pct", "value", "report_inconsistent"}
        if unknown:
            raise ZichtError(f"{path}: figures.{figure_id}: unknown key(s) {', '.join(sorted(unknown))}")
        category = spec.get("category")
        mapping[str(figure_id)] = Locator(
            table=str(spec["table"]),
            year=int(spec.get("year", 0)),
            count=spec.get("count") or (f"counts.{category}" if category else None),
            pct=spec.get("pct") or (f"shares.{category}" if category else None),
            value=spec.get("value"),
            report_inconsistent=spec.get("report_inconsistent"),
        )
    return mapping


def check_published(tables: Tables, figures: list[Figure], mapping: dict[str, Locator]) -> list[Check]:
    return [_check(tables, f, mapping.get(f.id)) for f in figures]


def _check(tables: Tables, figure: Figure, where: Locator | None) -> Check:
    published = _published(figure)
    if where is None:
        return Check(figure.id, published, "", "mismatch", "no entry in the mapping file")
    year = tables.year + where.year
    if year not in tables.years:
        return Check(figure.id, published, "", "mismatch", f"needs the tables of {year} (--compare {year})")
    try:
        count, pct, value = figure_values(tables, figure, where)
    except KeyError as e:
        return Check(figure.id, published, "", "mismatch", str(e.args[0]))
    problems = []
    if count is not None and figure.count is not None and count != figure.count:
        problems.append(f"count {_fmt(count)} ≠ {_fmt(figure.count)}")
    if pct is not None and figure.pct is not None and abs(pct - figure.pct) >= PCT_TOLERANCE:
        problems.append(f"{pct:.2f}% ≠ {figure.pct}%")
    if value is not None and figure.range and not figure.range[0] <= value <= figure.range[1]:
        problems.append(f"{value:.2f} outside {figure.range[0]}-{figure.range[1]}")
    computed = " ".join(
        part
        for part in (
            _fmt(count) if count is not None else "",
            f"({pct:.2f}%)" if pct is not None else "",
            f"{value:.2f}" if value is not None else "",
        )
        if part
    )
    if not problems:
        return Check(figure.id, published, computed, "ok")
    if where.report_inconsistent:
        return Check(figure.id, published, computed, "known", " ".join(where.report_inconsistent.split()))
    return Check(figure.id, published, computed, "mismatch", "; ".join(problems))


def figure_values(tables: Tables, figure: Figure, where: Locator) -> tuple[float | None, float | None, float | None]:
    """The count, percentage and value (for a range) the tables give for a published figure; KeyError when absent."""
    table = tables.get(where.table, tables.year + where.year)
    count = _number(table.value(where.count)) if where.count and figure.count is not None else None
    pct = _number(table.value(where.pct)) if where.pct and figure.pct is not None else None
    value = _number(table.value(where.value or where.pct or where.count or "n")) if figure.range else None
    return count, pct, value


def _number(value: Number) -> float:
    if value is None:
        raise KeyError("the value is empty (no cases)")
    return float(value)


def _published(f: Figure) -> str:
    parts = []
    if f.count is not None:
        parts.append(_fmt(f.count))
    if f.pct is not None:
        parts.append(f"({f.pct}%)")
    if f.range is not None:
        parts.append(f"{f.range[0]}-{f.range[1]}")
    return " ".join(parts)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def _yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ZichtError(f"{path}: cannot read: {e}") from None
    if not isinstance(raw, dict):
        raise ZichtError(f"{path}: expected a mapping at the top")
    return raw
