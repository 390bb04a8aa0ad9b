"""The audit trail for the coordinator: browse by user, action or case, and export it whole."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from zicht.store import audit, models
from zicht.store.roles import COORDINATOR
from zicht.web.roles import allow

ACTIONS = {  # the events as the coordinator reads them
    "code": "gecodeerd",
    "accept": "voorstel overgenomen",
    "decide": "besloten in overleg",
    "consult": "in overleg gebracht",
    "reply": "gereageerd in overleg",
    "open_case": "casus geopend",
    "close_case": "lege casus gesloten (gesprekken horen nu bij een andere casus)",
    "import": "bestand geïmporteerd",
    "merge": "samengevoegd",
    "apart": "apart gehouden",
    "undo_merge": "samenvoegen ongedaan",
    "undo_apart": "apart houden ongedaan",
    "assign_sample": "steekproef getrokken",
    "blind_code": "blind gecodeerd",
    "reopen_blind": "blinde codering heropend",
    "download": "gedownload",
    "remove_case": "casus verwijderd",
    "restore_case": "casus teruggezet",
    "export_audit": "logboek geëxporteerd",
    "user_add": "account toegevoegd",
    "user_role": "rol gewijzigd",
    "user_close": "account gesloten",
}


@allow(COORDINATOR.id)
def trail(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [(e, ACTIONS.get(e.action, e.action), audit.shown(e.old), audit.shown(e.new)) for e in page]
    actions = models.Event.objects.values_list("action", flat=True).distinct().order_by("action")
    choices = [(a, ACTIONS.get(a, a)) for a in actions]
    return render(request, "web/audit.html", {"page": page, "rows": rows, "actions": choices, "q": request.GET})


@allow(COORDINATOR.id)
def export(request: HttpRequest) -> HttpResponse:
    audit.record(request.user.get_username(), "export_audit")
    response = StreamingHttpResponse(audit.csv_lines(_filtered(request).iterator()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="zicht-audit.csv"'
    return response


def _filtered(request: HttpRequest) -> QuerySet[models.Event]:
    events = models.Event.objects.all()
    for name in ("user", "action", "case"):
        if request.GET.get(name):
            events = events.filter(**{name: request.GET[name]})
    return events
