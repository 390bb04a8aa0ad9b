"""The workbench's roles, as plain data: importable without Django (the CLI's `--role` choices)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    id: str
    label: str  # Dutch, as users read it
    sees_transcripts: bool
    sees_identifiers: bool  # names, places and schools in the transcript; numbers are never stored


COORDINATOR = Role("coordinator", "coördinator", sees_transcripts=True, sees_identifiers=True)
RESEARCHER = Role("researcher", "onderzoeker", sees_transcripts=True, sees_identifiers=False)
READER = Role("reader", "lezer", sees_transcripts=False, sees_identifiers=False)
ROLES = {r.id: r for r in (COORDINATOR, RESEARCHER, READER)}
EVERYONE = tuple(ROLES)
CODERS = (COORDINATOR.id, RESEARCHER.id)
