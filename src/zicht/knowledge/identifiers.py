"""How e-mail addresses and handles appear in Dutch chats (`privacy/data/identifiers-nl.yaml`), compiled and checked."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zicht.knowledge.read import Reader, load


@dataclass(frozen=True)
class HandlePattern:
    """A way handles appear, and what a text must hold for it to be tried at all (an import reads
    150,000 messages a year, and few of them hold an "@" or an underscore)."""

    pattern: re.Pattern[str]
    needs: re.Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.needs is None or self.needs.search(text):
            yield from self.pattern.finditer(text)


@dataclass(frozen=True)
class IdentifierPatterns:
    """E-mail addresses and handles (phone numbers are libphonenumber's); the group `value` is the identifier."""

    email: re.Pattern[str]
    handle: tuple[HandlePattern, ...]


@functools.cache
def identifier_patterns() -> IdentifierPatterns:
    return load("zicht.privacy", "identifiers-nl.yaml", compile_identifiers)


def compile_identifiers(r: Reader, raw: dict[str, Any]) -> IdentifierPatterns:
    r.fields(raw, "", ("email", "handle"))
    return IdentifierPatterns(
        email=r.pattern(raw.get("email"), "email", re.IGNORECASE, ("value",)),
        handle=tuple(_handle(r, item, where) for where, item in r.listed(raw.get("handle"), "handle", "patterns")),
    )


def _handle(r: Reader, raw: Any, where: str) -> HandlePattern:
    """A pattern, or `{pattern: ..., needs: ...}` where `needs` is what every text it matches holds."""
    if not isinstance(raw, dict):
        return HandlePattern(r.pattern(raw, where, re.IGNORECASE, ("value",)))
    item = r.fields(raw, where, ("pattern", "needs"))
    needs = r.pattern(item["needs"], f"{where}.needs", re.IGNORECASE) if "needs" in item else None
    return HandlePattern(r.pattern(item.get("pattern"), f"{where}.pattern", re.IGNORECASE, ("value",)), needs)
