"""The monitor's report: figures, tables.json, HTML / PDF / Word, and the cases as SPSS and CSV."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from zicht.analysis import Tables
from zicht.analysis.counted import counted_columns
from zicht.analysis.disclosure import Protection, public_json
from zicht.analysis.monitor import under_codebook
from zicht.analysis.recapture import Estimate
from zicht.analysis.themes import ThemeChapter
from zicht.codebook import Codebook, CodedCase
from zicht.report.document import build_document
from zicht.report.figures import draw_figures
from zicht.report.render import to_docx, to_html, to_pdf
from zicht.transcripts import write_coded_csv, write_coded_sav

STEPS = ("tables.json", "figures", "report.html", "report.pdf", "report.docx", "cases.sav", "cases.csv")
PUBLIC_STEPS = STEPS[:5]  # the cases are never public


def write_report(
    tables: Tables,
    cases: Sequence[CodedCase],
    codebook: Codebook,
    out: Path,
    progress: Callable[[str], None] = lambda step: None,
    public: Protection | None = None,
    unseen: Estimate | None = None,
    themes: Sequence[ThemeChapter] = (),
) -> dict[str, Path]:
    """Write everything the researchers publish or hand on into `out`; returns what is where.

    `public`: the tables were protected (`analysis.disclosure.protect`); the cases stay out.
    `unseen`: the estimate of the year's trafficking chats, found or not (`analysis.recapture`).
    `themes`: each thematic analysis with its counts and the quotes the researchers chose (`analysis.themes`).
    """
    out.mkdir(parents=True, exist_ok=True)
    title = f"Onzichtbare slachtoffers van mensenhandel in {tables.year}"
    paths = {name: out / name for name in (PUBLIC_STEPS if public else STEPS)}
    progress("tables.json")
    if public:
        paths["tables.json"].write_text(json.dumps(public_json(tables.to_json()), ensure_ascii=False, indent=1), "utf-8")
    else:
        tables.write(paths["tables.json"])
    progress("figures")
    figures = draw_figures(tables, paths["figures"])
    blocks = build_document(tables, codebook, figures, public, unseen, themes)
    progress("report.html")
    html = to_html(blocks, title)
    paths["report.html"].write_text(html, "utf-8")
    progress("report.pdf")
    to_pdf(html, paths["report.pdf"])
    progress("report.docx")
    to_docx(blocks, title, paths["report.docx"])
    if public:
        return paths
    progress("cases.sav")
    cases = under_codebook(cases, codebook)
    write_coded_sav(cases, codebook, paths["cases.sav"], beside=counted_columns(cases, codebook, tables.year))
    write_coded_csv(cases, codebook, paths["cases.csv"])
    return paths


__all__ = ["PUBLIC_STEPS", "STEPS", "write_report"]
