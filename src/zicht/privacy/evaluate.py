"""How much of what the synthetic generator planted the redaction hides, and what it hides besides."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zicht.privacy.redaction import find_personal
from zicht.transcripts.model import Conversation

ARTICLES = ("het ", "de ")


@dataclass(frozen=True)
class Recall:
    planted: Counter[str]
    hidden: Counter[str]
    missed: list[tuple[str, str, str]]  # kind, value, the message it was in
    counsellor_words: int
    counsellor_redacted: int  # words in counsellor turns redacted: they name nobody, so mostly over-redaction

    def of(self, kind: str) -> float:
        return self.hidden[kind] / self.planted[kind] if self.planted[kind] else 1.0


def redaction_recall(conversations: Sequence[Conversation], truth: Iterable[Mapping[str, Any]]) -> Recall:
    """An identifier counts as hidden when every letter and digit of it lies in a redacted stretch.

    A school's leading article is not part of its name.
    """
    by_id = {c.id: c for c in conversations}
    planted, hidden, missed = Counter[str](), Counter[str](), []
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for entry in truth:
        chat = by_id[entry["conversation_id"]]
        for item in entry["identifiers"]:
            text = chat.messages[item["message"]].text
            key = (chat.id, item["message"])
            if key not in spans:
                spans[key] = [(p.start, p.end) for p in find_personal(text)]
            start, value = item["start"], item["value"]
            for article in ARTICLES:
                if value.lower().startswith(article):
                    start, value = start + len(article), value[len(article) :]
            covered = all(any(a <= i < b for a, b in spans[key]) for i in range(start, start + len(value)) if text[i].isalnum())
            planted[item["kind"]] += 1
            if covered:
                hidden[item["kind"]] += 1
            else:
                missed.append((item["kind"], item["value"], text))
    words = redacted = 0
    for chat in conversations:
        for m in chat.messages:
            if m.sender == "counsellor":
                words += len(m.text.split())
                redacted += len(find_personal(m.text))
    return Recall(planted, hidden, missed, words, redacted)
