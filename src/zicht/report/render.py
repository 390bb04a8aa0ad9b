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

from zicht.report.document import Block, Bullets, Definition, FigureBlock, Heading, Paragraph, Placeholder, Quote, TableBlock

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
    kinds = {Heading: "heading", Paragraph: "paragraph", Placeholder: "placeholder", Bullets: "bullets", Definition: "definition",
             Quote: "quote"}  # fmt: skip
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


# The PDF's look (templates/report.html.j2), for Word
PLUM, INK, GREY, LINE, TINT = "7A1F5C", "1D1D1D", "555555", "DDDDDD", "F6EEF3"
SERIF, SANS = "DejaVu Serif", "DejaVu Sans"


def to_docx(blocks: list[Block], title: str, path: Path) -> None:
    """A Word file in Dutch on A4, in the PDF's fonts and colours, with captions above figures and tables."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Cm

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "zicht"
    document.core_properties.language = "nl-NL"
    _word_page_and_styles(document)
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(block.level, 4))
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Placeholder):
            run = document.add_paragraph().add_run(block.text)
            run.italic = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        elif isinstance(block, Quote):
            document.add_paragraph(f"“{block.text}”", style="Quote")
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Definition):
            p = document.add_paragraph()
            p.add_run(block.term + ". ").bold = True
            p.add_run(block.text)
        elif isinstance(block, FigureBlock):
            document.add_paragraph(f"Figuur {block.number}. {block.figure.caption}", style="Bijschrift")
            document.add_picture(str(block.figure.png), width=Cm(16))
        elif isinstance(block, TableBlock):
            g = block.grid
            document.add_paragraph(f"Tabel {block.number}. {g.caption}", style="Bijschrift")
            table = document.add_table(rows=1 + len(g.rows), cols=len(g.header))
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            for j, text in enumerate(g.header):
                _word_cell(table.cell(0, j), text, j < g.text_columns, bold=True, line=(PLUM, 12))
            for i, row in enumerate(g.rows, start=1):
                for j, text in enumerate(row):
                    _word_cell(table.cell(i, j), text, j < g.text_columns, italic=i - 1 in g.emphasis,
                               shade=TINT if i - 1 in g.emphasis else None)  # fmt: skip
            for note in g.notes:
                document.add_paragraph(note, style="Toelichting")
    document.save(str(path))


def _word_page_and_styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(2.0)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in defaults.findall(qn("w:lang")):
        defaults.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nl-NL")
    lang.set(qn("w:eastAsia"), "nl-NL")
    defaults.append(lang)

    def font(style: Any, name: str, size: float, colour: str, bold: bool | None = None) -> None:
        style.font.name, style.font.size, style.font.color.rgb = name, Pt(size), RGBColor.from_string(colour)
        style.font.bold = bold
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font wins over a name
            fonts.attrib.pop(qn(attribute), None)

    font(document.styles["Normal"], SERIF, 10.5, INK)
    for level, size in ((1, 17), (2, 13), (3, 11), (4, 10)):
        font(document.styles[f"Heading {level}"], SANS, size, PLUM, bold=True)
    document.styles["Heading 4"].font.italic = False  # Word's own is italic blue: the PDF's theme headings are plain
    quote = document.styles["Quote"]  # a chosen passage, indented as the PDF's blockquote
    font(quote, SERIF, 10.5, INK)
    quote.font.italic = True
    quote.paragraph_format.left_indent = Cm(1)
    document.styles["Heading 1"].paragraph_format.page_break_before = True  # each chapter on a new page, as in the PDF
    caption = document.styles.add_style("Bijschrift", WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = document.styles["Normal"]
    font(caption, SANS, 9, INK, bold=True)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(10), Pt(3)
    note = document.styles.add_style("Toelichting", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = document.styles["Normal"]
    font(note, SANS, 8, GREY, bold=False)
    note.paragraph_format.space_after = Pt(1)


def _word_cell(cell: Any, text: str, is_text: bool, bold: bool = False, italic: bool = False,
               line: tuple[str, int] = (LINE, 4), shade: str | None = None) -> None:  # fmt: skip
    """One cell as the PDF draws it: sans 9 pt, numbers right, a line under it (the header's plum)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if is_text else WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = SANS, Pt(9), bold, italic
    paragraph.paragraph_format.space_after = Pt(0)
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(line[1])), ("w:color", line[0])):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)
    if shade:
        fill = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", shade)):
            fill.set(qn(key), value)
        properties.append(fill)
