"""A helpline's full year: the everyday chats fill the year to its volume and leave the monitor as it was."""

from __future__ import annotations

from collections import Counter

import pytest

from zicht.errors import KnowledgeError
from zicht.knowledge.read import parse
from zicht.synth import Corpus, generate
from zicht.synth.everyday import _compile, everyday_year

FULL = 6000


@pytest.fixture(scope="module")
def full_year() -> Corpus:
    return generate(2020, 0, chats=FULL)


def test_the_year_holds_as_many_chats_as_asked_and_the_monitors_chats_and_codes_are_unchanged(full_year: Corpus) -> None:
    monitor = generate(2020, 0)
    assert len(full_year.conversations) == FULL
    assert full_year.conversations[: len(monitor.conversations)] == monitor.conversations
    assert full_year.cases == monitor.cases
    assert [c for c in full_year.conversations if c.flagged] == monitor.flagged


def test_about_two_chats_a_person_most_once_a_few_often(full_year: Corpus) -> None:
    chats_of = Counter(t["person_id"] for t in full_year.truth)
    assert len(chats_of) == pytest.approx(FULL / everyday_year().chats_per_visitor, rel=0.1)
    once = sum(1 for n in chats_of.values() if n == 1)
    assert once > len(chats_of) / 3 and max(chats_of.values()) >= 6


def test_the_subjects_come_in_their_shares_and_none_is_about_trafficking(full_year: Corpus) -> None:
    everyday = [t for t in full_year.truth if t["conversation_id"].split("-")[1].startswith("E")]
    subjects = Counter(t["subject"] for t in everyday)
    for subject, share in everyday_year().subjects.items():
        assert subjects[subject] / len(everyday) == pytest.approx(share / 100, abs=0.02), subject
    assert not any(t["about_trafficking"] or t["flagged"] for t in everyday)


def test_some_monitor_visitors_also_chat_on_another_subject_under_their_own_name(full_year: Corpus) -> None:
    names = {c.id: c.username for c in full_year.conversations}
    flagged_names: dict[str, set[str]] = {}
    for t in full_year.truth:
        if t["flagged"]:
            flagged_names.setdefault(t["person_id"], set()).add(names[t["conversation_id"]])
    also = [t for t in full_year.truth if not t["flagged"] and t["person_id"] in flagged_names]
    assert len({t["person_id"] for t in also}) > 0.15 * len(flagged_names)
    assert all(names[t["conversation_id"]] in flagged_names[t["person_id"]] for t in also if not t["duplicate"])


def test_a_greeting_alone_is_a_chat_too(full_year: Corpus) -> None:
    by_id = {c.id: c for c in full_year.conversations}
    hoi = [by_id[t["conversation_id"]] for t in full_year.truth if t.get("subject") == "hoi_only"]
    assert hoi and all(sum(m.sender == "visitor" for m in c.messages) == 1 for c in hoi)


def test_the_chats_come_in_time_order_within_the_year(full_year: Corpus) -> None:
    everyday = [c for c in full_year.conversations if c.id.split("-")[1].startswith("E")]
    assert [c.started_at for c in everyday] == sorted(c.started_at for c in everyday)
    assert {c.started_at.year for c in everyday} == {2020}


@pytest.mark.parametrize("chats", [539, 540, 541, 557])
def test_any_number_of_chats_from_the_monitors_own_on_is_made_exactly(chats: int) -> None:
    assert len(generate(2020, 0, chats=chats).conversations) == chats


def test_fewer_chats_than_the_monitor_holds_is_refused() -> None:
    with pytest.raises(ValueError, match="539 chats already"):
        generate(2020, 0, chats=100)


def test_the_shares_are_checked_when_loaded() -> None:
    text = "subjects: {prank: 60, bullying: 30}\nchats_per_visitor: 2\nsame_username: 0.5\ndays_between: [1, 9]\n"
    text += "flagged_visitors_with_other_chats: 0.2\nother_subjects_of_flagged: [poetry]\n"
    with pytest.raises(KnowledgeError) as e:
        parse(text, "everyday.yaml", _compile)
    assert "subjects: the shares add up to 90, not 100" in str(e.value)
    assert "other_subjects_of_flagged.poetry: no phrases for 'poetry'" in str(e.value)
