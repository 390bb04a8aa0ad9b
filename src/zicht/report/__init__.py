"""The monitor's report: figures, tables.json, HTML / PDF / Word, and the cases as SPSS and CSV."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from zicht.analysis import Tables
from zicht.codebook import Codebook, CodedCase
from zicht.report.document import build_document
from zicht.report.figures import draw_figures
from zicht.report.render import to_docx, to_html, to_pdf
from zicht.transcripts import write_coded_csv, write_coded_sav

STEPS = ("tables.json", "figures", "report.html", "report.pdf", "report.docx", "cases.sav", "cases.csv")


def write_report(
    tables: Tables,
    cases: Sequence[CodedCase],
    codebook: Codebook,
    out: Path,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, Path]:
    """Write everything the researchers publish or hand on into `out`; returns what is where."""
    out.mkdir(parents=True, exist_ok=True)
    title = f"Onzichtbare slachtoffers van mensenhandel in {tables.year}"
    paths = {name: out / name for name in STEPS}
    progress("tables.json")
    tables.write(paths["tables.json"])
    progress("figures")
    figures = draw_figures(tables, paths["figures"])
    blocks = build_document(tables, codebook, figures)
    progress("report.html")
    html = to_html(blocks, title)
    paths["report.html"].write_text(html, "utf-8")
    progress("report.pdf")
    to_pdf(html, paths["report.pdf"])
    progress("report.docx")
    to_docx(blocks, title, paths["report.docx"])
    progress("cases.sav")
    write_coded_sav(cases, codebook, paths["cases.sav"])
    write_coded_csv(cases, codebook, paths["cases.csv"])
    return paths


__all__ = ["STEPS", "write_report"]
