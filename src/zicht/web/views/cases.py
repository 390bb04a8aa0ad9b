"""The case queue and the coding view: a transcript beside the codebook form."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zicht.codebook import Codebook, load_codebook
from zicht.coding import Suggestion
from zicht.errors import TextTooLong
from zicht.store import linking, models, suggesting
from zicht.store.cases import Conflict, Removed, remove_case, restore_case, save_codes, values_of
from zicht.store.double import blind_to
from zicht.store.queue import next_case, queue_of, queue_order
from zicht.store.roles import CODERS, COORDINATOR
from zicht.web import codeform
from zicht.web.roles import allow
from zicht.web.transcript import transcript

PAGE = 50
FILTERS = {
    "todo": "Te coderen",
    "not_coded": "Niet gecodeerd",
    "suggested": "Met voorstellen",
    "partial": "Variabelen nog niet gecodeerd",
    "coded": "Gecodeerd",
    "consult": "In overleg",
    "disagree": "Dubbel gecodeerd, oneens",
    "all": "Alle",
    "removed": "Verwijderd",
}


COORDINATOR_FILTERS = {"disagree"}  # who disagrees with whom is the coordinator's: to a coder it is an oracle


@allow(*CODERS)
def queue(request: HttpRequest) -> HttpResponse:
    filters = {k: v for k, v in FILTERS.items() if k not in COORDINATOR_FILTERS or request.role.id == COORDINATOR.id}  # type: ignore[attr-defined]
    shown = request.GET.get("status", "todo")
    shown = shown if shown in filters else "todo"
    cases = queue_of(shown, request.GET.get("q", "").strip(), request.GET.get("date", ""))
    page = Paginator(queue_order(cases), PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [c for case in rows for c in case.conversation_ids]
    names = dict(models.Conversation.objects.filter(external_id__in=ids).values_list("external_id", "pseudonym"))
    for case in rows:
        case.pseudonyms = sorted({names[c] for c in case.conversation_ids if c in names})
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "status": shown,
        "q": request.GET.get("q", ""),
        "date": request.GET.get("date", ""),
    }
    template = "web/_queue_rows.html" if request.htmx else "web/queue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@allow(*CODERS)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the case to code. POST: save what the coder accepted, changed or coded."""
    row = get_object_or_404(models.Case, pk=pk)
    blind = blind_to(request.user, row)
    if blind is not None:
        messages.info(request, f"Casus {row.visitor_id} codeert u blind in steekproef {blind.sample}: tot beide codeurs haar "
                               "hebben ingediend, ziet u alleen het transcript en uw eigen formulier.")  # fmt: skip
        return redirect("blind", pk=blind.pk)
    book = load_codebook(row.codebook)
    suggestions = suggesting.of_case(row, book)
    values = values_of(row, book)
    status = 200
    if request.method == "POST":
        posted, problems = codeform.read_post(book, request.POST)
        if problems:
            for variable, reason in problems:
                messages.error(request, f"{book[variable].label}: {reason}")
            return _page(request, row, book, {**values, **posted}, suggestions, status=400)
        accepted = {v for v, s in suggestions.items() if v in posted and posted[v] == s.value and values.get(v) != s.value}
        try:
            save_codes(row, book, posted, request.user.get_username(), _revision(request), accepted=accepted)
        except Conflict as conflict:
            changed = sorted({book[e.variable].label for e in conflict.since if e.variable in book})
            who = ", ".join(sorted({e.user for e in conflict.since})) or "een collega"
            messages.error(
                request,
                f"Niet opgeslagen: {who} heeft deze casus intussen opgeslagen ({', '.join(changed) or 'codes'}). "
                "Uw invoer staat hieronder nog; bekijk de verschillen en sla opnieuw op om die van u te bewaren.",
            )
            fresh = values_of(conflict.case, book)
            differ = {v: fresh[v] for v, mine in posted.items() if fresh[v] != mine}
            return _page(request, conflict.case, book, {**fresh, **posted}, suggestions, status=409, theirs=differ)
        except Removed:
            messages.error(request, f"Niet opgeslagen: casus {row.visitor_id} is verwijderd. De coördinator kan haar terugzetten.")
            return _page(request, row, book, {**values, **posted}, suggestions, status=409)
        messages.success(request, f"Casus {row.visitor_id} is opgeslagen.")
        if request.POST.get("then") == "next":
            return redirect(_url(next_case(row)) or reverse("queue"))
        return redirect("case", pk=row.pk)
    return _page(request, row, book, values, suggestions, status)


def _url(case: models.Case | None) -> str | None:
    return reverse("case", args=[case.pk]) if case else None


def _revision(request: HttpRequest) -> int:
    """The revision the coder's form was made from; anything unreadable counts as outdated."""
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


def _page(request: HttpRequest, row: models.Case, book: Codebook, values: dict[str, Any], suggestions: dict[str, Suggestion],
          status: int = 200, theirs: dict[str, Any] | None = None) -> HttpResponse:  # fmt: skip
    purged = dict(models.Conversation.objects.filter(external_id__in=row.conversation_ids).exclude(purged_at=None)
                  .values_list("external_id", "purged_at"))  # fmt: skip
    chats = [c for c in linking.conversations(ids=row.conversation_ids, flagged=None) if c.id not in purged]
    sees = request.role.sees_identifiers  # type: ignore[attr-defined]
    form = codeform.fields(book, values, suggestions)
    for f in form:
        if theirs and f.variable.id in theirs:
            f.theirs = codeform.label_of(f.variable, theirs[f.variable.id])
    consultations = list(row.consultations.prefetch_related("comments").order_by("-opened_at"))
    for t in consultations:
        t.label = book[t.variable].label
        t.field = codeform.field_for(book[t.variable], values)
        t.decision_label = codeform.stored_label(book[t.variable], t.decision) if t.decided_at else ""
    context = {
        "case": row,
        "codebook": book,
        "fields": form,
        "chats": transcript(chats, suggestions, sees),
        "purged": max(purged.values()) if purged else None,
        "quotes": _kept_evidence(row, book) if purged else [],
        "consultations": consultations,
        "history": models.Event.objects.filter(case=row.visitor_id)[:30],
        "next": _url(next_case(row)),
        "n_pending": sum(f.pending for f in form),
    }
    return render(request, "web/case.html", context, status=status)


def _kept_evidence(row: models.Case, book: Codebook) -> list[tuple[str, str]]:
    """After a purge: each suggestion's evidence as it was kept, redacted (`store.retention`)."""
    stored = suggesting.rows_of_case(row, book)
    return [(book[s.variable].label, quote) for s in stored if s.quotes for quote in json.loads(s.quotes) if quote]


@allow(COORDINATOR.id)
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(models.Case, pk=pk)
    reason = request.POST.get("reason", "").strip()
    if row.removed_at is not None:
        restore_case(row, request.user.get_username())
        messages.success(request, f"Casus {row.visitor_id} is teruggezet.")
    elif not reason:
        messages.error(request, "Geef een reden om de casus te verwijderen.")
    else:
        try:
            remove_case(row, request.user.get_username(), reason)
        except TextTooLong as e:
            messages.error(request, str(e))
            return redirect("case", pk=row.pk)
        messages.success(request, f"Casus {row.visitor_id} is verwijderd uit de wachtrij en de statistiek; het logboek bewaart waarom.")
    return redirect("case", pk=row.pk)
