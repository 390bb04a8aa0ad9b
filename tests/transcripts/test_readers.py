from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zicht.errors import Problem
from zicht.transcripts import Conversation, Message, Record, read_chats, write_chats

CHANNELS = ("fier", "csg")
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)
moments = st.datetimes(dt.datetime(2019, 1, 1), dt.datetime(2021, 1, 1)).map(lambda d: d.replace(microsecond=0))


@st.composite
def conversations(draw: st.DrawFn) -> list[Conversation]:
    n = draw(st.integers(1, 4))
    out = []
    for i in range(n):
        start = draw(moments)
        times = sorted(draw(st.lists(st.integers(0, 3000), min_size=1, max_size=5)))
        messages = tuple(
            Message(
                start + dt.timedelta(seconds=s),
                draw(st.sampled_from(["visitor", "counsellor"])),
                draw(text).strip(),
            )
            for s in times
        )
        out.append(
            Conversation(
                f"C-{i}",
                draw(text).strip(),
                draw(st.sampled_from(CHANNELS)),
                start,
                draw(st.booleans()),
                messages,
            )
        )
    return out


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(chats=conversations())
def test_every_format_reads_back_what_was_written(tmp_path: Path, suffix: str, chats: list[Conversation]) -> None:
    if suffix == ".txt":  # transcripts are line based: one line per message text
        chats = [_single_line(c) for c in chats]
    path = tmp_path / f"export{suffix}"
    write_chats(chats, path)
    items = list(read_chats(path, CHANNELS))
    assert all(isinstance(i, Record) for i in items), items
    assert [i.conversation for i in items if isinstance(i, Record)] == chats


def _single_line(c: Conversation) -> Conversation:
    messages = tuple(Message(m.at, m.sender, " ".join(m.text.split()) or "x") for m in c.messages)
    return Conversation(c.id, " ".join(c.username.split()), c.channel, c.started_at, c.flagged, messages)


GOOD = {
    "id": "C1",
    "username": "sunny",
    "channel": "fier",
    "started_at": "2020-03-01T20:00:00",
    "flagged": True,
    "messages": [{"at": "2020-03-01T20:01:00", "from": "visitor", "text": "hoi"}],
}


def _lines(*records: object) -> bytes:
    return b"\n".join(r if isinstance(r, bytes) else json.dumps(r).encode() for r in records) + b"\n"


CASES = {
    "bad json": (_lines(GOOD, b"{not json"), 2, "", "not valid JSON"),
    "missing field": (
        _lines({k: v for k, v in GOOD.items() if k != "username"}),
        1,
        "username",
        "missing field",
    ),
    "unknown channel": (_lines(GOOD | {"channel": "msn"}), 1, "channel", "unknown channel 'msn'"),
    "duplicate id": (_lines(GOOD, GOOD), 2, "id", "duplicate id 'C1' (also on line 1)"),
    "bad sender": (
        _lines(GOOD | {"messages": [{"at": "2020-03-01T20:01:00", "from": "bot", "text": "x"}]}),
        1,
        "messages[0].from",
        "expected visitor or counsellor",
    ),
    "bad time": (
        _lines(GOOD | {"started_at": "gisteren"}),
        1,
        "started_at",
        "expected an ISO date-time",
    ),
    "undecodable": (
        _lines(
            GOOD | {"id": "C2", "username": "é"},
            json.dumps(GOOD).encode().replace(b"sunny", b"\x81\xff"),
        ),
        2,
        "",
        "undecodable bytes",
    ),
    "NUL byte": (_lines(GOOD | {"id": "C2"}, json.dumps(GOOD).encode().replace(b"sunny", b"sun\x00ny")), 2, "", "NUL"),
    "escaped NUL": (
        _lines(GOOD | {"messages": [{"at": "2020-03-01T20:01:00", "from": "visitor", "text": "h\u0000i"}]}),
        1,
        "messages[0].text",
        "NUL",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_record_names_file_line_and_field(tmp_path: Path, case: str) -> None:
    data, line, field, reason = CASES[case]
    path = tmp_path / "chats.jsonl"
    path.write_bytes(data)
    problems = [i for i in read_chats(path, CHANNELS) if isinstance(i, Problem)]
    assert len(problems) == 1
    assert (problems[0].file, problems[0].line, problems[0].field) == (str(path), line, field)
    assert reason in problems[0].reason


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_real_export_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "chats.jsonl"
    record = GOOD | {"messages": [{"at": "2020-03-01T20:01:00", "from": "visitor", "text": "ik ben bang, café €"}]}
    path.write_bytes(json.dumps(record, ensure_ascii=False).encode(encoding) + b"\n")
    [item] = read_chats(path, CHANNELS)
    assert isinstance(item, Record)
    assert item.conversation.messages[0].text == "ik ben bang, café €"


def test_a_transcript_with_one_long_message_in_the_third_person(tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    path.write_text(
        "# conversation: X1\n# username: docent\n# channel: csg\n# started_at: 2020-11-02T10:00:00\n"
        "[10:00] bezoeker: Een leerling van mij, een meisje van 15, vertelde dat haar vriend haar\n"
        "dwingt tot seks met andere mannen.\nZe durft niet naar huis.\n",
        "utf-8",
    )
    [item] = read_chats(path, CHANNELS)
    assert isinstance(item, Record)
    assert item.conversation.messages[0].text.count("\n") == 2
    assert item.conversation.flagged is True
