"""Key words as visitors mistype them: "durgs" is read as "drugs", so the lexicon's cues still find it.

Only mistakes that keep a word's length (two neighbouring letters swapped; one letter wrong in a
word of six or more), so every span read stays on the message's own characters; only in words
no dictionary holds in everyday use; and only into a word the lexicon's cues are written with,
when exactly one such word is that close.
"""

from __future__ import annotations

import functools
import re
import string

from zicht.knowledge.lexicon import lexicon
from zicht.privacy.redaction import is_everyday_word

_WORD = re.compile(r"[a-zë]{5,}")
_LETTERS = string.ascii_lowercase + "ë"


def respelled(text: str) -> str:
    """The lower-cased text with each mistyped key word set right; its length unchanged."""
    fixes = _respellings()

    def fixed(m: re.Match[str]) -> str:
        word = m.group()
        return fixes[word] if word in fixes and not is_everyday_word(word) else word

    return _WORD.sub(fixed, text)


@functools.cache
def _respellings() -> dict[str, str]:
    """Every same-length mistake of a key word -> the key word, unless it is a key word itself or two key words are that close."""
    keys = key_words()
    found: dict[str, set[str]] = {}
    for key in keys:
        for wrong in _mistakes(key):
            if wrong not in keys:
                found.setdefault(wrong, set()).add(key)
    return {wrong: next(iter(right)) for wrong, right in found.items() if len(right) == 1}


def key_words() -> frozenset[str]:
    """The words of five letters or more that the lexicon's fact cues are written with."""
    return frozenset(w for cues in lexicon().facts.values() for pattern in cues.values() for w in _WORD.findall(pattern.pattern))


def _mistakes(word: str) -> set[str]:
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]}
    wrong = {word[:i] + c + word[i + 1 :] for i in range(1, len(word)) for c in _LETTERS if c != word[i]} if len(word) >= 6 else set()
    return swapped | wrong
