"""`zicht measure`: the figures docs/suggestions.md claims on the external test part, as numbers."""

from __future__ import annotations

import re
from pathlib import Path

from .test_demo import _run

EXTERNAL = Path(__file__).parents[1] / "data" / "external"


def test_the_external_test_part_is_read_as_the_docs_say() -> None:
    """Regression guard on texts zicht did not write (docs/suggestions.md, measured 2026-12-06)."""
    measured = _run("measure", EXTERNAL, "--part", "test")
    assert measured.returncode == 0, measured.stderr
    out = " ".join(measured.stdout.split())
    stated, right = map(int, re.search(r"Van de (\d+) genoemde codes zijn er (\d+) goed voorgesteld", out).groups())  # type: ignore[union-attr]
    assert stated == 399 and right >= 238, "docs: 238 of the 399 stated codes"
    about, flagged = map(int, re.search(r"Over mensenhandel of niet: (\d+) van (\d+) gemarkeerde teksten goed", out).groups())  # type: ignore[union-attr]
    assert flagged == 38 and about >= 36, "docs: 36 of 38"
    recall, precision = map(float, re.search(r"recall ([\d.]+), precisie ([\d.]+)", out).groups())  # type: ignore[union-attr]
    assert recall >= 0.46 and precision >= 0.9, "docs: screening recall 0.46 at precision 1.00 (kans > 0.84)"
    ranking = float(re.search(r"gemiddelde precisie van de rangorde (\d\.\d+)", out).group(1))  # type: ignore[union-attr]
    assert ranking >= 0.8, "docs: the ranking's average precision 0.84"
    hidden, listed = map(int, re.search(r"Onherkenbaar gemaakt: (\d+) van (\d+) kenmerken", out).groups())  # type: ignore[union-attr]
    assert listed == 196 and hidden >= 178, "docs: 178 of 196 identifiers"
    over, words = map(int, re.search(r"Gewone woorden weggelakt: (\d+) van (\d+)", out).groups())  # type: ignore[union-attr]
    assert over <= 0.02 * words, "docs: at most 2% of ordinary words redacted (0.6% measured)"


def test_a_folder_without_annotated_texts_is_refused_in_words(tmp_path: Path) -> None:
    measured = _run("measure", tmp_path)
    assert measured.returncode != 0 and "no annotated texts" in measured.stderr and "Traceback" not in measured.stderr
