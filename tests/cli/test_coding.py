"""What `zicht screen` prints of a chat: the words a chance rests on, redacted as their whole message is."""

from __future__ import annotations

import datetime as dt

from zicht.cli.coding import _quote
from zicht.coding import Span
from zicht.transcripts.model import Conversation, Message

AT = dt.datetime(2020, 3, 1, 20, 0)


def _chat(text: str) -> Conversation:
    return Conversation("C1", "v", "fier", AT, False, (Message(AT, "visitor", text),))


def test_a_place_found_by_the_words_around_it_stays_hidden_where_the_quote_cuts_them_off() -> None:
    text = "ik woon in hoograven en daar moet ik met mannen naar bed"
    quoted = _quote(_chat(text), (Span("C1", 0, 0, len("ik woon in")),))
    assert quoted.startswith("[bold]ik woon in[/bold]") and "hoograven" not in quoted, quoted
    assert "\\[plaats]" in quoted, "the label in its place, escaped for rich"


def test_a_long_message_is_cut_at_whole_words_either_side() -> None:
    text = " ".join(f"woord{i}" for i in range(40)) + " hij laat me met mannen naar bed " + " ".join(f"einde{i}" for i in range(40))
    start = text.index("hij laat")
    quoted = _quote(_chat(text), (Span("C1", 0, start, start + len("hij laat me met mannen naar bed")),))
    before, _, rest = quoted.partition("[bold]")
    words, _, after = rest.partition("[/bold]")
    assert words == "hij laat me met mannen naar bed"
    assert before.startswith("…woord") and after.endswith("…"), quoted
    assert len(before) <= 62 and len(after) <= 62
    assert all(w.startswith(("woord", "einde")) for w in (before.strip("…") + after.strip("…")).split()), "no half words at the cuts"
