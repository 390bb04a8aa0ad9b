"""How well the suggestions read annotated texts: of the codes a text states, how many are suggested.

The synthetic corpus scores the readers on their own generator's phrasing; annotated texts
(`zicht.transcripts.annotated`) score them on Dutch they did not write. A stated code is one
category (each answer of a multi-answer variable apart), a number or a date; it is suggested
right when the suggestion holds it. A suggestion with words behind it that the text does not
state is counted apart, as a code the researcher would have to remove.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from zicht.codebook import Codebook, Value
from zicht.coding.screen import precision_among
from zicht.coding.suggest import Suggestion
from zicht.transcripts.annotated import AnnotatedText


@dataclass(frozen=True)
class StatedScore:
    variable: str
    stated: int  # codes the texts state
    right: int  # of those, suggested
    unstated: int  # codes suggested, with words behind them, that the texts do not state

    @property
    def recall(self) -> float | None:
        return self.right / self.stated if self.stated else None


@dataclass(frozen=True)
class Measured:
    texts: int
    scores: list[StatedScore]
    flagged: int  # texts the counsellor flagged
    about_right: int  # of those, about_trafficking suggested as stated
    misses: list[tuple[str, str, str, str]]  # text id, variable, stated value, what was suggested
    unstated: list[tuple[str, str, str]]  # text id, variable, a value suggested with words behind it that the text does not state

    @property
    def stated(self) -> int:
        return sum(s.stated for s in self.scores)

    @property
    def right(self) -> int:
        return sum(s.right for s in self.scores)

    @property
    def recall(self) -> float | None:
        return self.right / self.stated if self.stated else None


def measure_suggestions(texts: Sequence[AnnotatedText], codebook: Codebook,
                        suggest: Callable[[AnnotatedText], Mapping[str, Suggestion]],
                        advance: Callable[[], None] = lambda: None) -> Measured:  # fmt: skip
    """Every text's suggestions against what it states; `suggest` reads one text (the rules, or a learned model)."""
    stated = {v.id: 0 for v in codebook}
    right = dict(stated)
    unstated = dict(stated)
    flagged = about_right = 0
    misses, extra = [], []
    for text in texts:
        suggestions = suggest(text)
        for variable in codebook:
            s = suggestions.get(variable.id)
            guessed = _categories(s.value if s is not None else None)
            truth = [c.value for c in text.stated(variable.id)]
            for value in truth:
                stated[variable.id] += 1
                if value in guessed:
                    right[variable.id] += 1
                else:
                    misses.append((text.id, variable.id, str(value), _shown(s)))
            if s is not None and s.evidence:
                unstated[variable.id] += len(guessed - set(truth))
                extra += [(text.id, variable.id, str(value)) for value in sorted(guessed - set(truth), key=str)]
        if text.conversation.flagged and text.stated("about_trafficking"):
            flagged += 1
            about = suggestions.get("about_trafficking")
            about_right += about is not None and about.value == text.stated("about_trafficking")[0].value
        advance()
    scores = [StatedScore(v.id, stated[v.id], right[v.id], unstated[v.id]) for v in codebook if stated[v.id] or unstated[v.id]]
    return Measured(len(texts), scores, flagged, about_right, misses, extra)


def _categories(value: Value) -> set[object]:
    if value is None:
        return set()
    if isinstance(value, frozenset):
        return set(value)
    return {value}


def _shown(s: Suggestion | None) -> str:
    if s is None or s.value is None:
        return "-"
    return ",".join(sorted(s.value)) if isinstance(s.value, frozenset) else str(s.value)


def in_part(texts: Iterable[AnnotatedText], part: str) -> list[AnnotatedText]:
    """The texts of one part ("test", "development"), or all ("all")."""
    return [t for t in texts if part == "all" or t.part == part]


@dataclass(frozen=True)
class ScreeningScore:
    """The unflagged texts ranked by the chance the screening gives them, against what they state."""

    ranked: list[tuple[str, float, bool]]  # text id, the chance it is about trafficking, whether it is
    threshold: float  # "likely missed" above this chance

    @property
    def about(self) -> int:
        return sum(is_about for _, _, is_about in self.ranked)

    def found(self, threshold: float | None = None) -> tuple[int, int]:
        """Of the texts above the threshold: how many are about trafficking, how many listed."""
        at = self.threshold if threshold is None else threshold
        listed = [is_about for _, chance, is_about in self.ranked if chance > at]
        return sum(listed), len(listed)

    @property
    def recall(self) -> float | None:
        return self.found()[0] / self.about if self.about else None

    @property
    def precision(self) -> float | None:
        right, listed = self.found()
        return right / listed if listed else None

    def precision_among(self, look_alikes: float) -> float | None:
        """The precision had there been `look_alikes` chats on other subjects for each one about trafficking
        (the issue's test set has 5): each false alarm counts as many times more as those chats would."""
        right, listed = self.found()
        return precision_among(right, listed, self.about, len(self.ranked) - self.about, look_alikes)

    @property
    def average_precision(self) -> float | None:
        """How high the texts about trafficking stand in the list, read from the top (1: all first)."""
        hits, total = 0, 0.0
        for rank, (_, _, is_about) in enumerate(self.ranked, start=1):
            if is_about:
                hits += 1
                total += hits / rank
        return total / self.about if self.about else None


def measure_screening(texts: Sequence[AnnotatedText], chance: Callable[[AnnotatedText], float], threshold: float) -> ScreeningScore:
    """The unflagged texts that state whether they are about trafficking, most certain first."""
    ranked = [
        (t.id, chance(t), t.stated("about_trafficking")[0].value == "yes")
        for t in texts
        if not t.conversation.flagged and t.stated("about_trafficking")
    ]
    return ScreeningScore(sorted(ranked, key=lambda r: (-r[1], r[0])), threshold)
