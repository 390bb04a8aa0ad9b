"""`zicht link`: propose, accept in bulk, export, undo, from the command line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from zicht.synth import generate, write_corpus

from .test_demo import _run

pytestmark = pytest.mark.long  # a minute or more: handed to a worker first (tests/conftest.py)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("link")
    files = write_corpus(generate(2020, 3), folder / "corpus")
    assert _run("init", folder / "project").returncode == 0
    result = _run("import", folder / "project", "--chats", files["chats"])
    assert result.returncode == 0, result.stderr
    return folder / "project"


def test_propose_accept_export_and_undo(project: Path, tmp_path: Path) -> None:
    proposed = _run("link", project, "--year", "2020", "--threshold", "0.01", "--accept-above", "0.5", "--by", "anna")
    assert proposed.returncode == 0, proposed.stderr
    assert "364 conversations:" in proposed.stdout and "(by anna)" in proposed.stdout
    merged = int(proposed.stdout.split("Merged ")[1].split(" ")[0])

    out = tmp_path / "links.csv"
    assert _run("link", "export", project, "--out", out).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 364 and set(rows[0]) == {"conversation_id", "visitor_id"}
    assert len({r["visitor_id"] for r in rows}) <= 364 - min(merged, 1)

    assert merged >= 1
    together: dict[str, list[str]] = {}
    for r in rows:
        together.setdefault(r["visitor_id"], []).append(r["conversation_id"])
    a, b = next(ids for ids in together.values() if len(ids) == 2)
    assert _run("link", "undo", project, a, b).returncode == 0
    assert _run("link", "export", project, "--out", out).returncode == 0
    again = {r["conversation_id"]: r["visitor_id"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert again[a] != again[b], "undone: two visitors again"

    missing = _run("link", "undo", project, "C-none", "C-nothing")
    assert missing.returncode == 1 and "no active decision on C-none ~ C-nothing" in missing.stderr


def test_review_shows_both_chats_side_by_side_and_a_pair_kept_apart_stays_apart(project: Path) -> None:
    import subprocess

    from .test_demo import ZICHT

    def review(answers: str) -> str:
        env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
        result = subprocess.run(
            [ZICHT, "link", "review", str(project), "--by", "bram"], input=answers, capture_output=True, text=True, env=env, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert _run("link", project, "--year", "2020", "--threshold", "0.01").returncode == 0
    first = review("k\nq\n")
    assert "woonplaats" in first and "geboortejaar" in first and "gewicht" in first
    kept_apart = first.split(": ", 1)[1].split("  (p =")[0]  # "C… ~ C…"
    assert _run("link", project, "--year", "2020", "--threshold", "0.01").returncode == 0, "a new run"
    assert kept_apart not in review("q\n"), "a pair kept apart is never proposed again"


def test_regression_guard_on_synthetic_chats_the_visitors_after_bulk_acceptance_score_to_target(tmp_path: Path) -> None:
    files = write_corpus(generate(2020, 0), tmp_path / "corpus")
    assert _run("init", tmp_path / "project").returncode == 0
    assert _run("import", tmp_path / "project", "--chats", files["chats"]).returncode == 0
    assert _run("link", tmp_path / "project", "--accept-above", "0.85").returncode == 0
    assert _run("link", "export", tmp_path / "project", "--out", tmp_path / "visitors.csv").returncode == 0
    scored = _run("link", "score", tmp_path / "visitors.csv", files["truth"])
    assert scored.returncode == 0, scored.stderr
    precision, recall = (float(scored.stdout.split(f"{what} ")[1].split(",")[0].split(" ")[0]) for what in ("precision", "recall"))
    assert precision >= 0.97 and recall >= 0.95, scored.stdout
    assert "truly 322" in scored.stdout


def test_regression_guard_on_synthetic_chats_suggest_run_and_evaluate_hold_the_documented_scores(tmp_path: Path) -> None:
    """A regression guard: the scores docs/suggestions.md gives for the synthetic 2020 year, seed 0.

    The generator wrote these chats, so the scores show that the rules still run as they did, not
    how well they read real chats (issue 20's external texts do that).
    """
    from zicht.codebook import load_codebook
    from zicht.transcripts.coded_files import read_coded

    corpus = generate(2020, 0)
    files = write_corpus(corpus, tmp_path / "corpus")
    assert _run("init", tmp_path / "project").returncode == 0
    assert _run("import", tmp_path / "project", "--chats", files["chats"], "--coded", files["coded"]).returncode == 0
    ran = _run("suggest", "run", tmp_path / "project", "--year", "2020", "--out", tmp_path / "suggested.csv")
    assert ran.returncode == 0, ran.stderr
    cases = len(corpus.cases)
    assert f"364 conversations, {cases} visitors" in ran.stdout, "one visitor per coded case, read from its own chats"
    rows = list(read_coded(tmp_path / "suggested.csv", load_codebook("nl-2020")))
    assert len(rows) == cases and all(isinstance(r, tuple) for r in rows), "readable as coded cases, no problems"
    evaluated = _run("suggest", "evaluate", tmp_path / "project", "--year", "2020")
    assert evaluated.returncode == 0, evaluated.stderr
    scores = {v: (measure, float(score)) for v, measure, score in re.findall(r"(\w+)\s+│ (macro-F1|exact)\s+│ ([\d.]+)", evaluated.stdout)}
    assert len(scores) == len(load_codebook("nl-2020").variables), evaluated.stdout
    assert min(score for measure, score in scores.values() if measure == "macro-F1") >= 0.90, "docs: 0.90 or more on every variable"
    assert scores["victim_age"][1] >= 0.955, "docs: exact on 95.5% of the stated ages"
    untouched = re.search(r"would not need to touch: ([\d.]+)%", evaluated.stdout)
    assert untouched and float(untouched.group(1)) >= 99.2, "docs: 99.2% of the fields untouched"
    within = re.search(r"(\d+) of (\d+) published shares within 2 percentage points", evaluated.stdout)
    assert within and within.groups() == ("21", "21"), "docs: all 21 published shares within 2 pp"
    trained = _run("suggest", "train", tmp_path / "project", "--year", "2020")
    assert trained.returncode == 0, trained.stderr
    assert (tmp_path / "project" / "models" / "suggester.model").exists()
    again = _run("suggest", "evaluate", tmp_path / "project", "--year", "2020")
    assert again.returncode == 0 and "cross-validated, 5 folds" in again.stdout, "never scored on the cases it learned from"
