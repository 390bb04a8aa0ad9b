"""How e-mail addresses and handles appear in Dutch chats (`privacy/data/identifiers-nl.yaml`), compiled and checked."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from zicht.knowledge.read import Reader, load


@dataclass(frozen=True)
class IdentifierPatterns:
    """E-mail addresses and handles (phone numbers are libphonenumber's); the group `value` is the identifier."""

    email: re.Pattern[str]
    handle: tuple[re.Pattern[str], ...]


@functools.cache
def identifier_patterns() -> IdentifierPatterns:
    return load("zicht.privacy", "identifiers-nl.yaml", compile_identifiers)


def compile_identifiers(r: Reader, raw: dict[str, Any]) -> IdentifierPatterns:
    r.fields(raw, "", ("email", "handle"))
    return IdentifierPatterns(
        email=r.pattern(raw.get("email"), "email", re.IGNORECASE, ("value",)),
        handle=r.compiled(raw.get("handle"), "handle", ("value",)),
    )
