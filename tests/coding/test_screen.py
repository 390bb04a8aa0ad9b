"""Screening finds the chats about trafficking that nobody flagged, and leaves the helpline's other subjects alone."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from zicht.coding.screen import likely_missed_threshold, precision_among, screen
from zicht.knowledge.suggestion import suggestion_rules
from zicht.synth import generate
from zicht.transcripts.model import Conversation, Message

SECRET = b"s" * 32


def test_regression_guard_on_synthetic_chats_unflagged_trafficking_chats_are_ranked_and_listed_first() -> None:
    corpus = generate(2020, 2)
    subject = {t["conversation_id"]: t.get("subject", "flagged") for t in corpus.truth}
    screened = screen(corpus.conversations, SECRET)
    unflagged = [s for s in screened if not s.flagged]
    assert screened[: len(unflagged)] == unflagged, "the unflagged ones come first: they are what screening is for"
    assert [s.chance for s in unflagged] == sorted((s.chance for s in unflagged), reverse=True), "most likely first"
    found = Counter((subject[s.conversation_id] == "trafficking", s.missed) for s in unflagged)
    trafficking, others = found[True, True] + found[True, False], found[False, True] + found[False, False]
    assert trafficking >= 10 and found[True, True] >= 0.9 * trafficking, found
    assert found[False, True] <= 0.05 * others, found
    ranks = [i for i, s in enumerate(unflagged) if subject[s.conversation_id] == "trafficking"]
    assert ranks == list(range(trafficking)), "on the generator's chats, every trafficking chat above every other subject"
    assert all(s.evidence for s in unflagged if s.missed), "each listed with the words it rests on"
    flagged = [s for s in screened if s.flagged]
    assert sum(s.suggestion.value == "yes" for s in flagged) >= 0.85 * len(flagged), "most flagged chats are about trafficking"


def test_a_chat_is_likelier_about_trafficking_the_more_the_reader_finds_of_it() -> None:
    chats = {
        "nothing": ["hoi ik wil even praten", "ik voel me rot vandaag"],
        "coercion": ["hij dwingt me dingen te doen", "als ik nee zeg slaat hij me"],
        "form": ["hij dwingt me dingen te doen", "als ik nee zeg slaat hij me", "ik moet met mannen naar bed en hij krijgt het geld"],
    }
    chance = {name: screen([_chat(name, lines)], SECRET)[0].chance for name, lines in chats.items()}
    assert chance["nothing"] < suggestion_rules().screening.likely_missed < chance["form"], chance
    assert chance["nothing"] < chance["coercion"] < chance["form"], chance


def _chat(name: str, lines: list[str]) -> Conversation:
    start = dt.datetime(2020, 3, 1, 20, 0)
    messages = tuple(Message(start + dt.timedelta(minutes=i), "visitor", line) for i, line in enumerate(lines))
    return Conversation(name, "v", "chat", start, False, messages)


def test_a_false_alarm_counts_as_the_look_alikes_a_real_year_would_add() -> None:
    # 10 chats about trafficking, 10 not; at 5 look-alikes each one listed wrongly stands for 5.
    assert precision_among(4, 5, 10, 10, look_alikes=5) == 4 / 9
    assert precision_among(0, 0, 10, 10, look_alikes=5) is None
    assert precision_among(3, 3, 3, 0, look_alikes=5) == 1.0


def test_the_threshold_lists_the_most_while_precision_holds_among_look_alikes() -> None:
    chances = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5]
    about = [True, True, False, True, False, False]
    # Above 0.8 the two at the top, both right. Taking 0.7 as well lists 3 of 4, but the false
    # alarm at 0.8 then stands for 5 (3/8 < 0.7): the threshold stays where it was.
    assert likely_missed_threshold(chances, about) == 0.8
