"""Annotated texts: chats or passages with what a reader found stated in them, to measure zicht's readers on Dutch it did not write.

One YAML file per text (format in `tests/data/external/README.md`): the messages, the codes the
text states as `[value, evidence]` (the evidence copied from a message), and the identifiers
that redaction must hide. A text's part of the corpus, development or test, follows from its
id alone, so that no one can move a text to the part where it scores better.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from zicht.codebook import Codebook
from zicht.codebook.values import parse_scalar
from zicht.errors import CellRefused, ZichtError
from zicht.knowledge.read import Reader
from zicht.transcripts.model import SENDERS, Conversation, Message

Part = Literal["development", "test"]
IDENTIFIER_KINDS = ("first_name", "surname", "place", "neighbourhood", "street", "station", "school", "handle", "phone", "email", "other")
START = dt.datetime(2020, 1, 1, 12, 0)  # a text without a `date`: the same for all, a minute per message


@dataclass(frozen=True)
class StatedCode:
    """One code the text states: a category (each answer of a multi-answer variable apart), a number or a date."""

    variable: str
    value: str | int | bool | dt.date
    evidence: str


@dataclass(frozen=True)
class Identifier:
    text: str
    kind: str


@dataclass(frozen=True)
class AnnotatedText:
    id: str
    source: str
    register: str
    conversation: Conversation
    codes: tuple[StatedCode, ...]
    identifiers: tuple[Identifier, ...]

    @property
    def part(self) -> Part:
        return part_of(self.id)

    def stated(self, variable: str) -> list[StatedCode]:
        return [c for c in self.codes if c.variable == variable]


def part_of(text_id: str) -> Part:
    """Test for about 2 in 5 ids, by the id's hash: fixed before any reader was tuned."""
    return "test" if int(hashlib.sha256(text_id.encode()).hexdigest(), 16) % 5 < 2 else "development"


def read_annotated(folder: Path, codebook: Codebook) -> list[AnnotatedText]:
    """Every annotated text under `folder` (any depth), by id; a ZichtError naming each file's every problem."""
    files = sorted(folder.rglob("*.yaml"))
    if not files:
        raise ZichtError(f"{folder}: no annotated texts (*.yaml) found")
    read: dict[str, tuple[AnnotatedText, Path]] = {}
    problems = []
    for path in files:
        try:
            text = read_text(path, codebook)
        except ZichtError as e:
            problems.append(str(e))
            continue
        if text.id in read:
            problems.append(f"{path}: id '{text.id}' is also the id of {read[text.id][1]}")
        read[text.id] = (text, path)
    if problems:
        raise ZichtError("\n".join(problems))
    return [text for _, (text, _) in sorted(read.items())]


def read_text(path: Path, codebook: Codebook) -> AnnotatedText:
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ZichtError(f"{path}: not valid YAML: {e}") from None
    reader = Reader(str(path))
    fields = reader.fields(raw, "", ("id", "source", "register", "flagged", "messages", "codes"), ("identifiers", "date"))
    text = _compile(reader, fields, codebook)
    if text is not None and text.id != path.stem:
        reader.problem("id", f"'{text.id}' is not the file's name ({path.stem})")
    if reader.problems or text is None:
        raise ZichtError("\n".join(f"{path}: {p}" for p in reader.problems))
    return text


def _compile(reader: Reader, raw: Mapping[str, Any], codebook: Codebook) -> AnnotatedText | None:
    if reader.problems:
        return None
    text_id = reader.text(raw["id"], "id")
    start = _start(reader, raw.get("date"))
    messages: list[Message] = []
    for where, item in reader.listed(raw["messages"], "messages", "{sender: visitor|counsellor, text: ...}"):
        fields = reader.fields(item, where, ("sender", "text"))
        if fields.get("sender") not in SENDERS:
            reader.problem(f"{where}.sender", f"must be one of {', '.join(SENDERS)}")
            continue
        at = start + dt.timedelta(minutes=len(messages))
        messages.append(Message(at, fields["sender"], reader.text(fields["text"], f"{where}.text")))
    flagged = raw["flagged"]
    if not isinstance(flagged, bool):
        reader.problem("flagged", "must be true or false")
    said = [m.text for m in messages]
    codes = list(_codes(reader, raw["codes"], codebook, said))
    identifiers = []
    for where, item in reader.listed(raw.get("identifiers") or [], "identifiers", "[text, kind]"):
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(i, str) for i in item)):
            reader.problem(where, "must be [text, kind]")
        elif item[1] not in IDENTIFIER_KINDS:
            reader.problem(where, f"'{item[1]}' is no kind of identifier ({', '.join(IDENTIFIER_KINDS)})")
        elif not any(item[0] in s for s in said):
            reader.problem(where, f"'{item[0]}' is in no message")
        else:
            identifiers.append(Identifier(*item))
    conversation = Conversation(text_id, text_id, "chat", start, flagged is True, tuple(messages))
    source, register = reader.text(raw["source"], "source"), reader.text(raw["register"], "register")
    return AnnotatedText(text_id, source, register, conversation, tuple(codes), tuple(identifiers))


def _start(reader: Reader, raw: Any) -> dt.datetime:
    """The chat's day, against which "sinds oktober" and "vorig jaar" are read (YAML reads 2026-12-06 as a date)."""
    if raw is None:
        return START
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return dt.datetime.combine(raw, START.time())
    reader.problem("date", f"must be a day as YYYY-MM-DD (found {raw!r})")
    return START


def _codes(reader: Reader, raw: Any, codebook: Codebook, said: list[str]) -> Iterator[StatedCode]:
    for variable_id, stated in reader.mapping(raw, "codes").items():
        where = f"codes.{variable_id}"
        if variable_id not in codebook:
            reader.problem(where, f"'{variable_id}' is no variable of codebook {codebook.id}")
            continue
        variable = codebook[variable_id]
        pairs = stated if variable.type == "many" else [stated]
        if variable.type == "many" and not isinstance(stated, list):
            reader.problem(where, "must be a list of [value, evidence], one per answer")
            continue
        for i, pair in enumerate(pairs):
            here = f"{where}[{i}]" if variable.type == "many" else where
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)):
                reader.problem(here, "must be [value, evidence]")
                continue
            value, evidence = pair
            if not any(evidence in s for s in said):
                reader.problem(here, f"the evidence '{evidence}' is in no message")
            typed = _typed(reader, codebook, variable_id, value, here)
            if typed is not None:
                yield StatedCode(variable_id, typed, evidence)


def _typed(reader: Reader, codebook: Codebook, variable_id: str, value: Any, where: str) -> str | int | bool | dt.date | None:
    variable = codebook[variable_id]
    if variable.type in ("one", "many"):
        before = len(reader.problems)
        reader.category(codebook, variable_id, value, where)
        return str(value) if len(reader.problems) == before else None
    if variable.type == "flag":
        if not isinstance(value, bool):
            reader.problem(where, f"must be true or false (found {value!r})")
            return None
        return value
    if variable.type == "integer":
        low, high = variable.range or (0, 10_000)
        return reader.whole(value, where, int(low), int(high))
    try:  # a month or a date, as the coded-cases files write it
        typed = parse_scalar(variable, str(value))
    except CellRefused as e:
        reader.problem(where, e.reason)
        return None
    return typed if isinstance(typed, dt.date) else None
