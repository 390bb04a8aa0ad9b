"""Screening: how likely each conversation is about trafficking, flagged by a counsellor or not.

The report's point is that victims stay invisible; a chat nobody flagged can still be about
trafficking. Every conversation gets a chance that it is, from a logistic model over what the
reader finds in it (which variables, and whether the screening rules say yes), with the words it
rests on. The researchers read the unflagged ones from the top; those above `likely_missed` are
listed as likely missed. The weights and that threshold are in `suggest-nl.yaml`, fitted and
chosen on the external development part (docs/suggestions.md).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from zicht.coding.suggest import Span, Suggestion, said_about_trafficking
from zicht.knowledge.suggestion import SCREENING_FEATURES, suggestion_rules
from zicht.reading.many import profiles
from zicht.reading.profile import Profile
from zicht.transcripts import csvsafe
from zicht.transcripts.model import Conversation


@dataclass(frozen=True)
class Screened:
    conversation_id: str
    flagged: bool
    suggestion: Suggestion  # what the words alone say of about_trafficking, with the words it rests on
    chance: float  # that the conversation is about trafficking, 0 to 1: the ranking's key
    evidence: tuple[Span, ...]  # the words the chance rests on most

    @property
    def likely(self) -> bool:
        """Likely about trafficking by the screening, flagged or not: its chance above the threshold of suggest-nl.yaml."""
        return self.chance > suggestion_rules().screening.likely_missed

    @property
    def missed(self) -> bool:
        """Likely about trafficking, but not flagged: one for the researchers to read."""
        return not self.flagged and self.likely


@functools.cache
def reader_version() -> str:
    """What a kept screening was read by: a digest of the reading's, coding's and knowledge's code and
    data as installed. Any change to them (a cue, a weight, a rule) makes kept screenings stale."""
    digest = hashlib.sha256()
    for package in ("zicht.reading", "zicht.coding", "zicht.knowledge"):
        root = resources.files(package)
        for path in sorted(_files(root), key=str):
            digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _files(folder: Traversable) -> Iterator[Traversable]:
    for item in folder.iterdir():
        if item.is_dir() and item.name != "__pycache__":
            yield from _files(item)
        elif item.name.endswith((".py", ".yaml")):
            yield item


def screen(conversations: Iterable[Conversation], secret: bytes, done: Callable[[int], None] = lambda n: None) -> list[Screened]:
    """Each conversation on its own, read in processes when there are many (`done` with each number
    read); the unflagged ones first, most likely first, then the flagged ones."""
    chats = list(conversations)
    screened = [screened_one(c, read) for c, read in zip(chats, profiles(chats, secret, progress=done), strict=True)]
    return sorted(screened, key=lambda s: (s.flagged, -s.chance, s.conversation_id))


def screened_one(chat: Conversation, read: Profile) -> Screened:
    rules = suggestion_rules().screening
    said = said_about_trafficking([chat], [read])
    found = screening_features(read, said)
    chance = _chance(rules.intercept, rules.weights, found)
    return Screened(chat.id, chat.flagged, said, chance, said.evidence if said.value == "yes" else _strongest(chat, read, rules.weights))


def screening_features(read: Profile, said: Suggestion) -> dict[str, float]:
    """What the model weighs: each variable the reader found (1), the rules' yes (1), and how many it found.
    Not what the cues read only where the chat does not say it outright (the victim's gender): that
    tells who, not what happened."""
    situation = _situation_variables()
    told = {variable: 1.0 for variable, categories in read.facts.items() if categories and variable in situation}
    return {**told, "said": float(said.value == "yes"), "facts": float(len(told))}


def _strongest(chat: Conversation, read: Profile, weights: Mapping[str, float]) -> tuple[Span, ...]:
    """The words of the found variable that weighs most for trafficking."""
    found = sorted((v for v, categories in read.facts.items() if categories and weights.get(v, 0.0) > 0), key=lambda v: -weights[v])
    for variable in found:
        for category in read.facts[variable]:
            if (e := read.evidence.get(f"{variable}.{category}")) is not None:
                return (Span(chat.id, e.message, e.start, e.end),)
    return ()


def fit_screening(examples: Sequence[tuple[Mapping[str, float], bool]], features: Sequence[str]) -> tuple[float, dict[str, float]]:
    """The intercept and weights of the screening's logistic model, from chats whose answer is known.

    Plain L2-regularised logistic regression (scikit-learn's defaults): with a hundred examples,
    no knob is turned that the examples would then have to judge.
    """
    from sklearn.linear_model import LogisticRegression

    x = [[found.get(name, 0.0) for name in features] for found, _ in examples]
    model = LogisticRegression(max_iter=1000).fit(x, [about for _, about in examples])
    return float(model.intercept_[0]), {name: float(w) for name, w in zip(features, model.coef_[0], strict=True)}


def held_out_chances(examples: Sequence[tuple[Mapping[str, float], bool]], features: Sequence[str]) -> list[float]:
    """Each example's chance from a model fitted on all the others: what the model would say of a chat it never saw."""
    chances = []
    for i, (found, _) in enumerate(examples):
        intercept, weights = fit_screening([*examples[:i], *examples[i + 1 :]], features)
        chances.append(_chance(intercept, weights, found))
    return chances


def likely_missed_threshold(chances: Sequence[float], about: Sequence[bool], precision: float = 0.7, look_alikes: float = 5) -> float:
    """The threshold that finds the most chats about trafficking while at least `precision` of those
    listed are, had there been `look_alikes` chats on other subjects for each one about trafficking
    (a helpline's year has more still); the highest such threshold when several find as many."""
    best: tuple[int, float] = (-1, 0.5)
    for threshold in sorted({round(c - 0.005, 2) for c in chances if c > 0.005}, reverse=True):
        listed = [a for c, a in zip(chances, about, strict=True) if c > threshold]
        right = sum(listed)
        among = precision_among(right, len(listed), sum(about), len(about) - sum(about), look_alikes)
        if among is not None and among >= precision and right > best[0]:
            best = (right, threshold)
    return best[1]


def precision_among(right: int, listed: int, about: int, others: int, look_alikes: float) -> float | None:
    """The precision of a list (`right` of `listed`, from `about` chats about trafficking and `others`
    not) had there been `look_alikes` chats on other subjects for each one about trafficking: each
    false alarm stands for as many as those chats would give. None when nothing is listed."""
    if not listed:
        return None
    weight = look_alikes * about / others if others else 0.0
    return right / (right + (listed - right) * weight)


def _chance(intercept: float, weights: Mapping[str, float], found: Mapping[str, float]) -> float:
    return 1.0 / (1.0 + math.exp(-(intercept + sum(w * found.get(name, 0.0) for name, w in weights.items()))))


def screening_feature_names() -> tuple[str, ...]:
    """The features the model is fitted on: the variables the reader finds as facts, then the rules' own."""
    return (*_situation_variables(), *SCREENING_FEATURES)


def _situation_variables() -> tuple[str, ...]:
    return tuple(v for v, how in suggestion_rules().variables.items() if how.source == "fact")


SCREENING_COLUMNS = ["conversation_id", "flagged", "chance", "likely_missed", "about_trafficking", "message", "start", "end"]


def write_screening(screened: Iterable[Screened], path: Path) -> None:
    """Every conversation's screening as CSV (`zicht screen --out`), most likely first: the chance, the
    rules' answer, and the first span of evidence, if any."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(SCREENING_COLUMNS)
        for s in screened:
            where = [s.evidence[0].message, s.evidence[0].start, s.evidence[0].end] if s.evidence else ["", "", ""]
            writer.writerow(csvsafe.row([s.conversation_id, int(s.flagged), f"{s.chance:.3f}", int(s.missed), s.suggestion.value, *where]))
