"""Screen: is each chat about trafficking, flagged or not; the unflagged ones that look like it are listed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
    from zicht.analysis.recapture import Estimate
    from zicht.codebook import Codebook
    from zicht.coding.screen import Screened
    from zicht.transcripts.model import Conversation


@dataclass(frozen=True)
class Screening:
    conversations: dict[str, Conversation]
    screened: list[Screened]

    @property
    def missed(self) -> list[Screened]:
        return [s for s in self.screened if s.missed]

    @property
    def flagged(self) -> list[Screened]:
        return [s for s in self.screened if s.flagged]


def screen(project: Project, year: int | None, steps: Steps = QUIET) -> Screening:
    """Every chat of the year screened, and each one's screening kept (without text) for the estimate."""
    from zicht.coding.screen import reader_version
    from zicht.coding.screen import screen as screen_all
    from zicht.store import linking
    from zicht.store import screening as stored

    conversations = {c.id: c for c in linking.conversations(year, flagged=None)}
    steps.start(f"screen {len(conversations)} conversations", total=len(conversations))
    screened = screen_all(conversations.values(), project.secret, steps.advance)
    stored.keep(screened, reader_version())
    return Screening(conversations, screened)


def estimate(project: Project, year: int, codebook: Codebook | None = None, steps: Steps = QUIET) -> Estimate:
    """The trafficking chats of the year, found or not, from the counsellor's flag and the screening
    (`analysis.recapture`); a chat whose case the researchers coded as not about trafficking counts for neither.

    The screening `zicht screen` kept is read where the same reader made it; only the other chats are read again."""
    from zicht.analysis.recapture import Detected, from_chats
    from zicht.coding.screen import reader_version
    from zicht.coding.screen import screen as screen_all
    from zicht.coding.suggest import SCREENED_VARIABLE
    from zicht.store import linking
    from zicht.store import screening as stored
    from zicht.store.queries import coded_cases

    flagged, reader = stored.flags(year), reader_version()
    likely = stored.likely(year, reader)
    unread = [c for c in flagged if c not in likely]
    if unread:
        steps.start(f"screen {len(unread)} conversations", total=len(unread))
        screened = screen_all(linking.conversations(ids=unread, flagged=None), project.secret, steps.advance)
        stored.keep(screened, reader)
        likely |= {s.conversation_id: s.likely for s in screened}
    cases = coded_cases(codebook or project.codebook, year)
    ruled_out = {c for case in cases if case.values.get(SCREENED_VARIABLE) == "no" for c in case.conversation_ids}
    return from_chats(Detected(flagged[c], likely[c], c in ruled_out) for c in sorted(flagged))
