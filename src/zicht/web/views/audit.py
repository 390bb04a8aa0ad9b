"""The audit trail for the coordinator: browse by user, action or case, and export it whole."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from zicht.codebook import Codebook
from zicht.store import audit, models
from zicht.store.roles import COORDINATOR
from zicht.web.codeform import stored_label
from zicht.web.counting import project
from zicht.web.roles import allow


@allow(COORDINATOR.id)
def trail(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    book = project().codebook  # an event names its variable, not the case's codebook: read by the project's
    rows = [(e, audit.LABELS.get(e.action, e.action), _in_dutch(book, e.variable, e.old), _in_dutch(book, e.variable, e.new)) for e in page]
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


# An event's details as the coordinator reads them; the exported CSV keeps the store's own words.
_DETAILS = {
    "conversations": "gesprekken", "reason": "reden", "removed_at": "verwijderd op", "file": "bestand", "kind": "soort",
    "records": "records", "rejected": "afgewezen", "sample": "steekproef", "cases": "casussen", "coders": "codeurs",
    "coder": "codeur", "user": "gebruiker", "role": "rol", "year": "jaar", "tables_sha256": "kenmerk tabellen",
    "chats": "chats", "messages": "berichten", "kept_back": "bewaard", "theme": "thema", "conversation": "gesprek",
    "message": "bericht", "start": "van teken", "end": "tot teken",
}  # fmt: skip
_WORDS = {"merge": "samengevoegd", "apart": "apart gehouden", "chats": "chats", "coded": "gecodeerd",
          "unknown": "onbekend / niet genoemd", "not_coded": "nog niet gecodeerd"}  # fmt: skip


def _in_dutch(book: Codebook, variable: str, side: Any) -> str:
    """A code by its label ("Vrouw of meisje", not `female`); details by Dutch names ("reden=...")."""
    if isinstance(side, dict) and set(side) == {"state", "value"} and variable in book:
        return stored_label(book[variable], side)
    if isinstance(side, dict):
        if "theme" in side and variable in book and side["theme"] in book[variable].category_ids:  # a passage: its theme by label
            side = side | {"theme": book[variable].category(side["theme"]).label}
        return "; ".join(f"{_DETAILS.get(k, k)}={'+'.join(map(str, v)) if isinstance(v, list) else v}" for k, v in side.items())
    return _WORDS.get(str(side), audit.shown(side))
