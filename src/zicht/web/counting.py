"""The monitor's recount in a worker process of its own, so that counting a large project never
slows the pages the researchers are working in (one Python interpreter runs one thing at a time).

The worker imports this module before Django is set up: Django and the store are imported
inside the functions.
"""

from __future__ import annotations

import functools
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zicht.analysis import Tables
    from zicht.pipeline.project import Project

_pool: ProcessPoolExecutor | None = None


@functools.cache
def project() -> Project:
    """The server's project, as the store is configured for it (in the server and in its worker)."""
    from zicht.pipeline.project import Project

    return Project.current()


def count(year: int, compare: tuple[int, ...]) -> tuple[Tables, int]:
    """The monitor's tables and the number of visitors of the year, from the coded cases."""
    from zicht.pipeline.monitoring import monitor

    tables, cases = monitor(project(), year, compare)
    return tables, len(cases)


def in_worker(year: int, compare: tuple[int, ...]) -> Future[tuple[Tables, int]]:
    global _pool
    if _pool is None:
        context = multiprocessing.get_context("spawn")  # not fork: the server has threads and open connections
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_open, initargs=(str(project().directory),))
    return _pool.submit(count, year, compare)


def shutdown() -> None:
    """Stop the worker, so nothing holds the database (its WAL and SHM files too) once the server is gone."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def _open(directory: str) -> None:
    from zicht.pipeline.project import Project

    Project.attach(Path(directory))
