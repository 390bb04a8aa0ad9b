"""The audit trail: every change as an event (who, when, case, variable, old and new), never transcript text."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from zicht.store import models
from zicht.transcripts import csvsafe

COLUMNS = ["at", "user", "action", "case", "variable", "old", "new"]


def event(user: str, action: str, case: str = "", variable: str = "", old: Any = None, new: Any = None,
          at: dt.datetime | None = None) -> models.Event:  # fmt: skip
    """An unsaved event; save it in the transaction of the change it records."""
    return models.Event(at=at or dt.datetime.now(), user=user, action=action, case=case, variable=variable, old=old, new=new)


def record(user: str, action: str, case: str = "", variable: str = "", old: Any = None, new: Any = None) -> models.Event:
    e = event(user, action, case, variable, old, new)
    e.save()
    return e


def csv_lines(events: Iterable[models.Event]) -> Iterator[str]:
    """The events as CSV, line by line, so a long trail streams; a cell a spreadsheet would run as a formula
    (a username, a reason, an imported chat id) is escaped."""

    class _Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(_Line(), lineterminator="\r\n")  # RFC 4180; with "\n" a lone \r in a cell went unquoted and began a row
    yield writer.writerow(COLUMNS)
    for e in events:
        yield writer.writerow(csvsafe.row(_row(e)))


def _row(e: models.Event) -> list[str]:
    return [e.at.isoformat(timespec="seconds"), e.user, e.action, e.case, e.variable, shown(e.old), shown(e.new)]


def shown(code: Any) -> str:
    """An event's old or new side as one cell: a code's value (or its state), or the details as key=value."""
    if code is None:
        return ""
    if isinstance(code, dict) and set(code) == {"state", "value"}:
        value = code["value"]
        if value is None:
            return code["state"]
        return "+".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(code, dict):
        return "; ".join(f"{k}={'+'.join(map(str, v)) if isinstance(v, list) else v}" for k, v in code.items())
    return str(code)
