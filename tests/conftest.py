"""Fixtures shared by the test suite: synthetic corpora, generated once per session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import Phase, settings
from tests.postgres import new_database

from zicht.synth import generate, write_corpus

# `make planted` needs a failure, not the smallest one: shrinking a property's failure on a whole
# monitor can outlast the run's time limit and would count a caught bug as missed.
settings.register_profile("planted", phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both years of the default seed in one folder, as `zicht synth` writes them."""
    out = tmp_path_factory.mktemp("corpus")
    for year in (2019, 2020):
        write_corpus(generate(year, 0), out)
    return out


_opened: list[tuple[Path, bytes]] = []


@pytest.fixture(scope="session")
def project() -> tuple[Path, bytes]:
    """One project for the tests that use the store: Django is configured once per process.

    It lives as long as the process, not the session: mutmut runs many sessions in one process
    (and its forks), and pytest would remove an older session's folder under the one in use.
    """
    from zicht.store.project import init_project, open_project

    if not _opened:
        if (worker := os.environ.get("PYTEST_XDIST_WORKER")) and (url := new_database(f"zicht_{worker}")):
            os.environ["DATABASE_URL"] = url  # two workers on one PostgreSQL server: a database each
        directory = Path(tempfile.mkdtemp(prefix="zicht-test-project-")) / "p"
        atexit.register(shutil.rmtree, directory.parent, ignore_errors=True)
        init_project(directory)
        _opened.append((directory, open_project(directory)))
    return _opened[0]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "in_order: a module that is one user's session, run as written (the browser tests)")
    config.addinivalue_line("markers", "long: a module of a minute or more, handed to a worker first")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every module runs in the random order pytest-randomly drew, but for one marked `in_order`, and those
    marked `long` go first.

    The browser tests are one scenario on one server (a first login, coding, a consultation, ...,
    and last the server stopped): its steps keep their written order, in the module's drawn place.
    """
    slots: dict[Path, list[int]] = {}
    for index, item in enumerate(items):
        if item.get_closest_marker("in_order"):
            slots.setdefault(item.path, []).append(index)
    for indices in slots.values():
        steps = sorted((items[i] for i in indices), key=lambda item: item.location[1] or 0)
        for index, step in zip(indices, steps, strict=True):
            items[index] = step
    # the long modules first, in their drawn order: a worker that draws one last keeps the other waiting for minutes
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
