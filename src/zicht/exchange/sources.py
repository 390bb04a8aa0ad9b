"""A chat as another tool's plain text: a line a message, redacted as the exporting role sees it, and
where the words a code rests on land in that text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zicht.coding.suggest import Span
from zicht.privacy.redaction import masks_in_chat
from zicht.transcripts.model import Conversation

SPEAKERS = {"visitor": "bezoeker", "counsellor": "hulpverlener"}


@dataclass(frozen=True)
class Plain:
    text: str
    starts: tuple[int, ...]  # where each message's text begins in `text`
    lengths: tuple[int, ...]  # each message's own length, before redaction
    shifts: tuple[tuple[tuple[int, int, int, int], ...], ...]  # per message: (start, end, new start, new end) of each mask

    def position(self, message: int, offset: int) -> int:
        """Where a character of a message's own text lands in the plain text: a character inside a
        redacted span lands at that span's start."""
        moved = 0
        for start, end, new_start, new_end in self.shifts[message]:
            if offset < start:
                break
            if offset < end:
                return self.starts[message] + new_start
            moved = new_end - end
        return self.starts[message] + offset + moved

    def selection(self, span: Span) -> tuple[int, int] | None:
        """Where a span of evidence lands; None when the message no longer holds it (its text purged)."""
        if not (0 <= span.message < len(self.starts) and 0 <= span.start < span.end <= self.lengths[span.message]):
            return None
        start, end = self.position(span.message, span.start), self.position(span.message, span.end)
        return start, max(end, start + 1)


def plain(chat: Conversation, sees_identifiers: bool) -> Plain:
    """The chat as lines of "12:04 bezoeker: ...", hidden as the workbench hides it from the role:
    names, places and schools as [naam] and the like unless the role sees them; numbers and handles,
    tokens since import, as what they are ([telefoonnummer 3f2a] for one who sees identifiers)."""
    hidden = masks_in_chat([m.text for m in chat.messages], sees_identifiers)
    masks = [[(m.start, m.end, f"[{m.label}]") for m in found] for found in hidden]
    lines, starts, shifts, at = [], [], [], 0
    for message, mask in zip(chat.messages, masks, strict=True):
        head = f"{message.at:%H:%M} {SPEAKERS.get(message.sender, message.sender)}: "
        text, moved = _masked(message.text, mask)
        starts.append(at + len(head))
        shifts.append(moved)
        lines.append(head + text)
        at += len(head) + len(text) + 1
    return Plain("\n".join(lines) + "\n", tuple(starts), tuple(len(m.text) for m in chat.messages), tuple(shifts))


def _masked(text: str, masks: Sequence[tuple[int, int, str]]) -> tuple[str, tuple[tuple[int, int, int, int], ...]]:
    out, moved, last, length = [], [], 0, 0
    for start, end, label in sorted(masks):
        if start < last:
            continue  # overlaps the one before: already hidden
        out.append(text[last:start])
        length += start - last
        out.append(label)
        moved.append((start, end, length, length + len(label)))
        length += len(label)
        last = end
    out.append(text[last:])
    return "".join(out), tuple(moved)
