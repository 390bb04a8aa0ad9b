"""Streaming readers for the three chat export formats (docs/formats.md).

Each yields, in file order, a `Record` for every good conversation and a `Problem` for
every bad one, so the importer can decide between all-or-nothing and `--skip-bad`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from zicht.errors import Problem
from zicht.transcripts.decoding import Undecodable, csv_delimiter, csv_lines, read_lines
from zicht.transcripts.model import SENDERS, Conversation, Message, Record

Item = Record | Problem
CSV_COLUMNS = (
    "conversation_id",
    "username",
    "channel",
    "started_at",
    "flagged",
    "at",
    "from",
    "text",
)
_FLAG = {"1": True, "true": True, "yes": True, "ja": True, "0": False, "false": False, "no": False, "nee": False}  # fmt: skip
_SENDER_WORDS = {
    "visitor": "visitor", "bezoeker": "visitor", "counsellor": "counsellor",
    "hulpverlener": "counsellor", "counselor": "counsellor",
}  # fmt: skip


class BadRecord(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field, self.reason = field, reason


def chat_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix == ".txt":
        return "text"
    raise BadRecord("", f"unknown chat format {suffix!r}: use .jsonl, .csv or .txt")


def read_chats(path: Path, channels: Collection[str]) -> Iterator[Item]:
    """Every conversation of a chat export, whichever of the three formats it is in."""
    try:
        reader = _READERS[chat_format(path)]
    except BadRecord as e:
        yield Problem(str(path), 0, "", e.reason)
        return
    with closing(sqlite3.connect("")) as seen:  # the ids so far, on disk: a 2 GB export has a million of them
        seen.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, line INTEGER)")
        for item in reader(path, channels):
            if isinstance(item, Record):
                first = seen.execute("SELECT line FROM seen WHERE id = ?", (item.conversation.id,)).fetchone()
                if first:
                    yield Problem(str(path), item.line, "id", f"duplicate id {item.conversation.id!r} (also on line {first[0]})")
                    continue
                seen.execute("INSERT INTO seen VALUES (?, ?)", (item.conversation.id, item.line))
            yield item


def _read_jsonl(path: Path, channels: Collection[str]) -> Iterator[Item]:
    for number, text in read_lines(path):
        if not text.strip() and not isinstance(text, Undecodable):
            continue
        try:
            if isinstance(text, Undecodable):
                raise BadRecord("", text.reason)
            yield Record(number, conversation_of_line(text, channels))
        except BadRecord as e:
            yield Problem(str(path), number, e.field, e.reason)


def conversation_of_line(text: str, channels: Collection[str]) -> Conversation:
    """One line of a JSONL export: also what a cluster's workers read, each their part of the file."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadRecord("", f"not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(raw, dict):
        raise BadRecord("", "a line must be a JSON object")
    messages = _field(raw, "messages", list)
    return _conversation(raw, channels, [_message(m, i) for i, m in enumerate(messages)])


def _read_csv(path: Path, channels: Collection[str]) -> Iterator[Item]:
    undecodable: dict[int, str] = {}
    reader = csv.reader(csv_lines(path, undecodable), delimiter=csv_delimiter(path))
    try:
        header = next(reader, None)
        missing = [c for c in CSV_COLUMNS if header is None or c not in header]
        if 1 in undecodable:
            yield Problem(str(path), 1, "", f"header: {undecodable[1]}")
            return
        if header is None or missing:
            yield Problem(str(path), 1, ",".join(missing), f"header lacks column(s) {', '.join(missing)}")
            return
        index = {name: header.index(name) for name in CSV_COLUMNS}
        group: list[tuple[int, list[str]]] = []
        done: set[str] = set()
        start = reader.line_num
        for row in reader:
            line, start = start + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(index.values()):
                yield Problem(str(path), line, "", f"row has {len(row)} cells, the header {len(header)}")
                continue
            if group and row[index["conversation_id"]] != group[0][1][index["conversation_id"]]:
                yield _csv_conversation(path, group, index, channels, undecodable, done)
                group = []
            group.append((line, row))
    except csv.Error as e:  # the rest of the file cannot be told apart into rows
        yield Problem(str(path), reader.line_num, "", f"not readable as CSV from here on ({e})")
        return
    if group:
        yield _csv_conversation(path, group, index, channels, undecodable, done)


def _csv_conversation(
    path: Path,
    group: list[tuple[int, list[str]]],
    index: dict[str, int],
    channels: Collection[str],
    undecodable: dict[int, str],
    done: set[str],
) -> Item:
    first_line = group[0][0]
    line = first_line
    try:
        messages: list[Message] = []
        for line, row in group:
            if line in undecodable:
                raise BadRecord("", undecodable[line])
            if len(row) != len(index) and len(row) < max(index.values()) + 1:
                raise BadRecord("", f"expected {len(index)} cells, found {len(row)}")
            cells = {name: row[i] for name, i in index.items()}
            messages.append(_message({"at": cells["at"], "from": cells["from"], "text": cells["text"]}, len(messages)))
        cid = group[0][1][index["conversation_id"]]
        if cid in done:
            raise BadRecord("conversation_id", f"rows of {cid!r} are not together in the file")
        done.add(cid)
        head = {name: group[0][1][i] for name, i in index.items()}
        head["id"] = head.pop("conversation_id")
        return Record(first_line, _conversation(head, channels, messages))
    except BadRecord as e:
        return Problem(str(path), line, e.field, e.reason)


_HEADER = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
_TURN = re.compile(r"^\[(?P<at>[^\]]+)\]\s*(?P<who>[^:]+):\s?(?P<text>.*)$")


def _read_text(path: Path, channels: Collection[str]) -> Iterator[Item]:
    """Plain transcripts: `# key: value` headers, then `[time] bezoeker: text` turns."""
    block: list[tuple[int, str]] = []
    for number, text in read_lines(path):
        if text.strip() == "---" or (text.startswith("# conversation") and any(not t.startswith("#") for _, t in block)):
            if block:
                yield _text_conversation(path, block, channels)
            block = [] if text.strip() == "---" else [(number, text)]
            continue
        if text.strip() or block or isinstance(text, Undecodable):
            block.append((number, text))
    if any(t.strip() or isinstance(t, Undecodable) for _, t in block):
        yield _text_conversation(path, block, channels)


def _text_conversation(path: Path, block: list[tuple[int, str]], channels: Collection[str]) -> Item:
    line = first_line = block[0][0]
    try:
        head: dict[str, Any] = {}
        turns: list[dict[str, str]] = []
        for line, text in block:  # noqa: B007 - `line` names the bad line in the except below
            if isinstance(text, Undecodable):
                raise BadRecord("", text.reason)
            if (m := _HEADER.match(text)) and not turns:
                head[m.group(1).lower()] = m.group(2).strip()
            elif m := _TURN.match(text):
                turns.append(
                    {
                        "at": m.group("at"),
                        "from": m.group("who").strip().lower(),
                        "text": m.group("text"),
                    }
                )
            elif turns:
                turns[-1]["text"] += "\n" + text
            elif text.strip():
                raise BadRecord("", "expected '# key: value' or '[time] bezoeker: text'")
        head["id"] = head.pop("conversation", None)
        started = _datetime(_field(head, "started_at", str), "started_at")
        messages: list[Message] = []
        for i, turn in enumerate(turns):
            turn["at"] = _clock(turn["at"], started, messages[-1].at if messages else started)
            messages.append(_message(turn, i))
        return Record(first_line, _conversation(head, channels, messages))
    except BadRecord as e:
        return Problem(str(path), line, e.field, e.reason)


def _clock(text: str, started: dt.datetime, previous: dt.datetime) -> str:
    """A turn's time: full ISO, or a clock time on the day of the previous turn."""
    try:
        clock = dt.time.fromisoformat(text.strip())
    except ValueError:
        return text
    if clock.tzinfo is not None:  # "09:02+01:00": no day to put it on; refused as a date-time
        return text
    at = dt.datetime.combine(previous.date(), clock)
    return (at + dt.timedelta(days=1) if at < previous - dt.timedelta(hours=1) else at).isoformat()


def _conversation(raw: dict[str, Any], channels: Collection[str], messages: list[Message]) -> Conversation:
    channel = _field(raw, "channel", str).strip().lower()
    if channel not in channels:
        raise BadRecord("channel", f"unknown channel {channel!r} (known: {', '.join(channels)})")
    flagged = raw.get("flagged", True)
    if isinstance(flagged, str):
        if flagged.strip().lower() not in _FLAG:
            raise BadRecord("flagged", f"expected true or false, got {flagged!r}")
        flagged = _FLAG[flagged.strip().lower()]
    if not isinstance(flagged, bool):
        raise BadRecord("flagged", f"expected true or false, got {flagged!r}")
    conversation_id = _field(raw, "id", str).strip()
    username = _field(raw, "username", str).strip()
    if not conversation_id:
        raise BadRecord("id", "empty id")
    if not username:
        raise BadRecord("username", "empty username")
    return Conversation(
        id=conversation_id,
        username=username,
        channel=channel,
        started_at=_datetime(_field(raw, "started_at", str), "started_at"),
        flagged=flagged,
        messages=tuple(messages),
    )


def _message(raw: Any, index: int) -> Message:
    where = f"messages[{index}]"
    if not isinstance(raw, dict):
        raise BadRecord(where, "a message must be an object with at, from, text")
    sender = _SENDER_WORDS.get(_field(raw, "from", str, where).strip().lower())
    if sender not in SENDERS:
        raise BadRecord(f"{where}.from", f"expected visitor or counsellor, got {raw['from']!r}")
    return Message(
        at=_datetime(_field(raw, "at", str, where), f"{where}.at"),
        sender=sender,
        text=_field(raw, "text", str, where),
    )


def _field(raw: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    field = f"{where}.{name}" if where else name
    if name not in raw or raw[name] is None:
        raise BadRecord(field, "missing field")
    value = raw[name]
    if not isinstance(value, kind):
        raise BadRecord(field, f"expected {kind.__name__}, got {type(value).__name__}")
    if isinstance(value, str) and "\0" in value:
        raise BadRecord(field, "holds a NUL character (\\u0000), which no text can hold")
    return value


def _datetime(text: str, field: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadRecord(field, f"expected an ISO date-time, got {text!r}") from None
    if value.tzinfo is not None:
        value = value.astimezone(_AMSTERDAM).replace(tzinfo=None)
    return value


def _amsterdam() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Amsterdam")


_AMSTERDAM = _amsterdam()
_READERS: dict[str, Callable[[Path, Collection[str]], Iterable[Item]]] = {
    "jsonl": _read_jsonl,
    "csv": _read_csv,
    "text": _read_text,
}
