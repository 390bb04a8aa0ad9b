"""Import chat exports and coded cases: all or nothing per file, or good records plus a
rejects file with `skip_bad`. A crash or Ctrl-C rolls the file back; the same file again is
a no-op. Usernames are pseudonymised before anything is written."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from zicht.codebook import Codebook, CodedCase, load_codebook
from zicht.errors import ImportFailed, Problem
from zicht.privacy import pseudonym, redact
from zicht.privacy.alias import alias
from zicht.store import audit, models
from zicht.store.cases import Followed, create_cases, follow_visitors, untouched_cases
from zicht.store.codes import CODE_FIELDS, code_fields, code_values, first_chat_at, progress
from zicht.store.keys import keyring
from zicht.transcripts import Record, csvsafe, read_chats, read_coded

BATCH = 500
Progress = Callable[[int], None]


@dataclass
class ImportResult:
    file: str
    stored: int = 0
    unchanged: int = 0  # coded cases the project holds already, exactly as the file has them
    rejected: list[Problem] = field(default_factory=list)
    already_imported: bool = False
    rejects_file: Path | None = None
    cases_followed: Followed = field(default_factory=Followed)  # cases zicht had opened, closed or opened again for this coded file


class _Abort(Exception):
    """Rolls the transaction back once all problems of a file have been collected."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_chats(
    path: Path,
    secret: bytes,
    channels: Iterable[str],
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    channels = tuple(channels)
    return _import(path, "chats", skip_bad, progress, lambda: read_chats(path, channels),
                   lambda source, batch: _store_conversations(source, batch, secret))  # fmt: skip


def import_coded(path: Path, codebook: Codebook, skip_bad: bool = False, progress: Progress | None = None,
                 columns_map: Mapping[str, str] | None = None) -> ImportResult:  # fmt: skip
    items = (item if isinstance(item, Problem) else _Numbered(*item) for item in read_coded(path, codebook, columns_map))
    return _import(path, "coded", skip_bad, progress, lambda: items, _store_cases)


@dataclass
class _Numbered:
    line: int
    case: CodedCase


def _import(
    path: Path,
    kind: str,
    skip_bad: bool,
    progress: Progress | None,
    read: Callable[[], Iterator[Any]],
    store: Callable[[models.ImportedFile, list[Any]], tuple[list[Problem], int]],
) -> ImportResult:
    result = ImportResult(str(path))
    sha = file_sha256(path)
    if models.ImportedFile.objects.filter(sha256=sha).exists():
        result.already_imported = True
        return result
    try:
        with transaction.atomic():
            source = models.ImportedFile.objects.create(sha256=sha, name=path.name, kind=kind)
            batch: list[Any] = []
            for item in read():
                if isinstance(item, Problem):
                    result.rejected.append(item)
                    continue
                batch.append(item)
                if len(batch) >= BATCH:
                    result.stored += _flush(source, batch, store, result)
                    if progress:
                        progress(result.stored)
            result.stored += _flush(source, batch, store, result)
            if result.rejected and not skip_bad:
                raise _Abort
            if kind == "coded":
                result.cases_followed = follow_visitors(getpass.getuser())
            source.records, source.rejected = result.stored, len(result.rejected)
            source.save()
            audit.file_imported(getpass.getuser(), path.name, kind, result.stored, len(result.rejected)).save()
    except _Abort:
        raise ImportFailed(str(path), result.rejected) from None
    _analyse()
    if result.rejected:
        result.rejects_file = write_rejects(path, result.rejected)
    return result


def _analyse() -> None:
    """SQLite's planner statistics brought up to date after a file (PostgreSQL's autovacuum keeps its own).
    Without them, at 300,000 cases it read the queue's page through the wrong index (50 ms, not 0.5)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _flush(
    source: models.ImportedFile,
    batch: list[Any],
    store: Callable[[models.ImportedFile, list[Any]], tuple[list[Problem], int]],
    result: ImportResult,
) -> int:
    if not batch:
        return 0
    clashes, unchanged = store(source, batch)  # also inside a doomed transaction: finds every clash
    result.rejected.extend(clashes)
    result.unchanged += unchanged
    stored = len(batch) - len(clashes) - unchanged
    batch.clear()
    return stored


def write_rejects(path: Path, problems: list[Problem]) -> Path:
    out = path.with_name(path.name + ".rejects.csv")
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "line", "field", "reason"])
        writer.writerows(csvsafe.row([p.file, p.line, p.field, p.reason]) for p in problems)  # a reason may quote the file
    return out


def _store_conversations(source: models.ImportedFile, batch: list[Record], secret: bytes) -> tuple[list[Problem], int]:
    ids = [r.conversation.id for r in batch]
    existing = dict(models.Conversation.objects.filter(external_id__in=ids).values_list("external_id", "source__name"))
    problems = [Problem(source.name, r.line, "id", f"id {r.conversation.id!r} was already imported from {existing[r.conversation.id]}")
                for r in batch if r.conversation.id in existing]  # fmt: skip
    good = [r.conversation for r in batch if r.conversation.id not in existing]
    named = [(c, pseudonym(secret, c.username)) for c in good]
    rows = models.Conversation.objects.bulk_create([
        models.Conversation(external_id=c.id, pseudonym=name, alias=alias(name), channel=c.channel,
                            started_at=c.started_at, flagged=c.flagged, source=source)
        for c, name in named
    ])  # fmt: skip
    seal = keyring().sealer(models.Message.text.field.context())
    _insert_messages(
        (row.pk, i, m.at, m.sender, seal(redact(m.text, secret)))
        for row, c in zip(rows, good, strict=True)
        for i, m in enumerate(c.messages)
    )
    return problems, 0


def _insert_messages(rows: Iterable[tuple[int, int, dt.datetime, str, str]]) -> None:
    """Messages as rows of (conversation, index, at, sender, sealed text): with COPY on PostgreSQL, in one
    executemany on SQLite. A year's 150,000 messages as model objects spent most of an import in
    Django's preparation of each field."""
    ops, table = connection.ops, models.Message._meta
    columns = ", ".join(ops.quote_name(table.get_field(f).column) for f in ("conversation", "index", "at", "sender", "text"))
    into = f"{ops.quote_name(table.db_table)} ({columns})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            prepared = [(pk, i, ops.adapt_datetimefield_value(at), sender, text) for pk, i, at, sender, text in rows]
            cursor.executemany(f"INSERT INTO {into} VALUES (%s, %s, %s, %s, %s)", prepared)


def _store_cases(source: models.ImportedFile, batch: list[_Numbered]) -> tuple[list[Problem], int]:
    """Store the coded cases whose visitor and conversations are free; a problem for each other one,
    but for a case the project holds exactly as the file has it (the corrected file after --skip-bad
    brings its good rows again): those are counted as unchanged.

    A conversation belongs to one case: one already in a case someone made (a coded file, the
    workbench) refuses the row; one in a case zicht opened and nobody touched moves to the
    coded case when the file is stored (`follow_visitors`).
    """
    ids = [n.case.visitor_id for n in batch]
    existing = dict(models.Case.objects.filter(visitor_id__in=ids).values_list("visitor_id", "source__name"))
    same = _held_as_they_are([n.case for n in batch if n.case.visitor_id in existing])
    problems, good = [], []
    owner = _why_not({c for n in batch for c in n.case.conversation_ids if n.case.visitor_id not in same})
    for n in batch:
        if n.case.visitor_id in same:
            continue
        if n.case.visitor_id in existing:
            where = f"from {existing[n.case.visitor_id]}" if existing[n.case.visitor_id] else "in the project"
            problems.append(Problem(source.name, n.line, "visitor_id", f"visitor {n.case.visitor_id!r} is already a case {where}"))
        elif clash := next(filter(None, (owner.get(c) for c in n.case.conversation_ids)), None):
            problems.append(Problem(source.name, n.line, "conversation_ids", clash))
        else:
            good.append(n.case)
        for c in n.case.conversation_ids:
            owner.setdefault(c, f"conversation {c!r} is also in visitor {n.case.visitor_id!r} on line {n.line}; {_ONE_CASE}")
    rows = create_cases([
        models.Case(visitor_id=c.visitor_id, codebook=c.codebook, year=_year(c), conversation_ids=list(c.conversation_ids), source=source,
                    progress=progress(c.values), first_chat_at=first_chat_at(c.values))
        for c in good
    ])  # fmt: skip
    models.Code.objects.bulk_create(
        models.Code(case=row, variable=variable, **code_fields(value))
        for row, c in zip(rows, good, strict=True)
        for variable, value in c.values.items()
    )
    return problems, len(same)


def _held_as_they_are(cases: list[CodedCase]) -> set[str]:
    """The visitors of these cases whose stored case has the same codebook, chats and codes."""
    stored = {c.pk: c for c in models.Case.kept.filter(visitor_id__in=[c.visitor_id for c in cases])}
    codes: dict[int, list[tuple[str, str, Any]]] = {pk: [] for pk in stored}
    for pk, *code in models.Code.objects.filter(case_id__in=stored).values_list("case_id", *CODE_FIELDS):
        codes[pk].append(tuple(code))  # type: ignore[arg-type]
    held = {}
    for pk, row in stored.items():
        values = code_values(codes[pk], load_codebook(row.codebook))
        held[row.visitor_id] = CodedCase(row.visitor_id, row.codebook, values, tuple(row.conversation_ids))
    return {c.visitor_id for c in cases if held.get(c.visitor_id) == c}


_ONE_CASE = "a conversation belongs to one case"


def _why_not(conversations: set[str]) -> dict[str, str]:
    """Why each of these conversations cannot go into a new case, if it cannot: not in the project, or in a case already
    (one zicht opened and nobody touched yet does not count: it gives way to the coded case)."""
    known = set(models.Conversation.objects.filter(external_id__in=conversations).values_list("external_id", flat=True))
    why = {
        c: f"conversation {c!r} is not in the project: import its chats first (zicht import DIR --chats FILE), or leave it out"
        for c in conversations - known
    }
    held = models.CaseConversation.objects.filter(conversation__in=conversations).exclude(case__in=untouched_cases())
    for c, visitor, file in held.values_list("conversation", "case__visitor_id", "case__source__name"):
        made = f"imported from {file}" if file else "coded in the workbench"
        why[c] = f"conversation {c!r} is already in case {visitor!r} ({made}); {_ONE_CASE}: remove that case first, or leave it out"
    return why


def _year(case: CodedCase) -> int | None:
    first = case.values.get("first_chat")
    return first.year if isinstance(first, dt.date) else None
