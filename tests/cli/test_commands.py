"""Commands that need no project, run in-process with click's runner: what they print, and their refusals.

Commands that open a project run as subprocesses (tests/cli/test_demo.py and the others): Django
is configured once per process, for one project, so a second project needs a process of its own.
"""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner, Result

from zicht.cli import main


def _zicht(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_codebook_show_lists_the_variables_and_their_counting_rules() -> None:
    shown = _zicht("codebook", "show", "nl-2020")
    assert shown.exit_code == 0
    assert {"victim_age", "not_trafficking_reason", "multiple_perpetrators"} <= set(shown.output.split())  # ids whole at 80 columns
    assert "first_disclosure" not in _zicht("codebook", "show", "nl-2019").output.split()  # added in 2020


def test_an_unknown_codebook_is_a_message_not_a_traceback() -> None:
    shown = _zicht("codebook", "show", "nl-1999")
    assert shown.exit_code == 1
    assert "Error:" in shown.output and "nl-1999" in shown.output and "nl-2019, nl-2020" in shown.output
    assert "Traceback" not in shown.output


def test_init_with_a_misspelt_codebook_creates_nothing(tmp_path: Path) -> None:
    made = _zicht("init", tmp_path / "project", "--codebook", "nl-2002")
    assert made.exit_code == 1 and "nl-2002" in made.output
    assert not (tmp_path / "project").exists()


def test_import_without_files_says_what_to_give(tmp_path: Path) -> None:
    refused = _zicht("import", tmp_path)
    assert refused.exit_code == 2 and "give --chats FILE... and/or --coded FILE" in refused.output


def test_link_score_counts_pairs_against_the_truth(tmp_path: Path) -> None:
    def visitors(path: Path, rows: list[tuple[str, str]]) -> Path:
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([("conversation_id", "visitor_id"), *rows])
        return path

    truth = visitors(tmp_path / "truth.csv", [("C1", "V1"), ("C2", "V1"), ("C3", "V1"), ("C4", "V2")])
    found = visitors(tmp_path / "found.csv", [("C1", "A"), ("C2", "A"), ("C3", "B"), ("C4", "B")])
    scored = _zicht("link", "score", found, truth)
    # pairs put together: C1~C2 (true), C3~C4 (false); true pairs: C1~C2, C1~C3, C2~C3
    assert scored.exit_code == 0
    assert "precision 0.500, recall 0.333 (2 pairs put together, 3 true; 2 visitors, truly 2)" in " ".join(scored.output.split())


def test_synth_writes_the_chats_the_coded_cases_and_the_truth(tmp_path: Path) -> None:
    written = _zicht("synth", "--year", "2019", "--seed", "3", "--out", tmp_path)
    assert written.exit_code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"chats-2019.jsonl", "coded-2019.csv", "truth-2019.json"} <= names, names
