"""The monitor, live from the coded cases: every table of the year with its n, and the downloads."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.db import connection
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
    tables, cases, counted_at, recounting = _tables(year, tuple(compare))
    of_year = tables.of_year(year)
    grids = [populations_grid([t for t in of_year if t.kind == "population"])]
    grids += [grid(t) for t in of_year if t.kind != "population"]
    context = {"years": years, "year": year, "compare": compare, "grids": grids, "n_cases": len(cases), "downloads": DOWNLOADS}
    context |= {"counted_at": counted_at, "recounting": recounting}
    return render(request, "web/monitor.html", context)


@allow(COORDINATOR.id)
def download(request: HttpRequest, year: int, name: str) -> HttpResponse:
    """A file of the report, made now from the coded cases (the report's files need its figures)."""
    if name not in DOWNLOADS or year not in queries.years():
        raise Http404("no such download")
    from zicht.report import write_report

    book = load_codebook(CODEBOOK)
    compare = [year - 1] if year - 1 in queries.years() else []
    tables, cases = queries.monitor_tables(year, compare, book)  # a report counts everything saved until now
    out = Path(tempfile.mkdtemp(prefix="zicht-download-"))
    paths = write_report(tables, cases, book, out)
    audit.record(request.user.get_username(), "download", new={"file": name, "year": year})
    return FileResponse(paths[name].open("rb"), as_attachment=True, filename=f"{year}-{name}", content_type=DOWNLOADS[name])


Key = tuple[int, tuple[int, ...]]  # the year and the years beside it
_computed: dict[Key, tuple[tuple[Any, ...], Tables, list[CodedCase], dt.datetime]] = {}
_refreshing: set[Key] = set()
_lock = threading.Lock()


def _tables(year: int, compare: tuple[int, ...]) -> tuple[Tables, list[CodedCase], dt.datetime, bool]:
    """The tables for the page, and whether they are being brought up to date.

    The first time they are counted while the coordinator waits; after a colleague's save the
    page shows the last count at once and recounts in the background (the page polls), so a
    busy team never waits for a project's worth of statistics.
    """
    key = (year, compare)
    version = queries.data_version()
    held = _computed.get(key)
    if held is None:
        _count(key, version)
        held = _computed[key]
    elif held[0] != version:
        _recount_in_background(key, version)
    return held[1], held[2], held[3], held[0] != version


def _count(key: Key, version: tuple[Any, ...]) -> None:
    tables, cases = queries.monitor_tables(key[0], key[1], load_codebook(CODEBOOK))
    _computed[key] = (version, tables, cases, dt.datetime.now())


def _recount_in_background(key: Key, version: tuple[Any, ...]) -> None:
    with _lock:
        if key in _refreshing:
            return
        _refreshing.add(key)

    def recount() -> None:
        try:
            _count(key, version)
        finally:
            connection.close()
            with _lock:
                _refreshing.discard(key)

    threading.Thread(target=recount, name="zicht-monitor", daemon=True).start()


def _year(text: str | None, years: list[int]) -> int:
    year = _int(text)
    return year if year in years else years[-1]


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0
