"""Splink on DuckDB, embedded: strong shared evidence links two chats; the scores count pairs right."""

from __future__ import annotations

from zicht.linkage import profile
from zicht.linkage.match import link, pairwise_scores
from zicht.synth import generate

from .test_profile import SECRET, chat


def test_two_chats_sharing_rare_evidence_become_one_visitor() -> None:
    others = [profile(c, SECRET) for c in generate(2020, 0).conversations[:150]]
    first = chat(
        "ik ben 16", "ik woon in Hoogeveen", "ik moet van Dirk (mijn vriend) met mannen afspreken", "zijn nummer is 06-12345678",
        "het is begonnen in juli vorig jaar", conversation_id="X1",
    )  # fmt: skip
    again = chat(
        "ben zestien", "hier in Hoogeveen", "Dirk (mijn vriend) zet advertenties van mij online", "hij belt me steeds met 0612345678",
        "het is begonnen in juli vorig jaar", conversation_id="X2",
    )  # fmt: skip
    result = link([*others, profile(first, SECRET), profile(again, SECRET)])
    assert result.clusters["X1"] == result.clusters["X2"]
    pair = result.pairs[(result.pairs.unique_id_l.isin(["X1", "X2"])) & (result.pairs.unique_id_r.isin(["X1", "X2"]))]
    assert pair.match_probability.iloc[0] > 0.99
    evidence = pair.iloc[0]
    assert evidence["mw_phones"] > 0 and evidence["mw_place"] > 0, "each comparison's weight comes with the pair"


def test_pairwise_precision_and_recall() -> None:
    truth = {"a": "p1", "b": "p1", "c": "p1", "d": "p2"}
    clusters = {"a": "1", "b": "1", "c": "2", "d": "2"}
    precision, recall, predicted, true = pairwise_scores(clusters, truth)
    assert (predicted, true) == (2, 3)
    assert (precision, recall) == (0.5, 1 / 3)
