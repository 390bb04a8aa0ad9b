"""The audit trail for the coordinator: browse by user, action or case, and export it whole."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from zicht.store import audit, models
from zicht.store.roles import COORDINATOR
from zicht.web.roles import allow


@allow(COORDINATOR.id)
def trail(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [(e, audit.LABELS.get(e.action, e.action), audit.shown(e.old), audit.shown(e.new)) for e in page]
    actions = models.Event.objects.values_list("action", flat=True).distinct().order_by("action")
    choices = [(a, audit.LABELS.get(a, a)) for a in actions]
    return render(request, "web/audit.html", {"page": page, "rows": rows, "actions": choices, "q": request.GET})


@allow(COORDINATOR.id)
def export(request: HttpRequest) -> HttpResponse:
    audit.trail_exported(request.user.get_username()).save()
    response = StreamingHttpResponse(audit.csv_lines(_filtered(request).iterator()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="zicht-audit.csv"'
    return response


def _filtered(request: HttpRequest) -> QuerySet[models.Event]:
    events = models.Event.objects.all()
    for name in ("user", "action", "case"):
        if request.GET.get(name):
            events = events.filter(**{name: request.GET[name]})
    return events
