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

from zicht.analysis import monitor
from zicht.analysis.counted import combination_label
from zicht.codebook import load_codebook
from zicht.errors import Problem
from zicht.report import write_report
from zicht.synth import generate
from zicht.transcripts import read_coded

BOOK = load_codebook("nl-2020")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    years = {year: generate(year, 0) for year in (2019, 2020)}
    flows = {y: c.flow() for y, c in years.items()}
    tables = monitor(years[2020].cases, BOOK, 2020, compare={2019: years[2019].cases}, flows=flows)
    return write_report(tables, years[2020].cases, BOOK, tmp_path_factory.mktemp("report"))


def _table_ids(report: dict[str, Path]) -> set[str]:
    return {t["id"] for t in json.loads(report["tables.json"].read_text("utf-8"))["tables"]}


def _pdf_text(path: Path) -> str:
    pdf = pypdfium2.PdfDocument(str(path))
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_every_table_of_tables_json_is_in_the_pdf_and_the_word_file(report: dict[str, Path]) -> None:
    ids = _table_ids(report)
    assert len(ids) > 100
    for name, text in (("report.pdf", _pdf_text(report["report.pdf"])), ("report.docx", _docx_text(report["report.docx"]))):
        shown = set(re.findall(r"\[([\w.+-]+)\]", text)) | set(re.findall(r"^(population\.\w+)$", text, re.M))
        assert ids - shown == set(), f"{name} lacks tables"


def test_word_has_real_headings_and_tables_to_edit(report: dict[str, Path]) -> None:
    document = docx.Document(str(report["report.docx"]))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "3.1 Slachtoffers van seksuele uitbuiting" in headings
    assert len(document.tables) > 100
    perpetrator = next(t for t in document.tables if t.rows[1].cells[0].text == "(Ex-)partner")
    assert [c.text for c in perpetrator.rows[1].cells] == ["(Ex-)partner", "120", "62.2%"]


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
        if table["id"].replace(".", "-") in pngs and table["year"] == 2020:
            assert re.search(rf"Figuur \d+\. [^<]*\(n = {table['n']}\)[^<]*<span class=\"id\">\[{re.escape(table['id'])}\]", html)


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
    assert _table_ids(paths) - set(re.findall(r"\[([\w.+-]+)\]", text)) == set()


@pytest.fixture(scope="module")
def public_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from zicht.analysis.disclosure import protect

    years = {year: generate(year, 0) for year in (2019, 2020)}
    flows = {y: c.flow() for y, c in years.items()}
    tables = monitor(years[2020].cases, BOOK, 2020, compare={2019: years[2019].cases}, flows=flows)
    public, protection = protect(tables, 5)
    return write_report(public, years[2020].cases, BOOK, tmp_path_factory.mktemp("public"), public=protection)


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
