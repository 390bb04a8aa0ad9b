"""Double coding: the coordinator draws a sample for two researchers; each codes blind; agreement per variable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zicht.codebook import load_codebook
from zicht.errors import SampleRefused
from zicht.store import linking, models
from zicht.store.accounts import role_of
from zicht.store.double import Submitted, assign_sample, blind_values, reopen, sample_agreement, save_blind
from zicht.store.roles import CODERS, COORDINATOR, RESEARCHER
from zicht.web import codeform
from zicht.web.roles import allow
from zicht.web.transcript import transcript


@allow(*CODERS)
def samples(request: HttpRequest) -> HttpResponse:
    """Researchers see their own assignments; the coordinator every sample and the form to draw one."""
    mine = models.Assignment.objects.filter(coder=request.user).select_related("case").order_by("submitted_at", "id")
    context: dict[str, object] = {"mine": mine}
    if request.role.id == COORDINATOR.id:  # type: ignore[attr-defined]
        names = models.Assignment.objects.values_list("sample", flat=True).distinct().order_by("-sample")
        context["samples"] = list(names)
        context["researchers"] = _coders()
        context["years"] = sorted(set(models.Case.kept.exclude(year=None).values_list("year", flat=True)))
    return render(request, "web/samples.html", context)


def _coders() -> list[Any]:
    """The accounts a sample can go to: open, and a role that codes."""
    users = get_user_model().objects.filter(is_active=True).order_by("username").prefetch_related("groups")
    return [u for u in users if (r := role_of(u)) is not None and r.id in (RESEARCHER.id, COORDINATOR.id)]


@allow(COORDINATOR.id)
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.getlist("coders")
    coders = [u for u in _coders() if str(u.pk) in chosen]
    try:
        if len(coders) != len(chosen):
            raise SampleRefused("kies twee onderzoekers uit de lijst (open accounts die coderen)")
        year, size = _number(request.POST.get("year", ""), "het jaar"), _number(request.POST.get("size", ""), "het aantal casussen")
        name = assign_sample(year, size, coders, request.user.get_username())
    except SampleRefused as e:
        messages.error(request, f"Geen steekproef getrokken: {e}.")
        return redirect("samples")
    messages.success(request, f"Steekproef {name} is toegewezen aan {' en '.join(c.get_username() for c in coders)}.")
    return redirect("agreement", sample=name)


def _number(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise SampleRefused(f"{what} is geen getal") from None


@allow(*CODERS)
def blind(request: HttpRequest, pk: int) -> HttpResponse:
    """One assigned case, coded without seeing the case's codes, the other coder's or the suggestions;
    submitted once (the coordinator can reopen it)."""
    assignment = get_object_or_404(models.Assignment.objects.select_related("case"), pk=pk)
    if assignment.coder_id != request.user.pk:
        raise PermissionDenied
    book = load_codebook(assignment.case.codebook)
    values = blind_values(assignment, book)
    status = 200
    if request.method == "POST":
        posted, problems = codeform.read_post(book, request.POST)
        if problems:
            for variable, reason in problems:
                messages.error(request, f"{book[variable].label}: {reason}")
            values, status = {**values, **posted}, 400
        else:
            try:
                save_blind(assignment, posted, request.user.get_username())
            except Submitted:
                messages.error(request, "Niet opgeslagen: u hebt deze casus al ingediend. Alleen de coördinator kan haar heropenen.")
                return redirect("blind", pk=assignment.pk)
            messages.success(request, "Ingediend.")
            following = models.Assignment.objects.filter(coder=request.user, submitted_at=None).order_by("id").first()
            return redirect("blind", pk=following.pk) if following else redirect("samples")
    chats = list(linking.conversations(ids=assignment.case.conversation_ids, flagged=None))
    context = {
        "assignment": assignment,
        "case": assignment.case,
        "fields": codeform.fields(book, values, {}),
        "chats": transcript(chats, {}, request.role.sees_identifiers),  # type: ignore[attr-defined]
    }
    return render(request, "web/blind.html", context, status=status)


@allow(COORDINATOR.id)
@require_POST
def reopen_blind(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(models.Assignment.objects.select_related("case", "coder"), pk=pk)
    if assignment.submitted_at is not None:
        reopen(assignment, request.user.get_username())
        messages.success(request, f"Casus {assignment.case.visitor_id} staat weer open voor {assignment.coder.get_username()}.")
    return redirect("agreement", sample=assignment.sample)


@allow(COORDINATOR.id)
def agreement(request: HttpRequest, sample: str) -> HttpResponse:
    first = models.Assignment.objects.filter(sample=sample).select_related("case").first()
    if first is None:
        return render(request, "web/agreement.html", {"sample": sample, "missing": True}, status=404)
    book = load_codebook(first.case.codebook)
    table, disagreements, still_open = sample_agreement(sample, book)
    cases = dict(models.Case.objects.filter(visitor_id__in={d.case for d in disagreements}).values_list("visitor_id", "pk"))
    rows = [
        {"d": d, "label": book[d.variable].label, "first": codeform.label_of(book[d.variable], d.first),
         "second": codeform.label_of(book[d.variable], d.second), "case_pk": cases.get(d.case)}
        for d in disagreements
    ]  # fmt: skip
    assignments = list(
        models.Assignment.objects.filter(sample=sample).select_related("coder", "case").order_by("case_id", "coder__username")
    )
    coders = sorted({a.coder.get_username() for a in assignments})
    labels = {v.id: v.label for v in book}
    context = {
        "sample": sample,
        "table": [(labels[a.variable], a) for a in table if a.n],
        "rows": rows,
        "open": still_open,
        "coders": coders,
        "reopenable": [a for a in assignments if a.submitted_at is not None and a.case.visitor_id in {d.case for d in disagreements}],
    }
    return render(request, "web/agreement.html", context)
