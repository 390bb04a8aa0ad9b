"""Double coding: a random sample of a year's cases, each coded blind by two researchers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from zicht.codebook import Codebook, Value, Values, load_codebook
from zicht.coding.agreement import Agreement, Disagreement, agreement
from zicht.errors import SampleRefused, ZichtError
from zicht.store import audit, models
from zicht.store.codes import code_fields, code_values


def assign_sample(year: int, size: int, coders: Sequence[Any], by: str, seed: int | None = None) -> str:
    """Draw `size` cases of the year at random and give each to both coders; returns the sample's name.

    SampleRefused (in Dutch, for the workbench) when the coders, the size or the year cannot make one.
    """
    if len(coders) != 2 or coders[0].pk == coders[1].pk:
        raise SampleRefused("een steekproef voor dubbel coderen vraagt twee verschillende onderzoekers")
    closed = [c.get_username() for c in coders if not c.is_active]
    if closed:
        raise SampleRefused(f"het account van {' en '.join(closed)} is gesloten")
    if size < 1:
        raise SampleRefused("kies een steekproef van ten minste 1 casus")
    ids = sorted(models.Case.kept.filter(year=year).values_list("pk", flat=True))
    if not ids:
        raise SampleRefused(f"er zijn geen casussen in {year}")
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))
    now = dt.datetime.now()
    name = f"{year}-{now:%Y%m%d-%H%M%S}"
    taken = set(models.Assignment.objects.filter(sample__startswith=name).values_list("sample", flat=True).distinct())
    name = next(n for n in (name, *(f"{name}-{i}" for i in range(2, len(taken) + 3))) if n not in taken)
    with transaction.atomic():
        models.Assignment.objects.bulk_create(
            models.Assignment(sample=name, case_id=pk, coder=coder, assigned_by=by, assigned_at=now) for pk in chosen for coder in coders
        )
        audit.sample_assigned(by, name, len(chosen), [c.get_username() for c in coders]).save()
    return name


class Submitted(ZichtError):
    """A blind code, once submitted, is final: only the coordinator can reopen it."""


def blind_to(user: Any, case: models.Case) -> models.Assignment | None:
    """The user's assignment of the case, while the case is in a blind sample: until both coders have
    submitted it, its coders see only its transcript and their own blind form."""
    mine = list(models.Assignment.objects.filter(case=case, coder_id=user.pk))
    if not mine:
        return None
    still_open = set(models.Assignment.objects.filter(case=case, sample__in=[a.sample for a in mine], submitted_at=None)
                     .values_list("sample", flat=True))  # fmt: skip
    return next((a for a in mine if a.sample in still_open), None)


def blind_cases(user: Any) -> set[int]:
    """The cases blind to the user now (see `blind_to`)."""
    samples = models.Assignment.objects.filter(coder_id=user.pk).values_list("sample", "case_id")
    open_pairs = set(models.Assignment.objects.filter(submitted_at=None).values_list("sample", "case_id"))
    return {case for sample, case in samples if (sample, case) in open_pairs}


def blind_values(assignment: models.Assignment, codebook: Codebook) -> dict[str, Value]:
    return code_values(((c.variable, c.state, c.value) for c in assignment.codes.all()), codebook)  # prefetched


def save_blind(assignment: models.Assignment, values: Mapping[str, Value], by: str) -> None:
    """One coder's codes of a sample case, submitted once: kept apart from the case's codes.

    A second submission would let a coder try values until the case leaves the disagreements,
    which is the colleague's value found out.
    """
    with transaction.atomic():
        locked = models.Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.submitted_at is not None:
            raise Submitted(f"assignment {assignment.pk} was submitted at {locked.submitted_at:%Y-%m-%d %H:%M}")
        for variable, value in values.items():
            models.BlindCode.objects.update_or_create(assignment=assignment, variable=variable, defaults=code_fields(value))
        assignment.submitted_at = dt.datetime.now()
        assignment.save(update_fields=["submitted_at"])
        audit.blind_coded(by, assignment.case.visitor_id, assignment.sample).save()


def reopen(assignment: models.Assignment, by: str) -> None:
    """The coordinator gives a submitted blind code back to its coder (a slip, a misread question)."""
    with transaction.atomic():
        assignment.submitted_at = None
        assignment.save(update_fields=["submitted_at"])
        audit.blind_reopened(by, assignment.case.visitor_id, assignment.sample, assignment.coder.get_username()).save()


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
