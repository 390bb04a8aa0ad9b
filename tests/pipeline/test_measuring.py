"""Measuring on the external corpus: what is fitted on it comes from its development part alone."""

from __future__ import annotations

from pathlib import Path

from zicht.knowledge.suggestion import suggestion_rules
from zicht.pipeline.measuring import fit_screening

EXTERNAL = Path(__file__).parents[1] / "data" / "external"


def test_the_shipped_screening_model_is_the_one_fitted_on_the_development_part_alone() -> None:
    """The weights and threshold in suggest-nl.yaml come from `zicht measure --fit-screening`: no test text shaped them."""
    fitted = fit_screening(EXTERNAL)
    shipped = suggestion_rules().screening
    assert fitted.texts == 111
    assert round(fitted.intercept, 2) == shipped.intercept
    assert {name: round(w, 2) for name, w in fitted.weights.items()} == dict(shipped.weights)
    assert round(fitted.likely_missed, 2) == shipped.likely_missed
