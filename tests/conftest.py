"""Fixtures shared by the test suite: synthetic corpora, generated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from zicht.synth import generate, write_corpus


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both years of the default seed in one folder, as `zicht synth` writes them."""
    out = tmp_path_factory.mktemp("corpus")
    for year in (2019, 2020):
        write_corpus(generate(year, 0), out)
    return out


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """One project for the tests that use the store (Django is configured once per process)."""
    from zicht.store.project import init_project, open_project

    directory = tmp_path_factory.mktemp("project") / "p"
    init_project(directory)
    return directory, open_project(directory)
