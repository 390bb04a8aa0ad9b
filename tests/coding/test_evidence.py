"""Every suggestion of the demo year rests on words of the chat it names (issue 19.3).

The synthetic year tests that the code runs: its phrasings come from the generator, so this says
nothing of how well zicht reads chats it did not write.
"""

from __future__ import annotations

import pytest
from text_to_num import alpha2digit

from zicht.codebook import load_codebook
from zicht.coding import suggest
from zicht.synth import generate

BOOK = load_codebook("nl-2020")
SECRET = b"e" * 32


@pytest.fixture(scope="module")
def suggested() -> list[tuple[object, list[object], dict[str, object]]]:
    year = generate(2020, 0)
    chats = {c.id: c for c in year.conversations}
    out = []
    for case in year.cases:
        mine = [chats[i] for i in case.conversation_ids]
        out.append((case, mine, suggest(mine, BOOK, SECRET)))
    return out


def _word_edge(text: str, at: int) -> bool:
    return at <= 0 or at >= len(text) or not (text[at - 1].isalnum() and text[at].isalnum())


def test_every_span_lies_in_a_visitor_message_of_the_chat_it_names_and_cuts_no_word(suggested: list) -> None:  # type: ignore[type-arg]
    bad = []
    for case, chats, suggestions in suggested:
        by_id = {c.id: c for c in chats}
        for s in suggestions.values():
            for span in s.evidence:
                chat = by_id.get(span.conversation_id)
                message = chat.messages[span.message] if chat and span.message < len(chat.messages) else None
                text = message.text if message else ""
                fine = (message is not None and message.sender == "visitor" and 0 <= span.start < span.end <= len(text)
                        and _word_edge(text, span.start) and _word_edge(text, span.end))  # fmt: skip
                if not fine:
                    bad.append((case.visitor_id, s.variable, span, text[span.start : span.end]))
    assert not bad, f"{len(bad)} spans off their words, e.g. {bad[:5]}"


def test_an_age_is_lit_where_it_is_written_also_as_a_word(suggested: list) -> None:  # type: ignore[type-arg]
    ages = 0
    for _, chats, suggestions in suggested:
        s = suggestions["victim_age"]
        if s.value is None or not s.evidence:
            continue
        [span] = s.evidence
        chat = next(c for c in chats if c.id == span.conversation_id)
        written = chat.messages[span.message].text[span.start : span.end]
        assert str(s.value) in str(alpha2digit(written.lower(), "nl", threshold=2)), (s.value, written)
        ages += 1
    assert ages > 100


def test_the_first_chat_is_the_visitors_first(suggested: list) -> None:  # type: ignore[type-arg]
    for case, chats, suggestions in suggested:
        assert suggestions["first_chat"].value == min(c.started_at for c in chats).date(), case.visitor_id
