"""Decisions on merge proposals: kept apart stays apart, undone merges give both visitors back."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zicht.codebook import CodedCase
from zicht.linkage.review import Proposal, accept_above, decide, merge_cases, open_proposals, undo, visitors

P = [Proposal("c1", "c2", 0.99), Proposal("c3", "c2", 0.95), Proposal("c4", "c5", 0.6)]


def test_a_pair_kept_apart_is_never_proposed_again() -> None:
    apart = decide(P[0], "apart", "anna")
    assert [p.key for p in open_proposals(P, [apart])] == [("c2", "c3"), ("c4", "c5")]
    again = [Proposal("c2", "c1", 0.999), *P]  # the next run proposes it again, the other way round
    assert ("c1", "c2") not in [p.key for p in open_proposals(again, [apart])]


def test_bulk_acceptance_above_a_threshold_and_transitive_visitors() -> None:
    decisions = accept_above(P, [], 0.9, "anna")
    assert [(d.key, d.verdict, d.by) for d in decisions] == [(("c1", "c2"), "merge", "anna"), (("c2", "c3"), "merge", "anna")]
    visitor = visitors(["c1", "c2", "c3", "c4"], decisions)
    assert visitor["c1"] == visitor["c2"] == visitor["c3"] == "c1" and visitor["c4"] == "c4"
    assert [p.key for p in open_proposals(P, decisions)] == [("c4", "c5")], "decided pairs leave the queue"


def _case(visitor_id: str, *conversations: str, gender: str) -> CodedCase:
    return CodedCase(visitor_id, "nl-2020", {"victim_gender": gender}, conversations)


def test_an_undone_merge_restores_both_visitors_with_their_codes() -> None:
    cases = [_case("V1", "c1", "c9", gender="female"), _case("V2", "c2", gender="male"), _case("V3", "c3", gender="female")]
    merge = decide(Proposal("c9", "c2", 0.97), "merge", "anna", dt.datetime(2021, 3, 1))
    merged = merge_cases(cases, [merge])
    assert [(c.visitor_id, c.conversation_ids) for c in merged] == [("V1", ("c1", "c2", "c9")), ("V3", ("c3",))]
    assert merged[0].values == {"victim_gender": "female"}, "the staying case keeps its own codes"
    restored = merge_cases(cases, [undo(merge)])
    assert restored == cases


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.booleans(), st.booleans()), max_size=25))
def test_visitors_follow_exactly_the_active_merges(steps: list[tuple[int, int, bool, bool]]) -> None:
    conversations = [f"c{i}" for i in range(10)]
    decisions = []
    for a, b, merge, undone in steps:
        d = decide(Proposal(f"c{a}", f"c{b}", 0.9), "merge" if merge else "apart", "x")
        decisions.append(undo(d) if undone else d)
    visitor = visitors(conversations, decisions)
    for d in decisions:
        if d.active and d.verdict == "merge":
            assert visitor[d.left] == visitor[d.right]
    groups = {v for v in visitor.values()}
    merges = {d.key for d in decisions if d.active and d.verdict == "merge" and d.left != d.right}
    assert len(groups) >= len(conversations) - len(merges), "no group is joined without a merge"


def test_the_review_shows_dutch_labels_and_only_words_few_chats_of_the_project_share() -> None:
    """ "mannen, meisje, niks" shared by a pair says nothing; the words linkage weighs are those few chats use."""
    from zicht.linkage.match import DISTINCTIVE_SHARE, distinctive_words
    from zicht.linkage.review import side_by_side
    from zicht.reading import profile
    from zicht.reading.profile import story_words
    from zicht.synth import generate

    chats = generate(2020, 0).flagged[:120]
    profiles = [profile(c, b"k" * 32) for c in chats]
    distinctive = dict(zip((p.conversation_id for p in profiles), distinctive_words(profiles), strict=True))
    words = [set(story_words(p)) for p in profiles]
    frequent = {w for found in words for w in found if sum(w in other for other in words) > DISTINCTIVE_SHARE * len(profiles)}
    left, right = next(
        (a, b) for a in profiles[:30] for b in profiles[:30] if a is not b and set(story_words(a)) & set(story_words(b)) & frequent
    )
    rows = {what: (a, b) for what, a, b, _ in side_by_side(left, right, {}, distinctive)}
    shared = rows["dezelfde zeldzame woorden"][0]
    allowed = set(distinctive[left.conversation_id] or ()) & set(distinctive[right.conversation_id] or ())
    assert shared == "–" or set(shared.split(", ")) <= allowed
    assert not set(story_words(left)) & set(story_words(right)) & frequent & set(shared.split(", ")), "words many chats use are no evidence"
    shown = " ".join(f"{what} {a} {b}" for what, (a, b) in rows.items())
    assert not {"female", "male", "true", "false", "victim_gender"} & set(shown.replace(",", " ").split())
    assert "geslacht" in rows and rows["chat"][0].endswith(("Chat met Fier", "Chat Centrum Seksueel Geweld"))
    flagged = next(p for p in profiles if "other_victims" in p.facts)
    told = {what: a for what, a, _, _ in side_by_side(flagged, right, {}, distinctive)}
    assert told["Andere slachtoffers"] == "ja", "a flag the chat tells reads ja, not true"
