"""CSV cells a spreadsheet opens as text, never as a formula (OWASP's "CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (some
also after a tab or carriage return) as a formula: a username, a removal reason or an imported
chat id such as `=HYPERLINK(...)` would run when a coordinator opens the audit trail. Such a
cell gets a leading `'`, the sign spreadsheets read as "this is text".

Only text is escaped: a plain number (`-1`, `-0.5`, `-1e3`) is no formula and must stay a
number, so cases.csv keeps its negative codes. A cell that already starts with quotes before
such a sign gets one more, so `unescaped` gives back exactly what was written, for the CSV files
zicht reads back itself (the coded-cases exchange format).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FORMULA = re.compile(r"'*[=+\-@\t\r]")  # what a spreadsheet runs, or an escape of it
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def cell(value: object) -> str:
    """One cell as text a spreadsheet shows, not runs (None is an empty cell, as csv writes it)."""
    text = "" if value is None else str(value)
    if _FORMULA.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def row(values: Iterable[object]) -> list[str]:
    return [cell(v) for v in values]


def unescaped(text: str) -> str:
    """A cell as it was before `cell` escaped it."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text
