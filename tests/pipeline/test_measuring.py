"""Measuring on the external corpus: what is fitted on it comes from its development part alone."""

from __future__ import annotations

import hashlib
from pathlib import Path

from zicht.knowledge.suggestion import suggestion_rules
from zicht.pipeline.measuring import fit_screening

EXTERNAL = Path(__file__).parents[1] / "data" / "external"


def test_the_shipped_screening_model_is_the_one_fitted_on_the_development_part_alone() -> None:
    """The weights and threshold in suggest-nl.yaml come from `zicht measure --fit-screening`: no test text shaped them."""
    fitted = fit_screening(EXTERNAL)
    shipped = suggestion_rules().screening
    development = [f for f in EXTERNAL.glob("*/*.yaml") if int(hashlib.sha256(f.stem.encode()).hexdigest(), 16) % 5 >= 2]
    assert fitted.texts == len(development) > 100, "every development text, and no test text"
    assert round(fitted.intercept, 2) == shipped.intercept
    assert {name: round(w, 2) for name, w in fitted.weights.items()} == dict(shipped.weights)
    assert round(fitted.likely_missed, 2) == shipped.likely_missed
