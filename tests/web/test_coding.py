"""Coding a case: suggestions stay suggestions until accepted, every save is an event, and two
coders saving the same case never overwrite each other unseen."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from django.urls import reverse
from tests.web.conftest import Workbench


def _form(html: str) -> dict[str, list[str]]:
    """What the browser would post: the checked choices, the filled inputs, the hidden fields."""
    posted: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or not value:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag:
            continue
        if (kind and kind.group(1) in ("radio", "checkbox", "hidden")) or value.group(1):
            posted.setdefault(name.group(1), []).append(value.group(1))
    return posted


def _codes(case: Any) -> dict[str, Any]:
    from zicht.store import models

    return {c.variable: (c.state, c.value) for c in models.Code.objects.filter(case=case)}


def test_a_suggestion_is_saved_only_when_accepted(workbench: Workbench, as_user: Any) -> None:
    case = workbench.cases[0]
    client = as_user("bram")
    form = _form(client.get(reverse("case", args=[case.pk])).content.decode())
    assert "victim_gender" in form["_pending"]
    client.post(reverse("case", args=[case.pk]), form)
    assert _codes(case)["victim_gender"][0] == "not_coded"  # shown, not taken

    pending = [v for v in form["_pending"] if v != "victim_gender"]
    client.post(reverse("case", args=[case.pk]), {**form, "_pending": pending, "revision": [str(case.revision + 1)]})
    state, value = _codes(case)["victim_gender"]
    assert state == "value" and [value] == form["victim_gender"]


def test_accepting_all_codes_the_case_and_records_who_took_what(workbench: Workbench, as_user: Any) -> None:
    from zicht.codebook import load_codebook
    from zicht.store import models
    from zicht.store.suggesting import of_case as suggestions_of

    case = workbench.cases[1]
    client = as_user("bram")
    form = _form(client.get(reverse("case", args=[case.pk])).content.decode())
    form.pop("_pending")
    response = client.post(reverse("case", args=[case.pk]), {**form, "then": "next"})
    assert response.status_code == 302 and response["Location"].startswith("/cases/")
    case.refresh_from_db()
    assert case.updated_by == "bram"
    found = {v for v, s in suggestions_of(case, load_codebook("nl-2020")).items() if s.found}
    codes = _codes(case)
    assert all(codes[v][0] != "not_coded" for v in found if v in form), "every suggestion shown is taken"
    untold = [v for v, (state, _) in codes.items() if v not in found and state == "not_coded"]
    assert untold and case.progress == "partial", "what the chats said nothing of stays to be coded (issue 19.3: no empty chip)"
    events = models.Event.objects.filter(case=case.visitor_id, user="bram")
    assert events.filter(action="accept").count() >= 10
    assert all(e.old == {"state": "not_coded", "value": None} for e in events)


def test_a_changed_suggestion_is_recorded_as_the_coders_own_code(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    client = as_user("bram")
    for case in workbench.cases[2:]:  # one whose chats name the gender
        form = _form(client.get(reverse("case", args=[case.pk])).content.decode())
        if "victim_gender" in form.get("_pending", []):
            break
    other = "male" if form["victim_gender"] == ["female"] else "female"
    client.post(reverse("case", args=[case.pk]), {**form, "_pending": [], "victim_gender": [other]})
    event = models.Event.objects.get(case=case.visitor_id, variable="victim_gender")
    assert event.action == "code" and event.new == {"state": "value", "value": other}


def test_unknown_and_not_coded_stay_apart(workbench: Workbench, as_user: Any) -> None:
    case = workbench.cases[3]
    client = as_user("bram")
    client.post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], "victim_age": ["__unknown"]})
    codes = _codes(case)
    assert codes["victim_age"] == ("unknown", None)
    assert codes["victim_gender"][0] == "not_coded"
    case.refresh_from_db()
    assert case.progress == "partial"


def test_an_impossible_code_is_refused_with_the_variable_named(workbench: Workbench, as_user: Any) -> None:
    case = workbench.cases[3]
    response = as_user("bram").post(reverse("case", args=[case.pk]), {"revision": [str(case.revision)], "victim_age": ["zestien"]})
    assert response.status_code == 400
    assert "Leeftijd" in response.content.decode()
    assert _codes(case)["victim_age"][0] == "not_coded"


def test_two_researchers_saving_the_same_case_the_second_gets_a_conflict_and_nothing_is_lost(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    case = workbench.cases[4]
    bram, cees = as_user("bram"), as_user("cees")
    bram_form = _form(bram.get(reverse("case", args=[case.pk])).content.decode())
    cees_form = _form(cees.get(reverse("case", args=[case.pk])).content.decode())  # same revision
    assert bram.post(reverse("case", args=[case.pk]), {**bram_form, "_pending": [], "victim_age": ["15"]}).status_code == 302

    conflict = cees.post(reverse("case", args=[case.pk]), {**cees_form, "_pending": [], "victim_age": ["17"]})
    page = conflict.content.decode()
    assert conflict.status_code == 409
    assert "bram" in page and "Niet opgeslagen" in page
    assert 'value="17"' in page  # cees's own input is still in the form
    assert page.count("Opgeslagen door collega") == 1 and "Opgeslagen door collega: <strong>15</strong>" in page  # beside what differs
    assert _codes(case)["victim_age"] == ("value", 15)  # bram's save stands

    again = _form(page)  # the form now carries the new revision: saving again is a deliberate choice
    assert cees.post(reverse("case", args=[case.pk]), {**again, "_pending": []}).status_code == 302
    assert _codes(case)["victim_age"] == ("value", 17)
    ages = [(e.user, e.new["value"]) for e in models.Event.objects.filter(case=case.visitor_id, variable="victim_age").order_by("at", "id")]
    assert ages == [("bram", 15), ("cees", 17)]


def test_a_consultation_round(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    case = workbench.cases[5]
    as_user("bram").post(reverse("consult", args=[case.pk]), {"variable": "perpetrator", "comment": "Vriendje of klant?"})
    thread = models.Consultation.objects.get(case=case)
    reply = as_user("cees").post(reverse("reply", args=[thread.pk]), {"comment": "Ik lees vriendje."}, HTTP_HX_REQUEST="true")
    assert "Ik lees vriendje." in reply.content.decode()
    assert as_user("cees").post(reverse("decide", args=[thread.pk]), {"perpetrator": "partner"}).status_code == 403
    decided = as_user("anna").post(reverse("decide", args=[thread.pk]), {"perpetrator": "partner"}, HTTP_HX_REQUEST="true")
    assert "besloten door anna" in decided.content.decode()
    assert _codes(case)["perpetrator"] == ("value", "partner")
    assert [c.author for c in thread.comments.all()] == ["bram", "cees"]
    listed = as_user("bram").get(reverse("queue"), {"status": "consult"}).content.decode()
    assert case.visitor_id not in listed  # decided: no longer in overleg


def test_the_audit_trail_and_the_server_log_hold_no_transcript_text(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    for i, case in enumerate(workbench.cases[6:10]):
        client = as_user("bram")
        form = _form(client.get(reverse("case", args=[case.pk])).content.decode())
        client.post(reverse("case", args=[case.pk]), {**form, "_pending": []})
        client.post(reverse("consult", args=[case.pk]), {"variable": "victim_age", "comment": f"vraag {i}"})
    exported = b"".join(as_user("anna").get(reverse("audit_csv")).streaming_content).decode()
    events = json.dumps([[e.user, e.action, e.case, e.variable, e.old, e.new] for e in models.Event.objects.all()])
    log = (workbench.directory / "workbench.log").read_text()
    assert "victim_age" in exported and "bram" in log
    long_texts = [t for t in workbench.texts if len(t) > 20]
    assert [t for t in long_texts if t in events or t in exported or t in log] == []


def test_the_queue_filters_and_searches_by_pseudonym_and_its_alias(workbench: Workbench, as_user: Any) -> None:
    from zicht.privacy.alias import alias
    from zicht.store import models

    case = workbench.cases[11]
    pseudonym = models.Conversation.objects.get(external_id=case.conversation_ids[0]).pseudonym
    client = as_user("bram")
    for typed in (pseudonym[:12], pseudonym[2:12].upper()):  # its beginning, with or without "b-", in any case
        found = client.get(reverse("queue"), {"status": "all", "q": typed}).content.decode()
        assert case.visitor_id in found and workbench.cases[12].visitor_id not in found
    said = alias(pseudonym)
    assert said in found and f'title="{pseudonym}"' in found, "the queue shows a name to say, the pseudonym in its title"
    by_alias = client.get(reverse("queue"), {"status": "all", "q": said.upper()}).content.decode()
    assert case.visitor_id in by_alias and workbench.cases[12].visitor_id not in by_alias
    suggested = client.get(reverse("queue"), {"status": "suggested", "q": "web-"}).content.decode()
    assert case.visitor_id in suggested, "a visitor id by its beginning, typed in lower case"
    by_date = client.get(reverse("queue"), {"status": "all", "date": case.first_chat_at.date().isoformat()}).content.decode()
    assert case.visitor_id in by_date


def test_a_removed_case_leaves_the_queue_and_the_statistics_but_not_the_log(workbench: Workbench, as_user: Any) -> None:
    from zicht.codebook import load_codebook
    from zicht.store import models, queries

    case = workbench.cases[13]
    book = load_codebook("nl-2020")
    before = {c.visitor_id for c in queries.coded_cases(book, 2020)}
    anna = as_user("anna")
    assert anna.post(reverse("remove", args=[case.pk]), {"reason": ""}).status_code == 302
    case.refresh_from_db()
    assert case.removed_at is None  # no reason, no removal
    anna.post(reverse("remove", args=[case.pk]), {"reason": "dubbel geïmporteerd"}, follow=True)  # the message is read there
    assert case.visitor_id in before and case.visitor_id not in {c.visitor_id for c in queries.coded_cases(book, 2020)}
    assert case.visitor_id not in anna.get(reverse("queue"), {"status": "all", "q": "WEB-"}).content.decode()
    assert case.visitor_id in anna.get(reverse("queue"), {"status": "removed"}).content.decode()
    anna.post(reverse("remove", args=[case.pk]))
    case.refresh_from_db()
    assert case.removed_at is None and models.Code.objects.filter(case=case).count() == len(book.variables)
    events = list(models.Event.objects.filter(case=case.visitor_id).order_by("at", "id").values_list("action", "new"))
    assert events[-2:] == [("remove_case", {"reason": "dubbel geïmporteerd"}), ("restore_case", None)]


def test_variables_added_by_a_codebook_migration_are_queued_as_not_coded_yet(workbench: Workbench, as_user: Any, tmp_path: Path) -> None:
    from zicht.codebook import load_codebook
    from zicht.codebook.migrate import migrate_values
    from zicht.store import models
    from zicht.store.importing import import_chats, import_coded
    from zicht.synth import generate
    from zicht.transcripts import write_chats, write_coded_csv

    old, new = load_codebook("nl-2019"), load_codebook("nl-2020")
    year = generate(2019, 3).part(5, "MIG-")
    cases = [dataclasses.replace(c, codebook=new.id, values=migrate_values(c.values, old, new)) for c in year.cases]
    write_chats(year.conversations, tmp_path / "chats.jsonl")
    write_coded_csv(cases, new, tmp_path / "migrated.csv")
    import_chats(tmp_path / "chats.jsonl", workbench.directory.joinpath("secret.key").read_bytes(), new["channel"].category_ids)
    import_coded(tmp_path / "migrated.csv", new)
    added = [v.id for v in new if v.added_in == new.id]
    assert added, "nl-2020 adds variables to nl-2019"
    client = as_user("bram")
    listed = client.get(reverse("queue"), {"status": "partial", "q": "MIG-"}).content.decode()
    assert all(c.visitor_id in listed for c in cases)
    migrated = models.Case.objects.get(visitor_id=cases[0].visitor_id)
    page = client.get(reverse("case", args=[migrated.pk])).content.decode()
    assert re.search(rf'class="field[^"]*open"[^>]*data-var="{added[0]}"', page)  # shown as not coded yet
