"""The estimate of the trafficking chats nobody recognised: right on known counts, and its interval honest on simulated years."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.analysis.recapture import chapman


def test_chapmans_total_for_two_detectors_that_each_found_half() -> None:
    estimate = chapman(100, 100, 50)
    assert estimate.total == pytest.approx(101 * 101 / 51 - 1)
    assert estimate.seen == 150 and estimate.coverage == pytest.approx(100 / estimate.total)
    assert 150 < estimate.low < estimate.total < estimate.high


@given(st.integers(0, 2000), st.integers(0, 2000), st.data())
def test_the_interval_holds_the_estimate_and_never_reaches_below_the_chats_seen(first: int, second: int, data: st.DataObject) -> None:
    both = data.draw(st.integers(0, min(first, second)))
    estimate = chapman(first, second, both)
    assert estimate.seen <= estimate.low <= estimate.total <= estimate.high


def test_when_one_detector_found_all_the_other_did_nothing_points_to_more() -> None:
    estimate = chapman(80, 30, 30)
    assert (estimate.total, estimate.low, estimate.high) == (80, 80, 80)


@pytest.mark.parametrize(("first", "second", "both"), [(10, 5, 6), (-1, 4, 0), (3, 3, -1)])
def test_counts_no_two_detectors_give_are_refused(first: int, second: int, both: int) -> None:
    with pytest.raises(ValueError, match="cannot find"):
        chapman(first, second, both)


def test_on_simulated_years_the_interval_covers_the_true_number_about_95_times_in_100() -> None:
    """400 trafficking chats a year; the counsellor flags 70% of them, the screening finds 50%, independently."""
    rng, true, runs = random.Random(7), 400, 600
    covered = 0
    for _ in range(runs):
        flagged = [rng.random() < 0.7 for _ in range(true)]
        screened = [rng.random() < 0.5 for _ in range(true)]
        estimate = chapman(sum(flagged), sum(screened), sum(f and s for f, s in zip(flagged, screened, strict=True)))
        covered += estimate.low <= true <= estimate.high
    assert 0.92 <= covered / runs <= 0.98
