"""The case queue: the cases of one of its filters, searched, and the next case still to code."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from zicht.store import models
from zicht.store.double import disagreeing_cases

SEARCHED_CHATS = 50  # a search that matches more chats than this is narrowed by the first ones; type more of the pseudonym


def queue_of(status: str, q: str = "", date: str = "") -> QuerySet[models.Case]:
    """The cases of one filter of the queue, searched by pseudonym, its alias or visitor, and by date of first chat."""
    cases = models.Case.objects.exclude(removed_at=None) if status == "removed" else models.Case.kept.all()
    if status == "todo":
        cases = cases.filter(progress__in=models.Case.TO_CODE)
    elif status in (models.Case.NOT_CODED, models.Case.PARTIAL, models.Case.CODED):
        cases = cases.filter(progress=status)
    elif status == "suggested":
        suggested = Exists(models.Suggestion.objects.filter(visitor=OuterRef("visitor_id")))
        cases = cases.filter(progress__in=models.Case.TO_CODE).filter(suggested)
    elif status == "consult":
        cases = cases.filter(Exists(models.Consultation.objects.filter(case=OuterRef("pk"), decided_at=None)))
    elif status == "disagree":
        cases = cases.filter(visitor_id__in=disagreeing_cases())
    if q:
        chats = list(models.Conversation.objects.filter(pseudonym__icontains=q).values_list("external_id", flat=True)[:SEARCHED_CHATS])
        if " " in q.strip():  # an alias as said in a meeting ("groene reiger 17")
            said = models.Conversation.objects.filter(alias=" ".join(q.lower().split()))
            chats += said.values_list("external_id", flat=True)[:SEARCHED_CHATS]
        holding = models.CaseConversation.objects.filter(conversation__in=chats).values("case")
        cases = cases.filter(Q(visitor_id__icontains=q) | Q(pk__in=holding))
    if date:
        try:
            cases = cases.filter(first_chat_at__date=dt.date.fromisoformat(date))
        except ValueError:
            cases = cases.none()
    return cases


def next_case(row: models.Case) -> models.Case | None:
    """The next case still to code after this one, in the queue's order."""
    todo = models.Case.kept.filter(progress__in=models.Case.TO_CODE).exclude(pk=row.pk)
    after = (
        todo.filter(Q(first_chat_at__gt=row.first_chat_at) | Q(first_chat_at=row.first_chat_at, pk__gt=row.pk))
        if row.first_chat_at
        else todo
    )
    return after.order_by("first_chat_at", "id").first() or todo.order_by("first_chat_at", "id").first()
