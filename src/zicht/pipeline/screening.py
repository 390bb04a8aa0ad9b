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
    from zicht.coding.screen import screen as screen_all
    from zicht.store import linking

    conversations = {c.id: c for c in linking.conversations(year, flagged=None)}
    steps.start(f"screen {len(conversations)} conversations", total=len(conversations))
    return Screening(conversations, screen_all(conversations.values(), project.secret, steps.advance))


def estimate(project: Project, year: int, codebook: Codebook | None = None, steps: Steps = QUIET) -> Estimate:
    """The trafficking chats of the year, found or not, from the counsellor's flag and the screening
    (`analysis.recapture`); a chat whose case the researchers coded as not about trafficking counts for neither."""
    from zicht.analysis.recapture import Detected, from_chats
    from zicht.store.queries import coded_cases

    found = screen(project, year, steps)
    variable = found.screened[0].suggestion.variable if found.screened else ""
    ruled_out = {
        c for case in coded_cases(codebook or project.codebook, year) if case.values.get(variable) == "no" for c in case.conversation_ids
    }
    return from_chats(Detected(s.flagged, s.likely, s.conversation_id in ruled_out) for s in found.screened)
