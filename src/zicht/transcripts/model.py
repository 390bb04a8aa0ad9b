"""Conversations as the chat platform exports them, before pseudonymisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Sender = Literal["visitor", "counsellor"]
SENDERS: tuple[Sender, ...] = ("visitor", "counsellor")


@dataclass(frozen=True)
class Message:
    at: dt.datetime
    sender: Sender
    text: str


@dataclass(frozen=True)
class Conversation:
    id: str
    username: str
    channel: str
    started_at: dt.datetime
    flagged: bool
    messages: tuple[Message, ...]


@dataclass(frozen=True)
class Record:
    """A conversation read from a file, with the line it starts on."""

    line: int
    conversation: Conversation
