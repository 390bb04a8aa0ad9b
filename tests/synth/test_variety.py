"""The synthetic chats vary as visitors do: phrases built from parts, short answers, denials (issue 20, point 6)."""

from __future__ import annotations

import random
import re

from zicht.synth import generate
from zicht.synth.phrases import bank, pick

YEAR = generate(2020, 0)


def test_a_phrase_built_from_parts_draws_each_part_apart() -> None:
    rng = random.Random(7)
    told = {pick(rng, ["{~if_refuse} {~then_hurt}"]) for _ in range(300)}
    parts = bank()["parts"]
    assert not any("{~" in t for t in told)
    assert len(told) == len(parts["if_refuse"]) * len(parts["then_hurt"]), "every condition with every consequence"


def _letters(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def test_a_short_answer_comes_right_after_the_counsellors_question() -> None:
    short = {_letters(a) for part in ("none_told", "some_told", "not_safe", "safe") for a in bank()["parts"][part]}
    answered = 0
    for chat in YEAR.conversations:
        for before, message in zip(chat.messages, chat.messages[1:], strict=False):
            if message.sender == "visitor" and _letters(message.text) in short:
                assert before.sender == "counsellor" and before.text.endswith("?"), (chat.id, message.text)
                answered += 1
    assert answered >= 30, "a visitor often answers in a word or two"


def test_a_means_the_visitor_denies_is_never_the_coded_one() -> None:
    denied = re.compile(r"nooit geslagen|slaat me niet|geweld is er niet|doet me geen pijn")
    chats = {c.id: c for c in YEAR.conversations}
    denying = [
        case
        for case in YEAR.cases
        if any(denied.search(m.text.lower()) for i in case.conversation_ids for m in chats[i].messages if m.sender == "visitor")
    ]
    assert len(denying) >= 3, "few: most coerced cases are coerced by violence (86% in 2020)"
    assert all("violence" not in (case.values.get("coercion") or ()) for case in denying)  # type: ignore[operator]
