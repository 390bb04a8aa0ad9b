"""Scoring suggestions against the researchers' codes: macro-F1 per variable, exact numbers, untouched fields."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zicht.codebook import CodedCase, load_codebook
from zicht.coding.evaluate import field_scores

BOOK = load_codebook("nl-2020")
ROLES = list(BOOK["visitor_role"].category_ids)


def _case(i: int, **values: object) -> CodedCase:
    return CodedCase(f"V{i}", BOOK.id, dict(values), (f"C{i}",))  # type: ignore[arg-type]


def _score(coded: list[CodedCase], suggested: list[CodedCase], variable: str) -> tuple[float | None, float]:
    s = next(s for s in field_scores(coded, {c.visitor_id: c for c in suggested}, BOOK) if s.variable == variable)
    return s.score, s.untouched


def test_a_rare_category_weighs_as_much_as_a_common_one() -> None:
    coded = [_case(i, visitor_role="victim") for i in range(9)] + [_case(9, visitor_role="client")]
    all_victim = [_case(i, visitor_role="victim") for i in range(10)]
    score, untouched = _score(coded, all_victim, "visitor_role")
    assert untouched == 0.9
    assert score is not None and abs(score - (2 * 9 / (2 * 9 + 1) + 0.0) / 2) < 1e-9, "victim F1 0.95, client F1 0: macro 0.47"


def test_an_age_is_scored_only_where_the_researchers_coded_one() -> None:
    coded = [_case(0, victim_age=15), _case(1, victim_age=None), _case(2, victim_age=17)]
    suggested = [_case(0, victim_age=15), _case(1, victim_age=14), _case(2, victim_age=None)]
    score, untouched = _score(coded, suggested, "victim_age")
    assert (score, untouched) == (0.5, 1 / 3)


@given(st.lists(st.sampled_from([*ROLES, None]), min_size=1, max_size=30))
def test_suggestions_equal_to_the_codes_score_one_and_leave_every_field_untouched(roles: list[str | None]) -> None:
    coded = [_case(i, visitor_role=r) for i, r in enumerate(roles)]
    score, untouched = _score(coded, coded, "visitor_role")
    assert untouched == 1.0
    assert score == (None if all(r is None for r in roles) else 1.0)
