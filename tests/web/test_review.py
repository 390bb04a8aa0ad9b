"""Double coding with its agreement table, and linkage review with merge and undo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Workbench


def test_a_double_coded_sample_is_blind_and_gets_its_agreement_table(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    anna = as_user("anna")
    bram, cees = workbench.users["bram"], workbench.users["cees"]
    response = anna.post(reverse("assign"), {"year": "2020", "size": "3", "coders": [bram.pk, cees.pk]})
    sample = models.Assignment.objects.latest("id").sample
    assert response["Location"] == reverse("agreement", args=[sample])
    for name, ages in (("bram", ["14", "15", "16"]), ("cees", ["14", "15", "17"])):
        client = as_user(name)
        mine = models.Assignment.objects.filter(sample=sample, coder__username=name).order_by("case_id")
        for assignment, age in zip(mine, ages, strict=True):
            page = client.get(reverse("blind", args=[assignment.pk])).content.decode()
            assert "voorstel:" not in page and "_pending" not in page  # blind: no suggestions, no codes of others
            client.post(
                reverse("blind", args=[assignment.pk]), {"about_trafficking": ["yes"], "victim_age": [age], "victim_gender": ["female"]}
            )
    assigned = models.Assignment.objects.filter(sample=sample, coder=bram).first()
    assert as_user("cees").get(reverse("blind", args=[assigned.pk])).status_code == 403  # not theirs

    page = anna.get(reverse("agreement", args=[sample])).content.decode()
    assert "Cohen" in page and "Krippendorff" in page
    assert "67%" in page  # leeftijd: 2 of 3 alike
    assert "100%" in page  # geslacht: alike throughout
    odd = models.Assignment.objects.filter(sample=sample).order_by("case_id").last().case
    assert odd.visitor_id in page  # the disagreement, listed for resolution
    listed = anna.get(reverse("queue"), {"status": "disagree"}).content.decode()
    assert odd.visitor_id in listed  # the coordinator's filter (tests/web/test_security.py: no coder has it)


def test_a_merge_and_its_undo_are_decided_and_recorded(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import linking, models

    left, right = workbench.cases[20].conversation_ids[0], workbench.cases[21].conversation_ids[0]
    proposal = models.LinkProposal.objects.create(
        left=left, right=right, probability=0.93, evidence={"age": 2.1}, proposed_at=dt.datetime.now()
    )
    anna = as_user("anna")
    page = anna.get(reverse("pair", args=[proposal.pk])).content.decode()
    assert "leeftijd" in page.lower() and left in page and right in page
    anna.post(reverse("decide_pair", args=[proposal.pk]), {"verdict": "merge"})
    decision = models.LinkDecision.objects.get(left=left, right=right, undone_at=None)
    assert decision.verdict == "merge" and decision.decided_by == "anna"
    assert any(d.active for d in linking.decisions() if (d.left, d.right) == (left, right))

    anna.post(reverse("undo", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.undone_at is not None  # kept, marked undone
    actions = list(models.Event.objects.filter(case=f"{left}~{right}").order_by("at", "id").values_list("action", "user"))
    assert actions == [("merge", "anna"), ("undo_merge", "anna")]
    assert "Geen open voorstellen" not in anna.get(reverse("links")).content.decode()  # open again


def test_the_monitor_shows_every_table_with_its_n_and_its_figure(workbench: Workbench, as_user: Any) -> None:
    import re

    reader = as_user("lies")
    page = _settled_monitor(reader)
    assert "(n = " in page and "Populaties van de monitor" in page
    anchors = re.findall(r'<li><a href="#(s\d+)">', page)
    assert len(anchors) >= 5 and all(f'<section class="population" id="{a}"' in page for a in anchors), "a contents list, a section each"
    assert page.count('href="#inhoud">naar de inhoud</a>') == len(anchors)
    figures = re.findall(r'<img class="figure" src="([^"]+)"', page)
    assert figures
    image = reader.get(figures[0].replace("&amp;", "&"))
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml" and b"<svg" in image.content
    assert "report.docx" not in page  # downloads are the coordinator's
    assert "report.docx" in _settled_monitor(as_user("anna"))


def test_no_page_waits_for_the_first_count_it_is_made_in_the_worker_and_the_page_asks_again(
    workbench: Workbench, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from zicht.web import counting
    from zicht.web.views import monitor

    monkeypatch.setattr(monitor, "_computed", {})  # a server just started
    release, pool = threading.Event(), ThreadPoolExecutor(max_workers=1)

    def slow_count(year: int, compare: tuple[int, ...]) -> Any:
        release.wait(60)
        return counting.count(year, compare)

    monkeypatch.setattr(counting, "in_worker", lambda year, compare: pool.submit(slow_count, year, compare))
    anna = as_user("anna")
    waiting = anna.get(reverse("monitor"), {"year": "2020"}).content.decode()
    assert "worden geteld" in waiting and 'hx-trigger="every 2s"' in waiting and "(n = " not in waiting
    release.set()
    assert "(n = " in _settled_monitor(anna)
    pool.shutdown(wait=True)


def test_users_are_added_with_a_role_and_weak_passwords_are_refused(workbench: Workbench, as_user: Any) -> None:
    from django.contrib.auth import get_user_model

    from zicht.store.accounts import role_of

    anna = as_user("anna")
    anna.post(reverse("users"), {"action": "add", "username": "dirk", "password": "kort", "role": "researcher"})
    assert not get_user_model().objects.filter(username="dirk").exists()
    anna.post(reverse("users"), {"action": "add", "username": "dirk", "password": "een-veel-langer-wachtwoord", "role": "reader"})
    dirk = get_user_model().objects.get(username="dirk")
    assert role_of(dirk).id == "reader" and dirk.password.startswith("argon2")


def test_repeated_failed_logins_lock_the_account_for_a_while(workbench: Workbench) -> None:
    from django.test import Client
    from tests.web.conftest import PASSWORD

    client = Client()
    tries = [client.post(reverse("login"), {"username": "cees", "password": "fout"}).status_code for _ in range(5)]
    assert tries == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = client.post(reverse("login"), {"username": "cees", "password": PASSWORD})
    assert locked.status_code == 429 and "Te veel pogingen" in locked.content.decode()
    other = Client().post(reverse("login"), {"username": "bram", "password": PASSWORD})
    assert other.status_code == 302  # others can still work


def _settled_monitor(client: Any) -> str:
    """The monitor page once no recount is running (an earlier test's save may have started one)."""
    import time

    for _ in range(120):  # as the page does: ask again until the worker has counted
        page = client.get(reverse("monitor"), {"year": "2020"}).content.decode()
        if "opnieuw geteld" not in page and "worden geteld" not in page:
            return str(page)
        time.sleep(1)
    raise AssertionError("the monitor kept recounting for two minutes")


def test_after_a_save_the_monitor_shows_the_last_count_at_once_and_recounts_behind_it(workbench: Workbench, as_user: Any) -> None:
    anna = as_user("anna")
    first = _settled_monitor(anna)
    case = workbench.cases[30]
    case.refresh_from_db()  # its revision as an earlier test left it
    changed = str(20 + case.revision % 50)  # an age this case did not have: the save changes a code
    anna.post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], "victim_age": [changed]})
    during = anna.get(reverse("monitor"), {"year": "2020"}).content.decode()
    assert "opnieuw geteld" not in first
    assert "opnieuw geteld" in during and 'hx-trigger="every 2s"' in during  # the page polls until the count is done
    after = _settled_monitor(anna)
    assert 'hx-trigger="every 2s"' not in after


def _table_counts(page: str, table_id: str) -> dict[str, int]:
    """A monitor table's count per row label, as the page shows it."""
    import html
    import re

    section = re.search(rf'<section class="grid" id="t-{re.escape(table_id)}">(.*?)</section>', page, re.S)
    assert section, f"{table_id} is not on the monitor"
    rows = re.findall(r"<tr>(.*?)</tr>", section.group(1).split("<tbody>")[1], re.S)
    cells = [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]
    return {row[0]: int(row[1].replace(".", "")) for row in cells if row[1].replace(".", "").isdigit()}


def test_a_coder_moving_a_victim_to_another_gender_moves_one_count_on_the_live_monitor(
    workbench: Workbench, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import Future

    from zicht.web import counting

    def at_once(year: int, compare: tuple[int, ...]) -> Future[Any]:
        """The recount in this test's own transaction: a thread's connection would not see its saves."""
        counted: Future[Any] = Future()
        counted.set_result(counting.count(year, compare))
        return counted

    monkeypatch.setattr(counting, "in_worker", at_once)
    anna = as_user("anna")
    case = workbench.cases[31]

    def code_gender(gender: str) -> dict[str, int]:
        case.refresh_from_db()
        trafficking = {"about_trafficking": ["yes"], "visitor_role": ["victim"], "form": ["sexual"]}
        anna.post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], **trafficking, "victim_gender": [gender]})
        return _table_counts(_settled_monitor(anna), "all.victim_gender")

    as_girl = code_gender("female")

    as_boy = code_gender("male")
    assert as_boy["Vrouw of meisje"] == as_girl["Vrouw of meisje"] - 1
    assert as_boy["Man of jongen"] == as_girl.get("Man of jongen", 0) + 1
    assert sum(as_boy.values()) == sum(as_girl.values())


def test_two_samples_drawn_in_the_same_second_stay_apart(workbench: Workbench) -> None:
    from zicht.store.double import assign_sample

    coders = [workbench.users["bram"], workbench.users["cees"]]
    names = {assign_sample(2020, 2, coders, "anna", seed=s) for s in range(3)}
    assert len(names) == 3
