"""Chat text at rest: a copy of the database without text.key shows none of it; rotation keeps readers reading."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from zicht.errors import ZichtError
from zicht.synth import generate
from zicht.transcripts.writers import write_chats

from .test_import import CHANNELS, _everything_stored


@pytest.fixture(scope="module")
def sealed_chats(project: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Chats of their own (ids SEAL-...) imported into the shared project; returns their long words."""
    from zicht.store.importing import import_chats

    corpus = generate(2020, 23)
    chats = [c.__class__("SEAL-" + c.id, c.username, c.channel, c.started_at, c.flagged, c.messages) for c in corpus.conversations[:40]]
    path = tmp_path_factory.mktemp("sealing") / "chats.jsonl"
    write_chats(chats, path)
    import_chats(path, project[1], CHANNELS)
    from importlib import resources

    codebook = (resources.files("zicht.codebook") / "data" / "nl-2020.yaml").read_text("utf-8").lower()  # codes may name them
    words = {w for c in chats for m in c.messages for w in m.text.split() if len(w) > 7 and w.isalpha()}
    return sorted(w for w in words if w.lower() not in codebook)


def _texts() -> list[str]:
    from zicht.store import models

    return list(models.Message.objects.filter(conversation__external_id__startswith="SEAL-").order_by("id").values_list("text", flat=True))


def test_a_copy_of_the_database_reveals_no_chat_text(project: tuple[Path, bytes], sealed_chats: list[str]) -> None:
    raw = _everything_stored(project[0]).lower()
    assert len(sealed_chats) > 20
    assert [w for w in sealed_chats if w.lower().encode() in raw] == []
    assert any(w in " ".join(_texts()) for w in sealed_chats)  # while zicht itself reads them


def test_rotation_reseals_everything_while_a_reader_keeps_reading(project: tuple[Path, bytes], sealed_chats: list[str]) -> None:
    from django.db import connection

    from zicht.privacy.sealing import Keyring, key_of
    from zicht.store import keys

    before = _texts()
    old = keys.keyring().current
    stop, failures, reads = threading.Event(), [], [0]

    def read() -> None:  # the workbench, opening cases meanwhile
        try:
            while not stop.is_set():
                assert _texts() == before
                reads[0] += 1
        except Exception as e:
            failures.append(e)
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        new, rows = keys.rotate(project[0], batch=50)
    finally:
        stop.set()
        reader.join()
    assert failures == [] and reads[0] > 0
    assert new != old and rows >= len(before)
    key_file = project[0] / keys.KEY_FILE
    assert list(Keyring.loads(key_file.read_text(), "text.key").keys) == [new]  # the old key is gone from the file
    assert keys.keyring(reread=True).current == new
    assert _texts() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM store_message")
        assert {key_of(v) for (v,) in cursor.fetchall()} == {new}
    assert (project[0] / keys.KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_a_missing_or_shared_key_file_is_named(project: tuple[Path, bytes], sealed_chats: list[str]) -> None:
    from zicht.store import keys

    path = project[0] / keys.KEY_FILE
    os.chmod(path, 0o644)
    try:
        with pytest.raises(ZichtError, match="chmod 600"):
            keys.keyring()
    finally:
        os.chmod(path, 0o600)
    path.rename(path.with_name("elsewhere"))
    try:
        with pytest.raises(ZichtError, match=r"text\.key: missing"):
            keys.keyring()
    finally:
        path.with_name("elsewhere").rename(path)
    assert _texts()
