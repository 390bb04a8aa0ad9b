"""Screening finds the chats about trafficking that nobody flagged, and leaves the helpline's other subjects alone."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from zicht.coding.screen import screen
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
