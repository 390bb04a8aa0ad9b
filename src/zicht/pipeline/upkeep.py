"""The project's upkeep: coded cases out, backups, retention, the text key and the accounts.

Each is a short step over the store, here so that both shells reach the store through the
pipeline only, and a reader finds what `zicht export`, `backup`, `purge` or `user add` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from zicht.codebook import Codebook
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps
from zicht.store.roles import ROLES

if TYPE_CHECKING:
    from zicht.store.retention import Plan

ROLE_IDS = tuple(ROLES)  # coordinator, researcher, reader


def export_coded(project: Project, out: Path, codebook: Codebook, year: int | None = None) -> int:
    """The coded cases, one row per unique visitor, as FILE.csv or FILE.sav; the number of rows."""
    from zicht.store.queries import coded_cases
    from zicht.transcripts import write_coded_csv, write_coded_sav

    writer = write_coded_sav if out.suffix.lower() == ".sav" else write_coded_csv
    return writer(coded_cases(codebook, year), codebook, out)


def backup(directory: Path, out: Path) -> int:
    """An encrypted snapshot of the project's database (while the workbench runs too); its size in bytes."""
    from zicht.store.backup import backup as snapshot

    return snapshot(directory, out)


def restore(backup_file: Path, directory: Path) -> Path | None:
    """The backup as the project's database; where the database it replaced is kept, if there was one."""
    from zicht.store.backup import restore as bring_back

    return bring_back(backup_file, directory)


def finalise(year: int, tables_json: Path, by: str) -> None:
    """The year's report is published as it stands: from now on its raw chat text may be purged."""
    from zicht.store.retention import finalise as make_final

    make_final(year, tables_json, by)


def purge_plan(project: Project, year: int) -> Plan:
    """What a purge of the year would remove by the project's retention policy, and what it keeps."""
    from zicht.store import retention

    return retention.plan(year, retention.policy_days(project.directory))


def purge(plan: Plan, by: str) -> int:
    """Remove the raw chat text the plan names; the number of messages emptied."""
    from zicht.store import retention

    return retention.purge(plan, by)


def rotate_key(project: Project, steps: Steps = QUIET) -> tuple[str, int]:
    """Seal all chat text again under a new key: the new key's id, and how many texts were sealed again."""
    from zicht.store import keys

    steps.start("sealing again", total=sum(m.objects.count() for m, _ in keys.sealed_fields()))
    return keys.rotate(project.directory, progress=steps.advance)


def key_file(project: Project) -> Path:
    from zicht.store.keys import key_file as file_of

    return file_of(project.directory)


def add_account(name: str, password: str, role: str, by: str) -> str:
    """An account for the workbench, with its audit record; the name as the login reads it (NFKC).
    A refusal is worded in English, as the command line that calls this speaks."""
    from zicht.store.accounts import add_account as add

    return str(add(name, password, role, by, language="en").get_username())


def has_accounts() -> bool:
    from zicht.store.accounts import any_account

    return any_account()
