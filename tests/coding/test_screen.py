"""Screening finds the chats about trafficking that nobody flagged, and leaves the helpline's other subjects alone."""

from __future__ import annotations

from collections import Counter

from zicht.coding.screen import screen
from zicht.synth import generate

SECRET = b"s" * 32


def test_regression_guard_on_synthetic_chats_unflagged_trafficking_chats_are_listed_first_and_other_subjects_are_not() -> None:
    corpus = generate(2020, 2)
    subject = {t["conversation_id"]: t.get("subject", "flagged") for t in corpus.truth}
    screened = screen(corpus.conversations, SECRET)
    found = Counter((subject[s.conversation_id], s.suggestion.value) for s in screened if not s.flagged)
    trafficking = found[("trafficking", "yes")] + found[("trafficking", "no")]
    others = sum(n for (sub, _), n in found.items() if sub != "trafficking")
    false_alarms = sum(n for (sub, value), n in found.items() if sub != "trafficking" and value == "yes")
    assert trafficking >= 10 and found[("trafficking", "yes")] >= 0.9 * trafficking, found
    assert false_alarms <= 0.05 * others, found
    missed = [s for s in screened if s.missed]
    assert screened[: len(missed)] == missed, "the ones to review come first"
    assert all(s.suggestion.evidence for s in missed), "each with the words it rests on"
    flagged = [s for s in screened if s.flagged]
    assert sum(s.suggestion.value == "yes" for s in flagged) >= 0.85 * len(flagged), "most flagged chats are about trafficking"
