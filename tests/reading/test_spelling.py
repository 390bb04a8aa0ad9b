"""Mistyped key words are read as the lexicon writes them, and nothing else changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.reading.spelling import key_words, respelled


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("ik moet durgs verkopen", "ik moet drugs verkopen"),
        ("hij laat me met mnanen naar bed", "hij laat me met mannen naar bed"),
        ("ik heb het aan nimeand verteld", "ik heb het aan niemand verteld"),
        ("mn zsuje moet het nu ook doen", "mn zusje moet het nu ook doen"),
    ],
)
def test_a_swapped_or_mistyped_letter_in_a_key_word_is_read_right(typed: str, read: str) -> None:
    assert respelled(typed) == read


@pytest.mark.parametrize("text", ["ik ben zo moe van alles", "de mensen in de buurt", "hij heet yassin", "lockdown en corona"])
def test_words_spelled_right_and_words_that_are_no_key_word_stay(text: str) -> None:
    assert respelled(text) == text


def test_the_key_words_are_the_lexicons() -> None:
    assert {"drugs", "mannen", "niemand"} <= key_words()


@given(st.text(alphabet="abcdeëfghijklmnopqrstuvwxyz .,!?", max_size=200))
def test_a_text_keeps_its_length_so_every_span_stays_on_the_message(text: str) -> None:
    assert len(respelled(text)) == len(text)
