"""How the finders read text: every invisible character seen through, plain text read as it is."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.privacy.normalise import HIDDEN, Reading, readings


def test_every_format_character_pythons_unicode_knows_is_read_through() -> None:
    """A newer Python's Unicode may add format characters: each must be hidden, or it splits a name again."""
    missing = [hex(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf" and not HIDDEN.match(chr(c))]
    assert missing == []


@pytest.mark.parametrize("text", ["ik heet Sanne", "één café in Zoetermeer, ’s avonds 😊", "naïef\nen dat is het"])
def test_plain_text_is_read_as_it_is_so_it_is_redacted_as_before(text: str) -> None:
    assert readings(text) == (Reading(text),)


@given(st.text(st.characters(codec="utf-8") | st.sampled_from("\u200b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069\u0301\n")), st.data())
def test_a_stretch_of_any_reading_is_a_stretch_of_the_stored_text(text: str, data: st.DataObject) -> None:
    """Whatever a finder finds in a reading, the redaction cuts out of the stored text: in bounds, all of it."""
    for reading in readings(text):
        if reading.text:
            start = data.draw(st.integers(0, len(reading.text) - 1))
            end = data.draw(st.integers(start + 1, len(reading.text)))
            a, b = reading.span(start, end)
            assert 0 <= a < b <= len(text)
            assert any(reading.text[start:end] in r.text for r in readings(text[a:b])), "the stretch holds all that was read"
