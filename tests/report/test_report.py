"""The report: every table in HTML, PDF and Word; figures with n; SPSS with the codebook's labels."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import cast

import docx
import pypdfium2
import pyreadstat
import pytest

from zicht.analysis import Table, Tables, builtin_definition, monitor
from zicht.analysis.counted import combination_label
from zicht.analysis.populations import members
from zicht.analysis.themes import Passage, ThemeChapter, theme_chapter
from zicht.codebook import load_codebook
from zicht.errors import Problem
from zicht.report import write_report
from zicht.report.document import quoted, says_something
from zicht.synth import Corpus, generate
from zicht.transcripts import read_coded

pytestmark = pytest.mark.long  # a minute or more: handed to a worker first (tests/conftest.py)

BOOK = load_codebook("nl-2020")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    years = {year: generate(year, 0) for year in (2019, 2020)}
    flows = {y: c.flow() for y, c in years.items()}
    tables = monitor(years[2020].cases, BOOK, 2020, compare={2019: years[2019].cases}, flows=flows)
    return write_report(tables, years[2020].cases, BOOK, tmp_path_factory.mktemp("report"), themes=_themes(years[2020], tables))


def _themes(corpus: Corpus, tables: Tables) -> list[ThemeChapter]:
    """Chapter 4's themes with the synthetic researchers' passages (`zicht themes import` stores them so, redacted)."""
    analysis = builtin_definition(BOOK.id).themes["corona"]
    visitor = {chat: case.visitor_id for case in corpus.cases for chat in case.conversation_ids}
    passages = [Passage("corona", p["theme"], visitor[p["conversation_id"]], p["conversation_id"], p["message"], p["start"], p["end"],
                        p["text"], bool(p["quote"])) for p in corpus.passages]  # fmt: skip
    return [theme_chapter(analysis, tables, BOOK, passages, members(corpus.cases, BOOK, 2020, analysis.population))]


def _table_ids(report: dict[str, Path]) -> set[str]:
    return {t["id"] for t in json.loads(report["tables.json"].read_text("utf-8"))["tables"]}


def _pdf_text(path: Path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def _html_text(path: Path) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", path.read_text("utf-8"), flags=re.S))


def _shown_ids(html: str) -> set[str]:
    return set(re.findall(r'data-table="([\w.+-]+)"', html))


def test_every_table_that_says_something_is_in_the_report_and_none_that_says_nothing(report: dict[str, Path]) -> None:
    """A table with cases in two or more answers is in the text or the appendix, as a table or its figure; a
    table without cases or with one answer ("Ja 259 100.0%") stays in tables.json and the workbench."""
    tables = [t for t in json.loads(report["tables.json"].read_text("utf-8"))["tables"] if t["year"] == 2020]
    shown = _shown_ids(report["report.html"].read_text("utf-8"))
    telling = {t["id"] for t in tables if says_something(Table(**t))}
    assert len(telling) > 60
    assert telling - {"population." + p for p in builtin_definition(BOOK.id).populations} <= shown
    silent = {t["id"] for t in tables if not says_something(Table(**t)) and t["kind"] != "population"}
    assert silent and not silent & shown
    captions = {name: len(re.findall(r"(?m)^(?:Tabel|Figuur) \d+\. ", text)) for name, text in
                (("pdf", _pdf_text(report["report.pdf"])), ("docx", _docx_text(report["report.docx"])))}  # fmt: skip
    on_the_page = len(re.findall(r'class="caption"|<figcaption>', report["report.html"].read_text("utf-8")))
    assert captions["pdf"] == captions["docx"] == on_the_page, "the PDF and the Word file show what the page shows"


def test_no_internal_codes_in_the_text_of_the_pdf_word_file_or_page(report: dict[str, Path]) -> None:
    """No table ids ("[all.form]"), no rule codes ("R4", "(R6)"), no "slachtoffer(s)": the rules are a paragraph in words."""
    for name, text in (("pdf", _pdf_text(report["report.pdf"])), ("docx", _docx_text(report["report.docx"])),
                       ("html", _html_text(report["report.html"]))):  # fmt: skip
        flat = " ".join(text.split())
        assert not re.findall(r"\[[\w.+-]+\]", flat), name
        assert not re.findall(r"\bR\d\b", flat), name
        assert not re.findall(r"\w\(s\)", flat), name
        assert "Hoe er is geteld." in flat and "geteld als seksuele uitbuiting" in flat, name


def _body_paragraphs(path: Path) -> list[str]:
    """The Word file's own text: paragraphs and bullets up to the appendix, without headings, captions and notes."""
    out = []
    for p in docx.Document(str(path)).paragraphs:
        style = p.style.name if p.style is not None else ""
        if style.startswith("Heading") and p.text.startswith("Bijlage"):
            break
        if not style.startswith(("Heading", "Bijschrift", "Toelichting")) and p.text.strip():  # not the tables' captions and notes
            out.append(p.text)
    return out


def test_the_text_reads_as_an_editor_writes_dutch(report: dict[str, Path]) -> None:
    paragraphs = _body_paragraphs(report["report.docx"])
    assert len(paragraphs) > 20
    text = " ".join(paragraphs)
    starts = re.findall(r"(?:^|[.!?] )(\d[\d.,]*%?) ", text)
    assert not starts, "no sentence starts with a numeral"
    assert not re.search(r"\(\([^)]*\)\)|\)\)", text), "no double brackets"
    assert "slachtoffer (88.7%), sociale omgeving (4.6%)" in text, "labels in lower case mid-sentence"
    assert "de meest genoemde plaatsen zijn Instagram (38.2%)" in text, "a name keeps its capital"
    assert "van de 1.320 geschatte minderjarige slachtoffers" in text, "thousands with a dot"


def test_the_report_has_the_chapters_of_the_original_and_places_for_the_researchers_text(report: dict[str, Path]) -> None:
    document = docx.Document(str(report["report.docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    for chapter in ("1. Inleiding", "2. Onderzoeksverantwoording", "3. Slachtoffers van mensenhandel in beeld",
                    "3.1 Slachtoffers van seksuele uitbuiting", "3.2 Slachtoffers van criminele uitbuiting", "3.3 Resumé",
                    "4. De effecten van de coronacrisis op mensenhandel", "5. Conclusie", "6. Aanbevelingen"):  # fmt: skip
        assert chapter in headings
    assert headings.index("1. Inleiding") < headings.index("3.3 Resumé") < headings.index("6. Aanbevelingen")
    marked = [p.text for p in document.paragraphs if any(r.font.highlight_color for r in p.runs)]
    assert len(marked) >= 8 and all(p.startswith(("In te vullen door de onderzoekers", "Casus (in te vullen")) for p in marked)
    html = report["report.html"].read_text("utf-8")
    assert html.count('class="placeholder"') == len(marked)


def test_chapter_4_gives_each_theme_its_count_and_the_quotes_the_researchers_chose_in_every_format(report: dict[str, Path]) -> None:
    counts = next(t for t in json.loads(report["tables.json"].read_text("utf-8"))["tables"] if t["id"] == "corona.corona_themes")
    corpus = generate(2020, 0)
    chosen = {p["theme"]: [] for p in corpus.passages}
    for p in corpus.passages:
        if p["quote"]:
            chosen[p["theme"]].append(quoted(p["text"]))
    document = docx.Document(str(report["report.docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 4"]
    quotes = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Quote"]
    pdf, html = " ".join(_pdf_text(report["report.pdf"]).split()), report["report.html"].read_text("utf-8")
    for category in BOOK["corona_themes"].categories:
        n = counts["counts"][category.id]
        assert category.label in headings and f"Dit thema komt naar voren in {n} chatgesprekken." in pdf
        for text in chosen[category.id]:
            assert f"“{text}”" in quotes and f"“{text}”" in pdf and f"<blockquote>“{text}”</blockquote>" in html
    assert len(quotes) == sum(len(q) for q in chosen.values()) > 6
    assert not re.search("[\U0001f300-\U0001faff]", " ".join(quotes)), "no emoji the PDF's fonts would print as a box"


def test_a_public_report_quotes_no_passage_beside_a_theme_count_it_hides(public_report: dict[str, Path]) -> None:
    counts = next(t for t in json.loads(public_report["tables.json"].read_text("utf-8"))["tables"] if t["id"] == "corona.corona_themes")
    hidden = {c for c, n in counts["counts"].items() if n == "<5"}
    shown = set(counts["counts"]) - hidden
    assert hidden and shown
    text = " ".join(_docx_text(public_report["report.docx"]).split())
    corpus = generate(2020, 0)
    for p in corpus.passages:
        if p["quote"]:
            assert (f"“{quoted(p['text'])}”" in text) == (p["theme"] in shown), p
    assert "in te weinig gesprekken om het aantal of een citaat te publiceren" in text


def test_figure_1_and_the_table_below_it_say_which_count_they_give(report: dict[str, Path]) -> None:
    """259 (91.5%) sexual exploitation only in the figure, 271 (95.8%) with the combinations in the table."""
    flat = " ".join(_pdf_text(report["report.pdf"]).split())
    assert re.search(r"Figuur 1\. Vormen van uitbuiting, elke combinatie apart", flat)
    assert "Wie er meer noemt, telt hier bij elk ervan mee; de figuur hierboven telt elke combinatie apart." in flat
    assert "komt praten over alleen seksuele uitbuiting" in flat and "in 95.8% van de gesprekken (ook) over seksuele uitbuiting" in flat


def test_word_has_real_headings_and_tables_to_edit(report: dict[str, Path]) -> None:
    document = docx.Document(str(report["report.docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "3.1 Slachtoffers van seksuele uitbuiting" in headings
    assert len(document.tables) > 100
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["(Ex-)partner", "120", "62.2%"] in rows, "sexual.perpetrator, in the appendix (its figure is in 3.1)"


def test_word_is_dutch_on_a4_in_the_pdfs_look_with_captions_above_figures(report: dict[str, Path]) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = docx.Document(str(report["report.docx"]))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (Cm(21).cm, Cm(29.7).cm)
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nl-NL"
    assert document.styles["Normal"].font.name == "DejaVu Serif"
    assert document.styles["Heading 1"].font.name == "DejaVu Sans" and str(document.styles["Heading 1"].font.color.rgb) == "7A1F5C"
    paragraphs = document.paragraphs
    pictures = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//pic:pic")]
    assert len(pictures) >= 10
    assert all(paragraphs[i - 1].text.startswith("Figuur ") for i in pictures), "the caption above the figure, as in the original"
    styles = {p.style.name for p in paragraphs if p.style is not None}
    assert "Caption" not in styles, "no bold blue notes"
    notes = [p for p in paragraphs if p.style is not None and p.style.name == "Toelichting"]
    assert notes and not any(r.bold for p in notes for r in p.runs)


def test_the_text_has_the_numbers_filled_in(report: dict[str, Path]) -> None:
    text = _pdf_text(report["report.pdf"])
    flat = " ".join(text.split())
    assert "Het overgrote deel (91.5%) van de bezoekers" in flat
    assert "In 2020 kwamen in totaal 259 bezoekers op de chat om te praten over seksuele uitbuiting" in flat
    assert "Tussen 1 maart en 31 december 2020 kwamen 193 acuut onveilige slachtoffers" in flat
    assert "ondergrens" in flat, "lower bounds are marked (R6)"


def test_html_is_self_contained(report: dict[str, Path]) -> None:
    html = report["report.html"].read_text("utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html), "nothing is fetched when the report is opened"
    assert html.count("data:image/png;base64,") >= 5


def test_every_figure_exists_as_png_and_svg_with_n_in_its_caption(report: dict[str, Path]) -> None:
    tables = json.loads(report["tables.json"].read_text("utf-8"))["tables"]
    pngs = {p.stem for p in report["figures"].glob("*.png")}
    svgs = {p.stem for p in report["figures"].glob("*.svg")}
    assert pngs == svgs and {"all-form", "all-platform", "criminal-perpetrator", "sexual_in_exploitation-by_month"} <= pngs
    html = report["report.html"].read_text("utf-8")
    for table in tables:
        placed = '<figure id="figuur-' in html and f'data-table="{table["id"]}"><figcaption>' in html
        if table["id"].replace(".", "-") in pngs and table["year"] == 2020 and placed:  # one the text does not place stays in figures/
            figure = rf"<figure [^>]*data-table=\"{re.escape(table['id'])}\"><figcaption>Figuur \d+\. [^<]*\(n = {table['n']}\)"
            assert re.search(figure, html)


def test_the_sav_round_trips_with_the_codebooks_labels(report: dict[str, Path]) -> None:
    _, meta = pyreadstat.read_sav(str(report["cases.sav"]), user_missing=True)
    assert meta.column_names_to_labels["victim_gender"] == BOOK["victim_gender"].label
    assert meta.variable_value_labels["victim_gender"][1] == BOOK["victim_gender"].categories[0].label
    assert meta.column_names_to_labels["coercion.violence"] == "Dwangmiddelen: Geweld", "multi-response as dichotomies"
    read = [item for item in read_coded(report["cases.sav"], BOOK)]
    assert not [p for p in read if isinstance(p, Problem)]
    by_id = {case.visitor_id: case for _, case in read}  # type: ignore[misc]
    original = {case.visitor_id: case for case in generate(2020, 0).cases}
    assert by_id == original


def test_the_sav_has_what_spss_users_need(report: dict[str, Path]) -> None:
    """Whole-number formats for codes, measurement levels, the start month as an SPSS date, and no
    "niet gecodeerd" declared where no case holds it (it would widen every code to two digits)."""
    frame, meta = pyreadstat.read_sav(str(report["cases.sav"]), user_missing=True, extra_date_formats=["MOYR"])
    formats, levels = meta.original_variable_types, meta.variable_measure
    assert formats["victim_gender"] == formats["form.sexual"] == formats["in_sexual"] == "F1.0"
    assert formats["victim_age"] == "F2.0" and levels["victim_age"] == "scale"
    assert levels["victim_gender"] == "nominal" and levels["duration"] == "ordinal", "durations are ordered stretches of time"
    assert formats["exploitation_start"] == "MOYR8" and levels["exploitation_start"] == "scale"
    start = frame["exploitation_start"].dropna()
    assert len(start) > 50 and all(d.day == 1 for d in start), "a month is an SPSS date on its first day"
    assert not meta.missing_ranges, "the synthetic year is coded throughout"


def _pspp_frequencies(sav: Path, population: str, variables: list[str], tmp: Path) -> dict[str, dict[str, int]]:
    """What PSPP's FREQUENCIES counts, per variable label and value label, over one population."""
    syntax = tmp / "frequencies.sps"
    syntax.write_text(f"GET FILE='{sav}'.\nFILTER BY {population}.\nFREQUENCIES {' '.join(variables)}.\n", "utf-8")
    done = subprocess.run(["pspp", "-O", "format=csv", str(syntax)], capture_output=True, text=True, check=True, timeout=120)
    counts: dict[str, dict[str, int]] = {}
    table = ""
    for row in csv.reader(done.stdout.splitlines()):
        if row and row[0].startswith("Table: "):
            table = row[0].removeprefix("Table: ")
        elif len(row) > 2 and row[0] in ("Valid", "") and row[1] and table != "Statistics":
            counts.setdefault(table, {})[row[1]] = int(row[2])
    return counts


NO_PSPP = not shutil.which("pspp") and os.environ.get("ZICHT_PSPP_TESTS") != "required"  # `make test` installs it and requires this test


@pytest.mark.skipif(NO_PSPP, reason="no pspp (Debian's GNU PSPP): `make test` installs it")
def test_pspp_redoes_figure_1_and_three_tables_of_3_1_from_the_sav(report: dict[str, Path], tmp_path: Path) -> None:
    """An SPSS user with cases.sav alone gets the report's counts: the form as counted (R4) and a 0/1 per population."""
    tables = {t["id"]: t for t in json.loads(report["tables.json"].read_text("utf-8"))["tables"] if t["year"] == 2020}
    form = tables["all.form"]
    figure_1 = {_figure_label(form, key[5:]): count for key, count in form["stats"].items() if key.startswith("only.") and count}
    assert figure_1 == {
        "Seksuele uitbuiting": 259, "Criminele uitbuiting": 11, "Seksuele uitbuiting en criminele uitbuiting": 12, "Arbeidsuitbuiting": 1,
    }  # fmt: skip
    counted = _pspp_frequencies(report["cases.sav"], "in_all", ["counted_form"], tmp_path)
    assert counted == {"Vorm van mensenhandel zoals geteld: de combinatie": figure_1}
    section = ["sexual.victim_gender", "sexual.duration", "sexual.perpetrator"]
    counted = _pspp_frequencies(report["cases.sav"], "in_sexual", [tables[t]["variable"] for t in section], tmp_path)
    for table_id in section:
        t = tables[table_id]
        expected = {t["labels"][c]: n for c, n in t["counts"].items() if c not in t["groups"] and n}
        assert counted[BOOK[t["variable"]].label] == expected, table_id
        assert sum(expected.values()) == t["n"], "FREQUENCIES' valid cases are the table's n"


def _figure_label(table: dict[str, object], combination: str) -> str:
    labels = cast(dict[str, str], table["labels"])
    return combination_label([labels[c] for c in combination.split("+")])


def test_a_project_with_a_handful_of_cases_gets_a_report_too(tmp_path: Path) -> None:
    """Early in a year, or in a small helpline: empty populations print '–', never crash the report."""
    cases = [c for c in generate(2020, 0).cases if c.values["form"] in ({"criminal"}, frozenset({"labour"}))][:3]
    tables = monitor(cases, BOOK, 2020)
    paths = write_report(tables, cases, BOOK, tmp_path)
    text = " ".join(_pdf_text(paths["report.pdf"]).split())
    assert "In 2020 kwamen in totaal 0 bezoekers op de chat om te praten over seksuele uitbuiting" in text
    assert "De gemiddelde leeftijd is – jaar" in text
    assert _shown_ids(paths["report.html"].read_text("utf-8")) - {"populations"} <= _table_ids(paths)


@pytest.fixture(scope="module")
def public_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from zicht.analysis.disclosure import protect

    years = {year: generate(year, 0) for year in (2019, 2020)}
    flows = {y: c.flow() for y, c in years.items()}
    tables = monitor(years[2020].cases, BOOK, 2020, compare={2019: years[2019].cases}, flows=flows)
    public, protection = protect(tables, 5)
    return write_report(public, years[2020].cases, BOOK, tmp_path_factory.mktemp("public"), public=protection,
                        themes=_themes(years[2020], public))  # fmt: skip


def test_a_public_report_leaves_out_a_sentence_whose_number_it_hides_and_shows_the_chats_language(tmp_path: Path) -> None:
    """The text never reads "x van de 283 gesprekken": such a sentence goes; a count about the chat (its language) is not
    hidden for its small complement, as the published report printed 282 of 283 in Dutch."""
    from zicht.analysis.disclosure import protect

    years = {year: generate(year, 0) for year in (2019, 2020)}
    tables = monitor(years[2020].cases, BOOK, 2020, compare={2019: years[2019].cases}, flows={y: c.flow() for y, c in years.items()})
    public, protection = protect(tables, 5, builtin_definition(BOOK.id).about_the_chat)
    paths = write_report(public, years[2020].cases, BOOK, tmp_path, public=protection)
    text = " ".join(_body_paragraphs(paths["report.docx"])[2:])  # after the public version's own explanation
    assert "Van de 283 gesprekken zijn er 282 in het Nederlands gevoerd." in text
    assert not re.search(r"(?<![\w\"])(x|<5)(?![\w\"])", text), "no hidden number in a sentence"
    assert "Het overgrote deel (91.5%) van de bezoekers" in text and len(text) > 3000, "the rest of the text stays"
    assert "\u2063" not in paths["report.html"].read_text("utf-8")


def test_a_public_report_hides_small_counts_says_so_and_holds_no_cases(public_report: dict[str, Path]) -> None:
    folder = public_report["tables.json"].parent
    assert not (folder / "cases.sav").exists() and not (folder / "cases.csv").exists()
    for name, text in (("report.pdf", _pdf_text(public_report["report.pdf"])), ("report.docx", _docx_text(public_report["report.docx"]))):
        assert "Dit is de openbare versie" in text and "<5" in text, name
    tables = json.loads(public_report["tables.json"].read_text("utf-8"))["tables"]
    assert any("<5" in t["counts"].values() for t in tables)
    html = public_report["report.html"].read_text("utf-8")
    assert "&lt;5" in html and "<5<" not in html  # printed as text, never as markup


# A 1 to 4 standing alone: not a label's "1 tot 2 jaar", "3 maanden", "1 maart", nor "van 1 tot en met 4".
SMALL_COUNT = re.compile(r"(?<![\w.,<])(?<!met )[1-4](?![\d.,%])(?! tot )(?! maanden)(?! maart)(?! jaar)")


def _small_counts(text: str) -> list[str]:
    text = " ".join(text.split())
    return [text[max(0, m.start() - 40) : m.end() + 30] for m in SMALL_COUNT.finditer(text)]


def test_no_count_from_1_to_4_is_printed_in_the_public_pdf_word_file_page_or_figures(public_report: dict[str, Path]) -> None:
    import html

    page = public_report["report.html"].read_text("utf-8")
    visible = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", page, flags=re.S)))
    pdf = pypdfium2.PdfDocument(str(public_report["report.pdf"]))
    pages = [p.get_textpage().get_text_range().splitlines() for p in pdf]
    texts = {
        "report.html": visible,
        "report.docx": _docx_text(public_report["report.docx"]),
        **{f"report.pdf p. {i}": "\n".join(lines[:-1] if lines[-1].strip() == str(i) else lines) for i, lines in enumerate(pages, 1)},
    }
    assert {name: found for name, text in texts.items() if (found := _small_counts(text))} == {}
    svgs = [svg.read_text("utf-8") for svg in public_report["figures"].glob("*.svg")]
    labels = [html.unescape(text) for svg in svgs for text in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    bars = [int(m.group(1)) for label in labels if (m := re.fullmatch(r"\s*(\d+) \(\d+[.,]\d%\)\s*", label))]
    assert bars and not [n for n in bars if 0 < n < 5], "a bar labelled with a small count"
