"""What chats hold that a browser could run is shown as text; purged chats show only their kept evidence;
a download leaves nothing behind."""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path
from typing import Any

from django.urls import reverse
from tests.web.conftest import Workbench

SCRIPT = '<script>alert("zicht")</script><img src=x onerror="alert(1)">'


def test_html_and_script_in_a_chat_are_shown_as_text_to_every_role(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    case = workbench.cases[20]
    message = models.Message.objects.filter(conversation__external_id=case.conversation_ids[0]).order_by("index").first()
    assert message is not None
    message.text = f"kijk {SCRIPT} dit"
    message.save()
    for name in ("anna", "bram"):  # the coordinator sees the chat as it is, the researcher redacted
        page = as_user(name).get(reverse("case", args=[case.pk])).content.decode()
        assert "&lt;script&gt;" in page, name
        assert "<script>alert" not in page and "<img src=x" not in page and 'onerror="alert' not in page, name


def test_a_purged_case_shows_its_kept_evidence_and_no_chat_text(workbench: Workbench, as_user: Any) -> None:
    import datetime as dt

    from zicht.store import models, retention

    models.FinalReport.objects.create(year=2020, finalised_by="anna", finalised_at=dt.datetime.now(), tables_sha256="0" * 64)
    for row in models.Case.objects.filter(visitor_id__startswith="WEB-"):
        row.progress = models.Case.CODED
        row.save()
    retention.purge(retention.plan(2020, 0), "anna")
    case = workbench.cases[3]
    page = as_user("bram").get(reverse("case", args=[case.pk])).content.decode()
    assert "De chattekst is verwijderd" in page
    kept = [q for s in models.Suggestion.objects.filter(visitor=case.visitor_id) if s.quotes for q in json.loads(s.quotes) if q]
    assert kept and all(html.escape(q) in page for q in kept)  # the evidence, redacted
    assert [t for t in workbench.texts if len(t) > 25 and t in page and not any(t in q for q in kept)] == []  # nothing else


def test_a_download_leaves_no_files_behind(workbench: Workbench, as_user: Any) -> None:
    before = set(Path(tempfile.gettempdir()).glob("zicht-download-*"))
    response = as_user("anna").get(reverse("download", args=[2020, "cases.csv"]))
    assert response.status_code == 200 and response.content.startswith(b"visitor_id")
    assert "attachment" in response["Content-Disposition"]
    assert set(Path(tempfile.gettempdir()).glob("zicht-download-*")) == before


def test_a_download_name_cannot_reach_outside_the_report(workbench: Workbench, as_user: Any) -> None:
    anna = as_user("anna")
    for name in ("secret.key", "text.key", "..%2Fsecret.key", "%2e%2e%2fzicht.sqlite3", "report.docx%00.txt"):
        assert anna.get(f"/monitor/2020/{name}").status_code == (400 if "%00" in name else 404), name


def test_a_nul_character_in_a_search_or_form_is_refused_with_a_page_that_says_so(workbench: Workbench, as_user: Any) -> None:
    """PostgreSQL refuses a NUL in text: the workbench says so, stores nothing, and stays up."""
    from zicht.store import models

    anna = as_user("anna")
    case = workbench.cases[5]
    from django.contrib.auth import get_user_model

    def held() -> tuple[int, ...]:
        return (
            models.Case.objects.filter(removed_at__isnull=False).count(),
            models.Consultation.objects.count(),
            get_user_model().objects.count(),
        )

    before = held()
    for response in (
        anna.get(reverse("queue"), {"q": "b-\0"}),
        anna.get(reverse("queue"), {"q\0": "b-"}),
        anna.post(reverse("remove", args=[case.pk]), {"reason": "dubbel\0"}),
        anna.post(reverse("consult", args=[case.pk]), {"variable": "victim_gender", "comment": "klopt dit?\0"}),
        anna.post(reverse("users"), {"action": "add", "username": "a\0b", "password": "fiets paraplu kompas 7", "role": "reader"}),
    ):
        assert response.status_code == 400
        assert "Verzoek niet gelezen" in response.content.decode() and "Er is niets opgeslagen" in response.content.decode()
    assert held() == before
    assert anna.get(reverse("queue"), {"q": "b-"}).status_code == 200
