"""Link: the same visitor under several usernames, as pairs of chats scored, proposed and decided."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from zicht.errors import ZichtError
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
    from zicht.linkage.match import Linkage
    from zicht.linkage.review import Proposal

PROPOSE_AT = 0.5  # pairs this likely are proposed for review; merged only by a researcher (or accept_above)


@dataclass(frozen=True)
class Proposed:
    linkage: Linkage
    found: list[Proposal]  # at or above the threshold, stored in place of the last run's
    waiting: list[Proposal]  # of those, not decided yet
    merged: int = 0  # merged without review (accept_above)


def propose(project: Project, year: int | None, threshold: float = PROPOSE_AT, em: bool = False,
            engine: Literal["duckdb", "spark"] = "duckdb", accept_above: float | None = None, by: str = "",
            steps: Steps = QUIET) -> Proposed:  # fmt: skip
    """Profiles, Splink, and the proposals stored; with `accept_above`, the likeliest merged at once."""
    from zicht.linkage.match import link, proposals
    from zicht.linkage.review import accept_above as accept
    from zicht.linkage.review import open_proposals
    from zicht.reading.many import profiles as read
    from zicht.store import linking

    chats = list(linking.conversations(year))
    steps.start("profiles", total=len(chats))
    profiles = read(chats, project.secret, progress=steps.advance, for_linkage=True)
    if len(profiles) < 2:
        raise ZichtError(f"{project.directory}: fewer than two conversations{f' in {year}' if year else ''} to link")
    steps.start(f"linkage of {len(profiles)} conversations")
    result = link(profiles, em=em, engine=engine)
    found = proposals(result, threshold)
    linking.replace_proposals(found)
    decided = [*linking.decisions(), *linking.coded_together()]  # a pair coded as one visitor is one already
    waiting = open_proposals(found, decided)
    merged = linking.save_decisions(accept(found, decided, accept_above, by)) if accept_above is not None else 0
    return Proposed(result, found, waiting, merged)


def visitors(year: int | None) -> tuple[list[str], dict[str, str]]:
    """Every conversation of the year and its visitor, after the merges decided so far."""
    from zicht.linkage.review import visitors as after_decisions
    from zicht.store import linking

    ids = [c.id for c in linking.conversations(year)]
    return ids, after_decisions(ids, linking.decisions())


def waiting() -> list[Proposal]:
    """The stored proposals nobody has decided on yet, likeliest first."""
    from zicht.linkage.review import open_proposals
    from zicht.store import linking

    return open_proposals(linking.proposals(), [*linking.decisions(), *linking.coded_together()])


def side_by_side(project: Project, proposal: Proposal) -> list[tuple[str, str, str, float | None]]:
    """What each of the two chats tells of its visitor, row by row, with the weight of each comparison."""
    from zicht.linkage.review import side_by_side as rows
    from zicht.reading import profile
    from zicht.store import linking

    left, right = (profile(c, project.secret) for c in linking.conversations(ids=[proposal.left, proposal.right]))
    return rows(left, right, proposal.evidence)


def decide(proposal: Proposal, merge: bool, by: str) -> None:
    """A researcher's decision on a proposal: one visitor, or two."""
    from zicht.linkage.review import decide as decision
    from zicht.store import linking

    linking.save_decisions([decision(proposal, "merge" if merge else "apart", by)])


def undo(left: str, right: str, by: str) -> None:
    from zicht.store import linking

    if not linking.undo_decision(left, right, by=by):
        raise ZichtError(f"no active decision on {left} ~ {right}")
