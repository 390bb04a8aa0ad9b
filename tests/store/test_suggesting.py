"""Stored suggestions come back as they were made: value, confidence and the words they rest on."""

from __future__ import annotations

from pathlib import Path

from zicht.codebook import load_codebook
from zicht.coding import suggest
from zicht.synth import generate

YEAR = 2032  # a year of its own: a run replaces all of a year's suggestions, and the workbench tests use 2020's


def test_suggestions_round_trip_through_the_store_and_a_new_run_replaces_the_last(project: tuple[Path, bytes]) -> None:
    from zicht.store import suggesting

    book = load_codebook("nl-2020")
    corpus = generate(2020, 4)
    chats = {c.id: c for c in corpus.flagged}
    visitors = [
        (case.conversation_ids[0], case.conversation_ids, suggest([chats[i] for i in case.conversation_ids], book, b"s" * 32))
        for case in corpus.cases[:25]
    ]
    suggesting.replace_suggestions(YEAR, book, visitors)
    suggesting.replace_suggestions(YEAR, book, visitors)
    back = {v: (tuple(ids), s) for v, ids, s in suggesting.suggested(YEAR, book)}
    assert len(back) == len(visitors), "the second run replaced the first"
    for visitor, ids, made in visitors:
        assert back[visitor] == (tuple(ids), made)
