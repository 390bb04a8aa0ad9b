"""A user's mistake on the command line is a message that names what to fix, never a traceback."""

from __future__ import annotations

import csv
import socket
from pathlib import Path

from .test_demo import _run


def test_a_bad_coded_row_names_its_column_and_a_missing_output_folder_is_named(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert _run("init", project).returncode == 0
    assert _run("synth", "--year", "2020", "--out", tmp_path / "corpus").returncode == 0
    assert _run("import", project, "--chats", tmp_path / "corpus" / "chats-2020.jsonl").returncode == 0
    rows = list(csv.reader((tmp_path / "corpus" / "coded-2020.csv").open(encoding="utf-8", newline="")))
    rows[3][rows[0].index("victim_gender")] = "femal"
    with (tmp_path / "coded.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)  # as Dutch Excel saves it
    refused = _run("import", project, "--coded", tmp_path / "coded.csv")
    assert refused.returncode == 1 and "coded.csv:4 [victim_gender]: unknown category 'femal'" in refused.stderr
    stats = _run("stats", project, "--year", "2020", "--out", tmp_path / "no-such-folder" / "tables.json")
    assert stats.returncode == 2 and "the folder" in stats.stderr and "no-such-folder" in stats.stderr
    assert "Traceback" not in refused.stderr + stats.stderr


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert _run("init", project).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = _run("serve", project, "--port", port)
    assert served.returncode == 1 and f"port {port} is in use" in served.stderr and "Traceback" not in served.stderr
