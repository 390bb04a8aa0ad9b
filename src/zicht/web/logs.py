"""The workbench's log, one record a line: nothing a request sends can start a line of its own."""

from __future__ import annotations

import logging


def printable(text: str) -> str:
    """`text` with every control and formatting character written as an escape (`\\n`, `\\x00`, `\\u202e`).

    A URL's %0A is a real newline by the time Django has the path; written raw, it would start a
    forged record.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class OneLine(logging.Formatter):
    """Escapes the message of every record (Django's own warnings quote the path too); a traceback
    below it is indented, so that a line starting with a time is always a record's first."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: object) -> str:
        text = super().formatException(ei)  # type: ignore[arg-type]
        return "\n".join("    " + printable(line) for line in text.splitlines())

    def formatStack(self, stack_info: str) -> str:
        return "\n".join("    " + printable(line) for line in stack_info.splitlines())
