"""Scoring suggestions and screening against what annotated texts state."""

from __future__ import annotations

import datetime as dt

from zicht.codebook import load_codebook
from zicht.coding import Span, Suggestion
from zicht.coding.measure import ScreeningScore, measure_suggestions
from zicht.transcripts.annotated import AnnotatedText, StatedCode
from zicht.transcripts.model import Conversation, Message

BOOK = load_codebook("nl-2020")
AT = dt.datetime(2020, 1, 1)


def _text(text_id: str, *codes: tuple[str, object], flagged: bool = True) -> AnnotatedText:
    conversation = Conversation(text_id, text_id, "chat", AT, flagged, (Message(AT, "visitor", "..."),))
    return AnnotatedText(text_id, "test", "victim", conversation, tuple(StatedCode(v, x, "...") for v, x in codes), ())  # type: ignore[arg-type]


def test_each_answer_stated_is_one_code_and_a_suggestion_with_words_not_stated_is_counted_apart() -> None:
    text = _text("t1", ("about_trafficking", "yes"), ("coercion", "violence"), ("coercion", "sextortion"), ("victim_age", 15))
    said = (Span("t1", 0, 0, 3),)
    suggestions = {
        "about_trafficking": Suggestion("about_trafficking", "yes", 0.9, said),
        "coercion": Suggestion("coercion", frozenset({"violence", "living_in"}), 0.9, said),
        "victim_age": Suggestion("victim_age", 16, 0.9, said),
        "country": Suggestion("country", "nl", 0.5),  # a default: no words, not counted as a wrong code
    }
    m = measure_suggestions([text], BOOK, lambda _: suggestions)
    scores = {s.variable: (s.stated, s.right, s.unstated) for s in m.scores}
    assert scores == {"about_trafficking": (1, 1, 0), "coercion": (2, 1, 1), "victim_age": (1, 0, 1)}
    assert (m.stated, m.right, m.flagged, m.about_right) == (4, 2, 1, 1)
    assert sorted(m.misses) == [("t1", "coercion", "sextortion", "living_in,violence"), ("t1", "victim_age", "15", "16")]


def test_screening_is_read_from_the_top_recall_and_precision_above_the_threshold() -> None:
    ranked = [("a", 0.9, True), ("b", 0.8, False), ("c", 0.6, True), ("d", 0.5, True), ("e", 0.1, False)]
    score = ScreeningScore(ranked, 0.5)
    assert score.found() == (2, 3) and score.about == 3
    assert (score.recall, score.precision) == (2 / 3, 2 / 3)
    assert abs(score.average_precision - (1 / 1 + 2 / 3 + 3 / 4) / 3) < 1e-9  # type: ignore[operator]
