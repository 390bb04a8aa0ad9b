"""Screening: which conversations are about trafficking, flagged by a counsellor or not.

The report's point is that victims stay invisible; a chat nobody flagged can still be about
trafficking. Every conversation gets the `about_trafficking` suggestion on its own; the
unflagged ones suggested "yes" are listed for the researchers, most certain first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from zicht.coding.suggest import Suggestion, about_trafficking
from zicht.linkage.profile import profile
from zicht.transcripts import csvsafe
from zicht.transcripts.model import Conversation


@dataclass(frozen=True)
class Screened:
    conversation_id: str
    flagged: bool
    suggestion: Suggestion  # about_trafficking, with its confidence and the words it rests on

    @property
    def missed(self) -> bool:
        """About trafficking by the words, but not flagged: one for the researchers to read."""
        return not self.flagged and self.suggestion.value == "yes"

    @property
    def certainty(self) -> float:
        """How sure the screening is that the conversation is about trafficking, 0 to 1: the ranking's key."""
        s = self.suggestion
        return s.confidence if s.value == "yes" else 1.0 - s.confidence


def screen(conversations: Iterable[Conversation], secret: bytes) -> list[Screened]:
    """Each conversation on its own; the missed ones first, most certain first, then the rest in order."""
    screened = [Screened(c.id, c.flagged, about_trafficking([c], [profile(c, secret)])) for c in conversations]
    return sorted(screened, key=lambda s: (not s.missed, -s.suggestion.confidence if s.missed else 0.0, s.conversation_id))


SCREENING_COLUMNS = ["conversation_id", "flagged", "about_trafficking", "confidence", "message", "start", "end"]


def write_screening(screened: Iterable[Screened], path: Path) -> None:
    """Every conversation's screening as CSV (`zicht screen --out`): the first span of evidence, if any."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(SCREENING_COLUMNS)
        for s in screened:
            span = s.suggestion.evidence[0] if s.suggestion.evidence else None
            where = [span.message, span.start, span.end] if span else ["", "", ""]
            writer.writerow(csvsafe.row([s.conversation_id, int(s.flagged), s.suggestion.value, f"{s.suggestion.confidence:.2f}", *where]))
