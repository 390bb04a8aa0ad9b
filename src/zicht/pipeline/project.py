"""A project, opened once per command and once per server: its folder, secret and codebook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zicht.codebook import Codebook, load_codebook
from zicht.errors import ProjectError

DEFAULT_CODEBOOK = "nl-2020"  # what `zicht init` records unless told otherwise
CODEBOOK_FILE = "codebook.txt"  # the codebook the project codes and counts by (an id or a YAML path)
MODEL_FILE = Path("models") / "suggester.model"


@dataclass(frozen=True)
class Project:
    directory: Path
    secret: bytes
    codebook: Codebook

    @classmethod
    def init(cls, directory: Path, codebook: str = DEFAULT_CODEBOOK) -> Project:
        """Create the project and record its codebook (checked first: a misspelt one creates nothing)."""
        from zicht.store.project import SECRET_FILE, init_project

        book = load_codebook(codebook)
        init_project(directory)  # which opens it: the database is made and up to date
        (directory / CODEBOOK_FILE).write_text(codebook + "\n", encoding="utf-8")
        return cls(directory, (directory / SECRET_FILE).read_bytes(), book)

    @classmethod
    def open(cls, directory: Path) -> Project:
        """Configure the store for the project and bring its database up to date: once per process."""
        from zicht.store.project import open_project

        secret = open_project(directory)
        return cls(directory, secret, load_codebook(codebook_of(directory)))

    @classmethod
    def attach(cls, directory: Path) -> Project:
        """The project another process of this server opened (the workbench's worker): configured, not migrated again."""
        from zicht.store.project import SECRET_FILE, configure

        configure(directory)
        return cls(directory, (directory / SECRET_FILE).read_bytes(), load_codebook(codebook_of(directory)))

    @classmethod
    def current(cls) -> Project:
        """The project this process has open (the workbench's server, once `open` ran)."""
        from zicht.store.project import directory

        return cls.attach(directory())

    def codebook_or(self, codebook_id: str | None) -> Codebook:
        """The codebook a command was given, else the project's own."""
        return self.codebook if codebook_id is None else load_codebook(codebook_id)

    @property
    def published(self) -> Path:
        """The published figures the project checks itself against, and their mapping."""
        from zicht.store.project import PUBLISHED

        return self.directory / PUBLISHED

    @property
    def model_file(self) -> Path:
        return self.directory / MODEL_FILE


def codebook_of(directory: Path) -> str:
    """The codebook the project records; a project made before zicht recorded one codes by nl-2020."""
    recorded = directory / CODEBOOK_FILE
    if not recorded.exists():
        return DEFAULT_CODEBOOK
    name = recorded.read_text(encoding="utf-8").strip()
    if not name:
        raise ProjectError(f"{recorded}: empty; write the codebook's id (e.g. {DEFAULT_CODEBOOK}) or a YAML path")
    return name
