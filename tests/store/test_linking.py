"""Merge decisions in the store: the statistics count visitors after merges, and undo gives them back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zicht.codebook import load_codebook
from zicht.linkage.review import Proposal, decide
from zicht.synth import generate, write_corpus


def test_a_merge_joins_two_coded_visitors_and_an_undo_separates_them(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store import linking, queries
    from zicht.store.importing import import_chats, import_coded

    book = load_codebook("nl-2020")
    files = write_corpus(generate(2019, 7).part(40, "L"), tmp_path)
    import_chats(files["chats"], project[1], book["channel"].category_ids)
    import_coded(files["coded"], book)
    before = [c for c in queries.cases_of_year(2019, book) if c.visitor_id.startswith("L")]
    first, second = before[0], before[1]
    merge = decide(Proposal(first.conversation_ids[0], second.conversation_ids[0], 0.97), "merge", "anna", dt.datetime(2021, 1, 5))
    linking.save_decisions([merge])

    after = [c for c in queries.cases_of_year(2019, book) if c.visitor_id.startswith("L")]
    assert len(after) == len(before) - 1
    kept = next(c for c in after if c.visitor_id == first.visitor_id)
    assert set(kept.conversation_ids) == set(first.conversation_ids) | set(second.conversation_ids)
    assert kept.values == first.values
    [stored] = [d for d in linking.decisions() if d.key == merge.key]
    assert (stored.by, stored.at, stored.active) == ("anna", dt.datetime(2021, 1, 5), True)

    assert linking.undo_decision(second.conversation_ids[0], first.conversation_ids[0])
    restored = [c for c in queries.cases_of_year(2019, book) if c.visitor_id.startswith("L")]
    assert restored == before, "both visitors back, each with their own codes"
    assert not next(d for d in linking.decisions() if d.key == merge.key).active, "the undone decision stays on record"


def test_a_pair_the_researchers_coded_as_one_visitor_is_never_proposed(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.linkage.review import open_proposals
    from zicht.store import linking
    from zicht.store.importing import import_chats, import_coded

    book = load_codebook("nl-2020")
    corpus = generate(2019, 9).part(60, "O")
    files = write_corpus(corpus, tmp_path)
    import_chats(files["chats"], project[1], book["channel"].category_ids)
    import_coded(files["coded"], book)
    together = next(c for c in corpus.cases if len(c.conversation_ids) > 1)
    apart = next(c for c in corpus.cases if len(c.conversation_ids) == 1)
    one, two = together.conversation_ids[:2]
    found = [Proposal(one, two, 0.99), Proposal(one, apart.conversation_ids[0], 0.9)]
    waiting = open_proposals(found, [*linking.decisions(), *linking.coded_together()])
    assert [p.key for p in waiting] == [found[1].key], "the chats of one coded case are one visitor already"
