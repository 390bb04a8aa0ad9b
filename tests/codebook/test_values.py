"""One cell of a coded-cases file read as its variable's value, or refused naming the column and why."""

from __future__ import annotations

import datetime as dt

import pytest

from zicht.codebook import load_codebook
from zicht.codebook.values import parse_scalar
from zicht.errors import CellRefused

BOOK = load_codebook("nl-2020")


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", True), ("Ja", True), ("YES", True), ("true", True), ("0", False), ("Nee", False), ("NO", False), ("False", False)],
)
def test_a_flag_is_read_from_1_0_and_yes_no_in_either_language_and_any_case(text: str, value: bool) -> None:
    assert parse_scalar(BOOK["multiple_perpetrators"], text) is value


@pytest.mark.parametrize(
    ("variable", "text", "value"),
    [
        ("victim_age", "16", 16), ("victim_age", "16.0", 16), ("first_chat", "2020-11-10", dt.date(2020, 11, 10)),
        ("exploitation_start", "2020-07", dt.date(2020, 7, 1)), ("perpetrator", "partner", "partner"),
    ],
)  # fmt: skip
def test_a_cell_is_read_as_its_variables_value(variable: str, text: str, value: object) -> None:
    assert parse_scalar(BOOK[variable], text) == value


@pytest.mark.parametrize(
    ("variable", "text", "reason"),
    [
        ("multiple_perpetrators", "misschien", "expected 1 or 0, got 'misschien'"),
        ("victim_age", "zestien", "expected a whole number, got 'zestien'"),
        ("victim_age", "16.5", "expected a whole number, got '16.5'"),
        ("first_chat", "10-11-2020", "expected a date YYYY-MM-DD, got '10-11-2020'"),
        ("exploitation_start", "juli 2020", "expected a month YYYY-MM, got 'juli 2020'"),
        ("perpetrator", "vriendje", "unknown category 'vriendje' (known: "),
    ],
)
def test_a_refused_cell_names_its_column_and_says_what_was_expected(variable: str, text: str, reason: str) -> None:
    with pytest.raises(CellRefused) as refused:
        parse_scalar(BOOK[variable], text)
    assert refused.value.column == variable and refused.value.reason.startswith(reason)
