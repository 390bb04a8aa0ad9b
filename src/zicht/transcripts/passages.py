"""A file of theme passages: which stretch of which chat message the researchers coded with which theme.

One row a passage: `conversation_id, message, start, end, theme, quote` (the message counted from
0 in the chat, start and end as character offsets in its text, quote 1 where the researchers
chose it for the report). Another tool's thematic coding, or the synthetic researchers', comes
in this way; every bad cell is reported with its line and column, and nothing of a bad file is kept.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from zicht.errors import Problem, ZichtError
from zicht.transcripts import csvsafe
from zicht.transcripts.decoding import csv_delimiter, csv_lines

COLUMNS = ("conversation_id", "message", "start", "end", "theme", "quote")


@dataclass(frozen=True)
class PassageRow:
    line: int
    conversation_id: str
    message: int
    start: int
    end: int
    theme: str
    quote: bool


def read_passages(path: Path) -> list[PassageRow]:
    """Every row; a bad file is refused with each bad row named."""
    undecodable: dict[int, str] = {}
    reader = csv.DictReader(csv_lines(path, undecodable), delimiter=csv_delimiter(path))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise refused(path, [Problem(str(path), 1, ",".join(missing), f"missing column(s); expected {', '.join(COLUMNS)}")])
    rows, problems = [], []
    try:
        for cells in reader:
            line = reader.line_num
            if line in undecodable:
                problems.append(Problem(str(path), line, "", undecodable[line]))
                continue
            row, bad = _row(line, {k: csvsafe.unescaped(v or "").strip() for k, v in cells.items() if isinstance(k, str)})
            problems += [Problem(str(path), line, column, reason) for column, reason in bad]
            if row is not None:
                rows.append(row)
    except csv.Error as e:
        problems.append(Problem(str(path), reader.line_num, "", f"not readable as CSV from here on ({e})"))
    if problems:
        raise refused(path, problems)
    return rows


def refused(path: Path, problems: list[Problem]) -> ZichtError:
    """Every bad row, each with its line and column (the first 20)."""
    shown = "\n".join(f"  {p}" for p in problems[:20])
    more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
    rows = len({p.line for p in problems})
    return ZichtError(f"{path}: {rows} bad row(s); no passage of the file was stored.\n{shown}{more}")


def _row(line: int, cells: dict[str, str]) -> tuple[PassageRow | None, list[tuple[str, str]]]:
    bad: list[tuple[str, str]] = []
    numbers = {}
    for column in ("message", "start", "end"):
        text = cells.get(column, "")
        if not text.isdigit():
            bad.append((column, f"expected a whole number of 0 or more, got {text!r}"))
        else:
            numbers[column] = int(text)
    if len(numbers) == 3 and numbers["start"] >= numbers["end"]:
        bad.append(("end", f"the passage ends at {numbers['end']}, not after its start {numbers['start']}"))
    for column in ("conversation_id", "theme"):
        if not cells.get(column):
            bad.append((column, "empty"))
    if cells.get("quote", "") not in ("", "0", "1"):
        bad.append(("quote", f"expected 1 (quote it) or 0, got {cells['quote']!r}"))
    if bad:
        return None, bad
    quote = cells["quote"] == "1"
    return PassageRow(line, cells["conversation_id"], numbers["message"], numbers["start"], numbers["end"], cells["theme"], quote), []
