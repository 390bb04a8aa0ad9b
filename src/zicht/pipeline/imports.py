"""Import: chat exports and coded cases into the project, each file all or nothing unless told otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zicht.codebook import Codebook
from zicht.pipeline.project import Project
from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
    from zicht.store.importing import ImportResult


def import_files(project: Project, chats: Sequence[Path] = (), coded: Path | None = None, coded_codebook: Codebook | None = None,
                 skip_bad: bool = False, steps: Steps = QUIET,
                 columns_map: Path | None = None) -> Iterator[tuple[Path, ImportResult]]:  # fmt: skip
    """Each file's result as soon as it is stored: the chats first, then the coded cases that name them.

    `columns_map`: a YAML file naming the coded file's own columns as the codebook's; read
    before anything is stored, so that a wrong one stores nothing.
    """
    from zicht.store.importing import import_chats, import_coded
    from zicht.transcripts.coded_files import read_columns_map

    book = coded_codebook or project.codebook
    renamed = read_columns_map(columns_map, book) if columns_map else None
    channels = project.codebook["channel"].category_ids
    for path in chats:
        steps.start(f"import {path.name}")
        yield path, import_chats(path, project.secret, channels, skip_bad, _counted(steps, path))
    if coded is not None:
        steps.start(f"import {coded.name}")
        yield coded, import_coded(coded, book, skip_bad, _counted(steps, coded), renamed)


def _counted(steps: Steps, path: Path) -> Callable[[int], None]:
    return lambda n: steps.start(f"import {path.name}: {n} records")
