"""How a long step says how far it is, without knowing who listens (a progress bar, a log, nobody)."""

from __future__ import annotations

from typing import Protocol


class Steps(Protocol):
    def start(self, description: str, total: int | None = None) -> None:
        """What the step does now; with `total`, a new count of that many units (without, it counts on)."""

    def advance(self, n: int = 1) -> None:
        """`n` units of the current stage done."""


class Quiet:
    """For callers with nobody to tell (tests, benchmarks, the workbench)."""

    def start(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


QUIET = Quiet()
