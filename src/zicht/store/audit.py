"""The audit trail: every change as an event (who, when, case, variable, old and new), never transcript text."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from zicht.store import models
from zicht.transcripts import csvsafe

COLUMNS = ["at", "user", "action", "case", "variable", "old", "new"]


LABELS = {  # every action, as the coordinator reads it in the audit trail
    "code": "gecodeerd",
    "accept": "voorstel overgenomen",
    "decide": "besloten in overleg",
    "consult": "in overleg gebracht",
    "reply": "gereageerd in overleg",
    "open_case": "casus geopend",
    "close_case": "lege casus gesloten (gesprekken horen nu bij een andere casus)",
    "import": "bestand geïmporteerd",
    "merge": "samengevoegd",
    "apart": "apart gehouden",
    "undo_merge": "samenvoegen ongedaan",
    "undo_apart": "apart houden ongedaan",
    "assign_sample": "steekproef getrokken",
    "blind_code": "blind gecodeerd",
    "reopen_blind": "blinde codering heropend",
    "download": "gedownload",
    "remove_case": "casus verwijderd",
    "restore_case": "casus teruggezet",
    "export_audit": "logboek geëxporteerd",
    "user_add": "account toegevoegd",
    "user_role": "rol gewijzigd",
    "user_close": "account gesloten",
    "finalise": "rapport definitief",
    "purge": "chattekst verwijderd (bewaartermijn)",
    "passage": "passage gecodeerd met een thema",
    "quote": "passage gekozen als citaat",
    "unquote": "citaat teruggenomen",
    "remove_passage": "passage verwijderd",
}
CODE_ACTIONS = ("code", "accept", "decide")  # the events that change a code


def event(user: str, action: str, case: str = "", variable: str = "", old: Any = None, new: Any = None,
          at: dt.datetime | None = None) -> models.Event:  # fmt: skip
    """An unsaved event; save it in the transaction of the change it records. Callers use the named ones below."""
    if action not in LABELS:
        raise ValueError(f"unknown audit action {action!r}: add it to audit.LABELS with its Dutch label")
    return models.Event(at=at or dt.datetime.now(), user=user, action=action, case=case, variable=variable, old=old, new=new)


# The events, one constructor each: unsaved, to be saved (or bulk-created) with the change they record.


def code_changed(by: str, case: str, variable: str, old: Any, new: Any, action: str, at: dt.datetime) -> models.Event:
    """A code saved (`code`), a suggestion taken as it was (`accept`), or a value decided in consultation (`decide`)."""
    if action not in CODE_ACTIONS:
        raise ValueError(f"{action!r} is not a change of a code ({', '.join(CODE_ACTIONS)})")
    return event(by, action, case, variable, old, new, at=at)


def case_opened(by: str, case: str, at: dt.datetime) -> models.Event:
    return event(by, "open_case", case, at=at)


def case_closed(by: str, case: str, conversations: Sequence[str], at: dt.datetime) -> models.Event:
    """An empty case zicht had opened, closed because its chats now belong to another case."""
    return event(by, "close_case", case, old={"conversations": list(conversations)}, at=at)


def case_removed(by: str, case: str, reason: str) -> models.Event:
    return event(by, "remove_case", case, new={"reason": reason})


def case_restored(by: str, case: str, removed_at: dt.datetime | None) -> models.Event:
    return event(by, "restore_case", case, old={"removed_at": removed_at.isoformat(timespec="seconds") if removed_at else None})


def file_imported(by: str, file: str, kind: str, records: int, rejected: int) -> models.Event:
    return event(by, "import", new={"file": file, "kind": kind, "records": records, "rejected": rejected})


def link_decided(by: str, left: str, right: str, verdict: str, at: dt.datetime) -> models.Event:
    """Two conversations one visitor (`merge`) or two (`apart`)."""
    return event(by, verdict, f"{left}~{right}", at=at)


def link_undone(by: str, left: str, right: str, verdict: str, at: dt.datetime) -> models.Event:
    return event(by, f"undo_{verdict}", f"{left}~{right}", old=verdict, at=at)


def consultation_opened(by: str, case: str, variable: str) -> models.Event:
    return event(by, "consult", case, variable)


def consultation_replied(by: str, case: str, variable: str) -> models.Event:
    return event(by, "reply", case, variable)


def sample_assigned(by: str, sample: str, cases: int, coders: Sequence[str]) -> models.Event:
    return event(by, "assign_sample", new={"sample": sample, "cases": cases, "coders": list(coders)})


def blind_coded(by: str, case: str, sample: str) -> models.Event:
    return event(by, "blind_code", case, new={"sample": sample})


def blind_reopened(by: str, case: str, sample: str, coder: str) -> models.Event:
    return event(by, "reopen_blind", case, new={"sample": sample, "coder": coder})


def downloaded(by: str, file: str, year: int) -> models.Event:
    return event(by, "download", new={"file": file, "year": year})


def trail_exported(by: str) -> models.Event:
    return event(by, "export_audit")


def account_added(by: str, user: str, role: str) -> models.Event:
    return event(by, "user_add", new={"user": user, "role": role})


def role_changed(by: str, user: str, role: str) -> models.Event:
    return event(by, "user_role", new={"user": user, "role": role})


def account_closed(by: str, user: str) -> models.Event:
    return event(by, "user_close", new={"user": user})


def report_finalised(by: str, year: int, tables_sha256: str) -> models.Event:
    return event(by, "finalise", new={"year": year, "tables_sha256": tables_sha256})


def year_purged(by: str, year: int, chats: int, messages: int, kept_back: int) -> models.Event:
    return event(by, "purge", new={"year": year, "chats": chats, "messages": messages, "kept_back": kept_back})


def passage_coded(by: str, case: str, variable: str, new: Any) -> models.Event:
    """`new`: the passage's theme and where it lies (chat, message, characters); never its text."""
    return event(by, "passage", case, variable, new=new)


def quote_chosen(by: str, case: str, variable: str, new: Any) -> models.Event:
    return event(by, "quote", case, variable, new=new)


def quote_taken_back(by: str, case: str, variable: str, new: Any) -> models.Event:
    return event(by, "unquote", case, variable, new=new)


def passage_removed(by: str, case: str, variable: str, new: Any) -> models.Event:
    return event(by, "remove_passage", case, variable, new=new)


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
