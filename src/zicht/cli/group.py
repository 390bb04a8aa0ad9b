"""The `zicht` group, and zicht's own errors as a message and exit code 1, never a traceback.

A message is escaped: "[victim_gender]" in a problem is the column it names, not console markup.
"""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from zicht.cli.console import err
from zicht.errors import ImportFailed, ZichtError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ImportFailed as e:
            err.print(f"[red]Import failed:[/red] {escape(str(e))}", markup=True, highlight=False)
            sys.exit(1)
        except ZichtError as e:
            err.print(f"[red]Error:[/red] {escape(str(e))}", markup=True, highlight=False)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """zicht: the yearly monitor of trafficking victims seen on a helpline chat, offline.

    \b
    Steps:
      init      create a project folder (database + pseudonym secret + its codebook)
      import    chats (JSONL, CSV, text) and coded cases (CSV, .sav)
      export    coded cases as CSV or SPSS .sav
      stats     the monitor's tables (tables.json), by the codebook's counting rules
      report    the report: HTML, PDF, Word, figures, .sav
      check-published  computed figures against a published report's
      link      the same visitor under several usernames: propose, review, export
      screen    how likely each chat is about trafficking; the unflagged ones most likely first
      suggest   suggested codes with their evidence; scored against the researchers' codes
      themes    passages of a subset's chats coded by theme, quotes for the report (chapter 4)
      codebook  show a codebook, or migrate coded data to the next version
      synth     write a calibrated synthetic corpus (chats, codes, truth)
      serve     the workbench; user, backup, restore, purge and key for its upkeep
      demo      all of the above on the synthetic corpus
    """
