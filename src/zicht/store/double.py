"""Double coding: a random sample of a year's cases, each coded blind by two researchers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from zicht.codebook import Codebook, Value, Values, load_codebook
from zicht.coding.agreement import Agreement, Disagreement, agreement
from zicht.store import audit, models
from zicht.store.codes import code_fields, code_values


def assign_sample(year: int, size: int, coders: Sequence[Any], by: str, seed: int | None = None) -> str:
    """Draw `size` cases of the year at random and give each to both coders; returns the sample's name."""
    if len(coders) != 2 or coders[0].pk == coders[1].pk:
        raise ValueError("a double-coding sample needs two different researchers")
    ids = sorted(models.Case.kept.filter(year=year).values_list("pk", flat=True))
    if not ids:
        raise ValueError(f"no cases in {year}")
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))
    now = dt.datetime.now()
    name = f"{year}-{now:%Y%m%d-%H%M%S}"
    taken = set(models.Assignment.objects.filter(sample__startswith=name).values_list("sample", flat=True).distinct())
    name = next(n for n in (name, *(f"{name}-{i}" for i in range(2, len(taken) + 3))) if n not in taken)
    with transaction.atomic():
        models.Assignment.objects.bulk_create(
            models.Assignment(sample=name, case_id=pk, coder=coder, assigned_by=by, assigned_at=now) for pk in chosen for coder in coders
        )
        audit.record(by, "assign_sample", new={"sample": name, "cases": len(chosen), "coders": [c.get_username() for c in coders]})
    return name


def blind_values(assignment: models.Assignment, codebook: Codebook) -> dict[str, Value]:
    return code_values(((c.variable, c.state, c.value) for c in assignment.codes.all()), codebook)  # prefetched


def save_blind(assignment: models.Assignment, values: Mapping[str, Value], by: str) -> None:
    """One coder's codes of a sample case: kept apart from the case's codes until the sample is resolved."""
    with transaction.atomic():
        for variable, value in values.items():
            models.BlindCode.objects.update_or_create(assignment=assignment, variable=variable, defaults=code_fields(value))
        assignment.submitted_at = dt.datetime.now()
        assignment.save(update_fields=["submitted_at"])
        audit.record(by, "blind_code", assignment.case.visitor_id, new={"sample": assignment.sample})


def sample_agreement(sample: str, codebook: Codebook) -> tuple[list[Agreement], list[Disagreement], int]:
    """Agreement over the cases both coders submitted; also how many cases are still open."""
    by_case: dict[str, list[Values]] = {}
    open_cases = set()
    assignments = models.Assignment.objects.filter(sample=sample).select_related("case").prefetch_related("codes")
    for a in assignments.order_by("case_id", "coder__username"):
        if a.submitted_at is None:
            open_cases.add(a.case.visitor_id)
            continue
        by_case.setdefault(a.case.visitor_id, []).append(blind_values(a, codebook))
    pairs = [(case, v[0], v[1]) for case, v in by_case.items() if len(v) == 2 and case not in open_cases]
    table, disagreements = agreement(codebook, pairs)
    return table, disagreements, len(open_cases)


def disagreeing_cases() -> set[str]:
    """Visitors of any sample on whose codes the two coders differ (for the queue's filter)."""
    found: set[str] = set()
    samples = models.Assignment.objects.values_list("sample", "case__codebook").distinct()
    for sample, book in samples:
        _, disagreements, _ = sample_agreement(sample, load_codebook(book))
        found.update(d.case for d in disagreements)
    return found
