"""The annotated texts zicht is measured on: every file checked when read, the split fixed by the id."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.codebook import load_codebook
from zicht.errors import ZichtError
from zicht.transcripts.annotated import part_of, read_annotated, read_text

BOOK = load_codebook("nl-2020")
EXTERNAL = Path(__file__).parents[1] / "data" / "external"

TEXT = """\
id: chat-mother-01
source: written for the test
register: parent
flagged: true
messages:
  - {sender: visitor, text: "mijn dochter van vijftien moet van haar vriendje met mannen mee"}
  - {sender: counsellor, text: "wat naar om te horen"}
codes:
  about_trafficking: ["yes", "moet van haar vriendje met mannen mee"]
  form:
    - [sexual, "met mannen mee"]
  victim_age: [15, "vijftien"]
identifiers: []
"""


def _write(folder: Path, text: str, name: str = "chat-mother-01") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_external_corpus_is_large_enough_and_every_text_has_its_source() -> None:
    texts = read_annotated(EXTERNAL, BOOK)
    assert len(texts) >= 120
    assert sum(t.part == "test" for t in texts) >= 40
    assert all(t.source.strip() for t in texts)
    court = [t for t in texts if t.register == "court"]
    assert court and all(re.search(r"ECLI:NL:[A-Z]+:\d{4}:\w+", t.source) for t in court), "a court passage cites its ECLI"


def test_a_text_is_read_with_its_codes_as_the_codebook_types_them(tmp_path: Path) -> None:
    text = read_text(_write(tmp_path, TEXT), BOOK)
    assert text.conversation.flagged and [m.sender for m in text.conversation.messages] == ["visitor", "counsellor"]
    assert [(c.variable, c.value) for c in text.codes] == [("about_trafficking", "yes"), ("form", "sexual"), ("victim_age", 15)]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('victim_age: [15, "vijftien"]', 'victim_age: [15, "zestien"]'), "codes.victim_age: the evidence 'zestien' is in no message"),
        (("[sexual,", "[seksueel,"), "codes.form[0]: 'seksueel' is no category of 'form'"),
        (('victim_age: [15, "vijftien"]', 'victim_age: ["15", "vijftien"]'), "codes.victim_age: must be a whole number"),
        (
            ('victim_age: [15, "vijftien"]', 'exploitation_start: ["2020-13", "vijftien"]'),
            "codes.exploitation_start: expected a month YYYY-MM",
        ),
        (("sender: counsellor", "sender: hulpverlener"), "messages[1].sender: must be one of visitor, counsellor"),
        (("identifiers: []", "identifiers: [[Sanne, first_name]]"), "identifiers[0]: 'Sanne' is in no message"),
        (("id: chat-mother-01", "id: chat-mother-02"), "id: 'chat-mother-02' is not the file's name"),
        (("register: parent", "register: parent\ndate: 6 december"), "date: must be a day as YYYY-MM-DD"),
    ],
)
def test_a_wrong_annotation_is_refused_naming_the_file_and_the_place(tmp_path: Path, change: tuple[str, str], where: str) -> None:
    path = _write(tmp_path, TEXT.replace(*change))
    with pytest.raises(ZichtError) as refused:
        read_text(path, BOOK)
    assert str(refused.value).startswith(f"{path}: ") and where in str(refused.value)


def test_a_chat_is_read_against_its_own_day_where_the_file_gives_one(tmp_path: Path) -> None:
    """ "sinds oktober" is three months in a chat of December and eleven in one of January."""
    dated = read_text(_write(tmp_path, TEXT.replace("register: parent", "register: parent\ndate: 2026-12-07")), BOOK)
    assert dated.conversation.started_at.date() == dt.date(2026, 12, 7)
    assert [m.at.date() for m in dated.conversation.messages] == [dt.date(2026, 12, 7)] * 2
    undated = read_text(_write(tmp_path, TEXT), BOOK)
    assert undated.conversation.started_at.date() == dt.date(2020, 1, 1), "the same day for every text without one"


def test_every_bad_file_of_a_folder_is_named_at_once(tmp_path: Path) -> None:
    _write(tmp_path, TEXT.replace('"vijftien"]', '"zestien"]'))
    _write(tmp_path, TEXT.replace("chat-mother-01", "chat-mother-02").replace("[sexual,", "[seksueel,"), "chat-mother-02")
    with pytest.raises(ZichtError) as refused:
        read_annotated(tmp_path, BOOK)
    assert "chat-mother-01.yaml" in str(refused.value) and "chat-mother-02.yaml" in str(refused.value)


def test_a_texts_part_follows_from_its_id_alone_wherever_the_file_lies(tmp_path: Path) -> None:
    texts = {t.id: t.part for t in read_annotated(EXTERNAL, BOOK)}
    moved = tmp_path / "elsewhere"
    shutil.copytree(EXTERNAL / "chats", moved)
    assert all(texts[t.id] == t.part for t in read_annotated(moved, BOOK))


@given(st.lists(st.text(string.ascii_lowercase + string.digits + "-", min_size=3, max_size=30), min_size=400, max_size=400, unique=True))
def test_about_two_in_five_ids_fall_in_the_test_part(ids: list[str]) -> None:
    share = sum(part_of(i) == "test" for i in ids) / len(ids)
    assert 0.3 < share < 0.5


def test_one_id_in_two_folders_is_refused_naming_both(tmp_path: Path) -> None:
    for folder in ("chats", "screening"):
        (tmp_path / folder).mkdir()
        _write(tmp_path / folder, TEXT)
    with pytest.raises(ZichtError) as refused:
        read_annotated(tmp_path, BOOK)
    assert "chats/chat-mother-01.yaml" in str(refused.value) and "screening/chat-mother-01.yaml" in str(refused.value)
