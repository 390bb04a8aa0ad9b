"""`zicht demo` does the whole job on a fresh folder, and every published figure comes out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ZICHT = str(Path(sys.executable).parent / "zicht")


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}  # wide tables; nothing from the caller's shell
    return subprocess.run([ZICHT, *map(str, args)], capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "zicht-demo"
    result = _run("demo", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "106 figures: 105 ok, 1 known inconsistency of the report, 0 mismatch." in result.stdout
    assert "linkage 2020: 364 chats → " in result.stdout and "(truly 322;" in result.stdout
    assert "From suggestions alone: " in result.stdout, "the published check computed from suggestions alone"
    return out


def test_the_demo_writes_the_report_and_says_where(demo: Path) -> None:
    for name in ("report.html", "report.pdf", "report.docx", "tables.json", "cases.sav", "cases.csv"):
        assert (demo / "report" / name).stat().st_size > 1000, name
    assert (demo / "project" / "published" / "published-2020.yaml").exists(), "the project's own copy"


@pytest.mark.parametrize("seed", [1, 2])
def test_every_figure_comes_out_for_other_seeds(tmp_path: Path, seed: int) -> None:
    result = _run("demo", "--out", tmp_path / "demo", "--seed", seed)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 mismatch" in result.stdout


def test_check_published_fails_on_a_wrong_figure_and_names_it(demo: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load((demo / "project" / "published" / "published-2020.yaml").read_text("utf-8"))
    wrong = next(f for f in spec["facts"] if f["id"] == "sexual.perp_partner")
    wrong["count"] = 121
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    result = _run("check-published", demo / "project", path)
    assert result.returncode == 1
    assert "sexual.perp_partner" in result.stdout and "mismatch" in result.stdout
    assert "count 120 ≠ 121" in result.stdout


def test_stats_writes_tables_json_with_the_compared_year(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables.json"
    result = _run("stats", demo / "project", "--year", "2020", "--compare", "2019", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "2020: 364 flagged chats, 42 duplicates, 39 not about trafficking, 283 unique visitors." in result.stdout
    tables = json.loads(out.read_text("utf-8"))
    assert tables["years"] == [2020, 2019]
    assert {t["year"] for t in tables["tables"]} == {2019, 2020}


def test_a_year_without_data_is_a_clear_error(demo: Path, tmp_path: Path) -> None:
    result = _run("stats", demo / "project", "--year", "2018", "--out", tmp_path / "t.json")
    assert result.returncode == 1
    assert "no coded cases for 2018 (years in the project: 2019, 2020)" in result.stderr
