"""A conversation belongs to one case: opening cases again, coding one, or merging two visitors never gives a visitor two."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from zicht.codebook import load_codebook
from zicht.synth import generate
from zicht.transcripts.writers import write_chats

YEAR = 2033  # a year of its own in the shared test project


@pytest.fixture
def chats(project: tuple[Path, bytes], tmp_path: Path) -> list[str]:
    """Twenty visitors' chats, moved to YEAR, imported; their ids."""
    from zicht.store.importing import import_chats

    corpus = generate(2020, 11).part(20, f"OC{tmp_path.name[-6:]}-")
    moved = [dataclasses.replace(c, started_at=c.started_at.replace(year=YEAR)) for c in corpus.flagged]
    path = tmp_path / "chats.jsonl"
    write_chats(moved, path)
    import_chats(path, project[1], load_codebook("nl-2020")["channel"].category_ids)
    return [c.id for c in moved]


def _cases_of(ids: list[str]) -> Counter[str]:
    """How many cases hold each of these conversations."""
    from zicht.store import models

    held: Counter[str] = Counter()
    for conversations in models.Case.kept.filter(year=YEAR).values_list("conversation_ids", flat=True):
        held.update(c for c in conversations if c in ids)
    return held


def test_opening_cases_again_opens_none_for_a_visitor_who_has_one(chats: list[str]) -> None:
    from zicht.store import models
    from zicht.store.cases import follow_visitors, open_cases, save_codes

    book = load_codebook("nl-2020")
    opened = open_cases(YEAR, book, "test")
    assert opened == len(chats) and set(_cases_of(chats).values()) == {1}
    assert open_cases(YEAR, book, "test") == 0, "every visitor has a case already"

    coded = _case_holding(chats[0])
    save_codes(coded, book, {"victim_age": 15}, "anna", coded.revision)  # touched: it stays as it is
    follow_visitors("test")
    assert open_cases(YEAR, book, "test") == 0
    assert set(_cases_of(chats).values()) == {1}
    assert models.Case.kept.filter(year=YEAR).count() >= len(chats)


def test_a_merge_into_a_coded_case_closes_the_empty_one_and_opens_none(chats: list[str]) -> None:
    from zicht.linkage.review import Proposal, decide
    from zicht.store import linking
    from zicht.store.cases import open_cases, save_codes

    book = load_codebook("nl-2020")
    open_cases(YEAR, book, "test")
    coded = _case_holding(chats[0])
    save_codes(coded, book, {"victim_age": 15}, "anna", coded.revision)
    linking.save_decisions([decide(Proposal(chats[0], chats[1], 0.97), "merge", "anna", dt.datetime(2034, 1, 5))])
    held = _cases_of(chats)
    assert held[chats[0]] == 1 and held[chats[1]] == 0, "the empty case of the merged chat is closed"
    assert open_cases(YEAR, book, "test") == 0, "its visitor has the coded case"
    assert set(_cases_of(chats).values()) - {0} == {1}


def test_each_save_records_what_a_code_was_and_became_and_the_first_chat_orders_the_queue(chats: list[str]) -> None:
    from zicht.codebook import NOT_CODED
    from zicht.store.cases import open_cases, save_codes

    book = load_codebook("nl-2020")
    open_cases(YEAR, book, "test")
    case = _case_holding(chats[2])
    [first] = save_codes(case, book, {"victim_age": 15}, "anna", case.revision)
    later = {"victim_age": 16, "first_chat": dt.date(YEAR, 1, 2)}
    second, dated = save_codes(case, book, later, "bram", case.revision, accepted={"first_chat"})
    assert (first.old, first.new) == ({"state": "not_coded", "value": None}, {"state": "value", "value": 15})
    assert (second.old, second.new, second.user) == ({"state": "value", "value": 15}, {"state": "value", "value": 16}, "bram")
    assert dated.action == "accept" and second.action == "code", "a suggestion taken as it was says so"
    assert case.first_chat_at == dt.datetime(YEAR, 1, 2), "the queue is ordered by the first chat as coded"
    unknown = save_codes(case, book, {"victim_age": None, "country": NOT_CODED}, "bram", case.revision)
    assert [(e.variable, e.new["state"]) for e in unknown] == [("victim_age", "unknown")], "not coded as it was: no event"


def test_a_case_is_removed_with_a_reason_of_up_to_500_characters_and_restored(chats: list[str]) -> None:
    from zicht.errors import TextTooLong
    from zicht.store.cases import REASON_CHARACTERS, open_cases, remove_case, restore_case

    open_cases(YEAR, load_codebook("nl-2020"), "test")
    case = _case_holding(chats[3])
    with pytest.raises(TextTooLong):
        remove_case(case, "anna", "x" * (REASON_CHARACTERS + 1))
    remove_case(case, "anna", "x" * REASON_CHARACTERS)
    assert chats[3] not in _cases_of(chats), "out of the queue and the statistics"
    restore_case(case, "anna")
    assert _cases_of(chats)[chats[3]] == 1


def _case_holding(conversation: str):  # type: ignore[no-untyped-def]
    from zicht.store import models

    return next(c for c in models.Case.kept.filter(year=YEAR) if conversation in c.conversation_ids)


def test_a_visitor_coded_in_an_imported_file_gets_no_second_case(project: tuple[Path, bytes], tmp_path: Path) -> None:
    """An imported case is named by the visitor id of its file ('V...'), not by a chat: still theirs."""
    from zicht.store.cases import open_cases
    from zicht.store.importing import import_chats, import_coded
    from zicht.synth import write_corpus

    book = load_codebook("nl-2020")
    prefix = f"OI{tmp_path.name[-6:]}-"
    files = write_corpus(generate(2019, 13).part(12, prefix), tmp_path)
    import_chats(files["chats"], project[1], book["channel"].category_ids)
    import_coded(files["coded"], book)
    open_cases(2019, book, "test")

    from zicht.store import models

    held: Counter[str] = Counter()
    for conversations in models.Case.kept.filter(year=2019).values_list("conversation_ids", flat=True):
        held.update(c for c in conversations if c.startswith(prefix))
    assert held and set(held.values()) == {1}, "every chat of the file in its one coded case"


@pytest.mark.usefixtures("chats")
def test_every_case_is_found_by_its_conversations_also_in_a_project_from_before_the_indexes() -> None:
    """The search reads which case holds a conversation, and each conversation's alias, from columns of their own:
    they must say what the cases and the pseudonyms say, also once an older project is migrated."""
    import importlib

    from django.apps import apps
    from django.db import transaction

    from zicht.privacy.alias import alias
    from zicht.store import models
    from zicht.store.cases import follow_visitors, open_cases

    open_cases(YEAR, load_codebook("nl-2020"), "test")  # a test alone must hold cases, and leave no chat of YEAR without one
    follow_visitors("anna")
    migration = importlib.import_module("zicht.store.migrations.0009_search")

    def held() -> set[tuple[int, str]]:
        return set(models.CaseConversation.objects.values_list("case_id", "conversation"))

    def named() -> set[tuple[str, str]]:
        return set(models.Conversation.objects.values_list("pseudonym", "alias"))

    said = {(pk, c) for pk, ids in models.Case.objects.values_list("pk", "conversation_ids") for c in ids}
    aliases = {(p, alias(p)) for p in models.Conversation.objects.values_list("pseudonym", flat=True)}
    assert said and held() == said, "imported and opened cases alike"
    assert named() == aliases
    with transaction.atomic():  # as a project stored before migration 0009
        models.CaseConversation.objects.all().delete()
        models.Conversation.objects.update(alias="")
        migration.index_the_cases(apps, None)
        migration.name_the_conversations(apps, None)
        assert held() == said and named() == aliases
        transaction.set_rollback(True)


def test_the_next_case_to_code_is_the_one_after_in_the_queues_order_and_then_the_first(chats: list[str]) -> None:
    """Whatever else the shared project holds: after each case, the next case to code by first chat and id,
    and from the top again after the last."""
    from zicht.store import models
    from zicht.store.cases import open_cases
    from zicht.store.queue import next_case, queue_order, queue_place

    open_cases(YEAR, load_codebook("nl-2020"), "test")
    todo = list(queue_order(models.Case.kept.filter(progress__in=models.Case.TO_CODE)))
    assert todo == sorted(todo, key=queue_place), "the order the queue lists is the order next_case follows"
    assert len(todo) >= len(chats)
    for place in (0, 1, len(todo) // 2, len(todo) - 2, len(todo) - 1):
        row = todo[place]
        expected = todo[place + 1] if place + 1 < len(todo) else todo[0]
        assert next_case(row) == expected, f"after the {place + 1}th of {len(todo)}"
    coded = models.Case.kept.filter(progress=models.Case.CODED).first()
    if coded and coded.first_chat_at:  # a case already coded: the first to code after its place
        later = [c for c in todo if queue_place(c) > queue_place(coded)]
        assert next_case(coded) == (later[0] if later else todo[0])
