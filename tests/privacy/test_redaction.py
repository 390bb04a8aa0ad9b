"""The one redaction: what the generator planted is hidden, ordinary words stay, nothing crashes it."""

from __future__ import annotations

import itertools
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zicht.privacy.evaluate import redaction_recall
from zicht.privacy.redaction import RedactingFilter, find_personal, redact_text
from zicht.synth import generate


@pytest.mark.parametrize("seed", [1, 2])
def test_the_planted_names_places_numbers_and_handles_are_hidden(seed: int) -> None:
    corpus = generate(2020, seed)
    recall = redaction_recall(corpus.conversations, corpus.truth)
    assert {k: recall.planted[k] > 50 for k in ("name", "place", "phone", "handle", "school")} == dict.fromkeys(recall.planted, True)
    assert {k: recall.of(k) >= 0.98 for k in recall.planted} == dict.fromkeys(recall.planted, True), recall.missed[:10]
    assert recall.counsellor_redacted <= 0.01 * recall.counsellor_words  # the counsellors name nobody


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("ik heet sanne en ik woon in zwolle, hij in Leiden", ["sanne", "zwolle", "Leiden"]),
        ("hij woont in bergen op zoom", ["bergen op zoom"]),
        ("hij heet daan_x12 op insta", ["daan_x12"]),
        ("stuur maar naar @lisa.official", ["lisa.official"]),
        ("zijn nummer is 06-12345678", ["12345678"]),
        ("bel me op +31 6 1234 5678", ["1234 5678"]),
        ("0612345678 is van hem", ["0612345678"]),
        ("ik zit op het Dalton College", ["Dalton College"]),
        ("hij rijdt in een auto met kenteken 12-abc-3", ["12-abc-3"]),
        ("Ik heet Sanne de Vries", ["Sanne de Vries"]),
        ("mail me op sanne2008@hotmail.com", ["sanne2008@hotmail.com"]),
    ],
)
def test_what_chats_name_is_redacted(text: str, hidden: list[str]) -> None:
    redacted = redact_text(text)
    assert [h for h in hidden if h in redacted] == [], redacted
    assert "[" in redacted


@pytest.mark.parametrize(
    "text",
    ["ik ben bang en ik ben 15", "ik ben trots op mezelf", "het begon bij ons in de buurt", "ik ken hem van school", "hij is mee gegaan"],
)
def test_ordinary_words_and_ages_stay(text: str) -> None:
    assert redact_text(text) == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(),
    st.sampled_from(["06-{}{}", "06{}{}", "+31 6 {} {}", "06 {} {}", "(06) {}-{}"]),
    st.integers(1000, 9999),
    st.integers(1000, 9999),
)
def test_any_text_is_redacted_without_error_and_a_number_never_survives(text: str, layout: str, a: int, b: int) -> None:
    number = layout.format(a, b)
    redacted = redact_text(f"{text} bel {number} ok")
    assert number not in redacted and str(b) not in redacted.rsplit("bel", 1)[-1]
    spans = find_personal(text)
    assert all(0 <= p.start < p.end <= len(text) for p in spans)
    assert all(x.end <= y.start for x, y in itertools.pairwise(spans))


def test_a_log_line_is_written_redacted() -> None:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/zoek/ik heet sanne uit zwolle",), None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "Not Found: /zoek/ik heet [naam] uit [plaats]"
