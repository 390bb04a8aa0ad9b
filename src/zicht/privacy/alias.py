"""A short, stable alias for a pseudonym, to say aloud: "groene reiger 17", not "b-38fc9a01c2d4e5f6".

Drawn from the pseudonym's own digits, so it tells nothing the pseudonym does not, and is the
same wherever the pseudonym is. The words are a table (`data/aliases-nl.yaml`), checked when loaded.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any

from zicht.knowledge.read import Reader, load

NUMBERS = 99


@dataclass(frozen=True)
class AliasWords:
    adjectives: tuple[str, ...]
    animals: tuple[str, ...]


def alias(pseudonym: str) -> str:
    words = alias_words()
    n = int.from_bytes(hashlib.sha256(pseudonym.encode("utf-8")).digest()[:8], "big")
    n, adjective = divmod(n, len(words.adjectives))
    n, animal = divmod(n, len(words.animals))
    return f"{words.adjectives[adjective]} {words.animals[animal]} {n % NUMBERS + 1}"


@functools.cache
def alias_words() -> AliasWords:
    return load("zicht.privacy", "aliases-nl.yaml", _compile)


def _compile(r: Reader, raw: dict[str, Any]) -> AliasWords:
    r.fields(raw, "", ("adjectives", "animals"))
    lists = {}
    for key in ("adjectives", "animals"):
        words = raw.get(key)
        if not isinstance(words, list) or len(words) < 16 or not all(isinstance(w, str) and w.isalpha() and w.islower() for w in words):
            r.problem(key, "needs at least 16 words in lower-case letters")
            words = []
        if len(set(words)) != len(words):
            r.problem(key, "a word is listed twice")
        lists[key] = tuple(words)
    return AliasWords(lists["adjectives"], lists["animals"])
