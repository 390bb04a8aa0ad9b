"""Linkage review: each proposed pair side by side, merge or keep apart, and undo later."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zicht.linkage.match import distinctive_words
from zicht.linkage.review import Proposal, decide, open_proposals, side_by_side
from zicht.reading import profile
from zicht.store import linking, models
from zicht.store.project import secret
from zicht.store.roles import COORDINATOR
from zicht.web.roles import allow
from zicht.web.transcript import transcript


@functools.lru_cache(maxsize=4)
def _distinctive_words(year: int, conversations: int) -> dict[str, list[str] | None]:
    """Each chat's words few other chats of its year use, as linkage weighs them (read once per year and
    project size: the first pair page of a year reads the year's chats, a second or so for a few hundred)."""
    profiles = [profile(c, secret()) for c in linking.conversations(year)]
    return dict(zip((p.conversation_id for p in profiles), distinctive_words(profiles), strict=True))


@allow(COORDINATOR.id)
def proposals(request: HttpRequest) -> HttpResponse:
    waiting = open_proposals(linking.proposals(), [*linking.decisions(), *linking.coded_together()])
    ids = {(left, right): pk for pk, left, right in models.LinkProposal.objects.values_list("pk", "left", "right")}
    chats = {c: (pseudonym, at) for c, pseudonym, at in models.Conversation.objects.filter(
        external_id__in={c for p in waiting for c in p.key}).values_list("external_id", "pseudonym", "started_at")}  # fmt: skip
    rows = [(ids[p.key], p, chats.get(p.left), chats.get(p.right)) for p in sorted(waiting, key=lambda p: -p.probability)]
    decided = models.LinkDecision.objects.order_by("-decided_at", "-id")[:200]
    return render(request, "web/links.html", {"rows": rows, "decided": decided})


@allow(COORDINATOR.id)
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(models.LinkProposal, pk=pk)
    proposal = Proposal(row.left, row.right, row.probability, row.evidence)
    chats = {c.id: c for c in linking.conversations(ids=[row.left, row.right], flagged=None)}
    if len(chats) != 2:
        raise Http404("a conversation of this pair is no longer in the project")
    left, right = (profile(chats[c], secret()) for c in (row.left, row.right))
    distinctive = _distinctive_words(left.started_at.year, models.Conversation.objects.count())
    active = models.LinkDecision.objects.filter(left=row.left, right=row.right, undone_at=None).first()
    context = {
        "proposal": proposal,
        "pk": pk,
        "rows": side_by_side(left, right, proposal.evidence, distinctive),
        "chats": transcript([chats[row.left], chats[row.right]], {}, True),
        "active": active,
    }
    return render(request, "web/pair.html", context)


@allow(COORDINATOR.id)
@require_POST
def decide_pair(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(models.LinkProposal, pk=pk)
    verdict = request.POST.get("verdict")
    if verdict not in ("merge", "apart"):
        messages.error(request, "Kies samenvoegen of apart houden.")
        return redirect("pair", pk=pk)
    if models.LinkDecision.objects.filter(left=row.left, right=row.right, undone_at=None).exists():
        messages.error(request, "Over dit paar is al besloten; maak dat eerst ongedaan.")
        return redirect("pair", pk=pk)
    linking.save_decisions([decide(Proposal(row.left, row.right, row.probability, row.evidence), verdict, request.user.get_username())])
    messages.success(request, "Samengevoegd: één bezoeker." if verdict == "merge" else "Apart gehouden: twee bezoekers.")
    return redirect("links")


@allow(COORDINATOR.id)
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(models.LinkDecision, pk=pk)
    if linking.undo_decision(decision.left, decision.right, by=request.user.get_username()):
        messages.success(request, f"Ongedaan gemaakt: {decision.left} ~ {decision.right}. Het besluit blijft in het logboek.")
    return redirect("links")
