"""Read coded cases and counts back out of the store as plain core objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, Sum

from zicht.analysis import Flow
from zicht.codebook import Codebook, CodedCase, load_codebook
from zicht.store import models
from zicht.store.codes import CODE_FIELDS, code_values

# Cases as last read, by primary key, with the version they reflect: the revision and time of the
# last save (every change of a case's codes goes through a save that raises both), and whose case
# it is. A primary key can come back: SQLite gives a new row the key of a deleted last one (a
# closed case), so a new case with the same key, revision 0 and no save yet is told apart by its
# visitor and chats. The workbench's monitor reads again only what changed since it last counted.
_read: dict[int, tuple[tuple[Any, ...], CodedCase]] = {}


def coded_cases(codebook: Codebook, year: int | None = None) -> Iterator[CodedCase]:
    cases = models.Case.kept.filter(codebook=codebook.id).order_by("visitor_id")
    if year is not None:
        cases = cases.filter(year=year)
    fields = ("pk", "revision", "updated_at", "visitor_id", "conversation_ids")
    versions = [(pk, (revision, saved, visitor, tuple(ids))) for pk, revision, saved, visitor, ids in cases.values_list(*fields)]
    stale = [pk for pk, version in versions if pk not in _read or _read[pk][0] != version]
    for start in range(0, len(stale), 5000):
        chunk = stale[start : start + 5000]
        codes: dict[int, list[tuple[str, str, Any]]] = {pk: [] for pk in chunk}
        for pk, *code in models.Code.objects.filter(case_id__in=chunk).values_list("case_id", *CODE_FIELDS).iterator(chunk_size=20000):
            codes[pk].append(tuple(code))  # type: ignore[arg-type]
        for pk, revision, saved, visitor, ids in models.Case.objects.filter(pk__in=chunk).values_list(*fields):
            _read[pk] = (
                (revision, saved, visitor, tuple(ids)),
                CodedCase(visitor, codebook.id, code_values(codes[pk], codebook), tuple(ids)),
            )
    for pk, _ in versions:
        yield _read[pk][1]


def cases_of_year(year: int, codebook: Codebook) -> list[CodedCase]:
    """The year's visitors under `codebook` (or as coded under another version, to migrate), after the merges."""
    from zicht.linkage.review import merge_cases
    from zicht.store.linking import decisions

    cases = list(coded_cases(codebook, year))
    if not cases:
        other = models.Case.kept.filter(year=year).values_list("codebook", flat=True).distinct()
        cases = [c for book in sorted(other) for c in coded_cases(load_codebook(book), year)]
    return merge_cases(cases, decisions())


def years() -> list[int]:
    """The years that have cases: distinct in the database, on the year's index (not 300,000 years read here)."""
    return list(models.Case.kept.exclude(year=None).order_by("year").values_list("year", flat=True).distinct())


def flow(year: int) -> Flow:
    """Flagged chats of the year and their channels (chapter 2, fn 36)."""
    chats = models.Conversation.objects.filter(started_at__year=year, flagged=True)
    channels = {row["channel"]: row["n"] for row in chats.values("channel").annotate(n=Count("id")).order_by("channel")}
    return Flow(sum(channels.values()), channels)


def data_version() -> tuple[Any, ...]:
    """Changes whenever a case, a code or a merge does: what cached statistics are valid for.

    The database draws the number anew itself on every such write (migration 0011); without its row
    (a store copied in part), the cases and decisions are read whole as before."""
    if (number := models.DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()) is not None:
        return (number,)
    cases = models.Case.objects.aggregate(
        n=Count("id"), last=Max("id"), saved=Max("updated_at"), revisions=Sum("revision"), removed=Count("removed_at"), at=Max("removed_at")
    )
    links = models.LinkDecision.objects.aggregate(n=Count("id"), undone=Max("undone_at"))
    return (*cases.values(), *links.values())
