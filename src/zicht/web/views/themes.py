"""Thematic analysis of a subset (chapter 4): the subset's chats, passages coded by theme, quotes chosen for the report.

Every passage is shown as it is kept and quoted: redacted. The words a suggestion rests on are
offered as passages (their sentence), and any visitor message can be coded whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zicht.analysis.definition import ThemeAnalysis, builtin_definition
from zicht.analysis.populations import members
from zicht.analysis.themes import sentence_around
from zicht.codebook import Codebook
from zicht.privacy.redaction import redact_stretches
from zicht.store import linking, models, queries, suggesting
from zicht.store.roles import CODERS
from zicht.store.themes import PassageRefused, choose_quote, code_passage, remove_passage
from zicht.web import counting
from zicht.web.roles import allow


@dataclass
class Offered:
    conversation: str
    message: int
    start: int
    end: int
    text: str  # redacted, as it would be kept
    whole: bool  # the whole message, not a suggestion's sentence


@dataclass
class SubsetCase:
    case: models.Case
    themes: list[str]  # labels of the themes coded for the case
    passages: list[models.Passage] = field(default_factory=list)
    offered: list[Offered] = field(default_factory=list)
    messages: list[Offered] = field(default_factory=list)


@allow(*CODERS)
def first(request: HttpRequest) -> HttpResponse:
    """The menu's Thema's: the monitor's thematic analysis (the first, should it have more)."""
    analyses = builtin_definition(counting.project().codebook.id).themes
    if not analyses:
        raise Http404("De monitor van dit codeboek heeft geen thematische analyse.")
    return redirect("themes", next(iter(analyses)))


@allow(*CODERS)
def themes(request: HttpRequest, analysis_id: str) -> HttpResponse:
    book = counting.project().codebook
    analysis = _analysis(book, analysis_id)
    years = queries.years()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else (years[-1] if years else 0)
    subset = members(queries.cases_of_year(year, book), book, year, analysis.population) if year in years else frozenset()
    rows = [_subset_case(case, analysis, book) for case in models.Case.kept.filter(visitor_id__in=subset).order_by("first_chat_at", "id")]
    coded = [p for row in rows for p in row.passages]
    summary = [
        (c.label, sum(p.theme == c.id for p in coded), sum(p.theme == c.id and p.quote for p in coded))
        for c in book[analysis.variable].categories
    ]
    context = {
        "analysis": analysis,
        "population": builtin_definition(book.id).populations[analysis.population].label,
        "categories": book[analysis.variable].categories,
        "years": years,
        "year": year,
        "rows": rows,
        "summary": summary,
    }
    return render(request, "web/themes.html", context)


@allow(*CODERS)
@require_POST
def code(request: HttpRequest, analysis_id: str, pk: int) -> HttpResponse:
    book = counting.project().codebook
    analysis = _analysis(book, analysis_id)
    case = get_object_or_404(models.Case.kept, pk=pk)
    try:
        message, start, end = (int(request.POST.get(name, "")) for name in ("message", "start", "end"))
        code_passage(case, analysis, book, request.POST.get("theme", ""), request.POST.get("conversation", ""), message, start, end,
                     request.user.get_username(), quote=request.POST.get("quote") == "1")  # fmt: skip
    except ValueError as e:  # a PassageRefused says why; a tampered number gets the same answer
        messages.error(request, f"Niet gecodeerd: {e if isinstance(e, PassageRefused) else 'deze passage bestaat niet'}.")
    else:
        messages.success(request, f"Passage gecodeerd bij casus {case.visitor_id}.")
    return _back(request, analysis, case)


@allow(*CODERS)
@require_POST
def quote(request: HttpRequest, pk: int) -> HttpResponse:
    passage = get_object_or_404(models.Passage.objects.select_related("case"), pk=pk)
    analysis = _analysis(counting.project().codebook, passage.analysis)
    chosen = request.POST.get("quote") == "1"
    choose_quote(passage, analysis, chosen, request.user.get_username())
    messages.success(request, "Gekozen als citaat voor het rapport." if chosen else "Niet meer als citaat gekozen.")
    return _back(request, analysis, passage.case)


@allow(*CODERS)
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    passage = get_object_or_404(models.Passage.objects.select_related("case"), pk=pk)
    analysis, case = _analysis(counting.project().codebook, passage.analysis), passage.case
    remove_passage(passage, analysis, request.user.get_username())
    messages.success(request, "Passage verwijderd; het thema blijft gecodeerd bij de casus tot u het daar weghaalt.")
    return _back(request, analysis, case)


def _analysis(book: Codebook, analysis_id: str) -> ThemeAnalysis:
    analyses = builtin_definition(book.id).themes
    if analysis_id not in analyses:
        raise Http404("Deze thematische analyse bestaat niet.")
    return analyses[analysis_id]


def _back(request: HttpRequest, analysis: ThemeAnalysis, case: models.Case) -> HttpResponse:
    year = f"?year={case.year}" if case.year else ""
    return redirect(reverse("themes", args=[analysis.id]) + year + f"#casus-{case.pk}")


def _subset_case(case: models.Case, analysis: ThemeAnalysis, book: Codebook) -> SubsetCase:
    """A case of the subset: its passages, the sentences its suggestions rest on, and its visitor messages."""
    passages = list(case.passages.filter(analysis=analysis.id))
    labels = {c.id: c.label for c in book[analysis.variable].categories}
    row = SubsetCase(case, sorted({labels[p.theme] for p in passages if p.theme in labels}), passages)
    flag = book[analysis.variable].applies_when
    evidence = {
        (e.conversation_id, e.message, e.start, e.end)
        for variable, s in suggesting.of_case(case, book).items()
        if variable == analysis.variable or (flag is not None and variable == flag.variable)
        for e in s.evidence
    }
    taken = {(p.conversation, p.message, p.start, p.end) for p in passages}
    purged = set(models.Conversation.objects.filter(external_id__in=case.conversation_ids).exclude(purged_at=None)
                 .values_list("external_id", flat=True))  # fmt: skip
    for chat in linking.conversations(ids=case.conversation_ids, flagged=None):
        if chat.id in purged:
            continue  # its text is gone (`zicht purge`); its passages stay
        texts = [m.text for m in chat.messages]
        offered = sorted({(m, *sentence_around(texts[m], s, e)) for c, m, s, e in evidence if c == chat.id and m < len(texts)})
        whole = [(i, 0, len(t)) for i, (m, t) in enumerate(zip(chat.messages, texts, strict=True)) if m.sender == "visitor" and t.strip()]
        whole = [w for w in whole if w not in offered]
        stretches = [*offered, *whole]
        for n, ((m, s, e), text) in enumerate(zip(stretches, redact_stretches(texts, stretches), strict=True)):
            if (chat.id, m, s, e) not in taken:
                item = Offered(chat.id, m, s, e, text, whole=n >= len(offered))
                (row.messages if item.whole else row.offered).append(item)
    return row
