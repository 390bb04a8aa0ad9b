"""Each chat's screening, kept without its text: what the report's estimate reads instead of screening again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from zicht.store import models
from zicht.store.linking import IDS_PER_QUERY

if TYPE_CHECKING:
    from zicht.coding.screen import Screened


def flags(year: int) -> dict[str, bool]:
    """Every conversation of the year by its id: whether the counsellor flagged it."""
    return dict(models.Conversation.objects.filter(started_at__year=year).values_list("external_id", "flagged"))


def likely(year: int, reader: str) -> dict[str, bool]:
    """The year's kept screenings by this reader: conversation id -> likely about trafficking."""
    rows = models.KeptScreening.objects.filter(conversation__started_at__year=year, reader=reader)
    return dict(rows.values_list("conversation__external_id", "likely"))


def keep(screened: Iterable[Screened], reader: str) -> None:
    """Keep each chat's chance and whether it is likely, replacing what another reader said of it."""
    rows = list(screened)
    pks: dict[str, int] = {}
    for start in range(0, len(rows), IDS_PER_QUERY):
        ids = [s.conversation_id for s in rows[start : start + IDS_PER_QUERY]]
        pks.update(models.Conversation.objects.filter(external_id__in=ids).values_list("external_id", "pk"))
    kept = [
        models.KeptScreening(conversation_id=pks[s.conversation_id], reader=reader, chance=s.chance, likely=s.likely)
        for s in rows
        if s.conversation_id in pks
    ]
    models.KeptScreening.objects.bulk_create(
        kept, batch_size=500, update_conflicts=True, unique_fields=["conversation"], update_fields=["reader", "chance", "likely"]
    )
