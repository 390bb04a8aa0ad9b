"""The one exception hierarchy of zicht; only the CLI and the web turn these into messages."""

from __future__ import annotations

from dataclasses import dataclass


class ZichtError(Exception):
    """Base of every error zicht raises on purpose."""


class CodebookError(ZichtError):
    """A codebook file is invalid; the message lists every problem with its location."""


@dataclass(frozen=True)
class Problem:
    """One bad record: where it is and what is wrong with it."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.reason}"


class ImportFailed(ZichtError):
    """A file was not imported; nothing of it was stored."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"{file}: {len(problems)} bad record(s); nothing of the file was stored.\n"
            f"{shown}{more}\n"
            "Fix the file, or import with --skip-bad to store the good records and write the "
            "bad ones to a rejects file."
        )


class KnowledgeError(ZichtError):
    """A knowledge file (lexicon, rules, priors, redaction) is invalid; the message lists every problem with its place."""


class ProjectError(ZichtError):
    """A project directory is missing, incomplete or already exists."""


class MigrationError(ZichtError):
    """Coded data cannot be moved between two codebook versions."""


class Refused(ZichtError, ValueError):
    """What a user asked for cannot be done; the message, in the language they work in, says why.

    Also a ValueError, so that a caller that caught the ValueError these once were still catches them.
    """


class AccountRefused(Refused):
    """An account cannot have this name, password or role."""


class SampleRefused(Refused):
    """A double-coding sample cannot be drawn with these coders, this size or this year."""


class TextTooLong(Refused):
    """A reason or comment is longer than the store keeps."""


class CellRefused(Refused):
    """A cell of a coded-cases row is no code of its variable: `column` is the one to fix, `reason` why."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column, self.reason = column, reason
