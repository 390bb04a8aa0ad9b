"""Screening: which conversations are about trafficking, flagged by a counsellor or not.

The report's point is that victims stay invisible; a chat nobody flagged can still be about
trafficking. Every conversation gets the `about_trafficking` suggestion on its own; the
unflagged ones suggested "yes" are listed for the researchers, most certain first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zicht.coding.suggest import Suggestion, about_trafficking
from zicht.linkage.profile import profile
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


def screen(conversations: Iterable[Conversation], secret: bytes) -> list[Screened]:
    """Each conversation on its own; the missed ones first, most certain first, then the rest in order."""
    screened = [Screened(c.id, c.flagged, about_trafficking([c], [profile(c, secret)])) for c in conversations]
    return sorted(screened, key=lambda s: (not s.missed, -s.suggestion.confidence if s.missed else 0.0, s.conversation_id))
