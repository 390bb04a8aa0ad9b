"""Coding a case in the store. A save names the revision it was based on: when a colleague saved
the case in between, it is refused with what they changed, so nobody overwrites anyone unseen.
Every changed code leaves an event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import F

from zicht.codebook import NOT_CODED, Codebook, Value
from zicht.store import audit, models
from zicht.store.importing import code_fields, first_chat_at, progress
from zicht.store.queries import CODE_FIELDS, code_values

CHANGES = ("code", "accept", "decide")  # the events that change a case's codes


class Conflict(Exception):
    """The case was saved by someone else after the coder opened it."""

    def __init__(self, case: models.Case, since: list[models.Event]) -> None:
        self.case, self.since = case, since
        who = sorted({e.user for e in since}) or ["een collega"]
        super().__init__(f"case {case.visitor_id} was saved by {', '.join(who)} in the meantime")


def values_of(case: models.Case, codebook: Codebook) -> dict[str, Value]:
    return code_values(case.codes.values_list(*CODE_FIELDS), codebook)


def save_codes(case: models.Case, codebook: Codebook, values: Mapping[str, Value], by: str, based_on: int,
               action: str = "code", accepted: Collection[str] = ()) -> list[models.Event]:  # fmt: skip
    """Store the codes a coder saw and changed; raises Conflict when the case moved on since `based_on`.

    Variables in `accepted` are suggestions taken as they were: their events say so.
    """
    now = dt.datetime.now()
    with transaction.atomic():
        current = values_of(case, codebook)
        merged = {**current, **values}
        moved = models.Case.objects.filter(pk=case.pk, revision=based_on).update(
            revision=F("revision") + 1, progress=progress(merged), updated_by=by, updated_at=now, first_chat_at=first_chat_at(merged)
        )
        if not moved:
            case.refresh_from_db()
            changes = models.Event.objects.filter(case=case.visitor_id, action__in=CHANGES)
            saves = list(changes.values_list("at", flat=True).distinct().order_by("-at")[: max(case.revision - based_on, 0)])
            raise Conflict(case, list(changes.filter(at__in=saves)))  # a save's events share its time
        events = []
        for variable, value in values.items():
            old, new = code_fields(current.get(variable, NOT_CODED)), code_fields(value)
            if old == new:
                continue
            models.Code.objects.update_or_create(case=case, variable=variable, defaults=new)
            events.append(audit.event(by, "accept" if variable in accepted else action, case.visitor_id, variable, old, new, at=now))
        models.Event.objects.bulk_create(events)
    case.refresh_from_db()
    return events


def open_cases(year: int, codebook: Codebook, visitors: Iterable[tuple[str, Sequence[str]]], by: str,
               started: Mapping[str, dt.datetime]) -> int:  # fmt: skip
    """A case, not coded yet, for every visitor none of whose conversations is in a case already."""
    taken = {c for ids in models.Case.objects.values_list("conversation_ids", flat=True) for c in ids}
    new = [(visitor, list(ids)) for visitor, ids in visitors if not taken.intersection(ids)]
    now = dt.datetime.now()
    with transaction.atomic():
        rows = models.Case.objects.bulk_create([
            models.Case(visitor_id=visitor, codebook=codebook.id, year=year, conversation_ids=ids,
                        first_chat_at=min(started[c] for c in ids))
            for visitor, ids in new
        ])  # fmt: skip
        models.Code.objects.bulk_create(models.Code(case=row, variable=v.id, **code_fields(NOT_CODED)) for row in rows for v in codebook)
        models.Event.objects.bulk_create(audit.event(by, "open_case", row.visitor_id, at=now) for row in rows)
    return len(rows)


def remove_case(case: models.Case, by: str, reason: str) -> None:
    """Take a case out of the queue and the statistics (a duplicate, a chat flagged by mistake).

    Its codes and chats stay; the removal and its reason are an event, and it can be restored.
    """
    with transaction.atomic():
        case.removed_at = dt.datetime.now()
        case.save(update_fields=["removed_at"])
        audit.record(by, "remove_case", case.visitor_id, new={"reason": reason})


def restore_case(case: models.Case, by: str) -> None:
    with transaction.atomic():
        removed, case.removed_at = case.removed_at, None
        case.save(update_fields=["removed_at"])
        audit.record(by, "restore_case", case.visitor_id, old={"removed_at": removed.isoformat(timespec="seconds") if removed else None})
