"""A pseudonym's alias: a name to say aloud, the same everywhere, and different for nearly every visitor."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.errors import KnowledgeError
from zicht.knowledge.read import parse
from zicht.privacy import pseudonym
from zicht.privacy.alias import _compile, alias


@given(st.text(min_size=1, max_size=30))
def test_an_alias_is_two_dutch_words_and_a_number_and_the_same_each_time(username: str) -> None:
    name = pseudonym(b"k" * 32, username)
    said = alias(name)
    adjective, animal, number = said.split(" ")
    assert adjective.isalpha() and animal.isalpha() and 1 <= int(number) <= 99
    assert alias(name) == said


def test_a_years_visitors_nearly_all_get_an_alias_of_their_own() -> None:
    secret = os.urandom(32)
    aliases = {alias(pseudonym(secret, f"visitor{i}")) for i in range(10_000)}
    assert len(aliases) >= 9_800, "about 120 shared among 10,000 (405,504 aliases); the pseudonym tells those apart"


@pytest.mark.parametrize(("text", "says"), [
    ("adjectives: [rode, blauwe]\nanimals: [vos]\n", "adjectives: needs at least 16 words"),
    ("adjectives: [" + ", ".join(["rode"] * 16) + "]\nanimals: [" + ", ".join(f"dier{chr(97 + i)}" for i in range(16)) + "]\n",
     "adjectives: a word is listed twice"),
])  # fmt: skip
def test_a_broken_word_table_is_refused_with_its_place(text: str, says: str) -> None:
    with pytest.raises(KnowledgeError) as refused:
        parse(text, "aliases-nl.yaml", _compile)
    assert f"aliases-nl.yaml: {says}" in str(refused.value)
