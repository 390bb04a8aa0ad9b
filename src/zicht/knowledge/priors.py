"""The linkage priors (`linkage/data/model-nl.yaml`): what one visitor's two chats look like, checked.

Each comparison's m-probabilities are a chance per level that add up to one. A name under `m`
that is a codebook variable is a fact of the case compared as told: those are the facts
linkage compares (no second list of them in the code).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zicht.knowledge.read import Reader, frozen, load


@dataclass(frozen=True)
class LinkagePriors:
    codebook: str
    returning_share: float  # of all chats, the share from a visitor who chatted before
    m: Mapping[str, tuple[float, ...]]  # comparison -> the chance of each of its levels for one visitor
    facts: tuple[str, ...]  # the codebook variables compared as the chats tell them, in the file's order
    helplines: Mapping[str, str]  # channel -> the helpline it belongs to; a channel not listed is one of its own

    def helpline(self, channel: str) -> str:
        return self.helplines.get(channel, channel)


@functools.cache
def linkage_priors() -> LinkagePriors:
    """The shipped priors, compiled once per process."""
    return load("zicht.linkage", "model-nl.yaml", compile_priors)


def compile_priors(r: Reader, raw: dict[str, Any]) -> LinkagePriors:
    codebook = r.codebook(raw)
    r.fields(raw, "", ("codebook", "returning_share", "m", "helplines"))
    m = {}
    for comparison, levels in r.mapping(raw.get("m"), "m").items():
        here = f"m.{comparison}"
        if not isinstance(levels, list) or len(levels) < 2:
            r.problem(here, "must be a list of at least two chances, one per level, the last for 'different'")
            continue
        chances = tuple(r.number(p, f"{here}[{i}]", 0.0, 1.0) for i, p in enumerate(levels))
        if abs(sum(chances) - 1.0) > 1e-6:
            r.problem(here, f"the chances of the levels must add up to 1 (they add up to {sum(chances):g})")
        m[comparison] = chances
    return LinkagePriors(
        codebook=codebook.id,
        returning_share=r.number(raw.get("returning_share"), "returning_share", 0.0, 1.0),
        m=frozen(m),
        facts=tuple(c for c in m if c in codebook),
        helplines=frozen(_helplines(r, raw.get("helplines"), codebook)),
    )


def _helplines(r: Reader, raw: Any, codebook: Any) -> dict[str, str]:
    """Which channels are one helpline: their visitors are compared on everything, those of different
    helplines only on what is rare (a phone number, a handle), so that a network's pairs grow with it."""
    helplines = {channel: r.text(helpline, f"helplines.{channel}") for channel, helpline in r.mapping(raw, "helplines").items()}
    for channel in helplines:
        r.category(codebook, "channel", channel, f"helplines.{channel}")
    return helplines
