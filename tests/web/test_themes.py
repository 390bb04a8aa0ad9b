"""Thematic analysis in the workbench (chapter 4): passages of the corona chats coded by theme and chosen as
quotes, kept redacted, each change in the audit trail; a file of passages comes in all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import Workbench

from zicht.errors import ZichtError


def _in_the_subset(case: Any, corona: bool = True) -> None:
    """Code the case as a corona chat about sexual exploitation (the subset of chapter 4)."""
    from zicht.codebook import load_codebook
    from zicht.store.cases import save_codes

    values = {"about_trafficking": "yes", "form": frozenset({"sexual"}), "corona_link": corona}
    save_codes(case, load_codebook("nl-2020"), values, "anna", case.revision)


def _named(workbench: Workbench) -> tuple[Any, str, int, str]:
    """A case, one of its chats, a visitor message of it that names someone or somewhere, and what it names."""
    from zicht.privacy.redaction import find_personal_in_chat
    from zicht.store import linking, models

    for case in models.Case.objects.filter(pk__in=[c.pk for c in workbench.cases]).order_by("first_chat_at", "id"):  # as saved now
        for chat in linking.conversations(ids=case.conversation_ids, flagged=None):
            texts = [m.text for m in chat.messages]
            for i, found in enumerate(find_personal_in_chat(texts)):
                named = [texts[i][p.start : p.end] for p in found if p.end - p.start >= 4 and texts[i][p.start] != "["]
                if chat.messages[i].sender == "visitor" and named:
                    return case, chat.id, i, named[0]
    raise AssertionError("no visitor message in the workbench's chats names anyone")


def _code(client: Any, case: Any, chat: str, message: int, end: int, theme: str, quote: bool = False) -> Any:
    form = {"conversation": chat, "message": message, "start": 0, "end": end, "theme": theme} | ({"quote": "1"} if quote else {})
    return client.post(f"/themes/corona/{case.pk}/code/", form, follow=True)


def test_a_researcher_codes_a_message_and_it_is_kept_and_shown_redacted_with_its_theme_in_the_case(
    workbench: Workbench, as_user: Any
) -> None:
    from zicht.codebook import load_codebook
    from zicht.store import linking, models
    from zicht.store.cases import values_of

    case, chat, message, name = _named(workbench)
    _in_the_subset(case)
    page = as_user("bram").get("/themes/corona/?year=2020").content.decode()
    assert f"Casus {case.visitor_id}" in page and name not in page  # every passage on offer, redacted

    text = next(linking.conversations(ids=[chat], flagged=None)).messages[message].text
    answer = _code(as_user("bram"), case, chat, message, len(text), "excuse", quote=True).content.decode()
    assert "Passage gecodeerd" in answer
    passage = models.Passage.objects.get(case=case)
    assert (passage.theme, passage.quote, passage.coded_by) == ("excuse", True, "bram")
    assert name not in passage.text and "[" in passage.text
    case.refresh_from_db()
    assert "excuse" in values_of(case, load_codebook("nl-2020"))["corona_themes"]  # the theme joins the case's code
    assert models.Event.objects.filter(case=case.visitor_id, action="passage", user="bram").exists()
    assert models.Event.objects.filter(case=case.visitor_id, variable="corona_themes", action="code").exists()


def test_a_passage_is_chosen_as_quote_taken_back_and_removed_and_the_trail_keeps_each_step(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import models

    case, chat, message, _ = _named(workbench)
    _in_the_subset(case)
    _code(as_user("cees"), case, chat, message, 3, "unnoticed")
    passage = models.Passage.objects.get(case=case)
    client = as_user("cees")
    client.post(f"/themes/passage/{passage.pk}/quote/", {"quote": "1"})
    assert models.Passage.objects.get(pk=passage.pk).quote
    client.post(f"/themes/passage/{passage.pk}/quote/", {"quote": "0"})
    assert not models.Passage.objects.get(pk=passage.pk).quote
    client.post(f"/themes/passage/{passage.pk}/remove/")
    assert not models.Passage.objects.filter(case=case).exists()
    steps = models.Event.objects.filter(case=case.visitor_id, variable="corona_themes").exclude(action="code")
    assert list(steps.order_by("id").values_list("action", flat=True)) == ["passage", "quote", "unquote", "remove_passage"]


@pytest.mark.parametrize(
    ("corona", "theme", "says"),
    [(False, "excuse", "geldt hier niet"), (True, "", "kies een thema"), (True, "lockdown", "geen thema")],
)
def test_a_passage_outside_the_subset_or_without_a_theme_is_refused_in_dutch(
    workbench: Workbench, as_user: Any, corona: bool, theme: str, says: str
) -> None:
    from zicht.store import models

    case, chat, message, _ = _named(workbench)
    _in_the_subset(case, corona=corona)
    answer = _code(as_user("bram"), case, chat, message, 3, theme).content.decode()
    assert "Niet gecodeerd" in answer and says in answer
    assert not models.Passage.objects.filter(case=case).exists()


def test_a_file_of_passages_comes_in_all_or_nothing_and_a_second_time_changes_only_what_to_quote(
    workbench: Workbench, tmp_path: Path
) -> None:
    from zicht.pipeline.project import Project
    from zicht.pipeline.theming import import_passages
    from zicht.store import models

    case, chat, message, _ = _named(workbench)
    _in_the_subset(case)
    path = tmp_path / "themes.csv"
    path.write_text(f"conversation_id,message,start,end,theme,quote\n{chat},{message},0,3,excuse,1\nGEEN-CHAT,0,0,3,excuse,0\n", "utf-8")
    with pytest.raises(ZichtError, match=r"themes.csv:3 \[conversation_id\]: no case holds chat 'GEEN-CHAT'"):
        import_passages(Project.current(), path, None, "anna")
    assert not models.Passage.objects.filter(case=case).exists()

    path.write_text(f"conversation_id,message,start,end,theme,quote\n{chat},{message},0,3,excuse,1\n", "utf-8")
    assert import_passages(Project.current(), path, None, "anna").stored == 1
    path.write_text(f"conversation_id,message,start,end,theme,quote\n{chat},{message},0,3,excuse,0\n", "utf-8")
    again = import_passages(Project.current(), path, None, "anna")
    assert (again.stored, again.already) == (1, 0)
    assert not models.Passage.objects.get(case=case).quote
