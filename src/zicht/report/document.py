"""The report as a list of blocks (headings, paragraphs, bullets, tables, figures).

The Dutch text is a template (`templates/monitor-nl.md.j2`) filled from the tables; after it
come every other table of the year and the codebook's definitions. HTML, PDF and Word are
renderings of these blocks, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import jinja2

from zicht.analysis import Table, Tables
from zicht.analysis.disclosure import Hidden, Protection
from zicht.analysis.flowcheck import flow_problems
from zicht.codebook import Codebook
from zicht.report.figures import Figure
from zicht.report.layout import Grid, grid, number, pct, populations_grid


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    number: int
    grid: Grid


@dataclass(frozen=True)
class FigureBlock:
    number: int
    figure: Figure


@dataclass(frozen=True)
class Definition:
    term: str
    text: str


Block = Heading | Paragraph | Bullets | TableBlock | FigureBlock | Definition


def build_document(tables: Tables, codebook: Codebook, figures: dict[str, Figure], public: Protection | None = None) -> list[Block]:
    """The report's blocks; `public`: the tables were protected for publication, and the report says how."""
    text = _render_text(tables, codebook, public)
    builder = _Builder(tables, figures)
    builder.parse(text)
    builder.appendix(codebook)
    return builder.blocks


def _render_text(tables: Tables, codebook: Codebook, public: Protection | None) -> str:
    template = resources.files("zicht.report") / "templates" / "monitor-nl.md.j2"
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    previous = [y for y in tables.years if y < tables.year]

    def table(table_id: str, year: int | None = None) -> Table:
        return tables.get(table_id, year)

    def label(variable_id: str, category_id: str) -> str:
        return codebook[variable_id].category(category_id).label

    return env.from_string(template.read_text("utf-8")).render(
        T=table,
        L=label,
        pct=pct,
        dec=lambda x: "–" if x is None else number(x) if isinstance(x, Hidden) else f"{x:.1f}",
        num=number,
        top=top,
        year=tables.year,
        prev=max(previous) if previous else None,
        codebook=codebook,
        public=public,
        problems=flow_problems(tables),
    )


def top(table: Table, k: int) -> str:
    """The k most named categories, as 'A (50.0%), B (30.0%) en C (10.0%)'."""
    keys = sorted((c for c in table.counts if c not in table.groups and table.counts[c]), key=lambda c: -table.counts[c])[:k]
    parts = [f"{table.labels[c]} ({pct(table.shares[c])})" for c in keys]
    if not parts:
        return "geen"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


class _Builder:
    def __init__(self, tables: Tables, figures: dict[str, Figure]) -> None:
        self.tables = tables
        self.figures = figures
        self.blocks: list[Block] = []
        self.shown: set[str] = set()
        self.placed: set[str] = set()  # tables whose figure is in the report
        self.figure_count = 0
        self.table_count = 0

    def add_table(self, table: Table | Grid) -> None:
        """A table, after its figure if it has one: a figure is never drawn and then left out."""
        if isinstance(table, Table) and table.id in self.figures and table.id not in self.placed:
            self.add_figure(table.id)
        self.table_count += 1
        g = table if isinstance(table, Grid) else grid(table)
        self.blocks.append(TableBlock(self.table_count, g))
        self.shown.add(g.table_id)

    def add_figure(self, table_id: str) -> None:
        if table_id not in self.figures:
            return  # nothing to draw (a single answer)
        self.placed.add(table_id)
        self.figure_count += 1
        self.blocks.append(FigureBlock(self.figure_count, self.figures[table_id]))

    def parse(self, text: str) -> None:
        paragraph: list[str] = []
        bullets: list[str] = []

        def flush() -> None:
            if paragraph:
                self.blocks.append(Paragraph(" ".join(paragraph)))
                paragraph.clear()
            if bullets:
                self.blocks.append(Bullets(tuple(bullets)))
                bullets.clear()

        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                flush()
            elif line.startswith("#"):
                flush()
                level = len(line) - len(line.lstrip("#"))
                self.blocks.append(Heading(level, line[level:].strip()))
            elif line.startswith("::: "):
                flush()
                kind, _, table_id = line[4:].partition(" ")
                if kind == "table":
                    self.add_table(self.tables.get(table_id))
                else:
                    raise ValueError(f"report template: unknown directive {line!r}")
            elif line.startswith("- "):
                if paragraph:
                    flush()
                bullets.append(line[2:])
            elif bullets:
                bullets[-1] += " " + line
            else:
                paragraph.append(line)
        flush()

    def appendix(self, codebook: Codebook) -> None:
        """Every table of the year not yet shown, grouped by population; then the definitions."""
        year = self.tables.year
        self.blocks.append(Heading(1, f"Bijlage A. Alle tabellen {year}"))
        self.blocks.append(
            Paragraph(
                "Alle tabellen van de monitor die hierboven niet staan, per populatie. Het nummer tussen haken is "
                "de id van de tabel in tables.json. Percentages zijn over n; bij meerdere antwoorden over wie er "
                "minstens één noemt."
            )
        )
        populations = [t for t in self.tables.of_year(year) if t.kind == "population"]
        self.add_table(populations_grid(populations))
        self.shown.update(t.id for t in populations)
        rest = [t for t in self.tables.of_year(year) if t.id not in self.shown]
        empty = [t for t in rest if t.kind == "distribution" and not (t.n or t.n_missing or t.n_not_coded)]
        rest = [t for t in rest if t not in empty]
        current = None
        for table in sorted(rest, key=lambda t: (t.kind == "years", t.population_label if t.kind != "years" else "")):
            heading = "Vergelijking tussen jaren" if table.kind == "years" else table.population_label
            if heading != current:
                self.blocks.append(Heading(2, heading))
                current = heading
            self.add_table(table)
        if empty:
            self.blocks.append(Heading(2, "Tabellen zonder gevallen"))
            self.blocks.append(
                Paragraph("De variabele is in deze populaties nergens van toepassing: " + ", ".join(f"[{t.id}]" for t in empty) + ".")
            )
            self.shown.update(t.id for t in empty)
        self.blocks.append(Heading(1, f"Bijlage B. Definities (codeboek {codebook.id})"))
        for variable in codebook:
            if variable.definition:
                self.blocks.append(Definition(variable.label, variable.definition))
            for category in variable.categories:
                if category.definition:
                    self.blocks.append(Definition(f"{variable.label}: {category.label}", category.definition))
