"""The report's blocks as a self-contained HTML page, a PDF (WeasyPrint) and a Word file.

Word gets real headings, bullet lists and tables (not images of them), so the team can edit
the text and restyle it in their own template before publishing.
"""

from __future__ import annotations

import base64
import logging
import warnings
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from zicht.report.document import Block, Bullets, Definition, FigureBlock, Heading, Paragraph, Placeholder, TableBlock

PDF_LOGGERS = ("weasyprint", "fontTools")


def to_html(blocks: list[Block], title: str) -> str:
    template = resources.files("zicht.report") / "templates" / "report.html.j2"
    env = jinja2.Environment(autoescape=True)
    return env.from_string(template.read_text("utf-8")).render(title=title, blocks=[_html_block(b) for b in blocks])


def _html_block(block: Block) -> dict[str, Any]:
    if isinstance(block, FigureBlock):
        f = block.figure
        return {
            "kind": "figure",
            "number": block.number,
            "caption": f.caption,
            "table_id": f.table_id,
            "png": base64.b64encode(f.png.read_bytes()).decode(),
        }
    if isinstance(block, TableBlock):
        return {"kind": "table", "number": block.number, **asdict(block.grid)}
    kinds = {Heading: "heading", Paragraph: "paragraph", Placeholder: "placeholder", Bullets: "bullets", Definition: "definition"}
    kind = kinds[type(block)]
    return {"kind": kind, **asdict(block)}


def to_pdf(html: str, path: Path) -> None:
    """Print the HTML to PDF; WeasyPrint's font-subsetting chatter is kept out of the user's terminal.

    (It warns that HarfBuzz-Subset will be required one day; fontTools subsets the fonts today.)
    """
    levels = {name: logging.getLogger(name).level for name in PDF_LOGGERS}
    for name in PDF_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
            import weasyprint

            weasyprint.HTML(string=html).write_pdf(path)
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def to_docx(blocks: list[Block], title: str, path: Path) -> None:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "zicht"
    style = document.styles["Normal"]
    style.font.size = Pt(10)  # type: ignore[union-attr]
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(block.level, 3))
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Placeholder):
            run = document.add_paragraph().add_run(block.text)
            run.italic = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Definition):
            p = document.add_paragraph()
            p.add_run(block.term + ". ").bold = True
            p.add_run(block.text)
        elif isinstance(block, FigureBlock):
            document.add_picture(str(block.figure.png), width=Cm(16))
            document.add_paragraph(f"Figuur {block.number}. {block.figure.caption}", style="Caption")
        elif isinstance(block, TableBlock):
            g = block.grid
            document.add_paragraph(f"Tabel {block.number}. {g.caption}", style="Caption")
            table = document.add_table(rows=1 + len(g.rows), cols=len(g.header))
            table.style = "Light List Accent 1"
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            for j, text in enumerate(g.header):
                table.cell(0, j).text = text
            for i, row in enumerate(g.rows, start=1):
                for j, text in enumerate(row):
                    table.cell(i, j).text = text
                    if i - 1 in g.emphasis:
                        for run in table.cell(i, j).paragraphs[0].runs:
                            run.italic = True
            for note in g.notes:
                document.add_paragraph(note, style="Caption")
    document.save(str(path))
