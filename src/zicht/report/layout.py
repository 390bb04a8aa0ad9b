"""A table of the monitor as a grid of Dutch text: header, rows, caption, footnotes.

HTML, PDF and Word all render this one grid, so the three say exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from zicht.analysis import Table
from zicht.analysis.disclosure import Hidden

LOWER_BOUND = "ondergrens: hulpverleners vragen hier niet expliciet naar"


@dataclass(frozen=True)
class Grid:
    table_id: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    emphasis: frozenset[int] = frozenset()  # row indexes shown as a group or summary
    text_columns: int = 1  # leading columns of text (left-aligned); the rest are numbers


def pct(value: float) -> str:
    """A share as the report prints it: one decimal, a dot, a percent sign; a hidden one as its mark."""
    if isinstance(value, Hidden):
        return str(value)
    return f"{value:.1f}%"


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}".replace(",", ".")  # 1.320, as Dutch prints thousands


def in_sentence(label: str, names: frozenset[str] = frozenset()) -> str:
    """A category label in the middle of a sentence: "(ex-)partner", "vrouw of meisje"; a name keeps its capital."""
    if label in names:
        return label
    first = next((i for i, ch in enumerate(label) if ch.isalpha()), None)
    if first is None or label[first + 1 : first + 2].isupper():  # an abbreviation: LVB
        return label
    return label[:first] + label[first].lower() + label[first + 1 :]


def caption(table: Table) -> str:
    if table.kind == "years":
        return f"{table.title} — {table.population_label.lower()}"
    return f"{table.title} — {table.population_label.lower()}, {table.year} (n = {number(table.n)})"


def grid(table: Table) -> Grid:
    builder = {
        "distribution": _distribution,
        "age": _age,
        "crosstab": _crosstab,
        "months": _months,
        "years": _years,
        "flow": _flow,
        "coverage": _coverage,
    }[table.kind]
    result = builder(table)
    notes = list(result.notes)
    if table.lower_bound:
        notes.append(f"Aantallen zijn een {LOWER_BOUND}.")
    if table.n_not_coded:
        notes.append(f"Nog niet gecodeerd: {table.n_not_coded}.")
    if table.note:
        notes.append(table.note[0].upper() + table.note[1:] + ".")
    return replace(result, caption=caption(table), notes=notes)


def populations_grid(tables: list[Table]) -> Grid:
    """All populations of a year in one table: what each is, and how many cases it has."""
    rows = [
        [
            t.population_label,
            number(t.n),
            pct(t.stats["share_of_within"] if t.stats["share_of_within"] is not None else 0.0) if "share_of_within" in t.stats else "",
        ]
        for t in tables
    ]
    year = tables[0].year if tables else ""
    header = ["Populatie", "n", "% van de bovenliggende"]
    return Grid("populations", f"Populaties van de monitor, {year}", header, rows)


def _distribution(t: Table) -> Grid:
    rows: list[list[str]] = []
    emphasis: set[int] = set()
    for key, label in t.labels.items():
        if key in t.groups:
            emphasis.add(len(rows))
        rows.append([label, number(t.counts[key]), pct(t.shares[key])])
    notes = []
    if t.denominator == "named":
        notes.append(
            f"Meerdere antwoorden mogelijk; percentages over de {number(t.n)} die er minstens één noemen. "
            f"Totaal genoemd: {number(t.stats['mentions'])}."
        )
        if t.figure == "combinations":
            notes.append("Wie er meer noemt, telt hier bij elk ervan mee; de figuur hierboven telt elke combinatie apart.")
    if t.n_missing:
        counted = " (geteld als 'nee')" if t.denominator == "all" else ""
        notes.append(f"Onbekend of niet genoemd: {t.n_missing}{counted}.")
    for key, count in t.stats.items():
        if key.startswith("counted_as.") and count:
            category = t.labels.get(key.split(".", 1)[1], key).lower()
            notes.append(f"Waarvan {count} zonder genoemde vorm, geteld als {category}.")
    return Grid(t.id, "", ["", "n", "%"], rows, notes, frozenset(emphasis))


def _age(t: Table) -> Grid:
    rows = [[t.labels[b], number(t.counts[b]), pct(t.shares[b])] for b in t.labels if b not in ("minors", "young")]
    emphasis = {len(rows), len(rows) + 1}
    rows += [[t.labels[k], number(t.counts[k]), pct(t.shares[k])] for k in ("minors", "young")]
    s = t.stats
    notes = [f"Jongste {number(s['min'])}, oudste {number(s['max'])}, gemiddeld {number(s['mean'])} jaar, mediaan {number(s['median'])}."]
    if s.get("minor_at_start_extra"):
        notes.append(f"Nu meerderjarig, maar minderjarig bij de start van de uitbuiting: {s['minor_at_start_extra']}.")
    if t.n_missing:
        notes.append(f"Leeftijd onbekend: {t.n_missing}.")
    return Grid(t.id, "", ["Leeftijd", "n", "%"], rows, notes, frozenset(emphasis))


def _crosstab(t: Table) -> Grid:
    header = [f"{t.axes['rows']} ↓ {t.axes['columns']} →", *t.columns.values(), "Totaal"]
    rows = [[t.labels[r], *(number(t.cells[r][c]) for c in t.columns), number(t.counts[r])] for r in t.cells]
    notes = [f"Beide bekend bij {t.n}; onbekend bij {t.n_missing}."] if t.n_missing else []
    return Grid(t.id, "", header, rows, notes)


def _months(t: Table) -> Grid:
    rows = [[t.labels[m], number(t.counts[m])] for m in t.counts]
    return Grid(t.id, "", ["Maand van eerste chat", "n"], rows)


def _years(t: Table) -> Grid:
    header = ["", *t.columns.values()]
    rows = [[t.labels.get(r, r), *(number(t.cells[r][y]) for y in t.columns)] for r in t.cells]
    return Grid(t.id, "", header, rows, emphasis=frozenset({0}))


def _flow(t: Table) -> Grid:
    rows = [[t.labels[k], number(v), pct(t.shares[k]) if k.startswith("channel.") else ""] for k, v in t.counts.items()]
    return Grid(t.id, "", ["", "n", "% van de chats"], rows)


def _coverage(t: Table) -> Grid:
    rows = [[t.labels[k], number(v), pct(t.shares[k])] for k, v in t.counts.items()]
    return Grid(t.id, "", ["", "n", f"% van {t.n}"], rows)
