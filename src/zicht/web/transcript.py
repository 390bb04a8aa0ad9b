"""A case's chats as the coding view shows them: turns in order, identifiers masked for roles that
may not see them (`zicht.privacy.redaction`), and the words each suggestion rests on marked, to
light up on request.

Masks and marks are placed on the stored text's character offsets (which the suggestions'
evidence uses) before anything is replaced, so a masked name never shifts a mark.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from zicht.coding import Suggestion
from zicht.privacy.redaction import Mask, masks_in_chat
from zicht.transcripts.model import Conversation


@dataclass(frozen=True)
class Piece:
    text: str
    masked: bool = False
    marks: tuple[str, ...] = ()  # the variables whose evidence this is


@dataclass(frozen=True)
class Turn:
    index: int
    at: dt.datetime
    sender: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Chat:
    id: str
    pseudonym: str
    channel: str
    started_at: dt.datetime
    turns: tuple[Turn, ...]


def transcript(chats: Sequence[Conversation], suggestions: Mapping[str, Suggestion], sees_identifiers: bool) -> list[Chat]:
    marks: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for s in suggestions.values():
        for e in s.evidence:
            marks.setdefault((e.conversation_id, e.message), []).append((e.start, e.end, s.variable))
    out = []
    for chat in sorted(chats, key=lambda c: c.started_at):
        masks = masks_in_chat([m.text for m in chat.messages], sees_identifiers)
        turns = tuple(Turn(i, m.at, m.sender, _pieces(m.text, masks[i], marks.get((chat.id, i), []))) for i, m in enumerate(chat.messages))
        out.append(Chat(chat.id, chat.username, chat.channel, chat.started_at, turns))
    return out


def _pieces(text: str, masks: list[Mask], marks: list[tuple[int, int, str]]) -> tuple[Piece, ...]:
    cuts = sorted({0, len(text), *(x for s in masks for x in (s.start, s.end)), *(x for a, b, _ in marks for x in (a, b))})
    pieces: list[Piece] = []
    for a, b in itertools.pairwise(cuts):
        if a >= len(text):
            break
        marked = tuple(sorted({v for start, end, v in marks if start < b and a < end}))
        mask = next((s for s in masks if s.start <= a < s.end), None)
        if mask is None:
            pieces.append(Piece(text[a:b], False, marked))
        elif mask.start == a:
            pieces.append(Piece(f"[{mask.label}]", True, marked))
        elif marked and pieces:  # the rest of a masked word: its marks join the label already shown
            last = pieces[-1]
            pieces[-1] = Piece(last.text, True, tuple(sorted({*last.marks, *marked})))
    return tuple(pieces)
