"""How much of the identifiers in a text the redaction hides, and what it hides besides: planted by the synthetic
generator, or listed by hand in annotated texts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zicht.privacy.redaction import find_personal_in_chat
from zicht.transcripts.annotated import AnnotatedText
from zicht.transcripts.model import Conversation

ARTICLES = ("het ", "de ")


@dataclass(frozen=True)
class Recall:
    planted: Counter[str]
    hidden: Counter[str]
    missed: list[tuple[str, str, str]]  # kind, value, the message it was in
    ordinary_words: int  # words that name nobody: the counsellors' (synthetic), all but the identifiers (annotated)
    ordinary_redacted: int  # of those, redacted: over-redaction

    def of(self, kind: str) -> float:
        return self.hidden[kind] / self.planted[kind] if self.planted[kind] else 1.0


def redaction_recall(conversations: Sequence[Conversation], truth: Iterable[Mapping[str, Any]]) -> Recall:
    """An identifier counts as hidden when every letter and digit of it lies in a redacted stretch.

    A school's leading article is not part of its name.
    """
    spans = {c.id: _redacted(c) for c in conversations}
    by_id = {c.id: c for c in conversations}
    planted, hidden, missed = Counter[str](), Counter[str](), list[tuple[str, str, str]]()
    for entry in truth:
        chat = by_id[entry["conversation_id"]]
        for item in entry["identifiers"]:
            text, redacted = chat.messages[item["message"]].text, spans[chat.id][item["message"]]
            start, value = item["start"], item["value"]
            for article in ARTICLES:
                if value.lower().startswith(article):
                    start, value = start + len(article), value[len(article) :]
            _count(item["kind"], item["value"], text, _covered(text, start, start + len(value), redacted), planted, hidden, missed)
    words = over = 0
    for chat in conversations:
        for m, redacted in zip(chat.messages, spans[chat.id], strict=True):
            if m.sender == "counsellor":
                words += len(m.text.split())
                over += len(redacted)
    return Recall(planted, hidden, missed, words, over)


def redaction_recall_of(texts: Sequence[AnnotatedText]) -> Recall:
    """Each listed identifier, wherever it stands in a text, against the redaction of its message; the
    other words of every message are ordinary words."""
    planted, hidden, missed = Counter[str](), Counter[str](), list[tuple[str, str, str]]()
    words = redacted = 0
    for text in texts:
        for m, spans in zip(text.conversation.messages, _redacted(text.conversation), strict=True):
            names: list[tuple[int, int]] = []
            for item in text.identifiers:
                for found in re.finditer(rf"(?<!\w){re.escape(item.text)}(?!\w)", m.text):  # "mo" the name, not in "moet"
                    names.append(found.span())
                    _count(item.kind, item.text, m.text, _covered(m.text, *found.span(), spans), planted, hidden, missed)
            for word in re.finditer(r"\w+", m.text):
                if not _overlaps(word.span(), names):
                    words += 1
                    redacted += _overlaps(word.span(), spans)
    return Recall(planted, hidden, missed, words, redacted)


def _redacted(chat: Conversation) -> list[list[tuple[int, int]]]:
    """Each message's redacted stretches, as the workbench shows the chat."""
    return [[(p.start, p.end) for p in found] for found in find_personal_in_chat([m.text for m in chat.messages])]


def _covered(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Hidden: every letter and digit of text[start:end] lies in a redacted stretch."""
    return all(any(a <= i < b for a, b in spans) for i in range(start, end) if text[i].isalnum())


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


def _count(
    kind: str, value: str, text: str, covered: bool, planted: Counter[str], hidden: Counter[str], missed: list[tuple[str, str, str]]
) -> None:
    planted[kind] += 1
    if covered:
        hidden[kind] += 1
    else:
        missed.append((kind, value, text))
