"""Retention: once a year's report is final, the raw chat text of its coded cases goes.

What stays: the codes (all the statistics need), the evidence of each suggestion as its messages
redacted, the times and senders of the messages, and the audit trail. A chat of a case not
coded yet stays whole until it is coded. Each purge is an event; a purged year's report renders
as before, from its codes.

The policy is the project's `retention.yaml`: how many days after the report is final.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from zicht.errors import ZichtError
from zicht.privacy.redaction import redact_text
from zicht.store import audit, models

POLICY_FILE = "retention.yaml"
DEFAULT_POLICY = """\
# How long zicht keeps the raw chat text of a year after its report is final (`zicht report
# --final`). `zicht purge` then removes it, and keeps the codes, the redacted evidence and the
# audit trail. Backups made earlier still hold the text: delete them on the same schedule.
days_after_final: 0
"""


@dataclass(frozen=True)
class Plan:
    year: int
    due: dt.date  # the day the policy allows the purge
    chats: list[int]  # Conversation primary keys whose text goes
    kept_back: int  # chats of cases not coded yet, kept whole


def policy_days(directory: Path) -> int:
    path = directory / POLICY_FILE
    if not path.exists():
        path.write_text(DEFAULT_POLICY, "utf-8")
    raw = yaml.safe_load(path.read_text("utf-8")) or {}
    days = raw.get("days_after_final") if isinstance(raw, dict) else None
    if not isinstance(days, int) or days < 0:
        raise ZichtError(f"{path}: days_after_final must be a whole number of days, 0 or more (found {days!r})")
    return days


def finalise(year: int, tables_json: Path, by: str) -> models.FinalReport:
    """Mark the year's report as published; its tables.json's hash is kept to show what was counted."""
    digest = hashlib.sha256(tables_json.read_bytes()).hexdigest()
    with transaction.atomic():
        final, _ = models.FinalReport.objects.update_or_create(
            year=year, defaults={"finalised_by": by, "finalised_at": dt.datetime.now(), "tables_sha256": digest}
        )
        audit.report_finalised(by, year, digest).save()
    return final


def plan(year: int, days: int) -> Plan:
    final = models.FinalReport.objects.filter(year=year).first()
    if final is None:
        raise ZichtError(f"the report of {year} is not final: write it with `zicht report --year {year} --final` first")
    in_cases: set[str] = set()  # of any year: a returning visitor's chat may belong to last year's case
    coded: set[str] = set()
    for ids, progress, of_year in models.Case.objects.values_list("conversation_ids", "progress", "year"):
        in_cases |= set(ids)
        if progress == models.Case.CODED and of_year == year:
            coded |= set(ids)
    rows = models.Conversation.objects.filter(purged_at=None).values_list("pk", "external_id", "started_at")
    chats, kept_back = [], 0
    for pk, external_id, started_at in rows:
        if external_id in coded or (external_id not in in_cases and started_at.year == year):  # coded, or screened out
            chats.append(pk)
        elif external_id in in_cases and started_at.year == year:
            kept_back += 1
    return Plan(year, final.finalised_at.date() + dt.timedelta(days=days), chats, kept_back)


def purge(p: Plan, by: str, today: dt.date | None = None) -> int:
    """Remove the raw text of the plan's chats, in one transaction; returns the messages emptied."""
    if (today or dt.date.today()) < p.due:
        raise ZichtError(f"the retention policy keeps {p.year}'s chats until {p.due:%Y-%m-%d}")
    with transaction.atomic():
        _keep_redacted_evidence(p.year, set(models.Conversation.objects.filter(pk__in=p.chats).values_list("external_id", flat=True)))
        emptied = models.Message.objects.filter(conversation_id__in=p.chats).update(text="")
        models.Conversation.objects.filter(pk__in=p.chats).update(purged_at=dt.datetime.now())
        audit.year_purged(by, p.year, len(p.chats), emptied, p.kept_back).save()
    return emptied


def _keep_redacted_evidence(year: int, purged: set[str]) -> None:
    texts: dict[tuple[str, int], str] = {}
    for conversation, index, text in models.Message.objects.filter(conversation__external_id__in=purged).values_list(
        "conversation__external_id", "index", "text"
    ):
        texts[conversation, index] = text
    for s in models.Suggestion.objects.filter(year=year):
        if s.quotes or not any(e[0] in purged for e in s.evidence):
            continue
        s.quotes = json.dumps([redact_text(texts.get((c, m), "")) for c, m, _, _ in s.evidence], ensure_ascii=False)
        s.save(update_fields=["quotes"])
