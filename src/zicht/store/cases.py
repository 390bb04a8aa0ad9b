"""Coding a case in the store. A save names the revision it was based on: when a colleague saved
the case in between, it is refused with what they changed, so nobody overwrites anyone unseen.
Every changed code leaves an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, QuerySet

from zicht.codebook import NOT_CODED, Codebook, Value, load_codebook
from zicht.errors import TextTooLong, ZichtError
from zicht.linkage.review import groups
from zicht.store import audit, models
from zicht.store.codes import CODE_FIELDS, code_fields, code_values, first_chat_at, progress

CHANGES = ("code", "accept", "decide")  # the events that change a case's codes


REASON_CHARACTERS = 500  # why a case is removed: a sentence or two, kept in the audit trail


class Removed(ZichtError):
    """The case is removed: nobody codes or consults on it until the coordinator restores it."""


class Conflict(ZichtError):
    """The case was saved by someone else after the coder opened it."""

    def __init__(self, case: models.Case, since: list[models.Event]) -> None:
        self.case, self.since = case, since
        who = sorted({e.user for e in since}) or ["een collega"]
        super().__init__(f"case {case.visitor_id} was saved by {', '.join(who)} in the meantime")


def values_of(case: models.Case, codebook: Codebook) -> dict[str, Value]:
    return code_values(case.codes.values_list(*CODE_FIELDS), codebook)


def save_codes(case: models.Case, codebook: Codebook, values: Mapping[str, Value], by: str, based_on: int,
               action: str = "code", accepted: Collection[str] = ()) -> list[models.Event]:  # fmt: skip
    """Store the codes a coder saw and changed; raises Conflict when the case moved on since `based_on`,
    and Removed when it is removed.

    Variables in `accepted` are suggestions taken as they were: their events say so.
    """
    now = dt.datetime.now()
    with transaction.atomic():
        current = values_of(case, codebook)
        merged = {**current, **values}
        moved = models.Case.objects.filter(pk=case.pk, revision=based_on, removed_at=None).update(
            revision=F("revision") + 1, progress=progress(merged), updated_by=by, updated_at=now, first_chat_at=first_chat_at(merged)
        )
        if not moved:
            case.refresh_from_db()
            if case.removed_at is not None:
                raise Removed(case.visitor_id)
            changes = models.Event.objects.filter(case=case.visitor_id, action__in=CHANGES)
            saves = list(changes.values_list("at", flat=True).distinct().order_by("-at")[: max(case.revision - based_on, 0)])
            raise Conflict(case, list(changes.filter(at__in=saves)))  # a save's events share its time
        events = []
        for variable, value in values.items():
            old, new = code_fields(current.get(variable, NOT_CODED)), code_fields(value)
            if old == new:
                continue
            models.Code.objects.update_or_create(case=case, variable=variable, defaults=new)
            events.append(audit.code_changed(by, case.visitor_id, variable, old, new, "accept" if variable in accepted else action, at=now))
        models.Event.objects.bulk_create(events)
    case.refresh_from_db()
    return events


def open_cases(year: int, codebook: Codebook, by: str) -> int:
    """A case, not coded yet, for every visitor of the year none of whose conversations is in a case already.

    From then on the year's opened cases follow the visitors (`follow_visitors`).
    """
    return _follow(year, codebook, by).opened


def cases_of_chats(year: int) -> list[tuple[str, list[str]]]:
    """Each kept case with flagged chats of the year, and those chats: whom suggestions are made for.

    A case's suggestions are read from exactly its own chats, so that no field shows what another
    visitor's chat said; the chats of a case opened later, or changed by a merge, are read by the next run.
    """
    chats = set(models.Conversation.objects.filter(flagged=True, started_at__year=year).values_list("external_id", flat=True))
    cases = models.Case.kept.order_by("visitor_id").values_list("visitor_id", "conversation_ids")
    return [(visitor, mine) for visitor, ids in cases if (mine := sorted(chats.intersection(ids)))]


@dataclass(frozen=True)
class Followed:
    """How many cases following the visitors opened and closed (the import says so)."""

    opened: int = 0
    closed: int = 0

    def __add__(self, other: Followed) -> Followed:
        return Followed(self.opened + other.opened, self.closed + other.closed)


def follow_visitors(by: str) -> Followed:
    """Bring the cases zicht opened in line with the visitors after a merge, an undo or a coded import.

    A case zicht opened and nobody touched yet is closed when its conversations came to belong to
    another case (a merge, or a coded file that has them), and one is opened for every visitor left
    without a case, so that every order of the commands gives the same cases. A case someone
    coded, removed, sampled or consulted on stays as it is.
    """
    opened = models.Case.objects.filter(source=None).exclude(year=None).values_list("year", "codebook").distinct()
    books: dict[int, str] = {}
    for year, book in opened.order_by("year", "codebook"):
        books.setdefault(year, book)
    followed = Followed()
    for year, book in books.items():
        followed += _follow(year, load_codebook(book), by)
    return followed


def untouched_cases() -> QuerySet[models.Case]:
    """Cases zicht opened that no one has done anything with: they may be closed again without a trace lost."""
    return models.Case.objects.filter(source=None, revision=0, removed_at=None, assignments=None, consultations=None)


def _follow(year: int, codebook: Codebook, by: str) -> Followed:
    chats = dict(models.Conversation.objects.filter(flagged=True, started_at__year=year).values_list("external_id", "started_at"))
    untouched = {pk: (visitor, tuple(ids)) for pk, visitor, ids in untouched_cases().values_list("pk", "visitor_id", "conversation_ids")}
    others = models.Case.objects.exclude(pk__in=list(untouched)).values_list("visitor_id", "conversation_ids")
    taken = {visitor: list(ids) for visitor, ids in others}
    links = [(ids[0], other) for ids in taken.values() for other in ids[1:]]
    links += models.LinkDecision.objects.filter(verdict=models.LinkDecision.MERGE, undone_at=None).values_list("left", "right")
    visitor_of = groups([*chats, *(c for ids in taken.values() for c in ids)], links)
    owned = {visitor_of[c] for ids in taken.values() for c in ids}
    wanted: dict[str, list[str]] = {}
    for chat in sorted(chats):
        if visitor_of[chat] not in owned:
            wanted.setdefault(visitor_of[chat], []).append(chat)
    want = {(ids[0], tuple(ids)) for ids in wanted.values()}
    mine = {pk: case for pk, case in untouched.items() if set(case[1]) & chats.keys()}
    close = [pk for pk, case in mine.items() if case not in want]
    have = set(mine.values())
    new = sorted(case for case in want - have if case[0] not in taken)
    now = dt.datetime.now()
    with transaction.atomic():
        models.Event.objects.bulk_create(audit.case_closed(by, visitor, ids, at=now) for visitor, ids in (mine[pk] for pk in close))
        models.Case.objects.filter(pk__in=close).delete()
        rows = create_cases([
            models.Case(visitor_id=visitor, codebook=codebook.id, year=year, conversation_ids=list(ids),
                        first_chat_at=min(chats[c] for c in ids))
            for visitor, ids in new
        ])  # fmt: skip
        models.Code.objects.bulk_create(models.Code(case=row, variable=v.id, **code_fields(NOT_CODED)) for row in rows for v in codebook)
        models.Event.objects.bulk_create(audit.case_opened(by, row.visitor_id, at=now) for row in rows)
    return Followed(len(rows), len(close))


def create_cases(cases: list[models.Case]) -> list[models.Case]:
    """Store new cases, and which case holds each of their conversations (`CaseConversation`)."""
    rows = models.Case.objects.bulk_create(cases)
    models.CaseConversation.objects.bulk_create(models.CaseConversation(case=r, conversation=c) for r in rows for c in r.conversation_ids)
    return rows


def remove_case(case: models.Case, by: str, reason: str) -> None:
    """Take a case out of the queue and the statistics (a duplicate, a chat flagged by mistake).

    Its codes and chats stay; the removal and its reason are an event, and it can be restored.
    A reason longer than REASON_CHARACTERS is TextTooLong (in Dutch, for the workbench).
    """
    if len(reason) > REASON_CHARACTERS:
        raise TextTooLong(f"Een reden telt ten hoogste {REASON_CHARACTERS} tekens (deze {len(reason)}).")
    with transaction.atomic():
        case.removed_at = dt.datetime.now()
        case.save(update_fields=["removed_at"])
        audit.case_removed(by, case.visitor_id, reason).save()


def restore_case(case: models.Case, by: str) -> None:
    with transaction.atomic():
        removed, case.removed_at = case.removed_at, None
        case.save(update_fields=["removed_at"])
        audit.case_restored(by, case.visitor_id, removed).save()
