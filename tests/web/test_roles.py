"""Every page checks the role first; a reader never reaches a word of a transcript."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, get_resolver, reverse
from tests.web.conftest import USERS, Workbench

PUBLIC = {"login"}


def _patterns() -> list[URLPattern]:
    return [p for p in get_resolver().url_patterns if isinstance(p, URLPattern)]


def _objects(workbench: Workbench) -> dict[str, Any]:
    """One of everything a URL can point at, made for this test (rolled back after it)."""
    import datetime as dt

    from zicht.linkage.review import Proposal, decide
    from zicht.store import consulting, linking, models
    from zicht.store.double import assign_sample

    case = workbench.cases[0]
    thread = consulting.open_consultation(case, "victim_age", "bram", "zestien of zeventien?")
    sample = assign_sample(2020, 2, [workbench.users["bram"], workbench.users["cees"]], "anna", seed=1)
    left, right = workbench.cases[1].visitor_id, workbench.cases[2].visitor_id
    proposal = models.LinkProposal.objects.create(left=left, right=right, probability=0.9, evidence={}, proposed_at=dt.datetime.now())
    linking.save_decisions([decide(Proposal(left, right, 0.9, {}), "apart", "anna")])
    decision = models.LinkDecision.objects.get(left=left, right=right)
    assignment = models.Assignment.objects.filter(sample=sample).first()
    assert assignment is not None
    passage = models.Passage.objects.create(case=case, analysis="corona", theme="excuse", conversation=case.conversation_ids[0],
                                            message=0, start=0, end=1, text="x", coded_by="anna", coded_at=dt.datetime.now())  # fmt: skip
    return {
        "case": {"pk": case.pk},
        "consult": {"pk": case.pk},
        "remove": {"pk": case.pk},
        "reply": {"pk": thread.pk},
        "decide": {"pk": thread.pk},
        "blind": {"pk": assignment.pk},
        "reopen_blind": {"pk": assignment.pk},
        "agreement": {"sample": sample},
        "pair": {"pk": proposal.pk},
        "decide_pair": {"pk": proposal.pk},
        "undo": {"pk": decision.pk},
        "themes": {"analysis_id": "corona"},
        "code_passage": {"analysis_id": "corona", "pk": case.pk},
        "quote_passage": {"pk": passage.pk},
        "remove_passage": {"pk": passage.pk},
        # a year without cases: the role check, then 404
        "download": {"year": 1999, "name": "report.docx"},
        "figure": {"year": 1999, "table_id": "victim_gender.all"},
    }


def test_every_page_declares_its_roles() -> None:
    undeclared = [p.name for p in _patterns() if p.name not in PUBLIC and not hasattr(p.callback, "allowed_roles")]
    assert undeclared == []


# What an allowed role gets for a GET of each page: the page's title, or the answer a page that
# only takes a POST, or a year without cases (see `_objects`), gives. Every URL must be listed.
TITLES = {
    "queue": "Casussen", "case": "Casus WEB-", "consultations": "Overleg", "samples": "Dubbel coderen",
    "agreement": "Overeenstemming 2020-", "blind": "Blind coderen", "links": "Koppelen", "pair": "Paar WEB-",
    "monitor": "Monitor", "audit": "Logboek", "users": "Gebruikers", "themes": "Thema's",
}  # fmt: skip
POST_ONLY = {"assign", "consult", "decide", "decide_pair", "remove", "reopen_blind", "reply", "undo", "code_passage", "quote_passage",
             "remove_passage"}  # fmt: skip
NOT_FOUND = {"download", "figure"}
START = {"coordinator": "/cases/", "researcher": "/cases/", "reader": "/monitor/"}


def _answers_as_asked(response: Any, page: str, role: str) -> bool:
    import re

    if page in TITLES:
        title = re.search(r"<title>(.*?) · zicht</title>", response.content.decode())
        return response.status_code == 200 and title is not None and title.group(1).startswith(TITLES[page])
    if page == "audit_csv":
        return response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    if page == "home":
        return response.status_code == 302 and response["Location"] == START[role]
    if page == "themes_first":
        return response.status_code == 302 and response["Location"] == "/themes/corona/"
    return response.status_code == (405 if page in POST_ONLY else 404 if page in NOT_FOUND else -1)


def test_every_url_answers_only_its_roles_and_gives_them_the_page_they_asked_for(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    kwargs = _objects(workbench)
    blind_coder = models.Assignment.objects.get(pk=kwargs["blind"]["pk"]).coder.username
    for name, role in USERS.items():
        client = as_user(name)
        for pattern in _patterns():
            if pattern.name in PUBLIC or pattern.name == "logout":
                continue
            url = reverse(pattern.name, kwargs=kwargs.get(pattern.name, {}))
            response = client.get(url)
            if pattern.name == "blind" and name != blind_coder:
                assert response.status_code == 403, f"{name} opened {blind_coder}'s blind coding"
            elif role in pattern.callback.allowed_roles:
                assert _answers_as_asked(response, pattern.name, role), f"{name} ({role}) got {response.status_code} for {url}"
            else:
                assert response.status_code == 403, f"{name} ({role}) got {response.status_code} for {url}"


def test_anonymous_visitors_are_sent_to_the_login_page(workbench: Workbench) -> None:
    from django.test import Client

    kwargs = _objects(workbench)
    client = Client()
    for pattern in _patterns():
        if pattern.name in PUBLIC:
            continue
        response = client.get(reverse(pattern.name, kwargs=kwargs.get(pattern.name, {})))
        assert response.status_code == 302 and response["Location"].startswith("/login/"), pattern.name


def test_a_reader_reaches_no_transcript_text_by_any_url(workbench: Workbench, as_user: Any) -> None:
    kwargs = _objects(workbench)
    client = as_user("lies")
    words = [t for t in workbench.texts if len(t) > 25]
    pages = []
    for pattern in _patterns():
        if pattern.name in PUBLIC:
            continue
        response = client.get(reverse(pattern.name, kwargs=kwargs.get(pattern.name, {})))
        pages.append(response.content.decode() if not response.streaming else b"".join(response.streaming_content).decode())
    assert any("Monitor" in page for page in pages)  # the reader's own page was reached
    leaked = [t for t in words for page in pages if t in page]
    assert leaked == []


def test_a_researcher_sees_the_transcript_with_names_masked(workbench: Workbench, as_user: Any) -> None:
    from zicht.reading import profile
    from zicht.store import linking
    from zicht.store.project import secret

    named = None
    for case in workbench.cases:
        chat = next(iter(linking.conversations(ids=case.conversation_ids)))
        p = profile(chat, secret())
        if p.perpetrator_names:
            named = (case, p.perpetrator_names[0])
            break
    assert named is not None, "the corpus should name a perpetrator somewhere"
    case, name = named
    researcher = as_user("bram").get(reverse("case", args=[case.pk])).content.decode().lower()
    coordinator = as_user("anna").get(reverse("case", args=[case.pk])).content.decode().lower()
    assert f">{name}<" not in researcher and f" {name} " not in researcher and "[naam]" in researcher
    assert name in coordinator


@pytest.mark.parametrize("header", ["Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"])
def test_pages_carry_the_security_headers(as_user: Any, header: str) -> None:
    response = as_user("anna").get(reverse("queue"))
    assert response.has_header(header)
    if header == "Content-Security-Policy":
        policy = response[header]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "http" not in policy


def test_pages_load_no_script_from_elsewhere_and_no_inline_script(workbench: Workbench, as_user: Any) -> None:
    import re

    html = as_user("anna").get(reverse("case", args=[workbench.cases[0].pk])).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
