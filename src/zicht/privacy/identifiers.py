"""Phone numbers, handles and e-mail addresses in chat text, replaced by keyed tokens on import.

A token `[phone-1a2b...]` is the identifier's keyed hash: two chats with the same number
carry the same token, so linkage can still compare them, while the number itself never
reaches the database. Numbers are found as `normalise.readings` reads them: `06\u200e1234\u200f5678`
and `０６１２３４５６７８` are 0612345678, replaced whole, and carry the same token as the plain number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import phonenumbers

from zicht.knowledge.identifiers import identifier_patterns
from zicht.privacy.normalise import readings
from zicht.privacy.pseudonym import identifier_hash

# The fewest digits of a number libphonenumber can take as possible: 4 national digits (its shortest
# length in any region) after a country code of at least 1, or 5 in the Netherlands.
FEWEST_DIGITS = 5
_DIGIT = re.compile(r"\d")
TOKEN = re.compile(r"\[(?P<value>(?:phone|handle|email)-[0-9a-f]{16})\]")


@dataclass(frozen=True)
class Found:
    kind: str  # phone | handle | email
    value: str  # normalised: E.164 for phones, lower case without @ for handles
    start: int
    end: int


def find_identifiers(text: str) -> list[Found]:
    """Every identifier in the text, left to right, overlaps removed (an e-mail is not also a handle).

    Spans are on the text as given, hidden characters inside an identifier included. One that
    overlaps an identifier before it (the same number read as shown and as stored) adds its
    characters to that one's: the first keeps its value, and no digit is left behind.
    """
    found = [replace(f, start=a, end=b) for r in readings(text) for f in _found(r.text) for a, b in [r.span(f.start, f.end)]]
    kept: list[Found] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
        elif item.end > kept[-1].end:
            kept[-1] = replace(kept[-1], end=item.end)
    return kept


def _found(text: str) -> list[Found]:
    """Tokens already in the text are no identifiers: the digits of a keyed hash are not a phone
    number, and what they are read as would differ from one project's secret to the next."""
    text = TOKEN.sub(lambda m: " " * len(m.group()), text)  # the same length: the offsets stay those of the text
    found: list[Found] = []
    if len(_DIGIT.findall(text)) >= FEWEST_DIGITS:  # most messages have none: the matcher, the costliest finder, is spared
        for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.POSSIBLE):
            number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append(Found("phone", number, match.start, match.end))
    patterns = identifier_patterns()
    if "@" in text:
        for m in patterns.email.finditer(text):
            found.append(Found("email", m.group("value").lower(), *m.span("value")))
    for pattern in patterns.handle:
        for m in pattern.finditer(text):
            value = m.group("value").lower().strip(".")
            if not value.replace(".", "").isdigit():
                found.append(Found("handle", value, *m.span("value")))
    return found


def redact(text: str, secret: bytes) -> str:
    """The text with each identifier replaced by its keyed token."""
    parts, last = [], 0
    for item in find_identifiers(text):
        parts += [text[last : item.start], f"[{identifier_hash(secret, item.kind, item.value)}]"]
        last = item.end
    return "".join(parts) + text[last:]
