"""How good a linkage is: pairwise precision and recall of visitors against a truth.

The truth is a file anyone can hold a linkage to: the synthetic corpus's truth file, or a
`conversation_id,visitor_id` CSV of confirmed visitors (an earlier export after review).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from zicht.errors import ZichtError
from zicht.transcripts import csvsafe


@dataclass(frozen=True)
class Scores:
    precision: float  # of the pairs put together, the share that are one visitor
    recall: float  # of the pairs that are one visitor, the share put together
    predicted: int
    true: int
    visitors: int
    true_visitors: int


def pairwise_scores(clusters: dict[str, str], truth: dict[str, str]) -> Scores:
    """Over the conversations both know; a pair is two conversations given the same visitor."""
    shared = clusters.keys() & truth.keys()
    predicted = _pairs({c: clusters[c] for c in shared})
    true = _pairs({c: truth[c] for c in shared})
    hits = len(predicted & true)
    return Scores(
        precision=hits / len(predicted) if predicted else 1.0,
        recall=hits / len(true) if true else 1.0,
        predicted=len(predicted),
        true=len(true),
        visitors=len({clusters[c] for c in shared}),
        true_visitors=len({truth[c] for c in shared}),
    )


def _pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for item, group in assignment.items():
        groups.setdefault(group, []).append(item)
    return {(a, b) for members in groups.values() for i, a in enumerate(sorted(members)) for b in sorted(members)[i + 1 :]}


def read_visitors(path: Path) -> dict[str, str]:
    """Conversation id -> visitor, from a `conversation_id,visitor_id` CSV or a synthetic truth file (JSON)."""
    try:
        if path.suffix == ".json":
            loaded = json.loads(path.read_text("utf-8"))
            return {str(t["conversation_id"]): str(t["person_id"]) for t in loaded["conversations"]}
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            missing = {"conversation_id", "visitor_id"} - set(reader.fieldnames or ())
            if missing:
                raise ZichtError(f"{path}: line 1: no column {', '.join(sorted(missing))}")
            visitors = {}
            for line, row in enumerate(reader, start=2):
                if not row["conversation_id"] or not row["visitor_id"]:
                    raise ZichtError(f"{path}: line {line}: empty conversation_id or visitor_id")
                visitors[row["conversation_id"]] = row["visitor_id"]
            return visitors
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as e:
        raise ZichtError(f"{path}: not a visitor file ({e})") from None


def write_visitors(ids: Iterable[str], visitor: Mapping[str, str], path: Path) -> None:
    """conversation_id,visitor_id for each conversation (`zicht link export`), as `read_visitors` reads it."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["conversation_id", "visitor_id"])
        writer.writerows(csvsafe.row((c, visitor[c])) for c in ids)
