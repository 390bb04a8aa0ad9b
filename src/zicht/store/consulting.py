"""Overleg: a doubtful variable of a case, a thread of comments, and the coordinator's decision."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zicht.codebook import Codebook, Value
from zicht.errors import TextTooLong
from zicht.store import audit, models
from zicht.store.cases import Removed, save_codes

COMMENT_CHARACTERS = 4000  # a few paragraphs; a comment may quote the chat, not hold it


def checked(comment: str) -> str:
    """A comment as it may be stored; TextTooLong (in Dutch, for the workbench) when it is too long."""
    if len(comment) > COMMENT_CHARACTERS:
        raise TextTooLong(f"Een opmerking telt ten hoogste {COMMENT_CHARACTERS:_} tekens (deze {len(comment):_}).".replace("_", "."))
    return comment


def open_consultation(case: models.Case, variable: str, by: str, comment: str) -> models.Consultation:
    if case.removed_at is not None:
        raise Removed(case.visitor_id)
    comment = checked(comment)
    now = dt.datetime.now()
    with transaction.atomic():
        c = models.Consultation.objects.create(case=case, variable=variable, opened_by=by, opened_at=now)
        models.Comment.objects.create(consultation=c, author=by, at=now, text=comment)
        audit.consultation_opened(by, case.visitor_id, variable).save()
    return c


def reply(consultation: models.Consultation, by: str, comment: str) -> models.Comment:
    if consultation.case.removed_at is not None:
        raise Removed(consultation.case.visitor_id)
    comment = checked(comment)
    with transaction.atomic():
        audit.consultation_replied(by, consultation.case.visitor_id, consultation.variable).save()
        return models.Comment.objects.create(consultation=consultation, author=by, at=dt.datetime.now(), text=comment)


def decide(consultation: models.Consultation, codebook: Codebook, value: Value, by: str, comment: str = "") -> None:
    """The coordinator's decision closes the thread and becomes the case's code."""
    case = consultation.case
    comment = checked(comment)
    with transaction.atomic():
        save_codes(case, codebook, {consultation.variable: value}, by, case.revision, action="decide")
        if comment:
            models.Comment.objects.create(consultation=consultation, author=by, at=dt.datetime.now(), text=comment)
        consultation.decided_by, consultation.decided_at = by, dt.datetime.now()
        consultation.decision = models.Code.objects.filter(case=case, variable=consultation.variable).values("state", "value").first()
        consultation.save()


def comments_of(visitor_ids: set[str]) -> list[tuple[str, str, str, dt.datetime, str]]:
    """Every overleg comment on these cases: visitor, variable, author, when, text (unsealed)."""
    rows = models.Comment.objects.select_related("consultation__case").order_by("at", "id")  # few: no list of ids in the query
    out = [(c.consultation.case.visitor_id, c.consultation.variable, c.author, c.at, c.text) for c in rows]
    return [row for row in out if row[0] in visitor_ids]
