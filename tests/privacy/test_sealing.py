"""Sealed text: opens only with its key and in its own field; a keyring survives its file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.privacy.sealing import Keyring, SealError, is_sealed, key_of


@given(st.text())
def test_any_text_opens_as_it_was_sealed(text: str) -> None:
    ring = Keyring.new()
    sealed = ring.seal(text, "store.message.text")
    assert is_sealed(sealed) and ring.open(sealed, "store.message.text") == text


def test_the_same_text_seals_differently_each_time() -> None:
    ring = Keyring.new()
    assert ring.seal("ik woon in Zwolle", "f") != ring.seal("ik woon in Zwolle", "f")


def test_an_altered_moved_or_foreign_value_does_not_open() -> None:
    ring = Keyring.new()
    sealed = ring.seal("ik woon in Zwolle", "store.message.text")
    with pytest.raises(SealError, match="moved from another field"):
        ring.open(sealed, "store.comment.text")
    flipped = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(SealError):
        ring.open(flipped, "store.message.text")
    with pytest.raises(SealError, match="does not hold"):
        Keyring.new().open(sealed, "store.message.text")
    with pytest.raises(SealError, match="plain text"):
        ring.open("ik woon in Zwolle", "store.message.text")


def test_a_new_key_seals_and_the_old_one_still_opens() -> None:
    old = Keyring.new()
    sealed = old.seal("oud", "f")
    both = old.with_new_key()
    assert key_of(both.seal("nieuw", "f")) == both.current != key_of(sealed)
    assert both.open(sealed, "f") == "oud"


def test_the_key_file_round_trips_and_a_bad_line_is_named() -> None:
    ring = Keyring.new().with_new_key()
    again = Keyring.loads(ring.dumps(), "text.key")
    assert again == ring and again.current == ring.current
    with pytest.raises(SealError, match=r"text\.key, line 2"):
        Keyring.loads(ring.dumps().splitlines()[0] + "\nkapot\n", "text.key")
    with pytest.raises(SealError, match="32 bytes"):
        Keyring.loads("k1 AAAA\n", "text.key")
