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

LIKELY_MISSED = 0.5  # an unflagged chat more likely about trafficking than not is listed for the researchers


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
    from zicht.privacy.evaluate import redaction_recall_of
    from zicht.transcripts.annotated import read_annotated

    codebook = load_codebook(codebook_id)
    texts = in_part(read_annotated(folder, codebook), part)
    secret = os.urandom(32)
    stated = [t for t in texts if t.conversation.flagged]  # what the researchers code: cases open for flagged chats
    steps.start(f"suggest codes for {len(stated)} texts", total=len(stated))
    suggestions = measure_suggestions(stated, codebook, lambda t: suggest([t.conversation], codebook, secret), steps.advance)
    steps.start("screen the unflagged texts")
    screening = measure_screening(texts, lambda t: screen([t.conversation], secret)[0].certainty, LIKELY_MISSED)
    steps.start("redact the texts")
    redaction = redaction_recall_of(texts)
    return Measurement(part, texts, suggestions, screening, redaction)
