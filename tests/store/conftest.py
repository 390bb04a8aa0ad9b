from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """One project for the store tests (Django is configured once per process)."""
    from zicht.store.project import init_project, open_project

    directory = tmp_path_factory.mktemp("project") / "p"
    init_project(directory)
    return directory, open_project(directory)
