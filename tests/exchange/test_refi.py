"""REFI-QDA out and in: what a QDA tool reads validates against the standard's schemas, and says what zicht holds."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from zicht.codebook import NOT_CODED, CodedCase, load_codebook, parse_codebook
from zicht.coding.suggest import Span
from zicht.errors import ZichtError
from zicht.exchange.refi import Exchange, Marked, Note, Source, draft_codebook, read_qdc, write_qdc, write_qdpx
from zicht.exchange.sources import _masked, plain
from zicht.transcripts.model import Conversation, Message

SCHEMAS = Path(__file__).parents[1] / "data" / "refi-qda"
PROJECT, CODEBOOK = "{urn:QDA-XML:project:1.0}", "{urn:QDA-XML:codebook:1.0}"
BOOK = load_codebook("nl-2020")
AT = dt.datetime(2020, 5, 1, 20, 15, tzinfo=dt.UTC)


def _chat(*texts: str) -> Conversation:
    messages = tuple(Message(AT + dt.timedelta(minutes=i), "visitor" if i % 2 == 0 else "counsellor", t) for i, t in enumerate(texts))
    return Conversation("C1", "roosje", "fier", AT, True, messages)


def test_the_codebook_as_qdc_validates_and_holds_every_variable_and_category_with_its_definition() -> None:
    qdc = write_qdc(BOOK)
    xmlschema.XMLSchema(SCHEMAS / "Codebook-mrt2019.xsd").validate(qdc)
    root = etree.fromstring(qdc)
    top = root.findall(f"{CODEBOOK}Codes/{CODEBOOK}Code")
    assert [c.get("name") for c in top] == [v.label for v in BOOK]
    about = next(c for c in top if c.get("name") == BOOK["about_trafficking"].label)
    yes = about.find(f"{CODEBOOK}Code")
    assert yes is not None and yes.get("name") == "Ja" and yes.findtext(f"{CODEBOOK}Description", "").startswith("De bezoeker geeft aan")
    assert about.get("isCodable") == "false" and yes.get("isCodable") == "true"
    assert write_qdc(BOOK) == qdc, "the same codebook gives the same GUIDs: a QDA tool can match a second export"


def test_a_qdc_comes_back_as_a_codebook_with_the_same_variables_and_categories() -> None:
    text = draft_codebook(read_qdc(write_qdc(BOOK), "nl-2020.qdc"), "terug", "Terug")
    back = parse_codebook(text, "terug.yaml")
    assert [v.label for v in back] == [v.label for v in BOOK]
    form = next(v for v in back if v.label == BOOK["form"].label)
    assert [c.label for c in form.categories] == [c.label for c in BOOK["form"].categories]
    assert form.type == "many" and next(v for v in back if v.label == BOOK["victim_age"].label).type == "flag"
    assert text.startswith("# Started by `zicht codebook import`"), "it says the types and counting rules are still to check"


def test_a_file_that_is_no_codebook_is_named_with_where_it_fails() -> None:
    with pytest.raises(ZichtError, match=r"codes\.qdc:1:18: not XML"):
        read_qdc(b"<CodeBook><Codes>", "codes.qdc")
    with pytest.raises(ZichtError, match="not a REFI-QDA codebook"):
        read_qdc(b"<Project xmlns='urn:QDA-XML:project:1.0' name='p'/>", "project.qde")
    with pytest.raises(ZichtError, match=r"demo\.qdpx: a zip \(a \.qdpx project\?\), not a codebook"):
        read_qdc(write_qdpx(Exchange(BOOK, [], [])), "demo.qdpx")


def test_a_codebook_that_reaches_for_a_file_through_an_entity_is_refused() -> None:
    hostile = b"""<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>
    <CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3301" name="a&x;" isCodable="true"/>
    </Codes></CodeBook>"""
    with pytest.raises(ZichtError, match=r"hostile\.qdc:2:\d+: not XML: .*external entity"):
        read_qdc(hostile, "hostile.qdc")


def test_deeper_codes_become_categories_by_their_path_and_names_become_unique_ids() -> None:
    qdc = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
      <Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3301" name="Dwang" isCodable="false">
        <Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3302" name="Geweld" isCodable="true"><Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3303"
          name="Fysiek" isCodable="true"/></Code>
        <Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3304" name="Chantage" isCodable="true"/></Code>
      <Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3305" name="dwang!" isCodable="true"/>
    </Codes><Sets/></CodeBook>"""
    back = parse_codebook(draft_codebook(read_qdc(qdc, "t.qdc"), "t", "T"), "t.yaml")
    assert [v.id for v in back] == ["dwang", "dwang_2"]
    assert [c.label for c in back["dwang"].categories] == ["Geweld / Fysiek", "Chantage"]


def _exchange() -> tuple[Exchange, str]:
    said = "mijn vriend laat me seks hebben met zijn vrienden en die betalen hem"
    chat = _chat("hoi ik ben 15", "wat vervelend", said)
    text = plain(chat, sees_identifiers=True)
    where = text.selection(Span("C1", 2, said.index("seks"), said.index(" betalen")))
    age = text.selection(Span("C1", 0, 11, 13))
    assert where is not None and age is not None
    values = {"victim_age": 15, "form": frozenset({"sexual"}), "about_trafficking": "yes", "corona_link": NOT_CODED}
    case = CodedCase("V1", BOOK.id, values, ("C1",))
    marks = [Marked("C1", *where, "form", "sexual"), Marked("C1", *age, "victim_age", None)]
    note = Note("V1", "form", "anna", AT, "is dit seksueel of crimineel?")
    return Exchange(BOOK, [case], [Source("C1", "roosje 2020-05-01", text.text, AT)], marks, [note]), text.text


def test_a_project_validates_and_each_code_marks_the_words_it_rests_on() -> None:
    exchange, text = _exchange()
    qdpx = zipfile.ZipFile(io.BytesIO(write_qdpx(exchange)))
    qde = qdpx.read("project.qde")
    xmlschema.XMLSchema(SCHEMAS / "Project-mrt2019.xsd").validate(qde)
    root = etree.fromstring(qde)
    source = root.find(f"{PROJECT}Sources/{PROJECT}TextSource")
    assert source is not None
    stored = qdpx.read("sources/" + source.get("plainTextPath", "").removeprefix("internal://")).decode("utf-8")
    assert stored == text and "20:17 bezoeker: mijn vriend laat me seks hebben" in stored
    code_names = {c.get("guid"): c.get("name") for c in root.iter(f"{PROJECT}Code")}
    marked = {}
    for s in source.findall(f"{PROJECT}PlainTextSelection"):
        code = code_names[s.find(f"{PROJECT}Coding/{PROJECT}CodeRef").get("targetGUID")]
        marked[code] = stored[int(s.get("startPosition")) : int(s.get("endPosition"))]
    assert marked == {"Seksuele uitbuiting": "seks hebben met zijn vrienden en die", "Leeftijd slachtoffer": "15"}


def test_a_case_carries_its_codes_as_case_variables_and_its_overleg_as_a_note() -> None:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(write_qdpx(_exchange()[0]))).read("project.qde"))
    names = {v.get("guid"): v.get("name") for v in root.iter(f"{PROJECT}Variable")}
    case = root.find(f"{PROJECT}Cases/{PROJECT}Case")
    assert case is not None and case.get("name") == "V1"
    values = {names[v.find(f"{PROJECT}VariableRef").get("targetGUID")]: v[1].text for v in case.findall(f"{PROJECT}VariableValue")}
    assert values == {BOOK["victim_age"].label: "15", BOOK["form"].label: "Seksuele uitbuiting", BOOK["about_trafficking"].label: "Ja"}
    assert BOOK["corona_link"].label not in values, "not coded yet is no value"
    note = root.find(f"{PROJECT}Notes/{PROJECT}Note")
    assert note is not None and note.findtext(f"{PROJECT}PlainTextContent") == "anna, 01-05-2020 20:15: is dit seksueel of crimineel?"
    assert root.find(f"{PROJECT}Sources/{PROJECT}TextSource/{PROJECT}NoteRef").get("targetGUID") == note.get("guid")


def test_a_researcher_gets_names_and_places_redacted_and_the_codes_still_mark_the_same_words() -> None:
    chat = _chat("ik ben lisa en woon in Zwolle", "oke", "lisa moet voor hem werken in Zwolle")
    text = plain(chat, sees_identifiers=False)
    assert "lisa" not in text.text.lower() and "zwolle" not in text.text.lower()
    where = text.selection(Span("C1", 2, 5, 25))  # "moet voor hem werken"
    assert where is not None and text.text[slice(*where)] == "moet voor hem werken"
    assert text.selection(Span("C1", 1, 0, 40)) is None, "words a message no longer holds (its text purged) are not marked"
    assert "lisa" in plain(chat, sees_identifiers=True).text, "the coordinator sees names"


@given(st.text(alphabet="abc ", min_size=1, max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6)), max_size=4))
def test_words_outside_the_redacted_stretches_land_on_the_same_words(text: str, cuts: list[tuple[int, int]]) -> None:
    masks = [(a, min(a + n, len(text)), "[naam]") for a, n in cuts if a < len(text)]
    masked, moved = _masked(text, masks)
    hidden = {i for a, b, _ in sorted(masks) for i in range(a, b)}
    from zicht.exchange.sources import Plain

    where = Plain(masked, (0,), (len(text),), (moved,))
    for i, ch in enumerate(text):
        if i not in hidden and not any(a <= i < b for a, b, _, _ in moved):
            assert masked[where.position(0, i)] == ch
