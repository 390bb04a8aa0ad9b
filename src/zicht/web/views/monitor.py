"""The monitor, live from the coded cases: every table of the year with its n, and the downloads."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zicht.analysis import Tables
from zicht.report.figures import drawn, svg
from zicht.report.layout import Grid, grid, populations_grid
from zicht.store import audit, queries
from zicht.store.roles import COORDINATOR, EVERYONE
from zicht.web import counting
from zicht.web.roles import allow

log = logging.getLogger("zicht.web")
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
        return render(request, "web/monitor.html", {"years": [], "sections": []})
    year = _year(request.GET.get("year"), years)
    compare = sorted({y for y in (_int(c) for c in request.GET.getlist("compare")) if y in years and y != year})
    if not request.GET.getlist("compare") and year - 1 in years:
        compare = [year - 1]
    counted = _tables(year, tuple(compare))
    if counted is None:  # the first count of this view runs in the worker; the page asks again
        return render(request, "web/monitor.html", {"years": years, "year": year, "compare": compare, "counting": True, "sections": []})
    tables, visitors, counted_at, recounting = counted
    of_year = tables.of_year(year)
    populations = populations_grid([t for t in of_year if t.kind == "population"])
    sections: dict[str, list[tuple[Grid, str | None]]] = {"Populaties": [(populations, None)]}
    for t in of_year:
        if t.kind != "population":
            heading = "Vergelijking tussen jaren" if t.kind == "years" else t.population_label
            sections.setdefault(heading, []).append((grid(t), t.id if drawn(t) else None))
    contents = [(f"s{i}", heading, len(grids)) for i, (heading, grids) in enumerate(sections.items())]
    context = {"years": years, "year": year, "compare": compare, "n_cases": visitors, "downloads": DOWNLOADS,
               "sections": [(anchor, heading, sections[heading]) for anchor, heading, _ in contents], "contents": contents}  # fmt: skip
    context |= {
        "counted_at": counted_at,
        "recounting": recounting,
        "figure_query": urlencode({"compare": compare, "at": counted_at.timestamp()}, doseq=True),
    }
    return render(request, "web/monitor.html", context)


@allow(*EVERYONE)
def figure(request: HttpRequest, year: int, table_id: str) -> HttpResponse:
    """A figure of the page's tables as SVG (drawn from the count the page shows)."""
    compare = tuple(sorted(y for y in (_int(c) for c in request.GET.getlist("compare")) if y))
    held = _computed.get((year, compare))
    if held is None or not any(t.id == table_id for t in held[1].of_year(year)):
        raise Http404("no such figure in the monitor's last count")
    tables = held[1]
    table = tables.get(table_id, year)
    if not drawn(table):
        raise Http404("this table has no figure")
    with _drawing:  # pyplot is not thread-safe, and the server has threads
        image = svg(tables, table)
    return HttpResponse(image, content_type="image/svg+xml")


_drawing = threading.Lock()


@allow(COORDINATOR.id)
def download(request: HttpRequest, year: int, name: str) -> HttpResponse:
    """A file of the report, made now from the coded cases (the report's files need its figures)."""
    if name not in DOWNLOADS or year not in queries.years():
        raise Http404("no such download")
    from zicht.pipeline.monitoring import report

    with tempfile.TemporaryDirectory(prefix="zicht-download-") as out:  # the cases must not stay behind in /tmp
        content = report(counting.project(), year, (), Path(out)).paths[name].read_bytes()  # everything saved until now
    audit.downloaded(request.user.get_username(), name, year).save()
    response = HttpResponse(content, content_type=DOWNLOADS[name])
    response["Content-Disposition"] = f'attachment; filename="{year}-{name}"'
    return response


Key = tuple[int, tuple[int, ...]]  # the year and the years beside it
_computed: dict[Key, tuple[tuple[Any, ...], Tables, int, dt.datetime]] = {}  # version, tables, visitors, when
_recounting: set[Key] = set()
_lock = threading.Lock()


def _tables(year: int, compare: tuple[int, ...]) -> tuple[Tables, int, dt.datetime, bool] | None:
    """The tables for the page, the year's visitors, when they were counted, and whether a recount runs;
    None while the first count runs.

    No page waits for a count: a worker process counts (the server starts the latest year's count
    before it listens), the page shows the last count at once, and polls until the new one is there.
    """
    key = (year, compare)
    version = queries.data_version()
    held = _computed.get(key)
    if held is None or held[0] != version:
        _recount(key, version)
    if held is None:
        return None
    return held[1], held[2], held[3], held[0] != version


def count_ahead() -> None:
    """The monitor page's default view (the latest year beside the one before), counted in the worker
    while the server starts: at 30,000 cases the first count took 8.7 s, which the first coordinator waited."""
    years = queries.years()
    if years:
        year = years[-1]
        _recount((year, (year - 1,) if year - 1 in years else ()), queries.data_version())


def _recount(key: Key, version: tuple[Any, ...]) -> None:
    with _lock:
        if key in _recounting:
            return
        _recounting.add(key)

    def done(future: Future[tuple[Tables, int]]) -> None:
        try:
            tables, visitors = future.result()
            _computed[key] = (version, tables, visitors, dt.datetime.now())
        except Exception:
            log.exception("the monitor's recount failed; the page shows the last count and asks again")
        finally:
            with _lock:
                _recounting.discard(key)

    counting.in_worker(*key).add_done_callback(done)


def _year(text: str | None, years: list[int]) -> int:
    year = _int(text)
    return year if year in years else years[-1]


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        return 0
