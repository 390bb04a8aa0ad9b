"""Merge proposals and the researchers' decisions: the rules, apart from any user interface.

A decision is about a pair of conversations: merge (same visitor) or keep apart. Decisions
are never deleted, only undone, so who decided what and when stays visible. The visitors
follow from the active merges; a pair kept apart is never proposed again; coded cases
joined by a merge count once, and come back with their own codes when the merge is undone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from zicht.codebook import NOT_CODED, Codebook, CodedCase, load_codebook
from zicht.codebook.values import in_dutch
from zicht.knowledge.lexicon import lexicon
from zicht.reading.profile import Profile, story_words

Verdict = Literal["merge", "apart"]


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Proposal:
    left: str
    right: str
    probability: float
    evidence: Mapping[str, float] = field(default_factory=dict)  # comparison -> match weight

    @property
    def key(self) -> tuple[str, str]:
        return pair(self.left, self.right)


@dataclass(frozen=True)
class Decision:
    left: str
    right: str
    verdict: Verdict
    by: str
    at: dt.datetime
    undone_at: dt.datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return pair(self.left, self.right)

    @property
    def active(self) -> bool:
        return self.undone_at is None


def decide(proposal: Proposal, verdict: Verdict, by: str, at: dt.datetime | None = None) -> Decision:
    return Decision(*proposal.key, verdict, by, at or dt.datetime.now())


def undo(decision: Decision, at: dt.datetime | None = None) -> Decision:
    return replace(decision, undone_at=at or dt.datetime.now())


def visitors(conversations: Iterable[str], decisions: Iterable[Decision]) -> dict[str, str]:
    """The visitor of each conversation after the active merges: the smallest conversation id of its group."""
    return groups(conversations, ((d.left, d.right) for d in decisions if d.active and d.verdict == "merge"))


def groups(items: Iterable[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Connected groups: each item's group is named by its smallest member. Links to unknown items are ignored."""
    parent = {c: c for c in items}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for left, right in links:
        if left in parent and right in parent:
            a, b = root(left), root(right)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {c: root(c) for c in parent}


def open_proposals(proposals: Iterable[Proposal], decisions: Sequence[Decision]) -> list[Proposal]:
    """What is left to review, most likely first: no pair with an active decision, none already one visitor."""
    decided = {d.key for d in decisions if d.active}
    ids = {c for p in proposals for c in p.key} | {c for d in decisions for c in d.key}
    visitor = visitors(ids, decisions)
    remaining = [p for p in proposals if p.key not in decided and visitor[p.left] != visitor[p.right]]
    return sorted(remaining, key=lambda p: (-p.probability, p.key))


def accept_above(proposals: Iterable[Proposal], decisions: Sequence[Decision], threshold: float, by: str) -> list[Decision]:
    """Merge decisions for every open proposal at or above the threshold (bulk acceptance)."""
    return [decide(p, "merge", by) for p in open_proposals(proposals, decisions) if p.probability >= threshold]


def coded_as_one(cases: Iterable[Sequence[str]]) -> list[Decision]:
    """The coding already says a case's conversations are one visitor: as merges, by "coding"."""
    return [Decision(ids[0], other, "merge", "coding", dt.datetime.min) for ids in cases for other in ids[1:]]


def merge_cases(cases: Sequence[CodedCase], decisions: Iterable[Decision]) -> list[CodedCase]:
    """Coded cases after the merges: cases whose conversations were merged count once.

    The case with the most variables coded stays (of those, the smallest visitor id), with its
    own codes and the conversations of all; the others are left out until the merge is undone
    (their codes are kept). A merge never lets an empty case stand for a coded one.
    """
    coded = coded_as_one(case.conversation_ids for case in cases)
    owner = {c: case.visitor_id for case in cases for c in case.conversation_ids}
    visitor = visitors(owner, [*coded, *decisions])
    groups: dict[str, list[CodedCase]] = {}
    for case in cases:
        group = visitor[case.conversation_ids[0]] if case.conversation_ids else f"case:{case.visitor_id}"
        groups.setdefault(group, []).append(case)
    out = []
    for members in groups.values():
        first = min(members, key=lambda c: (sum(v is NOT_CODED for v in c.values.values()), c.visitor_id))
        if len(members) > 1:
            first = replace(first, conversation_ids=tuple(sorted({c for m in members for c in m.conversation_ids})))
        out.append(first)
    return sorted(out, key=lambda c: c.visitor_id)


# What a reviewer compares, in order, with the comparison whose weight belongs to it.
_SHOWN = (
    ("leeftijd", "age", "age"), ("geboortejaar", "birth_year", None), ("geslacht", "gender", "gender"),
    ("woonplaats", "place", "place"), ("school", "school", "school"), ("klas", "school_year", None), ("eigen naam", "own_name", "own_name"),
    ("naam pleger", "perpetrator_names", "perpetrator_names"), ("over iemand anders", "relation", "relation"),
    ("start (maanden voor de chat)", "span_months", "start_month"), ("platforms", "platforms", "platforms"),
)  # fmt: skip


def side_by_side(left: Profile, right: Profile, evidence: Mapping[str, float],
                 distinctive: Mapping[str, Sequence[str] | None] | None = None) -> list[tuple[str, str, str, float | None]]:  # fmt: skip
    """Rows of (what, left chat, right chat, weight of that comparison) for a reviewer, in the codebook's Dutch.

    `distinctive`: each chat's words few other chats of the project use (`match.distinctive_words`),
    the ones linkage weighs; without it, every word the two share is shown.
    """
    book = load_codebook(lexicon().codebook)

    def shown(value: object, variable: str | None = None) -> str:
        if value is None or value == []:
            return "–"
        return ", ".join(_in_words(v, variable, book) for v in (value if isinstance(value, list) else [value]))

    rows = [
        (label, shown(getattr(left, name), _VARIABLE.get(name)), shown(getattr(right, name), _VARIABLE.get(name)),
         evidence.get(weight) if weight else None)
        for label, name, weight in _SHOWN
    ]  # fmt: skip
    left_at, right_at = (f"{_when(p.started_at)}, {_in_words(p.channel, 'channel', book)}" for p in (left, right))
    rows.append(("chat", left_at, right_at, evidence.get("days_apart")))
    for kind, label in (("phone", "telefoonnummers"), ("handle", "gebruikersnamen"), ("email", "e-mailadressen")):
        mine, theirs = ([i for i in p.identifiers if i.startswith(kind)] for p in (left, right))
        if mine or theirs:
            shared = set(mine) & set(theirs)
            rows.append((label, f"{len(mine)} ({len(shared)} gedeeld)", f"{len(theirs)}", evidence.get(f"{kind}s")))
    for variable in sorted(set(left.facts) | set(right.facts)):
        label = book[variable].label if variable in book else variable
        rows.append((label, shown(left.facts.get(variable), variable), shown(right.facts.get(variable), variable), evidence.get(variable)))
    if distinctive is not None:
        shared = set(distinctive.get(left.conversation_id) or ()) & set(distinctive.get(right.conversation_id) or ())
    else:
        shared = set(story_words(left)) & set(story_words(right))
    what = "dezelfde zeldzame woorden" if distinctive is not None else "dezelfde woorden"
    rows.append((what, ", ".join(sorted(shared)[:12]) or "–", "", evidence.get("distinctive_words")))
    rows.append(("zegt eerder gechat te hebben", shown(left.returning), shown(right.returning), evidence.get("returning")))
    return rows


_VARIABLE = {"gender": "victim_gender", "platforms": "platform"}  # a profile's field read as a codebook variable's categories


def _in_words(value: object, variable: str | None, book: Codebook) -> str:
    """A value as a researcher reads it: a category by its label, yes and no in Dutch."""
    if value in (True, False, "true", "false"):  # a flag, as a profile's facts hold it too
        return "ja" if value in (True, "true") else "nee"
    if variable and variable in book and str(value) in book[variable].category_ids:
        return book[variable].category(str(value)).label
    return str(value)


def _when(at: dt.datetime) -> str:
    return f"{in_dutch(at)} {at:%H:%M}"
