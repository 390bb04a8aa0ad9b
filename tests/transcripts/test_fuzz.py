"""Hostile input: every reader gives records and clear problems, never a crash or a hang."""

from __future__ import annotations

import dataclasses
import functools
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import FUZZ, mutated

from zicht.codebook import load_codebook
from zicht.errors import Problem
from zicht.synth import generate
from zicht.transcripts import Record, read_chats, read_coded, write_coded_csv, write_coded_sav
from zicht.transcripts.writers import write_chats

pytestmark = pytest.mark.fuzz
CHANNELS = ("fier", "csg")
BOOK = load_codebook("nl-2020")


@functools.cache
def _valid(suffix: str) -> bytes:
    """A small valid file of each kind, from the synthetic corpus."""
    corpus = generate(2020, 3)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"valid{suffix}"
        if suffix in (".jsonl", ".csv", ".txt"):
            write_chats(corpus.conversations[:3], path)
        elif suffix == ".coded.csv":
            write_coded_csv(corpus.cases[:4], BOOK, path)
        else:
            write_coded_sav(corpus.cases[:4], BOOK, path)
        return path.read_bytes()


def _read(reader: str, content: bytes, suffix: str) -> list[object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix.removeprefix('.coded')}"
        path.write_bytes(content)
        items = list(read_chats(path, CHANNELS) if reader == "chats" else read_coded(path, BOOK))
    for item in items:
        if isinstance(item, Problem):
            assert item.file == str(path) and item.reason and item.line >= 0, item
            continue
        if reader == "chats":
            assert isinstance(item, Record)
        else:
            number, case = item  # type: ignore[misc]
            assert number >= 1 and case.visitor_id
        assert not any("\0" in s for s in _strings(item)), "a record holds a NUL character, which PostgreSQL cannot store"
    return items


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for part in value:
            yield from _strings(part)
    elif isinstance(value, dict):
        for key, part in value.items():
            yield from _strings(key)
            yield from _strings(part)


KINDS = [("chats", ".jsonl"), ("chats", ".csv"), ("chats", ".txt"), ("coded", ".coded.csv"), ("coded", ".sav")]


@pytest.mark.parametrize(("reader", "suffix"), KINDS)
@FUZZ
@given(data=st.data())
def test_a_mutated_file_gives_records_and_problems_only(reader: str, suffix: str, data: st.DataObject) -> None:
    _read(reader, data.draw(mutated(_valid(suffix))), suffix)


@pytest.mark.parametrize(("reader", "suffix"), KINDS)
@FUZZ
@given(content=st.binary(max_size=3000))
def test_random_bytes_give_problems_only(reader: str, suffix: str, content: bytes) -> None:
    items = _read(reader, content, suffix)
    assert all(isinstance(i, Problem) for i in items) or reader == "chats" or content.strip() == b""


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(
    record=st.fixed_dictionaries(
        {},
        optional={
            "id": json_values,
            "username": json_values,
            "channel": json_values,
            "started_at": json_values,
            "flagged": json_values,
            "messages": st.lists(
                st.fixed_dictionaries({}, optional={"at": json_values, "from": json_values, "text": json_values}), max_size=3
            )
            | json_values,
        },
    )
)
def test_a_jsonl_record_of_any_shape_is_read_or_refused_with_its_field(record: dict[str, object]) -> None:
    items = _read("chats", (json.dumps(record) + "\n").encode(), ".jsonl")
    assert len(items) == 1


def test_a_huge_line_is_refused_without_reading_it_whole() -> None:
    """An export that is one 64 MB line (no newline): a clear problem, in bounded memory."""
    import tracemalloc

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one-line.jsonl"
        with path.open("wb") as f:
            f.write(b'{"id": "' + b"x" * (64 << 20) + b'"')
        tracemalloc.start()
        items = list(read_chats(path, CHANNELS))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], Problem) and "longer than" in items[0].reason
    assert peak < 40 << 20


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt", ".coded.csv"])
def test_a_huge_line_is_refused_in_every_text_format(suffix: str) -> None:
    content = b"x" * ((16 << 20) + 10)
    items = _read("coded" if suffix == ".coded.csv" else "chats", content, suffix)
    assert [i.reason for i in items if isinstance(i, Problem) and "longer than" in i.reason]


def test_a_sav_that_crashes_the_spss_reader_is_a_problem_not_a_crash() -> None:
    """Found by the fuzzer: these (synthetic) bytes make ReadStat segfault; zicht reads it in a child first."""
    path = Path(__file__).parents[1] / "data" / "readstat-segfault.sav"
    items = list(read_coded(path, BOOK))
    assert len(items) == 1 and isinstance(items[0], Problem) and "crashed" in items[0].reason
