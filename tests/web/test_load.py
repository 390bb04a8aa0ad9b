"""Twenty researchers saving at once on loopback (the short run; bench/load_workbench.py runs the long one).

Every save answered as saved is in the store exactly once, each case holds its last save,
colleagues' simultaneous saves are refused as conflicts, never lost, and nothing fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench.load_workbench import load
from tests.postgres import new_database

RESEARCHERS, SECONDS = 20, 10


@pytest.fixture(autouse=True)
def _rolled_back() -> None:
    """The load runs on a server and a project of its own: nothing here to roll back."""


def _environment() -> dict[str, str]:
    """The server's environment: SQLite, or on the PostgreSQL run a database of its own."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if url := new_database(f"zicht_load_{os.getpid()}"):
        env["DATABASE_URL"] = url
    return env


def test_twenty_researchers_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    result, problems = load(tmp_path, RESEARCHERS, SECONDS, _environment())
    assert result.errors == []
    assert problems == []
    assert len(result.saves) > RESEARCHERS  # everyone got work done
    assert result.conflicts > 0  # 20 people on 40 cases: the conflict check was exercised
