"""Write conversations in the three export formats (the synthetic corpus and tests use them)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from zicht.transcripts.model import Conversation
from zicht.transcripts.readers import CSV_COLUMNS

_DUTCH_SENDER = {"visitor": "bezoeker", "counsellor": "hulpverlener"}


def conversation_json(c: Conversation) -> dict[str, Any]:
    return {
        "id": c.id,
        "username": c.username,
        "channel": c.channel,
        "started_at": c.started_at.isoformat(timespec="seconds"),
        "flagged": c.flagged,
        "messages": [{"at": m.at.isoformat(timespec="seconds"), "from": m.sender, "text": m.text} for m in c.messages],
    }


def write_jsonl(conversations: Iterable[Conversation], out: TextIO) -> int:
    n = 0
    for c in conversations:
        out.write(json.dumps(conversation_json(c), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(conversations: Iterable[Conversation], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in conversations:
        for m in c.messages:
            writer.writerow([
                c.id, c.username, c.channel, c.started_at.isoformat(timespec="seconds"),
                "true" if c.flagged else "false", m.at.isoformat(timespec="seconds"), m.sender, m.text,
            ])  # fmt: skip


def write_text(conversations: Iterable[Conversation], out: TextIO) -> None:
    for c in conversations:
        out.write(f"# conversation: {c.id}\n# username: {c.username}\n# channel: {c.channel}\n")
        out.write(f"# started_at: {c.started_at.isoformat(timespec='seconds')}\n")
        out.write(f"# flagged: {'yes' if c.flagged else 'no'}\n")
        for m in c.messages:
            out.write(f"[{m.at.isoformat(timespec='seconds')}] {_DUTCH_SENDER[m.sender]}: {m.text}\n")
        out.write("---\n")


def write_chats(conversations: Iterable[Conversation], path: Path) -> None:
    writer = {".jsonl": write_jsonl, ".csv": write_csv, ".txt": write_text}[path.suffix.lower()]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer(conversations, out)
