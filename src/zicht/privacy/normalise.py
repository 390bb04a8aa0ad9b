"""Text as the finders read it, and the way back from a stretch of that reading to the text as stored.

Invisible characters split a word for a pattern, a list and deduce alike: `J\u200bayden` shows as
"Jayden" and was redacted as `J\u200b[naam]`. So the finders read the text without formatting
characters (zero-width spaces and joiners, soft hyphens, bidi controls, byte-order marks: every
format or default-ignorable character), in NFKC (fullwidth `０６`, 𝐉𝐚𝐲𝐝𝐞𝐧 and ligatures as plain
letters and digits), and each stretch they find is mapped back whole onto the stored text, the
hidden characters inside it included.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Unicode's format characters (Cf) and default-ignorable code points (Unicode 15): shown as nothing.
_HIDDEN_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F),
    (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)  # fmt: skip
HIDDEN = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _HIDDEN_RANGES) + "]")

# Bidi controls that open a level (UAX #9): whether the level is odd (right-to-left), and what it overrides.
_OPENERS = {
    "\u202a": (False, ""), "\u202b": (True, ""),  # LRE, RLE: embeddings
    "\u202d": (False, "L"), "\u202e": (True, "R"),  # LRO, RLO: overrides
    "\u2066": (False, "isolate"), "\u2067": (True, "isolate"), "\u2068": (False, "isolate"),  # LRI, RLI, FSI
}  # fmt: skip
_PDF, _PDI = "\u202c", "\u2069"
_PARAGRAPH = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")  # a paragraph ends every level
_DEEPEST = 125  # UAX #9's max_depth: a deeper opener is ignored by a display, so here too


@dataclass(frozen=True)
class Reading:
    """A text as read, and the way back to the text it was read from.

    `blocks` are difflib's opcodes (tag, i1, i2, j1, j2) from the stored text to the reading, less
    the deletions; none when the reading is the stored text itself.
    """

    text: str
    blocks: tuple[tuple[str, int, int, int, int], ...] = ()

    @classmethod
    def compared(cls, stored: str, text: str) -> Reading:
        """For a reading made elsewhere (number words as digits): the way back as difflib finds it."""
        if text == stored:
            return cls(text)
        opcodes = difflib.SequenceMatcher(None, stored, text, autojunk=False).get_opcodes()
        return cls(text, tuple(op for op in opcodes if op[4] > op[3]))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The stored stretch that `text[start:end]` was read from: a block only partly in it counts whole."""
        if not self.blocks:
            return start, end
        return self._at(start, starts=True), self._at(end, starts=False)

    def _at(self, position: int, starts: bool) -> int:
        k = bisect.bisect_right(self._firsts, position) - 1 if starts else bisect.bisect_left(self._lasts, position)
        tag, i1, i2, j1, j2 = self.blocks[min(max(k, 0), len(self.blocks) - 1)]
        if tag == "equal":
            return i1 + min(max(position - j1, 0), j2 - j1)
        return i1 if (position < j2 if starts else position <= j1) else i2

    @functools.cached_property
    def _firsts(self) -> list[int]:
        return [b[3] for b in self.blocks]

    @functools.cached_property
    def _lasts(self) -> list[int]:
        return [b[4] for b in self.blocks]


def readings(text: str) -> tuple[Reading, ...]:
    """How the finders read a text: one reading, or two when bidi controls show it in another order.

    `\u202enedyaJ\u202c` (a right-to-left override) is stored as "nedyaJ" and shown as "Jayden".
    What a reader sees must name no one, and neither must what a copy, an export or a screen reader
    gives, which is the stored order: so such text is read as shown (first, so that an identifier
    keeps the value a reader sees) and as stored. A stretch between such controls is one block, the
    controls included: a name found in it hides all of it, so the label is not itself shown reversed
    and no control is left behind to reorder the text around it (a control never closed holds to the
    end of its paragraph, as on screen). Plain text is its own reading.
    """
    if text.isascii() or (not HIDDEN.search(text) and unicodedata.is_normalized("NFKC", text)):
        return (Reading(text),)
    pieces = list(_pieces(text, _levels(text) if any(c in text for c in _OPENERS) else [0] * len(text)))
    stored = _reading(text, [(i1, i2, read) for i1, i2, read, _ in pieces])
    shown = _reading(text, [(i1, i2, seen) for i1, i2, _, seen in pieces])
    return (stored,) if shown.text == stored.text else (shown, stored)


def _reading(text: str, pieces: list[tuple[int, int, str]]) -> Reading:
    """The reading the pieces make, an unchanged piece joined to an unchanged one right before it.
    A piece read as nothing (controls around nothing) makes no block: like a hidden character, it is
    redacted only with what stands around it."""
    blocks: list[tuple[str, int, int, int, int]] = []
    j = 0
    for i1, i2, read in pieces:
        if not read:
            continue
        tag = "equal" if read == text[i1:i2] else "replace"
        if tag == "equal" and blocks and blocks[-1][0] == "equal" and blocks[-1][2] == i1:
            blocks[-1] = ("equal", blocks[-1][1], i2, blocks[-1][3], j + len(read))
        else:
            blocks.append((tag, i1, i2, j, j + len(read)))
        j += len(read)
    return Reading("".join(read for _, _, read in pieces), tuple(blocks))


def _pieces(text: str, levels: list[int]) -> Iterator[tuple[int, int, str, str]]:
    """The stored text in pieces (start, end, read as stored, read as shown); hidden characters make none.

    A piece is a character with its combining marks (NFKC joins them: `e\u0301` is `é`), or a stretch
    that bidi controls put on a level of its own.
    """
    i, n = 0, len(text)
    while i < n:
        if levels[i]:
            j = i
            while j < n and levels[j]:
                j += 1
            content = [(c, levels[k]) for k, c in enumerate(text[i:j], i) if not HIDDEN.match(c)]
            yield i, j, _nfkc("".join(c for c, _ in content)), _nfkc("".join(_shown(content)))
        elif HIDDEN.match(text, i):
            j = i + 1
        else:
            j = k = i + 1
            while True:  # the combining marks that follow, hidden characters between them passed over
                while k < n and not levels[k] and HIDDEN.match(text, k):
                    k += 1
                if k == n or levels[k] or not unicodedata.combining(text[k]):
                    break
                j = k = k + 1
            read = _nfkc(HIDDEN.sub("", text[i:j]))
            yield i, j, read, read
        i = j


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _levels(text: str) -> list[int]:
    """Each character's display level under the explicit bidi controls, 0 outside them (UAX #9 X1-X10).

    A control that opens or closes a level counts as 1: it belongs to the stretch it bounds. Every
    character not overridden is taken as left-to-right (I2): Dutch chats are written in Latin letters.
    """
    levels = [0] * len(text)
    stack: list[tuple[int, str]] = [(0, "")]  # level, override ("", "L", "R" or "isolate")
    overflow_isolates = overflow_embeddings = 0
    for i, c in enumerate(text):
        level, override = stack[-1]
        inside = len(stack) > 1
        if c in _PARAGRAPH:
            del stack[1:]
            overflow_isolates = overflow_embeddings = 0
        elif c in _OPENERS:
            odd, kind = _OPENERS[c]
            new = level + 1 if (level + 1) % 2 == odd else level + 2
            if new <= _DEEPEST and not overflow_isolates and not overflow_embeddings:
                stack.append((new, kind))
            elif kind == "isolate":
                overflow_isolates += 1
            elif not overflow_isolates:
                overflow_embeddings += 1
            levels[i] = 1
        elif c == _PDI:
            if overflow_isolates:
                overflow_isolates -= 1
            elif any(kind == "isolate" for _, kind in stack):
                overflow_embeddings = 0
                while stack.pop()[1] != "isolate":
                    pass
            levels[i] = int(inside)
        elif c == _PDF:
            if overflow_embeddings and not overflow_isolates:
                overflow_embeddings -= 1
            elif not overflow_isolates and inside and override != "isolate":
                stack.pop()
            levels[i] = int(inside)
        else:
            levels[i] = level + 1 if override in ("", "isolate") and level % 2 else level
    return levels


def _shown(content: list[tuple[str, int]]) -> list[str]:
    """Characters in the order a display shows them: from the highest level down to 1, every run at
    that level or higher reversed (UAX #9 L2)."""
    chars = list(content)
    for level in range(max((lv for _, lv in chars), default=0), 0, -1):
        i = 0
        while i < len(chars):
            if chars[i][1] < level:
                i += 1
                continue
            j = i
            while j < len(chars) and chars[j][1] >= level:
                j += 1
            chars[i:j] = chars[i:j][::-1]
            i = j
    return [c for c, _ in chars]
