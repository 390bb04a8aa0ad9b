"""Overleg: open a thread on a variable, reply, and (the coordinator) decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zicht.codebook import load_codebook
from zicht.errors import TextTooLong
from zicht.store import consulting, models
from zicht.store.cases import Removed, values_of
from zicht.store.double import blind_cases, blind_to
from zicht.store.roles import CODERS, COORDINATOR
from zicht.web import codeform
from zicht.web.roles import allow


@allow(*CODERS)
def consultations(request: HttpRequest) -> HttpResponse:
    shown = request.GET.get("show", "open")
    threads = models.Consultation.objects.select_related("case").prefetch_related("comments").order_by("-opened_at")
    threads = threads.filter(decided_at=None) if shown == "open" else threads.exclude(decided_at=None)
    threads = threads.exclude(case_id__in=blind_cases(request.user))  # their codes are what a blind coder may not see
    rows = [(t, list(t.comments.all())) for t in threads[:200]]
    return render(request, "web/consultations.html", {"rows": rows, "show": shown})


@allow(*CODERS)
@require_POST
def open_thread(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(models.Case, pk=pk)
    if blind_to(request.user, case) is not None:
        raise PermissionDenied
    variable, comment = request.POST.get("variable", ""), request.POST.get("comment", "").strip()
    if variable not in load_codebook(case.codebook) or not comment:
        messages.error(request, "Kies een variabele en schrijf waarover u twijfelt.")
        return redirect("case", pk=case.pk)
    try:
        consulting.open_consultation(case, variable, request.user.get_username(), comment)
    except Removed:
        messages.error(request, f"Casus {case.visitor_id} is verwijderd: er kan geen overleg over worden geopend.")
    except TextTooLong as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "De variabele staat in overleg.")
    return redirect("case", pk=case.pk)


@allow(*CODERS)
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(models.Consultation.objects.select_related("case"), pk=pk)
    if blind_to(request.user, thread.case) is not None:
        raise PermissionDenied
    comment = request.POST.get("comment", "").strip()
    if comment and thread.decided_at is None:
        try:
            consulting.reply(thread, request.user.get_username(), comment)
        except Removed:
            messages.error(request, f"Casus {thread.case.visitor_id} is verwijderd: het overleg staat stil.")
        except TextTooLong as e:
            messages.error(request, str(e))
    return _thread(request, thread)


@allow(COORDINATOR.id)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's code for the variable closes the thread and is saved on the case."""
    thread = get_object_or_404(models.Consultation, pk=pk)
    book = load_codebook(thread.case.codebook)
    variable = book[thread.variable]
    values, problems = codeform.read_post(book, request.POST)
    if problems or thread.decided_at is not None:
        messages.error(request, "Geen geldige beslissing: kies een waarde.")
        return _thread(request, thread)
    try:
        consulting.decide(thread, book, values.get(variable.id), request.user.get_username(), request.POST.get("comment", "").strip())
    except Removed:
        messages.error(request, f"Casus {thread.case.visitor_id} is verwijderd: zet haar eerst terug.")
    except TextTooLong as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Besloten: {variable.label} = {codeform.label_of(variable, values.get(variable.id))}.")
    return _thread(request, thread)


def _thread(request: HttpRequest, thread: models.Consultation) -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("case", pk=thread.case_id)
    thread.refresh_from_db()
    book = load_codebook(thread.case.codebook)
    field = codeform.field_for(book[thread.variable], values_of(thread.case, book))
    thread.decision_label = codeform.stored_label(field.variable, thread.decision) if thread.decided_at else ""
    return render(request, "web/_thread.html", {"t": thread, "field": field, "label": field.variable.label})
