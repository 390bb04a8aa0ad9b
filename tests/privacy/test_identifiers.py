"""Identifier tokens on import: a chat's numbers and handles become keyed tokens, and a token is never read again."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.knowledge.identifiers import identifier_patterns
from zicht.privacy.identifiers import FEWEST_DIGITS, TOKEN, find_identifiers, redact

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


SECRET = b"s" * 32


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("bel 06\u200b12345678", "bel 0612345678"),
        ("bel 06\ufeff12345678", "bel 0612345678"),
        ("bel 06\u200e1234\u200f5678", "bel 0612345678"),
        ("bel 06\u2066123\u206945678", "bel 0612345678"),
        ("bel 06\U000e0041\U000e004212345678", "bel 0612345678"),
        ("bel ０６-１２３４\u200b５６７８", "bel 0612345678"),
        ("bel \u202e87654321-60\u202c", "bel 0612345678"),  # a right-to-left override: shown as 06-12345678
        ("insta @li\u200bsa_2007", "insta @lisa_2007"),
        ("mail ｌｉｓａ＠ｅｘａｍｐｌｅ．ｎｌ", "mail lisa@example.nl"),
    ],
)
def test_an_identifier_with_invisible_characters_or_fullwidth_forms_is_stored_as_the_plain_ones_token(typed: str, plain: str) -> None:
    """Nothing of it reaches the database, and linkage still sees the same visitor's number."""
    assert redact(typed, SECRET) == redact(plain, SECRET)


INVISIBLE = [*"\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\ufe0f", *"\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(
    st.sampled_from(["06-{}{}", "06{}{}", "+31 6 {} {}", "06 {} {}", "(06) {}-{}"]),
    st.integers(1000, 9999),
    st.integers(1000, 9999),
    st.lists(st.booleans(), min_size=16, max_size=16),
    st.lists(st.tuples(st.integers(0, 100), st.sampled_from(INVISIBLE)), min_size=1, max_size=4),
)
def test_no_digit_of_a_number_with_invisible_characters_or_fullwidth_digits_is_stored(
    layout: str, a: int, b: int, wide: list[bool], inserted: list[tuple[int, str]]
) -> None:
    plain = layout.format(a, b)
    typed = "".join(c.translate(FULLWIDTH) if w else c for c, w in zip(plain, wide, strict=False))
    for position, char in inserted:
        at = 1 + position % (len(typed) - 1)
        typed = typed[:at] + char + typed[at:]
    stored = redact(f"mijn nummer is {typed}", SECRET)
    assert not any(c.isdigit() for c in TOKEN.sub("", stored)), ascii(stored)
    if "\u202e" not in typed:  # an override may show other digits, and the token is of what is shown
        assert stored == redact(f"mijn nummer is {plain}", SECRET), ascii(typed)


@given(st.lists(st.sampled_from([*"ab0 1._@-'\"ZÉ", "insta", "snap", " heet ", " is ", "naam"]), max_size=30).map("".join))
def test_a_handle_pattern_is_spared_only_where_it_could_not_match(text: str) -> None:
    """A pattern's `needs` lets import skip most messages; it must never skip one the pattern would match."""
    for handle in identifier_patterns().handle:
        if handle.needs is not None and handle.pattern.search(text):
            assert handle.needs.search(text), (handle.pattern.pattern, text)


def test_the_digits_a_phone_number_needs_are_the_fewest_libphonenumber_takes() -> None:
    """Messages with fewer digits are spared the phone matcher: no region's number may be shorter."""
    from phonenumbers import SUPPORTED_REGIONS, PhoneMetadata

    shortest = min(min(PhoneMetadata.metadata_for_region(r).general_desc.possible_length or (99,)) for r in SUPPORTED_REGIONS)
    dutch = min(PhoneMetadata.metadata_for_region("NL").general_desc.possible_length)
    assert min(shortest + 1, dutch) >= FEWEST_DIGITS  # +1: an international number has a country code
    assert [f.kind for f in find_identifiers("bel 06 123")] == ["phone"]  # five digits: still tried
