"""Read coded cases and counts back out of the store as plain core objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from zicht.codebook import NOT_CODED, Codebook, CodedCase, Value, Variable
from zicht.store import models


def coded_cases(codebook: Codebook, year: int | None = None) -> Iterator[CodedCase]:
    cases = models.Case.objects.filter(codebook=codebook.id).order_by("visitor_id").prefetch_related("codes")
    if year is not None:
        cases = cases.filter(year=year)
    for case in cases:
        codes = {code.variable: code for code in case.codes.all()}
        values = {v.id: _value(v, codes.get(v.id)) for v in codebook}
        yield CodedCase(case.visitor_id, case.codebook, values, tuple(case.conversation_ids))


def _value(variable: Variable, code: Any) -> Value:
    if code is None or code.state == models.Code.NOT_CODED:
        return NOT_CODED
    if code.state == models.Code.UNKNOWN:
        return None
    if variable.type == "many":
        return frozenset(code.value)
    if variable.type in ("date", "month"):
        return dt.date.fromisoformat(code.value)
    value: Value = code.value
    return value


def chapter2_counts(year: int) -> dict[str, int]:
    """The flow of chapter 2: flagged chats, duplicates, not about trafficking, unique visitors."""
    chats = models.Conversation.objects.filter(started_at__year=year, flagged=True).count()
    cases = models.Case.objects.filter(year=year)
    about = {c.case_id: c.value for c in models.Code.objects.filter(case__in=cases, variable="about_trafficking")}
    visitors = cases.count()
    linked = sum(len(ids) for ids in cases.values_list("conversation_ids", flat=True))
    return {
        "flagged_chats": chats,
        "duplicate_chats": linked - visitors,
        "not_trafficking": sum(1 for v in about.values() if v == "no"),
        "unique_visitors": sum(1 for v in about.values() if v == "yes"),
    }
