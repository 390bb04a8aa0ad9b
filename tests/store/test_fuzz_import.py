"""An import of a hostile file is all or nothing: it stores every record, or none and says why."""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fuzzing import EXAMPLES, FUZZ, mutated

from zicht.synth import generate
from zicht.transcripts.writers import write_chats

from .test_import import CHANNELS

pytestmark = pytest.mark.fuzz


@functools.cache
def _valid(suffix: str) -> bytes:
    chats = [dataclasses.replace(c, id=f"FUZZ-{c.id}") for c in generate(2020, 9).conversations[:3]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"valid{suffix}"
        write_chats(chats, path)
        return path.read_bytes()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
@settings(FUZZ, max_examples=max(20, EXAMPLES // 50))  # each example is a database transaction
@given(data=st.data())
def test_a_hostile_import_stores_all_or_nothing(project: tuple[Path, bytes], suffix: str, data: st.DataObject) -> None:
    from zicht.store import models
    from zicht.store.importing import ImportFailed, import_chats

    content = data.draw(mutated(_valid(suffix)))
    before = (models.Conversation.objects.count(), models.Message.objects.count(), models.ImportedFile.objects.count())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"hostile{suffix}"
        path.write_bytes(content)
        try:
            result = import_chats(path, project[1], CHANNELS)
        except ImportFailed as e:
            assert e.problems and all(p.reason for p in e.problems)
            after = (models.Conversation.objects.count(), models.Message.objects.count(), models.ImportedFile.objects.count())
            assert after == before, "a refused import left records behind"
            return
    if not result.already_imported:
        assert models.Conversation.objects.count() == before[0] + result.stored
