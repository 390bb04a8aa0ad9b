"""The report as a list of blocks (headings, paragraphs, bullets, tables, figures).

The Dutch text is a template (`templates/monitor-nl.md.j2`) filled from the tables; after it
come every other table of the year and the codebook's definitions. HTML, PDF and Word are
renderings of these blocks, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2

from zicht.analysis import Table, Tables
from zicht.analysis.disclosure import Hidden, Protection
from zicht.analysis.flowcheck import flow_problems
from zicht.analysis.recapture import Estimate
from zicht.analysis.themes import ThemeChapter
from zicht.codebook import Codebook
from zicht.report.figures import Figure
from zicht.report.layout import Grid, grid, in_sentence, number, pct, populations_grid


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Placeholder:
    """Where the researchers write their own text (a case vignette, the literature, the recommendations)."""

    text: str


@dataclass(frozen=True)
class Quote:
    """A passage of a chat the researchers chose to quote, redacted (`> ` in the template)."""

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


Block = Heading | Paragraph | Placeholder | Quote | Bullets | TableBlock | FigureBlock | Definition


def build_document(tables: Tables, codebook: Codebook, figures: dict[str, Figure], public: Protection | None = None,
                   unseen: Estimate | None = None, themes: Sequence[ThemeChapter] = ()) -> list[Block]:  # fmt: skip
    """The report's blocks; `public`: the tables were protected for publication, and the report says how;
    `unseen`: the estimate of the trafficking chats nobody recognised, if there is one; `themes`: each
    thematic analysis with its counts and quotes."""
    text = _render_text(tables, codebook, public, unseen, themes)
    builder = _Builder(tables, figures)
    builder.parse(text)
    builder.appendix(codebook)
    return builder.blocks


def _render_text(tables: Tables, codebook: Codebook, public: Protection | None, unseen: Estimate | None,
                 themes: Sequence[ThemeChapter]) -> str:  # fmt: skip
    template = resources.files("zicht.report") / "templates" / "monitor-nl.md.j2"
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
                             finalize=lambda v: _marked(v, isinstance(v, Hidden)))  # fmt: skip
    env.tests["hidden_count"] = lambda theme: isinstance(theme.count, Hidden)
    previous = [y for y in tables.years if y < tables.year]

    def table(table_id: str, year: int | None = None) -> Table:
        return tables.get(table_id, year)

    names = frozenset(c.label for v in codebook for c in v.categories if c.is_name)

    def label(variable_id: str, category_id: str) -> str:
        return in_sentence(codebook[variable_id].category(category_id).label, names)

    def has(table_id: str) -> bool:
        return tables.has(table_id, tables.year)

    def pl(n: object, one: str, many: str) -> str:
        return one if n == 1 else many

    return env.from_string(template.read_text("utf-8")).render(
        T=table,
        L=label,
        has=has,
        pct=lambda x: _marked(pct(x), isinstance(x, Hidden)),
        dec=lambda x: "–" if x is None else _marked(x, True) if isinstance(x, Hidden) else f"{x:.1f}",
        num=lambda x: _marked(number(x), isinstance(x, Hidden)),
        count=lambda n, one, many: _marked(f"{number(n)} {pl(n, one, many)}", isinstance(n, Hidden)),
        pl=pl,
        top=lambda table, k: _marked(top(table, k, names), any(isinstance(v, Hidden) for v in table.counts.values())),
        year=tables.year,
        prev=max(previous) if previous else None,
        codebook=codebook,
        public=public,
        unseen=unseen,
        themes={chapter.analysis.id: chapter for chapter in themes},
        quoted=quoted,
        problems=flow_problems(tables),
    )


_PICTOGRAPH = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


def quoted(text: str) -> str:
    """A passage as the report prints it: on one line, without emoji (the report's fonts lack most, and
    the PDF would show a box where a visitor put one)."""
    return " ".join(_PICTOGRAPH.sub("", text).split())


HIDDEN = "\u2063"  # an invisible separator before a number a public report hides: its sentence is left out


def _marked(text: object, hidden: bool) -> object:
    """What the template prints, marked where it holds a number a public report hides."""
    return f"{HIDDEN}{text}" if hidden else text


def without_hidden(text: str) -> str:
    """The text without the sentences that would print a hidden number ("x van hen ...").

    In a public report a sentence is not rephrased around a number it may not show: it is left
    out whole. Tables keep their cells as "<5" and "x", as the report's first page explains.
    """
    if HIDDEN not in text:
        return text
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text)
    return " ".join(s for s in sentences if HIDDEN not in s)


def top(table: Table, k: int, names: frozenset[str] = frozenset()) -> str:
    """The k most named categories, as 'a (50.0%), b (30.0%) en c (10.0%)', mid-sentence (`names` keep their capital)."""
    keys = sorted((c for c in table.counts if c not in table.groups and table.counts[c]), key=lambda c: -table.counts[c])[:k]
    parts = [f"{in_sentence(table.labels[c], names)} ({pct(table.shares[c])})" for c in keys]
    if not parts:
        return "geen"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def says_something(table: Table) -> bool:
    """A table with cases in more than one answer (or a kind that is not a list of answers)."""
    if table.kind == "years":
        return True
    if not table.n:
        return False
    if table.kind == "distribution":
        answered = [c for c, n in table.counts.items() if c not in table.groups and n]
        return len(answered) > 1
    return True


class _Builder:
    def __init__(self, tables: Tables, figures: dict[str, Figure]) -> None:
        self.tables = tables
        self.figures = figures
        self.blocks: list[Block] = []
        self.shown: set[str] = set()
        self.placed: set[str] = set()  # tables whose figure is in the report
        self.figure_count = 0
        self.table_count = 0

    def add_table(self, table: Table | Grid, figure: bool = True) -> None:
        """A table, after its figure if it has one.

        In the text, a figure of the same numbers stands for its table, and the table goes to
        the appendix; a figure of other numbers (each combination of answers) has its table
        below. The appendix (`figure=False`) shows tables only.
        """
        if figure and isinstance(table, Table) and table.id in self.figures and table.id not in self.placed:
            self.add_figure(table.id)
            if table.figure != "combinations":
                return
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
            if paragraph and (text := without_hidden(" ".join(paragraph))):
                self.blocks.append(Paragraph(text))
            paragraph.clear()
            items = tuple(item for item in map(without_hidden, bullets) if item)
            if items:
                self.blocks.append(Bullets(items))
            bullets.clear()

        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                flush()
            elif line.startswith("#"):
                flush()
                level = len(line) - len(line.lstrip("#"))
                self.blocks.append(Heading(level, line[level:].strip()))
            elif line.startswith("!!! "):
                flush()
                self.blocks.append(Placeholder(line[4:]))
            elif line.startswith("> "):
                flush()
                self.blocks.append(Quote(line[2:]))
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
        """The tables of the year not yet shown that say something, grouped by population; then the definitions.

        A table without cases, or with every case in one answer ("Ja 259 100.0%"), says nothing a
        reader needs; it stays in tables.json and the workbench.
        """
        year = self.tables.year
        self.blocks.append(Heading(1, f"Bijlage A. Tabellen {year}"))
        self.blocks.append(
            Paragraph(
                "De tabellen van de monitor die hierboven niet staan, per populatie. Percentages zijn over n; bij "
                "meerdere antwoorden over wie er minstens één noemt. Tabellen zonder gevallen of met één antwoord "
                "staan alleen in tables.json en in de werkbank."
            )
        )
        populations = [t for t in self.tables.of_year(year) if t.kind == "population"]
        self.add_table(populations_grid(populations))
        self.shown.update(t.id for t in populations)
        rest = [t for t in self.tables.of_year(year) if t.id not in self.shown and says_something(t)]
        current = None
        for table in sorted(rest, key=lambda t: (t.kind == "years", t.population_label if t.kind != "years" else "")):
            heading = "Vergelijking tussen jaren" if table.kind == "years" else table.population_label
            if heading != current:
                self.blocks.append(Heading(2, heading))
                current = heading
            self.add_table(table, figure=False)
        self.blocks.append(Heading(1, "Bijlage B. Definities"))
        for variable in codebook:
            if variable.definition:
                self.blocks.append(Definition(variable.label, variable.definition))
            for category in variable.categories:
                if category.definition:
                    self.blocks.append(Definition(f"{variable.label}: {category.label}", category.definition))
