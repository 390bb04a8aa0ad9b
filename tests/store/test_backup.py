"""Backups: consistent while the store is written to, unreadable without the secret, restored whole."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from zicht.errors import ZichtError
from zicht.store.project import DATABASE_FILE, MARKER, SECRET_FILE

pytestmark = pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="zicht backup covers SQLite projects (PostgreSQL: pg_dump)")


def _tables(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    with closing(sqlite3.connect(database)) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


def _empty_project(tmp_path: Path, secret_from: Path) -> Path:
    """A project folder with the same secret and no database yet (a new machine)."""
    target = tmp_path / "restored"
    target.mkdir()
    (target / MARKER).write_text("zicht project\n")
    shutil.copyfile(secret_from / SECRET_FILE, target / SECRET_FILE)
    return target


@pytest.fixture(scope="module")
def stored(project: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared project with chats and coded cases of its own (ids BAK-...) in it."""

    from zicht.codebook import load_codebook
    from zicht.store.importing import import_chats, import_coded
    from zicht.synth import generate
    from zicht.transcripts import write_coded_csv
    from zicht.transcripts.writers import write_chats

    book = load_codebook("nl-2020")
    corpus = generate(2020, 11).part(50, "BAK-")
    folder = tmp_path_factory.mktemp("backup-corpus")
    write_chats(corpus.conversations, folder / "chats.jsonl")
    write_coded_csv(corpus.cases, book, folder / "coded.csv")
    import_chats(folder / "chats.jsonl", project[1], book["channel"].category_ids)
    import_coded(folder / "coded.csv", book)
    return project[0]


def test_a_backup_taken_while_the_store_is_written_restores_every_table(stored: Path, tmp_path: Path) -> None:
    from django.db import connection

    from zicht.store import audit
    from zicht.store.backup import backup, restore

    stop = threading.Event()

    def keep_saving() -> None:  # a colleague saving in the workbench meanwhile
        while not stop.is_set():
            audit.code_changed("bram", "V-BUSY", "victim_age", None, {"state": "value", "value": 15}, "code", at=dt.datetime.now()).save()
        connection.close()

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        size = backup(stored, tmp_path / "project.zbak")
    finally:
        stop.set()
        writer.join()
    assert size > 0
    target = _empty_project(tmp_path, stored)
    assert restore(tmp_path / "project.zbak", target) is None  # nothing was there to keep
    restored = _tables(target / DATABASE_FILE)
    original = _tables(stored / DATABASE_FILE)
    assert restored.keys() == original.keys() and restored["store_message"]
    for name, rows in restored.items():
        if name in ("store_event", "sqlite_sequence"):  # written on during the backup: the snapshot is one moment of it
            assert name == "sqlite_sequence" or set(rows) <= set(original[name])
        else:
            assert rows == original[name], name


def test_a_backup_without_the_secret_reveals_no_chat_text(stored: Path, tmp_path: Path) -> None:
    from zicht.store import models
    from zicht.store.backup import backup

    backup(stored, tmp_path / "project.zbak")
    raw = (tmp_path / "project.zbak").read_bytes()
    texts = models.Message.objects.filter(conversation__external_id__startswith="BAK-").values_list("text", flat=True)
    words = {w for text in texts for w in text.split() if len(w) > 8}
    assert words and not [w for w in words if w.encode() in raw]
    assert b"SQLite format" not in raw and (tmp_path / "project.zbak").stat().st_mode & 0o777 == 0o600


def test_a_foreign_altered_or_truncated_backup_restores_nothing(stored: Path, tmp_path: Path) -> None:
    from zicht.store.backup import backup, restore

    backup(stored, tmp_path / "project.zbak")
    good = (tmp_path / "project.zbak").read_bytes()
    target = _empty_project(tmp_path, stored)
    foreign = tmp_path / "foreign"
    shutil.copytree(target, foreign)
    (foreign / SECRET_FILE).write_bytes(b"x" * 32)
    cases = {
        "another project's secret.key": (foreign, good),
        "truncated": (target, good[: len(good) // 2]),
        "altered": (target, good[:-10] + bytes(b ^ 1 for b in good[-10:])),
        "not a zicht backup": (target, b"hello"),
    }
    for reason, (project_dir, content) in cases.items():
        (tmp_path / "bad.zbak").write_bytes(content)
        with pytest.raises(ZichtError, match=r"nothing was restored|not a zicht backup"):
            restore(tmp_path / "bad.zbak", project_dir)
        assert not (project_dir / DATABASE_FILE).exists(), reason


def test_a_restore_keeps_the_database_it_replaces(stored: Path, tmp_path: Path) -> None:
    from zicht.store.backup import backup, restore

    backup(stored, tmp_path / "project.zbak")
    target = _empty_project(tmp_path, stored)
    restore(tmp_path / "project.zbak", target)
    kept = restore(tmp_path / "project.zbak", target)
    assert kept is not None and _tables(kept) == _tables(target / DATABASE_FILE)
