"""Agreement between two coders: the statistics a methods section reports, from well-kept packages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zicht.codebook import NOT_CODED, Value, load_codebook
from zicht.coding.agreement import agreement

BOOK = load_codebook("nl-2020")
GENDERS = st.sampled_from(["female", "male", "other", None])


def _pairs(first: list[object], second: list[object], variable: str = "victim_gender") -> list[tuple[str, dict, dict]]:
    governs = {"about_trafficking": "yes"}  # the variables tested here apply only then
    return [(f"V{i}", {**governs, variable: a}, {**governs, variable: b}) for i, (a, b) in enumerate(zip(first, second, strict=True))]


def _row(pairs: list, variable: str = "victim_gender"):  # type: ignore[no-untyped-def]
    table, disagreements = agreement(BOOK, pairs)
    return next(a for a in table if a.variable == variable), disagreements


def test_a_textbook_table_gives_kappa_and_alpha_of_0_4() -> None:
    # 50 cases: 20 both yes, 5 yes/no, 10 no/yes, 15 both no. p_o = .70, p_e = .50: kappa = .40;
    # Krippendorff's alpha (nominal): 1 - 99 * 30 / (2 * 55 * 45) = .40 as well.
    first = ["female"] * 25 + ["male"] * 25
    second = ["female"] * 20 + ["male"] * 5 + ["female"] * 10 + ["male"] * 15
    row, disagreements = _row(_pairs(first, second))
    assert row.n == 50 and row.percent == pytest.approx(0.70)
    assert row.kappa == pytest.approx(0.40) and row.alpha == pytest.approx(0.40)
    assert len(disagreements) == 15 and {d.case for d in disagreements} == {f"V{i}" for i in range(20, 35)}


@given(st.lists(st.tuples(GENDERS, GENDERS), min_size=2, max_size=60))
def test_the_order_of_the_coders_does_not_matter(pairs: list[tuple[object, object]]) -> None:
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    one, _ = _row(_pairs(first, second))
    other, _ = _row(_pairs(second, first))
    assert one.percent == pytest.approx(other.percent)
    assert (one.kappa is None) == (other.kappa is None) and (one.kappa is None or one.kappa == pytest.approx(other.kappa))
    assert (one.alpha is None) == (other.alpha is None) and (one.alpha is None or one.alpha == pytest.approx(other.alpha))


@given(st.lists(GENDERS, min_size=2, max_size=60))
def test_coders_who_agree_everywhere_agree_fully(values: list[object]) -> None:
    row, disagreements = _row(_pairs(values, values))
    assert row.percent == 1.0 and disagreements == []
    if len(set(values)) > 1:
        assert row.kappa == pytest.approx(1.0) and row.alpha == pytest.approx(1.0)
    else:
        assert row.kappa is None and row.alpha is None  # one value throughout: undefined, not 1


def test_only_cases_both_coded_count_and_unknown_is_a_value() -> None:
    pairs = _pairs(["female", NOT_CODED, None, None], ["female", "male", None, "female"])
    row, disagreements = _row(pairs)
    assert row.n == 3 and row.percent == pytest.approx(2 / 3)
    assert [(d.case, d.first, d.second) for d in disagreements] == [("V3", None, "female")]


def test_a_multiple_response_answer_agrees_only_as_the_same_combination() -> None:
    pairs = _pairs(
        [frozenset({"violence", "sextortion"}), frozenset({"violence"})], [frozenset({"sextortion", "violence"}), frozenset()], "coercion"
    )
    row, disagreements = _row(pairs, "coercion")
    assert row.percent == 0.5 and [d.case for d in disagreements] == ["V1"]


def _coded(**given: Value) -> dict[str, Value]:
    """A coder's values as the blind form saves them: every variable coded, unknown unless given."""
    return {v.id: given.get(v.id) for v in BOOK}


def test_a_variable_counts_only_where_it_applies_for_both_coders() -> None:
    # Both coders say the help request is not about trafficking: nearly everything else does not apply.
    no = _coded(about_trafficking="no", not_trafficking_reason="sex_work", channel="fier")
    table, disagreements = agreement(BOOK, [(f"V{i}", no, no) for i in range(3)])
    rows = {a.variable: a for a in table}
    assert (rows["about_trafficking"].n, rows["about_trafficking"].percent) == (3, 1.0)
    assert (rows["not_trafficking_reason"].n, rows["channel"].n) == (3, 3)
    for variable in ("victim_gender", "form", "criminal_acts", "family_perpetrator", "corona_themes"):
        row = rows[variable]
        assert (row.n, row.percent, row.kappa, row.alpha) == (0, None, None, None), variable
    assert disagreements == []


def test_a_case_where_the_coders_differ_on_what_governs_a_variable_leaves_it_out() -> None:
    yes = _coded(about_trafficking="yes", victim_gender="female", perpetrator="family", family_perpetrator="father")
    other = _coded(about_trafficking="yes", victim_gender="female", perpetrator="partner")
    no = _coded(about_trafficking="no")
    table, disagreements = agreement(BOOK, [("V0", yes, no), ("V1", yes, yes), ("V2", yes, other)])
    rows = {a.variable: a for a in table}
    assert rows["about_trafficking"].n == 3 and rows["about_trafficking"].percent == pytest.approx(2 / 3)
    assert (rows["victim_gender"].n, rows["victim_gender"].percent) == (2, 1.0)
    assert (rows["perpetrator"].n, rows["perpetrator"].percent) == (2, 0.5)
    assert (rows["family_perpetrator"].n, rows["family_perpetrator"].percent) == (1, 1.0)
    assert sorted((d.case, d.variable) for d in disagreements) == [("V0", "about_trafficking"), ("V2", "perpetrator")]


def test_nothing_coded_is_no_agreement() -> None:
    nothing = dict.fromkeys((v.id for v in BOOK), NOT_CODED)
    table, disagreements = agreement(BOOK, [("V0", nothing, nothing), ("V1", {}, {})])
    assert all((a.n, a.percent, a.kappa, a.alpha) == (0, None, None, None) for a in table) and disagreements == []
    # a governing variable not coded yet: what depends on it does not apply yet, whatever was saved
    unknown = {**nothing, "victim_gender": None}
    row, _ = _row([("V0", unknown, unknown)])
    assert (row.n, row.percent) == (0, None)
