"""The report's figures (matplotlib): bars of a distribution, months side by side across years.

Sized for an A4 page at print size (16 cm wide, 9 pt and up); n is in every caption and
on the figure itself, so a figure copied out of the report still says what it counts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display, ever: the report is written on servers and in tests

import matplotlib.pyplot as plt
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from zicht.analysis import Table, Tables
from zicht.analysis.counted import combination_label
from zicht.report.layout import caption, pct

WIDTH_IN = 6.3  # 16 cm
COLOURS = ("#7a1f5c", "#c9a0bd", "#3b6e8f", "#a9c6d8")  # main year first
plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",  # text stays text in the SVG
        "svg.hashsalt": "zicht",  # the same figure gives the same file
    }
)


@dataclass(frozen=True)
class Figure:
    table_id: str
    caption: str
    png: Path
    svg: Path


def draw_figures(tables: Tables, folder: Path) -> dict[str, Figure]:
    """A PNG and an SVG for every table of the main year marked `figure`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for table in tables.of_year(tables.year):
        if not drawn(table):
            continue
        figure = draw(tables, table)
        stem = folder / table.id.replace(".", "-")
        png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
        tight = _tight(figure)
        figure.savefig(png, dpi=200, bbox_inches=tight)
        figure.savefig(svg, bbox_inches=tight, metadata={"Date": None})
        plt.close(figure)
        out[table.id] = Figure(table.id, _figure_caption(table), png, svg)
    return out


def drawn(table: Table) -> bool:
    """Whether the table gets a figure: it asks for one, and has more than one answer to show."""
    if not table.figure:
        return False
    return table.figure == "months" or sum(1 for _, count, _ in _bars_of(table) if count) >= 2  # else a sentence says it better


def draw(tables: Tables, table: Table) -> MplFigure:
    return _months(tables, table) if table.figure == "months" else _bars(table, _bars_of(table))


def _tight(figure: MplFigure) -> Bbox:
    """The figure's own extent and the margin `bbox_inches="tight"` gives, laid out once for both formats
    ("tight" lays out each file again before drawing it: a third of the figures' time)."""
    return figure.get_tightbbox().padded(plt.rcParams["savefig.pad_inches"])


def svg(tables: Tables, table: Table) -> bytes:
    """One figure as SVG, for the workbench's monitor page."""
    figure = draw(tables, table)
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return out.getvalue()


Bar = tuple[str, int, float]  # label, count, share


def _figure_caption(table: Table) -> str:
    """A figure of each exact combination says so: its "only sexual" is not the table's "sexual" beside it."""
    if table.figure != "combinations":
        return caption(table)
    return f"{table.title}, elke combinatie apart — " + caption(table).split(" — ", 1)[1]


def _bars_of(table: Table) -> list[Bar]:
    return _combinations(table) if table.figure == "combinations" else _categories(table)


def _categories(table: Table) -> list[Bar]:
    return [(table.labels[k], table.counts[k], table.shares[k]) for k in table.labels if k in table.counts and k not in table.groups]


def _combinations(table: Table) -> list[Bar]:
    """Each exact set of answers (`only.sexual+criminal`) as one bar, as Figuur 1 shows the forms."""
    bars = []
    for key, count in table.stats.items():
        if key.startswith("only.") and count:
            label = combination_label([table.labels[c] for c in key[5:].split("+")])
            bars.append((label, int(count), 100 * int(count) / table.n if table.n else 0.0))
    return bars


def _bars(table: Table, bars: list[Bar]) -> MplFigure:
    """Horizontal bars, largest on top, with count and share at the end of each bar."""
    bars = sorted(bars, key=lambda b: b[1])
    height = 0.9 + 0.28 * len(bars)
    figure, ax = plt.subplots(figsize=(WIDTH_IN, height))
    values = [count for _, count, _ in bars]
    drawn = ax.barh([label for label, _, _ in bars], values, color=COLOURS[0])
    for bar, (_, count, share) in zip(drawn, bars, strict=True):
        ax.annotate(
            f"{count} ({pct(share)})",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
        )
    ax.set_xlim(0, max([*values, 1]) * 1.25)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts of people: no half visitors on the axis
    ax.set_xlabel("aantal bezoekers")
    ax.set_title(f"n = {table.n}" + (" (ondergrens)" if table.lower_bound else ""), loc="left", fontsize=9)
    return figure


def _months(tables: Tables, table: Table) -> MplFigure:
    """Cases per month, every year of the run side by side (Figuur 17, 18)."""
    years = sorted(y for y in tables.years if tables.has(table.id, y))
    figure, ax = plt.subplots(figsize=(WIDTH_IN, 2.8))
    width = 0.8 / len(years)
    months = list(table.labels.values())
    for i, year in enumerate(years):
        of_year = tables.get(table.id, year)
        counts = list(of_year.counts.values())  # a month hidden in a public report is not drawn
        offset = (i - (len(years) - 1) / 2) * width
        colour = COLOURS[0] if year == tables.year else COLOURS[1 + i % (len(COLOURS) - 1)]
        ax.bar([m + offset for m in range(12)], counts, width, label=f"{year} (n = {of_year.n})", color=colour)
    ax.set_xticks(range(12), months)
    ax.set_ylabel("aantal slachtoffers")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, loc="upper left", ncols=len(years))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.15)
    return figure
