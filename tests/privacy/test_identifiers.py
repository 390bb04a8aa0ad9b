"""Identifier tokens on import: a chat's numbers and handles become keyed tokens, and a token is never read again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zicht.privacy.identifiers import TOKEN, find_identifiers, redact

TEXT = "bel me op 06-12345678 of insta @lisa_2007, mail lisa@example.nl"


@given(st.binary(min_size=32, max_size=32))
def test_a_token_is_never_taken_for_an_identifier_whatever_the_secret(secret: bytes) -> None:
    """The hex of a keyed hash holds digits: read as a phone number, what a chat says would depend on the project's secret."""
    once = redact(TEXT, secret)
    assert len(TOKEN.findall(once)) == 3
    assert find_identifiers(once) == []
    assert redact(once, secret) == once


def test_offsets_are_those_of_the_text_around_a_token() -> None:
    text = redact("nummer 06-12345678", b"k" * 32) + " en 0612345679"
    [found] = find_identifiers(text)
    assert text[found.start : found.end] == "0612345679"
