"""`zicht measure`: the figures docs/suggestions.md claims on the external test part, as numbers."""

from __future__ import annotations

import re
from pathlib import Path

from .test_demo import _run

EXTERNAL = Path(__file__).parents[1] / "data" / "external"


def test_the_external_test_part_is_read_as_the_docs_say() -> None:
    """Regression guard on texts zicht did not write (docs/suggestions.md, measured 2026-12-07, third session)."""
    measured = _run("measure", EXTERNAL, "--part", "test")
    assert measured.returncode == 0, measured.stderr
    out = " ".join(measured.stdout.split())
    stated, right = map(int, re.search(r"Of the (\d+) stated codes, (\d+) were suggested right", out).groups())  # type: ignore[union-attr]
    assert stated == 978 and right >= 646, "docs: 646 of the 978 stated codes"
    about, flagged = map(int, re.search(r"About trafficking or not: right on (\d+) of (\d+) flagged texts", out).groups())  # type: ignore[union-attr]
    assert flagged == 83 and about >= 81, "docs: 81 of 83"
    recall, precision = map(float, re.search(r"recall ([\d.]+), precision ([\d.]+)", out).groups())  # type: ignore[union-attr]
    assert recall >= 0.75 and precision >= 0.82, "docs: screening recall 0.75 at precision 0.83 (chance > 0.63)"
    ranking = float(re.search(r"the ranking's average precision (\d\.\d+)", out).group(1))  # type: ignore[union-attr]
    assert ranking >= 0.90, "docs: the ranking's average precision 0.91"
    hidden, listed = map(int, re.search(r"Redacted: (\d+) of (\d+) identifiers", out).groups())  # type: ignore[union-attr]
    assert listed == 639 and hidden >= 598, "docs: 598 of 639 identifiers, each a whole word"
    over, words = map(int, re.search(r"Ordinary words redacted: (\d+) of (\d+)", out).groups())  # type: ignore[union-attr]
    assert over <= 0.02 * words, "docs: at most 2% of ordinary words redacted (0.6% measured)"


def test_a_folder_without_annotated_texts_is_refused_in_words(tmp_path: Path) -> None:
    measured = _run("measure", tmp_path)
    assert measured.returncode != 0 and "no annotated texts" in measured.stderr and "Traceback" not in measured.stderr
