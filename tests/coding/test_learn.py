"""The learned suggester learns from the researchers' codes what the rules do not know, and never undoes a rule."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from zicht.codebook import load_codebook
from zicht.coding.learn import load, save, suggest_learned, train
from zicht.errors import ZichtError
from zicht.synth import generate

BOOK = load_codebook("nl-2020")
PROFILE = importlib.import_module("zicht.reading.profile")  # the module; `zicht.reading.profile` the name is the function
SECRET = b"s" * 32


@pytest.fixture
def rules_without_sextortion(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules that do not know how a visitor tells of blackmail with images: a phrasing new to them."""
    words = PROFILE.lexicon().without("coercion", "sextortion")
    monkeypatch.setattr(PROFILE, "lexicon", lambda: words)


def _f1_sextortion(model: Any, year: int) -> float:
    corpus = generate(year, 1)
    chats = {c.id: c for c in corpus.flagged}
    tp = wrong = 0
    for case in corpus.cases:
        coded = "sextortion" in (case.values.get("coercion") or ())  # type: ignore[operator]
        suggestion = suggest_learned(model, [chats[i] for i in case.conversation_ids], BOOK, SECRET)["coercion"]
        found = "sextortion" in (suggestion.value or ())  # type: ignore[operator]
        assert not found or suggestion.reader == "learned", "the rules cannot read sextortion here: it says it was learned"
        tp += coded and found
        wrong += coded != found
    return 2 * tp / (2 * tp + wrong) if tp or wrong else 0.0


@pytest.mark.usefixtures("rules_without_sextortion")
def test_regression_guard_on_synthetic_chats_it_learns_what_the_rules_miss_and_gets_better_with_more_coded_cases() -> None:
    learn_from = generate(2019, 1)
    chats = {c.id: c for c in learn_from.flagged}
    few = train(learn_from.cases[:60], chats, BOOK, SECRET)
    many = train(learn_from.cases, chats, BOOK, SECRET)
    f1_few, f1_many = _f1_sextortion(few, 2020), _f1_sextortion(many, 2020)
    assert f1_many >= 0.75, f"sextortion learned from {many.cases} coded cases: F1 {f1_many:.2f}"
    assert f1_many > f1_few, f"more coded cases, better: {f1_few:.2f} → {f1_many:.2f}"


def test_where_a_rule_found_its_cue_the_rule_stands(tmp_path: Path) -> None:
    corpus = generate(2019, 1)
    chats = {c.id: c for c in corpus.flagged}
    model = train(corpus.cases, chats, BOOK, SECRET)
    from zicht.coding import suggest

    for case in corpus.cases[:60]:
        convs = [chats[i] for i in case.conversation_ids]
        rules, learned = suggest(convs, BOOK, SECRET), suggest_learned(model, convs, BOOK, SECRET)
        for variable, s in rules.items():
            found = learned[variable].value
            if s.confidence >= 0.72 and found is not None:
                if isinstance(s.value, frozenset):  # the model may add an answer the rules did not read, never drop one
                    assert isinstance(found, frozenset) and s.value <= found, variable
                else:
                    assert found == s.value, variable


def test_a_saved_model_loads_only_with_the_projects_secret(tmp_path: Path) -> None:
    corpus = generate(2019, 1)
    model = train(corpus.cases[:40], {c.id: c for c in corpus.flagged}, BOOK, SECRET)
    save(model, tmp_path / "suggester.model", SECRET)
    assert load(tmp_path / "suggester.model", SECRET).cases == model.cases
    with pytest.raises(ZichtError, match="not signed by this project"):
        load(tmp_path / "suggester.model", b"t" * 32)
