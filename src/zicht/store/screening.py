"""Each chat's screening, kept without its text: what the report's estimate reads instead of screening again."""

from __future__ import annotations

from collections.abc import Iterable

from zicht.store import models

CHUNK = 5000


def flags(year: int) -> dict[str, bool]:
    """Every conversation of the year by its id: whether the counsellor flagged it."""
    return dict(models.Conversation.objects.filter(started_at__year=year).values_list("external_id", "flagged"))


def kept(year: int, reader: str) -> dict[str, bool]:
    """The year's kept screenings by this reader: conversation id -> likely about trafficking."""
    rows = models.KeptScreening.objects.filter(conversation__started_at__year=year, reader=reader)
    return dict(rows.values_list("conversation__external_id", "likely"))


def keep(screened: Iterable[tuple[str, float, bool]], reader: str) -> None:
    """Keep (conversation id, chance, likely) for each chat, replacing what another reader said of it."""
    rows = list(screened)
    pks: dict[str, int] = {}
    for start in range(0, len(rows), CHUNK):  # a database takes so many parameters to a query
        ids = [r[0] for r in rows[start : start + CHUNK]]
        pks.update(models.Conversation.objects.filter(external_id__in=ids).values_list("external_id", "pk"))
    kept_rows = [
        models.KeptScreening(conversation_id=pks[i], reader=reader, chance=chance, likely=likely) for i, chance, likely in rows if i in pks
    ]
    models.KeptScreening.objects.bulk_create(
        kept_rows, batch_size=500, update_conflicts=True, unique_fields=["conversation"], update_fields=["reader", "chance", "likely"]
    )
