"""Measure: how well zicht reads texts a researcher annotated (suggestions, screening, redaction), by part of the corpus.

No project is needed: the texts come from a folder (`zicht.transcripts.annotated`), and the
keyed hashes of a profile use a secret made for this run only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zicht.pipeline.steps import QUIET, Steps

if TYPE_CHECKING:
    from zicht.coding.measure import Measured, ScreeningScore
    from zicht.privacy.evaluate import Recall
    from zicht.transcripts.annotated import AnnotatedText


@dataclass(frozen=True)
class Measurement:
    part: str
    texts: list[AnnotatedText]
    suggestions: Measured
    screening: ScreeningScore
    redaction: Recall


def measure(folder: Path, part: str, codebook_id: str = "nl-2020", steps: Steps = QUIET) -> Measurement:
    from zicht.codebook import load_codebook
    from zicht.coding.measure import in_part, measure_screening, measure_suggestions
    from zicht.coding.screen import screen
    from zicht.coding.suggest import suggest
    from zicht.knowledge.suggestion import suggestion_rules
    from zicht.privacy.evaluate import redaction_recall_of
    from zicht.transcripts.annotated import read_annotated

    codebook = load_codebook(codebook_id)
    texts = in_part(read_annotated(folder, codebook), part)
    secret = os.urandom(32)
    stated = [t for t in texts if t.conversation.flagged]  # what the researchers code: cases open for flagged chats
    steps.start(f"suggest codes for {len(stated)} texts", total=len(stated))
    suggestions = measure_suggestions(stated, codebook, lambda t: suggest([t.conversation], codebook, secret), steps.advance)
    steps.start("screen the unflagged texts")
    threshold = suggestion_rules().screening.likely_missed
    screening = measure_screening(texts, lambda t: screen([t.conversation], secret)[0].chance, threshold)
    steps.start("redact the texts")
    redaction = redaction_recall_of(texts)
    return Measurement(part, texts, suggestions, screening, redaction)


@dataclass(frozen=True)
class FittedScreening:
    """The screening's model fitted on the development part, and what it does there on chats it did not see."""

    texts: int
    intercept: float
    weights: dict[str, float]
    likely_missed: float  # chosen on the held-out chances of the unflagged texts
    held_out: ScreeningScore


def fit_screening(folder: Path, codebook_id: str = "nl-2020", steps: Steps = QUIET) -> FittedScreening:
    """Fit on every development text that states whether it is about trafficking; choose the
    threshold where at least 70% of the unflagged texts listed are, from each one's chance under a
    model fitted without it. The test part is never read."""
    from zicht.codebook import load_codebook
    from zicht.coding import screen
    from zicht.coding.measure import in_part, measure_screening
    from zicht.coding.suggest import said_about_trafficking
    from zicht.reading.profile import profile
    from zicht.transcripts.annotated import read_annotated

    texts = [t for t in in_part(read_annotated(folder, load_codebook(codebook_id)), "development") if t.stated("about_trafficking")]
    secret = os.urandom(32)
    steps.start(f"read {len(texts)} development texts", total=len(texts))
    examples = []
    for t in texts:
        read = profile(t.conversation, secret)
        examples.append(
            (
                screen.screening_features(read, said_about_trafficking([t.conversation], [read])),
                t.stated("about_trafficking")[0].value == "yes",
            ),
        )
        steps.advance()
    features = screen.screening_feature_names()
    steps.start("fit the screening, and each text without it")
    intercept, weights = screen.fit_screening(examples, features)
    chances = dict(zip((t.id for t in texts), screen.held_out_chances(examples, features), strict=True))
    unflagged = [t for t in texts if not t.conversation.flagged]
    threshold = screen.likely_missed_threshold(
        [chances[t.id] for t in unflagged], [t.stated("about_trafficking")[0].value == "yes" for t in unflagged]
    )
    return FittedScreening(len(texts), intercept, weights, threshold, measure_screening(unflagged, lambda t: chances[t.id], threshold))
