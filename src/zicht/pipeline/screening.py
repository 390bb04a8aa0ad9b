"""Screen: is each chat about trafficking, flagged or not; the unflagged ones that look like it are listed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
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
