"""Options several commands share, spelled once."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click


class OutputFile(click.Path):
    """A file to write: its folder must exist (a typo in it is a message, not a traceback)."""

    def __init__(self) -> None:
        super().__init__(path_type=Path, dir_okay=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(str(super().convert(value, param, ctx)))
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            self.fail(f"the folder {folder} does not exist; create it first, or write elsewhere", param, ctx)
        return path


PROJECT = click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False))
YEAR = click.option("--year", type=int, required=True, help="The monitor's year: visitors whose first chat is in it.")
COMPARE = click.option(
    "--compare",
    type=int,
    multiple=True,
    help="Year(s) to set beside it (repeat for more). Default: the year before, if the project has it.",
)
CODEBOOK = click.option(
    "--codebook", "codebook_id", help="Codebook to count by, if not the project's own (zicht init --codebook); older codings are migrated."
)
BY = click.option("--by", default=lambda: getpass.getuser(), show_default="your user name", help="Who decides (in the audit trail).")
RULES_ONLY = click.option("--rules-only", is_flag=True, help="Leave the learned suggester out, even when one is trained.")
