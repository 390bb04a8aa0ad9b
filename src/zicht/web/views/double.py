"""Double coding: the coordinator draws a sample for two researchers; each codes blind; agreement per variable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zicht.codebook import load_codebook
from zicht.store import linking, models
from zicht.store.double import assign_sample, blind_values, sample_agreement, save_blind
from zicht.web import codeform
from zicht.web.roles import CODERS, COORDINATOR, RESEARCHER, allow, role_of
from zicht.web.transcript import transcript


@allow(*CODERS)
def samples(request: HttpRequest) -> HttpResponse:
    """Researchers see their own assignments; the coordinator every sample and the form to draw one."""
    mine = models.Assignment.objects.filter(coder=request.user).select_related("case").order_by("submitted_at", "id")
    context: dict[str, object] = {"mine": mine}
    if request.role.id == COORDINATOR.id:  # type: ignore[attr-defined]
        names = models.Assignment.objects.values_list("sample", flat=True).distinct().order_by("-sample")
        context["samples"] = list(names)
        users = get_user_model().objects.filter(is_active=True).order_by("username").prefetch_related("groups")
        context["researchers"] = [u for u in users if (r := role_of(u)) is not None and r.id in (RESEARCHER.id, COORDINATOR.id)]
        context["years"] = sorted(set(models.Case.kept.exclude(year=None).values_list("year", flat=True)))
    return render(request, "web/samples.html", context)


@allow(COORDINATOR.id)
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    User = get_user_model()
    coders = list(User.objects.filter(pk__in=request.POST.getlist("coders")))
    try:
        name = assign_sample(int(request.POST.get("year", 0)), int(request.POST.get("size", 0)), coders, request.user.get_username())
    except ValueError as e:
        messages.error(request, f"Geen steekproef getrokken: {e}.")
        return redirect("samples")
    messages.success(request, f"Steekproef {name} is toegewezen aan {' en '.join(c.get_username() for c in coders)}.")
    return redirect("agreement", sample=name)


@allow(*CODERS)
def blind(request: HttpRequest, pk: int) -> HttpResponse:
    """One assigned case, coded without seeing the case's codes, the other coder's or the suggestions."""
    assignment = get_object_or_404(models.Assignment.objects.select_related("case"), pk=pk)
    if assignment.coder_id != request.user.pk:
        raise PermissionDenied
    book = load_codebook(assignment.case.codebook)
    values = blind_values(assignment, book)
    if request.method == "POST":
        posted, problems = codeform.read_post(book, request.POST)
        if problems:
            for variable, reason in problems:
                messages.error(request, f"{book[variable].label}: {reason}")
            values = {**values, **posted}
        else:
            save_blind(assignment, posted, request.user.get_username())
            messages.success(request, "Opgeslagen.")
            following = models.Assignment.objects.filter(coder=request.user, submitted_at=None).order_by("id").first()
            return redirect("blind", pk=following.pk) if following else redirect("samples")
    chats = list(linking.conversations(ids=assignment.case.conversation_ids, flagged=None))
    context = {
        "assignment": assignment,
        "case": assignment.case,
        "fields": codeform.fields(book, values, {}),
        "chats": transcript(chats, {}, request.role.sees_identifiers),  # type: ignore[attr-defined]
    }
    return render(request, "web/blind.html", context)


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
    coders = sorted({a.coder.get_username() for a in models.Assignment.objects.filter(sample=sample).select_related("coder")})
    labels = {v.id: v.label for v in book}
    context = {
        "sample": sample,
        "table": [(labels[a.variable], a) for a in table if a.n],
        "rows": rows,
        "open": still_open,
        "coders": coders,
    }
    return render(request, "web/agreement.html", context)
