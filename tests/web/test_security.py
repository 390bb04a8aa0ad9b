"""What a security probe of the workbench tried, played again: blind coding as an oracle, what the
browser may keep, how long a login lasts, forged log lines, and input the forms do not offer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from tests.web.conftest import PASSWORD, Workbench


def _sample_of_one(workbench: Workbench, as_user: Any) -> tuple[Any, Any, Any]:
    """A sample of one case for bram and cees; cees has submitted age 16. Returns (case, bram's, cees's assignment)."""
    from zicht.store import models

    bram, cees = workbench.users["bram"], workbench.users["cees"]
    as_user("anna").post(reverse("assign"), {"year": "2020", "size": "1", "coders": [bram.pk, cees.pk]})
    sample = models.Assignment.objects.latest("id").sample
    mine = models.Assignment.objects.get(sample=sample, coder=bram)
    theirs = models.Assignment.objects.get(sample=sample, coder=cees)
    as_user("cees").post(reverse("blind", args=[theirs.pk]), _blind_form(16))
    return mine.case, mine, theirs


def _blind_form(age: int) -> dict[str, list[str]]:
    return {"about_trafficking": ["yes"], "victim_age": [str(age)], "victim_gender": ["female"]}


def test_a_coder_cannot_find_the_colleagues_blind_code_by_trying_values(workbench: Workbench, as_user: Any) -> None:
    """The probe's oracle: submit 12, then 13, 14, ... and watch the case leave the disagreements."""
    from zicht.store import models

    case, mine, _ = _sample_of_one(workbench, as_user)
    bram = as_user("bram")
    bram.post(reverse("blind", args=[mine.pk]), _blind_form(12))
    answers = set()
    for age in range(13, 18):
        again = bram.post(reverse("blind", args=[mine.pk]), _blind_form(age), follow=True)
        assert "al ingediend" in again.content.decode()
        listed = bram.get(reverse("queue"), {"status": "disagree"}).content.decode()
        answers.add((case.visitor_id in listed, "Dubbel gecodeerd, oneens" in listed))
    assert len(answers) == 1 and answers.pop()[1] is False  # the same page whatever was tried, and no such filter
    assert models.BlindCode.objects.get(assignment=mine, variable="victim_age").value == 12  # the first submission stands
    assert bram.get(reverse("agreement", args=[mine.sample])).status_code == 403


def test_while_a_case_is_in_a_blind_sample_its_coder_sees_only_the_transcript_and_their_own_form(
    workbench: Workbench, as_user: Any
) -> None:
    from zicht.store import consulting

    case, mine, _ = _sample_of_one(workbench, as_user)
    thread = consulting.open_consultation(case, "victim_age", "anna", "zestien volgens cees?")
    bram = as_user("bram")
    page = bram.get(reverse("case", args=[case.pk]))
    assert page.status_code == 302 and page["Location"] == reverse("blind", args=[mine.pk])  # not the case page
    shown = bram.get(page["Location"]).content.decode()
    assert "blind_code" not in shown and "blind gecodeerd" not in shown and "voorstel:" not in shown
    assert "zestien volgens cees" not in bram.get(reverse("consultations")).content.decode()
    assert bram.post(reverse("reply", args=[thread.pk]), {"comment": "?"}).status_code == 403
    assert bram.post(reverse("consult", args=[case.pk]), {"variable": "victim_age", "comment": "?"}).status_code == 403

    bram.post(reverse("blind", args=[mine.pk]), _blind_form(12))  # both have submitted: the blind part is over
    assert bram.get(reverse("case", args=[case.pk])).status_code == 200


def _field_value(page: str, name: str) -> str | None:
    """The value a form's input shows, as the browser would fill it in."""
    import re

    found = re.search(rf'<input name="{name}"[^>]*\bvalue="([^"]*)"', page)
    return found.group(1) if found else None


def test_the_blind_form_shows_neither_the_colleagues_codes_nor_the_cases(workbench: Workbench, as_user: Any) -> None:
    import re

    from zicht.codebook import load_codebook
    from zicht.store.cases import save_codes

    case, mine, _ = _sample_of_one(workbench, as_user)  # cees submitted 16 and female
    case.refresh_from_db()
    save_codes(case, load_codebook("nl-2020"), {"victim_age": 17}, "anna", case.revision)  # the case's own code
    page = as_user("bram").get(reverse("blind", args=[mine.pk])).content.decode()
    assert _field_value(page, "victim_age") == ""
    assert re.search(r'name="(victim_gender|about_trafficking)" value="\w+" checked', page) is None
    as_user("bram").post(reverse("blind", args=[mine.pk]), _blind_form(12))
    assert _field_value(as_user("bram").get(reverse("blind", args=[mine.pk])).content.decode(), "victim_age") == "12"  # their own


def test_the_coordinator_can_reopen_a_submitted_blind_code(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    case, mine, _ = _sample_of_one(workbench, as_user)
    bram, anna = as_user("bram"), as_user("anna")
    bram.post(reverse("blind", args=[mine.pk]), _blind_form(12))
    assert f'action="{reverse("reopen_blind", args=[mine.pk])}"' in anna.get(reverse("agreement", args=[mine.sample])).content.decode()
    assert bram.post(reverse("reopen_blind", args=[mine.pk])).status_code == 403
    anna.post(reverse("reopen_blind", args=[mine.pk]))
    bram.post(reverse("blind", args=[mine.pk]), _blind_form(16))
    assert models.BlindCode.objects.get(assignment=mine, variable="victim_age").value == 16
    event = models.Event.objects.get(action="reopen_blind")
    assert (event.user, event.case, event.new["coder"]) == ("anna", case.visitor_id, "bram")


def test_no_page_of_the_workbench_may_be_kept_by_the_browser(workbench: Workbench, as_user: Any) -> None:
    from django.test import Client

    case = workbench.cases[0]
    pages = [
        (as_user("bram"), reverse("case", args=[case.pk])),
        (as_user("bram"), reverse("queue")),
        (as_user("anna"), reverse("audit")),
        (as_user("anna"), reverse("audit_csv")),
        (as_user("lies"), reverse("monitor")),
        (Client(), reverse("login")),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache", url


def test_a_login_lasts_eight_hours_from_the_password_however_busy_the_user_is(workbench: Workbench, as_user: Any) -> None:
    from django.test import Client

    case = workbench.cases[5]
    start = dt.datetime(2026, 12, 2, 8, 0)
    with time_machine.travel(start, tick=False) as clock:
        bram = Client()
        assert bram.post(reverse("login"), {"username": "bram", "password": PASSWORD}).status_code == 302
        for hour in range(1, 8):  # a save every hour, each with its flash message that rewrites the session
            clock.move_to(start + dt.timedelta(hours=hour))
            case.refresh_from_db()
            saved = bram.post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], "victim_age": [str(10 + hour)]})
            assert saved.status_code == 302 and "/login/" not in saved["Location"], hour
        clock.move_to(start + dt.timedelta(hours=8, minutes=1))
        page = bram.get(reverse("queue"))
        assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
        assert bram.get(reverse("case", args=[case.pk])).status_code == 302  # logged out, not just turned away once


def test_a_request_path_cannot_write_a_line_of_its_own_into_the_log(workbench: Workbench, as_user: Any) -> None:
    import logging

    forged = "2026-12-02 07:30:00,000 INFO zicht.web POST /users/ 302 coord 1.0ms"
    as_user("bram").get("/nope%0A" + forged.replace(" ", "%20") + "%00")  # as the probe sent it: %0A is a newline to Django
    as_user("bram").get("/cases/%E2%80%AE%0D" + forged.replace(" ", "%20"))
    for handler in logging.getLogger("zicht.web").handlers + logging.getLogger("django").handlers:
        handler.flush()
    log = (workbench.directory / "workbench.log").read_text()
    assert "\x00" not in log and "\u202e" not in log
    assert [line for line in log.splitlines() if line.startswith(forged)] == []
    assert "/nope\\n2026-12-02" in log  # the path is there, escaped


@pytest.mark.parametrize(
    ("field", "posted"),
    [("form", ["bogus1", "bogus2"]), ("form", ["sexual", "bogus"]), ("victim_gender", ["bogus"])],
)
def test_a_choice_the_codebook_does_not_have_is_refused_and_nothing_is_saved(
    workbench: Workbench, as_user: Any, field: str, posted: list[str]
) -> None:
    from zicht.store import models

    case = workbench.cases[7]
    before = list(models.Code.objects.filter(case=case).values_list("variable", "state", "value"))
    response = as_user("bram").post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], field: posted})
    assert response.status_code == 400
    assert list(models.Code.objects.filter(case=case).values_list("variable", "state", "value")) == before


@pytest.mark.parametrize("coders", [["abc"], ["abc", "1"], []])
def test_a_sample_for_coders_that_are_not_a_number_is_refused_in_words(workbench: Workbench, as_user: Any, coders: list[str]) -> None:
    from zicht.store import models

    response = as_user("anna").post(reverse("assign"), {"year": "2020", "size": "2", "coders": coders}, follow=True)
    assert response.status_code == 200 and "Geen steekproef getrokken" in response.content.decode()
    assert not models.Assignment.objects.exists()


@pytest.mark.parametrize("who", ["lies", "closed"])
def test_a_sample_goes_only_to_open_accounts_that_code(workbench: Workbench, as_user: Any, who: str) -> None:
    from django.contrib.auth import get_user_model

    from zicht.store import models

    other = get_user_model().objects.get(username="cees")  # not the fixture's object: this change is rolled back
    if who == "closed":
        other.is_active = False
        other.save(update_fields=["is_active"])
    coders = [workbench.users["bram"].pk, (workbench.users["lies"] if who == "lies" else other).pk]
    response = as_user("anna").post(reverse("assign"), {"year": "2020", "size": "2", "coders": coders}, follow=True)
    assert "Geen steekproef getrokken" in response.content.decode()
    assert not models.Assignment.objects.exists()
    assert f'value="{coders[1]}"' not in as_user("anna").get(reverse("samples")).content.decode()  # not offered either


def test_a_removed_case_takes_no_codes_and_no_overleg(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import consulting, models
    from zicht.store.cases import remove_case

    case = workbench.cases[8]
    thread = consulting.open_consultation(case, "victim_age", "bram", "zestien?")
    remove_case(case, "anna", "dubbel")
    case.refresh_from_db()
    bram = as_user("bram")
    saved = bram.post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], "victim_age": ["15"]})
    assert saved.status_code == 409 and "verwijderd" in saved.content.decode()
    bram.post(reverse("consult", args=[case.pk]), {"variable": "victim_gender", "comment": "meisje?"})
    bram.post(reverse("reply", args=[thread.pk]), {"comment": "of zeventien"})
    assert not models.Code.objects.filter(case=case, variable="victim_age", state="value").exists()
    assert models.Consultation.objects.filter(case=case).count() == 1
    assert models.Comment.objects.filter(consultation=thread).count() == 1


def test_a_comment_or_a_removal_reason_of_megabytes_is_refused(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    case = workbench.cases[9]
    huge = "x" * 2_400_000
    page = as_user("bram").post(reverse("consult", args=[case.pk]), {"variable": "victim_age", "comment": huge}, follow=True)
    assert "ten hoogste 4.000 tekens" in page.content.decode()
    assert not models.Consultation.objects.filter(case=case).exists()
    page = as_user("anna").post(reverse("remove", args=[case.pk]), {"reason": huge[:10_000]}, follow=True)
    assert "ten hoogste 500 tekens" in page.content.decode()
    case.refresh_from_db()
    assert case.removed_at is None
