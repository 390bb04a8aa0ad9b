"""`zicht backup` and `zicht restore` from the command line, and `zicht user add`'s refusals."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .test_demo import ZICHT, _run


def test_backup_and_restore_on_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert _run("init", project).returncode == 0
    backed = _run("backup", project, "--out", tmp_path / "b.zbak")
    assert backed.returncode == 0 and "encrypted" in backed.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copyfile(project / "zicht-project.txt", elsewhere / "zicht-project.txt")
    (elsewhere / "secret.key").write_bytes(os.urandom(32))
    refused = _run("restore", tmp_path / "b.zbak", elsewhere)
    assert refused.returncode != 0 and "secret.key" in refused.stderr and not (elsewhere / "zicht.sqlite3").exists()
    restored = _run("restore", tmp_path / "b.zbak", project)
    assert restored.returncode == 0 and "before-restore" in restored.stdout


def test_user_add_refuses_a_weak_password_and_a_missing_one(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert _run("init", project).returncode == 0
    command = [ZICHT, "user", "add", str(project), "anna", "--role", "coordinator", "--password-env", "ZICHT_TEST_WEAK"]
    weak = subprocess.run(command, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "ZICHT_TEST_WEAK": "1234"})
    assert weak.returncode != 0 and "anna" in weak.stderr and "12" in weak.stderr  # the rule it breaks
    english = " ".join(weak.stderr.split())
    assert "This password is too short" in english and "wachtwoord" not in english, "the command line speaks English"
    missing = _run("user", "add", project, "anna", "--role", "coordinator", "--password-env", "ZICHT_TEST_UNSET")
    assert missing.returncode != 0 and "ZICHT_TEST_UNSET" in missing.stderr


def test_key_rotate_on_the_command_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert _run("init", project).returncode == 0
    before = (project / "text.key").read_text()
    rotated = _run("key", "rotate", project)
    assert rotated.returncode == 0 and "sealed again" in rotated.stdout
    after = (project / "text.key").read_text()
    assert after != before and len(after.splitlines()) == 1
