"""The monitor, live from the coded cases: every table of the year with its n, and the downloads."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zicht.analysis import Tables
from zicht.codebook import CodedCase, load_codebook
from zicht.report.layout import grid, populations_grid
from zicht.store import audit, queries
from zicht.web.roles import COORDINATOR, EVERYONE, allow

CODEBOOK = "nl-2020"
DOWNLOADS = {
    "report.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "report.pdf": "application/pdf",
    "cases.sav": "application/x-spss-sav",
    "cases.csv": "text/csv; charset=utf-8",
}


@allow(*EVERYONE)
def monitor(request: HttpRequest) -> HttpResponse:
    years = queries.years()
    if not years:
        return render(request, "web/monitor.html", {"years": [], "grids": []})
    year = _year(request.GET.get("year"), years)
    compare = [y for y in (_int(c) for c in request.GET.getlist("compare")) if y in years and y != year]
    if not request.GET.getlist("compare") and year - 1 in years:
        compare = [year - 1]
    tables, cases = _tables(year, tuple(compare))
    of_year = tables.of_year(year)
    grids = [populations_grid([t for t in of_year if t.kind == "population"])]
    grids += [grid(t) for t in of_year if t.kind != "population"]
    context = {"years": years, "year": year, "compare": compare, "grids": grids, "n_cases": len(cases), "downloads": DOWNLOADS}
    return render(request, "web/monitor.html", context)


@allow(COORDINATOR.id)
def download(request: HttpRequest, year: int, name: str) -> HttpResponse:
    """A file of the report, made now from the coded cases (the report's files need its figures)."""
    if name not in DOWNLOADS or year not in queries.years():
        raise Http404("no such download")
    from zicht.report import write_report

    book = load_codebook(CODEBOOK)
    compare = [year - 1] if year - 1 in queries.years() else []
    tables, cases = _tables(year, tuple(compare))
    out = Path(tempfile.mkdtemp(prefix="zicht-download-"))
    paths = write_report(tables, cases, book, out)
    audit.record(request.user.get_username(), "download", new={"file": name, "year": year})
    return FileResponse(paths[name].open("rb"), as_attachment=True, filename=f"{year}-{name}", content_type=DOWNLOADS[name])


_computed: dict[tuple[Any, ...], tuple[Tables, list[CodedCase]]] = {}


def _tables(year: int, compare: tuple[int, ...]) -> tuple[Tables, list[CodedCase]]:
    """The tables as last computed, while no case, code or merge changed since; else computed anew."""
    key = (year, compare, queries.data_version())
    if key not in _computed:
        if len(_computed) > 16:
            _computed.clear()
        _computed[key] = queries.monitor_tables(year, compare, load_codebook(CODEBOOK))
    return _computed[key]


def _year(text: str | None, years: list[int]) -> int:
    year = _int(text)
    return year if year in years else years[-1]


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0
