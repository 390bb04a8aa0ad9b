"""Scoring a linkage against a truth: pairwise precision and recall, from the files anyone can hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.errors import ZichtError
from zicht.linkage.evaluate import pairwise_scores, read_visitors


def test_pairwise_precision_and_recall() -> None:
    truth = {"a": "p1", "b": "p1", "c": "p1", "d": "p2"}
    clusters = {"a": "1", "b": "1", "c": "2", "d": "2"}
    scores = pairwise_scores(clusters, truth)
    assert (scores.predicted, scores.true, scores.visitors, scores.true_visitors) == (2, 3, 2, 2)
    assert (scores.precision, scores.recall) == (0.5, 1 / 3)


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.sampled_from("xyz"), max_size=12))
def test_a_linkage_scored_against_itself_is_perfect_and_renaming_visitors_changes_nothing(truth: dict[str, str]) -> None:
    renamed = {c: f"other-{v}" for c, v in truth.items()}
    scores = pairwise_scores(renamed, truth)
    assert (scores.precision, scores.recall, scores.visitors) == (1.0, 1.0, len(set(truth.values())))


def test_visitors_read_from_an_export_or_a_truth_file(tmp_path: Path) -> None:
    export = tmp_path / "visitors.csv"
    export.write_text("conversation_id,visitor_id\nC1,V1\nC2,V1\n", "utf-8")
    truth = tmp_path / "truth-2020.json"
    truth.write_text(json.dumps({"conversations": [{"conversation_id": "C1", "person_id": "P1"}]}), "utf-8")
    assert read_visitors(export) == {"C1": "V1", "C2": "V1"}
    assert read_visitors(truth) == {"C1": "P1"}


def test_a_bad_visitor_file_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "visitors.csv"
    bad.write_text("conversation_id,visitor_id\nC1,\n", "utf-8")
    with pytest.raises(ZichtError, match=r"visitors.csv: line 2"):
        read_visitors(bad)
    (tmp_path / "other.csv").write_text("id,person\n", "utf-8")
    with pytest.raises(ZichtError, match="no column conversation_id, visitor_id"):
        read_visitors(tmp_path / "other.csv")
