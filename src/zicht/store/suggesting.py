"""Suggestions in the store: one run's suggestions for a year replace the last run's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import cast

from django.db import transaction

from zicht.codebook import Codebook
from zicht.coding import Reader, Span, Suggestion
from zicht.store import models
from zicht.store.codes import code_fields, json_value

Visitor = tuple[str, Sequence[str], dict[str, Suggestion]]  # visitor, its conversation ids, its suggestions


def replace_suggestions(year: int, codebook: Codebook, visitors: Iterable[Visitor], at: dt.datetime | None = None) -> int:
    at = at or dt.datetime.now()
    rows = [
        models.Suggestion(
            visitor=visitor, year=year, codebook=codebook.id, conversation_ids=list(ids), variable=s.variable,
            value=code_fields(s.value)["value"], confidence=s.confidence, reader=s.reader,
            evidence=[[e.conversation_id, e.message, e.start, e.end] for e in s.evidence], suggested_at=at,
        )
        for visitor, ids, suggestions in visitors
        for s in suggestions.values()
    ]  # fmt: skip
    with transaction.atomic():
        models.Suggestion.objects.filter(year=year).delete()
        models.Suggestion.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def suggested(year: int, codebook: Codebook) -> list[Visitor]:
    """The stored suggestions of a year, per visitor, as they were made."""
    visitors: dict[str, Visitor] = {}
    for row in models.Suggestion.objects.filter(year=year, codebook=codebook.id).order_by("visitor", "id"):
        entry = visitors.setdefault(row.visitor, (row.visitor, tuple(row.conversation_ids), {}))
        entry[2][row.variable] = decoded(row, codebook)
    return list(visitors.values())


def rows_of_case(case: models.Case, codebook: Codebook) -> list[models.Suggestion]:
    """A case's stored suggestions, if they were read from its own chats (an undone merge may have taken one away)."""
    stored = models.Suggestion.objects.filter(visitor=case.visitor_id, codebook=codebook.id)
    return [s for s in stored if set(s.conversation_ids) <= set(case.conversation_ids) and s.variable in codebook]


def of_case(case: models.Case, codebook: Codebook) -> dict[str, Suggestion]:
    """What the workbench shows beside a case's transcript."""
    return {row.variable: decoded(row, codebook) for row in rows_of_case(case, codebook)}


def decoded(row: models.Suggestion, codebook: Codebook) -> Suggestion:
    """A stored suggestion as it was made."""
    spans = tuple(Span(str(c), int(m), int(s), int(e)) for c, m, s, e in row.evidence)
    return Suggestion(row.variable, json_value(codebook[row.variable], row.value), row.confidence, spans, cast(Reader, row.reader))
