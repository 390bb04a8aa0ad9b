"""Linkage in the store: conversations in, proposals and decisions kept (with who and when)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import transaction

from zicht.linkage.review import Decision, Proposal, coded_as_one, pair
from zicht.store import audit, models
from zicht.store.cases import follow_visitors
from zicht.transcripts.model import Conversation, Message

IDS_PER_QUERY = 5000  # a database takes only so many parameters to one query


def conversations(year: int | None = None, ids: Iterable[str] | None = None, flagged: bool | None = True) -> Iterator[Conversation]:
    """Stored conversations as the core reads them (the username is the pseudonym; identifiers are tokens).

    Only the flagged ones (the monitor's) unless `flagged` says otherwise; None: all. In the order of their ids.
    """
    rows = models.Conversation.objects.order_by("external_id").prefetch_related("messages")
    if flagged is not None:
        rows = rows.filter(flagged=flagged)
    if year is not None:
        rows = rows.filter(started_at__year=year)
    if ids is None:
        parts = [rows]
    else:
        wanted = sorted(set(ids))
        parts = [rows.filter(external_id__in=wanted[i : i + IDS_PER_QUERY]) for i in range(0, len(wanted), IDS_PER_QUERY)]
    for part in parts:
        for row in part:
            messages = tuple(Message(m.at, m.sender, m.text) for m in row.messages.all())
            yield Conversation(row.external_id, row.pseudonym, row.channel, row.started_at, row.flagged, messages)  # type: ignore[arg-type]


def decisions() -> list[Decision]:
    return [
        Decision(d.left, d.right, d.verdict, d.decided_by, d.decided_at, d.undone_at)
        for d in models.LinkDecision.objects.order_by("decided_at", "id")
    ]


def coded_together() -> list[Decision]:
    """A case whose chats the researchers coded as one visitor, as merges: a pair in it is one visitor already."""
    return coded_as_one(models.Case.kept.values_list("conversation_ids", flat=True))


def save_decisions(new: Iterable[Decision]) -> int:
    """Keep the decisions, each with an event in the audit trail."""
    rows = [models.LinkDecision(left=d.left, right=d.right, verdict=d.verdict, decided_by=d.by, decided_at=d.at) for d in new]
    with transaction.atomic():
        models.LinkDecision.objects.bulk_create(rows)
        models.Event.objects.bulk_create(audit.link_decided(r.decided_by, r.left, r.right, r.verdict, at=r.decided_at) for r in rows)
        if rows:
            follow_visitors(rows[0].decided_by)
    return len(rows)


def undo_decision(left: str, right: str, at: dt.datetime | None = None, by: str = "") -> bool:
    """Undo the active decision on a pair (it stays, marked undone); False when there is none."""
    a, b = pair(left, right)
    at = at or dt.datetime.now()
    with transaction.atomic():
        active = models.LinkDecision.objects.filter(left=a, right=b, undone_at=None)
        verdicts = list(active.values_list("verdict", flat=True))
        if not verdicts:
            return False
        active.update(undone_at=at)
        audit.link_undone(by or "cli", a, b, verdicts[0], at=at).save()
        follow_visitors(by or "cli")
    return True


def proposals() -> list[Proposal]:
    return [Proposal(p.left, p.right, p.probability, p.evidence) for p in models.LinkProposal.objects.all()]


def replace_proposals(new: Iterable[Proposal], at: dt.datetime | None = None) -> int:
    """The proposals of the latest run replace the earlier ones; decisions are untouched."""
    at = at or dt.datetime.now()
    rows = [
        models.LinkProposal(left=p.key[0], right=p.key[1], probability=p.probability, evidence=dict(p.evidence), proposed_at=at)
        for p in new
    ]
    with transaction.atomic():
        models.LinkProposal.objects.all().delete()
        models.LinkProposal.objects.bulk_create(rows)
    return len(rows)
