"""A monitor computed again comes out the same (issue 19.6): the same chats linked, suggested and
counted twice in one project, each time in new processes, and once in a fresh project with another secret."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zicht.synth import generate, write_corpus

from .test_demo import _run

pytestmark = pytest.mark.long  # a minute or more: handed to a worker first (tests/conftest.py)


def _year(project: Path, out: Path) -> dict[str, str]:
    """Link, suggest and count the year, each step a process of its own; what each gave."""
    for args in (("link", project, "--year", "2020", "--threshold", "0.05", "--accept-above", "0.9"),
                 ("suggest", "run", project, "--year", "2020", "--out", out / "suggested.csv"),
                 ("stats", project, "--year", "2020", "--out", out / "tables.json")):  # fmt: skip
        done = _run(*args)
        assert done.returncode == 0, done.stdout + done.stderr
    with sqlite3.connect(project / "zicht.sqlite3") as db:
        proposals = db.execute("SELECT left, right, probability FROM store_linkproposal ORDER BY left, right").fetchall()
    return {
        "proposals": repr(proposals),
        **{name: (out / name).read_text("utf-8") for name in ("suggested.csv", "tables.json")},  # the CSV: each visitor's chats too
    }


@pytest.fixture(scope="module")
def chats(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chats of 150 visitors of the issue's year (seed 23): enough pairs to link, few enough to run three times."""
    return write_corpus(generate(2020, 23).part(150), tmp_path_factory.mktemp("rerun"))["chats"]


def _project(folder: Path, chats: Path) -> Path:
    assert _run("init", folder / "project").returncode == 0
    assert _run("import", folder / "project", "--chats", chats).returncode == 0
    return folder / "project"


def test_the_same_chats_give_the_same_proposals_visitors_suggestions_and_tables(chats: Path, tmp_path: Path) -> None:
    first = _project(tmp_path / "a", chats)
    runs = [_year(first, tmp_path / "a"), _year(first, tmp_path / "a")]
    runs.append(_year(_project(tmp_path / "b", chats), tmp_path / "b"))
    for name in runs[0]:
        assert runs[1][name] == runs[0][name], f"{name}: computed again in the same project"
        assert runs[2][name] == runs[0][name], f"{name}: the same chats in a fresh project"
