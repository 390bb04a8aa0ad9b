"""Reading many chats at once: in processes, the same profiles in the same order as one by one."""

from __future__ import annotations

import pytest

from reading.test_profile import SECRET
from zicht.reading import many, profile
from zicht.synth import generate


def test_profiles_read_in_processes_are_those_read_here_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    chats = generate(2020, 0).conversations[:300]
    monkeypatch.setattr(many, "CHUNK", 40)
    monkeypatch.setattr(many, "IN_PROCESSES_FROM", 100)
    told: list[int] = []
    assert many.profiles(chats, SECRET, processes=2, progress=told.append) == [profile(c, SECRET) for c in chats]
    assert sum(told) == 300 and len(told) == 8


def test_few_chats_are_read_here_without_starting_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool for a handful of chats")

    monkeypatch.setattr(many, "ProcessPoolExecutor", refused)
    chats = generate(2020, 0).conversations[:20]
    assert many.profiles(chats, SECRET) == [profile(c, SECRET) for c in chats]
