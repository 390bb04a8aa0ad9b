"""The report's estimate reads the screening `zicht screen` kept, and reads a chat again only when the reader changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from zicht.codebook import load_codebook
from zicht.synth import generate
from zicht.transcripts.writers import write_chats

YEAR = 2036  # a year of its own in the shared test project


@pytest.fixture
def year_project(project: tuple[Path, bytes], tmp_path: Path) -> Any:
    """A year of flagged and unflagged chats, imported; the pipeline's project."""
    from zicht.pipeline.project import Project
    from zicht.store.importing import import_chats

    book = load_codebook("nl-2020")
    prefix, corpus = f"KS{tmp_path.name[-6:]}-", generate(2020, 2)
    chats = (
        corpus.part(20, prefix).conversations
        + [dataclasses.replace(c, id=prefix + c.id) for c in corpus.conversations if not c.flagged][:40]
    )
    moved = [dataclasses.replace(c, started_at=c.started_at.replace(year=YEAR)) for c in chats]
    assert any(not c.flagged for c in moved) and any(c.flagged for c in moved)
    write_chats(moved, tmp_path / "chats.jsonl")
    import_chats(tmp_path / "chats.jsonl", project[1], book["channel"].category_ids)
    return Project(project[0], project[1], book)


def test_the_estimate_reads_the_kept_screening_and_no_chat_again(year_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from zicht.coding import screen as screening
    from zicht.pipeline.screening import estimate, screen

    fresh = estimate(year_project, YEAR)  # nothing kept yet: every chat is read, and kept
    screened = screen(year_project, YEAR)
    assert screened.screened, "the year has chats"

    def read_again(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("a chat was screened again")

    monkeypatch.setattr(screening, "screen", read_again)
    assert estimate(year_project, YEAR) == fresh


def test_a_kept_screening_of_another_reader_is_read_again(year_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from zicht.coding import screen as screening
    from zicht.pipeline.screening import estimate, screen
    from zicht.store import models

    chats = len(screen(year_project, YEAR).screened)
    fresh = estimate(year_project, YEAR)
    monkeypatch.setattr(screening, "reader_version", lambda: "another reader")
    read: list[int] = []
    real = screening.screen

    def counted(conversations: Any, *args: Any, **kwargs: Any) -> Any:
        chats = list(conversations)
        read.append(len(chats))
        return real(chats, *args, **kwargs)

    monkeypatch.setattr(screening, "screen", counted)
    assert estimate(year_project, YEAR) == fresh
    assert read == [chats], "every chat of the year read again, once"
    assert models.KeptScreening.objects.filter(conversation__started_at__year=YEAR, reader="another reader").count() == chats


def test_conversations_asked_by_more_ids_than_one_query_takes_all_come_in_id_order(
    year_project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zicht.store import linking
    from zicht.store import screening as stored

    ids = sorted(stored.flags(YEAR))
    monkeypatch.setattr(linking, "IDS_PER_QUERY", 7)
    assert len(ids) > 7
    assert [c.id for c in linking.conversations(ids=reversed(ids), flagged=None)] == ids
