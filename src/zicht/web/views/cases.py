"""The case queue and the coding view: a transcript beside the codebook form."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zicht.codebook import Codebook, load_codebook
from zicht.coding import Span, Suggestion
from zicht.errors import TextTooLong
from zicht.store import linking, models
from zicht.store.accounts import CODERS, COORDINATOR
from zicht.store.cases import Conflict, Removed, remove_case, restore_case, save_codes, values_of
from zicht.store.codes import json_value
from zicht.store.double import blind_to, disagreeing_cases
from zicht.web import codeform
from zicht.web.roles import allow
from zicht.web.transcript import transcript

PAGE = 50
SEARCHED_CHATS = 50  # a search that matches more chats than this is narrowed by the first ones; type more of the pseudonym
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
    cases = filtered(shown, request.GET.get("q", "").strip(), request.GET.get("date", ""))
    page = Paginator(cases.order_by("first_chat_at", "id"), PAGE).get_page(request.GET.get("page"))
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


def filtered(status: str, q: str = "", date: str = "") -> QuerySet[models.Case]:
    """The cases of one filter of the queue, searched by pseudonym or visitor and by date of first chat."""
    cases = models.Case.objects.exclude(removed_at=None) if status == "removed" else models.Case.kept.all()
    if status == "todo":
        cases = cases.exclude(progress=models.Case.CODED)
    elif status in (models.Case.NOT_CODED, models.Case.PARTIAL, models.Case.CODED):
        cases = cases.filter(progress=status)
    elif status == "suggested":
        cases = cases.exclude(progress=models.Case.CODED).filter(Exists(models.Suggestion.objects.filter(visitor=OuterRef("visitor_id"))))
    elif status == "consult":
        cases = cases.filter(Exists(models.Consultation.objects.filter(case=OuterRef("pk"), decided_at=None)))
    elif status == "disagree":
        cases = cases.filter(visitor_id__in=disagreeing_cases())
    if q:
        chats = models.Conversation.objects.filter(pseudonym__icontains=q).values_list("external_id", flat=True)[:SEARCHED_CHATS]
        in_case = Q(visitor_id__icontains=q)
        for chat in chats:
            in_case |= Q(conversation_ids__icontains=f'"{chat}"')  # the JSON list holds it, quoted
        cases = cases.filter(in_case)
    if date:
        try:
            cases = cases.filter(first_chat_at__date=dt.date.fromisoformat(date))
        except ValueError:
            cases = cases.none()
    return cases


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
    suggestions = suggestions_of(row, book)
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
            following = next_case(row)
            return redirect(following or reverse("queue"))
        return redirect("case", pk=row.pk)
    return _page(request, row, book, values, suggestions, status)


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
        "next": next_case(row),
        "n_pending": sum(f.pending for f in form),
    }
    return render(request, "web/case.html", context, status=status)


def _stored_suggestions(row: models.Case, book: Codebook) -> list[models.Suggestion]:
    """A case's suggestions, if they were read from its own chats (an undone merge may have taken one away)."""
    stored = models.Suggestion.objects.filter(visitor=row.visitor_id, codebook=book.id)
    return [s for s in stored if set(s.conversation_ids) <= set(row.conversation_ids)]


def _kept_evidence(row: models.Case, book: Codebook) -> list[tuple[str, str]]:
    """After a purge: each suggestion's evidence as it was kept, redacted (`store.retention`)."""
    stored = _stored_suggestions(row, book)
    return [(book[s.variable].label, quote) for s in stored if s.variable in book and s.quotes for quote in json.loads(s.quotes) if quote]


def suggestions_of(row: models.Case, book: Codebook) -> dict[str, Suggestion]:
    stored = _stored_suggestions(row, book)
    return {
        s.variable: Suggestion(s.variable, json_value(book[s.variable], s.value), s.confidence, tuple(Span(*e) for e in s.evidence))
        for s in stored
        if s.variable in book
    }


def next_case(row: models.Case) -> str | None:
    """The next case still to code after this one, in the queue's order."""
    todo = models.Case.kept.exclude(progress=models.Case.CODED).exclude(pk=row.pk)
    after = (
        todo.filter(Q(first_chat_at__gt=row.first_chat_at) | Q(first_chat_at=row.first_chat_at, pk__gt=row.pk))
        if row.first_chat_at
        else todo
    )
    following = after.order_by("first_chat_at", "id").first() or todo.order_by("first_chat_at", "id").first()
    return reverse("case", args=[following.pk]) if following else None


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
