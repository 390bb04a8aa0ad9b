"""Coded files written by hand from docs/formats.md (not by zicht's writers), read as that document says.

`tests/data/golden/coded-2020.csv` has seven visitors: a victim coded in full, a chat not about
trafficking with the 0s SPSS users write where nothing applies, a case migrated from nl-2019 with
`not_coded` in every column of the variables 2020 added, a partly filled multi-answer row, ages on
and past both ends of the codebook's range 0-99, and a case with nothing but its subject.
The .sav is written with pyreadstat itself, as SPSS would save it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from zicht.codebook import NOT_CODED, CodedCase, columns, load_codebook
from zicht.errors import Problem
from zicht.transcripts import read_coded

BOOK = load_codebook("nl-2020")
GOLDEN = Path(__file__).parents[1] / "data" / "golden" / "coded-2020.csv"


def _read(path: Path) -> tuple[dict[str, CodedCase], list[Problem]]:
    items = list(read_coded(path, BOOK))
    problems = [i for i in items if isinstance(i, Problem)]
    cases = {case.visitor_id: case for _, case in (i for i in items if not isinstance(i, Problem))}
    return cases, problems


@pytest.fixture(scope="module")
def golden() -> tuple[dict[str, CodedCase], list[Problem]]:
    return _read(GOLDEN)


def test_a_victim_coded_in_full_reads_as_written(golden: tuple[dict[str, CodedCase], list[Problem]]) -> None:
    case = golden[0]["V-1"]
    assert case.conversation_ids == ("C-1", "C-2")
    v = case.values
    assert (v["channel"], v["first_chat"], v["about_trafficking"], v["visitor_role"]) == ("fier", dt.date(2020, 3, 14), "yes", "victim")
    assert v["form"] == frozenset({"sexual"})
    assert (v["victim_gender"], v["victim_age"], v["duration"]) == ("female", 16, "3_12m")
    assert v["exploitation_start"] == dt.date(2019, 11, 1)
    assert v["coercion"] == frozenset({"violence"})
    assert v["platform"] == frozenset({"snapchat"})
    assert v["sexual_modality"] == frozenset({"physical"})
    assert v["multiple_perpetrators"] is False and v["corona_link"] is False
    assert v["other_victims"] is None, "an empty cell is unknown / not mentioned"
    assert v["criminal_acts"] is None, "no criminal form: empty, not applicable"
    assert v["acute_unsafe"] is None


def test_zeros_where_nothing_applies_read_as_not_applicable(golden: tuple[dict[str, CodedCase], list[Problem]]) -> None:
    v = golden[0]["V-2"].values
    assert (v["about_trafficking"], v["not_trafficking_reason"]) == ("no", "sextortion")
    assert v["coercion"] is None and v["criminal_acts"] is None and v["multiple_perpetrators"] is None


def test_not_coded_stays_apart_from_unknown(golden: tuple[dict[str, CodedCase], list[Problem]]) -> None:
    v = golden[0]["V-3"].values
    assert v["first_disclosure"] is NOT_CODED and v["meeting"] is NOT_CODED and v["platform"] is NOT_CODED
    assert v["told_before"] is NOT_CODED
    assert v["form"] == frozenset({"criminal"}) and v["criminal_acts"] == frozenset({"drugs"})
    assert v["victim_age"] == 99, "the top of the range 0-99 is a valid age"


def test_an_empty_multi_answer_variable_is_unknown_not_none_named(golden: tuple[dict[str, CodedCase], list[Problem]]) -> None:
    v = golden[0]["V-7"].values
    assert v["coercion"] is None and v["form"] is None and v["platform"] is None
    assert v["victim_age"] is None


def test_a_partly_filled_row_and_ages_outside_the_range_are_refused_by_line_and_column(
    golden: tuple[dict[str, CodedCase], list[Problem]],
) -> None:
    cases, problems = golden
    assert sorted(cases) == ["V-1", "V-2", "V-3", "V-7"]
    by_line = {p.line: p for p in problems}
    assert sorted(by_line) == [5, 6, 7]
    assert by_line[5].field == "coercion.sextortion" and "empty, while other columns of coercion are filled" in by_line[5].reason
    assert by_line[6].field == "victim_age" and "100 is outside 0-99" in by_line[6].reason
    assert by_line[7].field == "victim_age" and "-1 is outside 0-99" in by_line[7].reason


def test_a_sav_as_spss_saves_it_reads_as_the_csv(tmp_path: Path) -> None:
    """Category numbers 1..k in codebook order, 0/1 dichotomies, -9 for not coded, system-missing for unknown."""
    frame = pd.read_csv(GOLDEN, dtype=str, keep_default_na=False).iloc[[0, 2]]  # V-1 and V-3: the two whole rows
    numbered: dict[str, list[float]] = {}
    for column in columns(BOOK):
        variable = BOOK[column.split(".")[0]]
        cells = list(frame[column])
        if variable.type == "one":
            numbered[column] = [
                -9.0 if c == "not_coded" else float(variable.category_ids.index(c) + 1) if c else float("nan") for c in cells
            ]
        elif variable.type in ("many", "flag", "integer"):
            numbered[column] = [-9.0 if c == "not_coded" else float(c) if c else float("nan") for c in cells]
    data = pd.DataFrame({"visitor_id": list(frame["visitor_id"]), "conversation_ids": list(frame["conversation_ids"]), **numbered})
    data["first_chat"] = pd.to_datetime(frame["first_chat"]).dt.date.to_list()
    data["exploitation_start"] = [c or None for c in frame["exploitation_start"]]
    path = tmp_path / "coded-2020.sav"
    missing = {c: [-9] for c in numbered}
    pyreadstat.write_sav(data, str(path), missing_ranges=missing)
    cases, problems = _read(path)
    assert problems == []
    assert cases["V-1"].values == _read(GOLDEN)[0]["V-1"].values
    assert cases["V-3"].values == _read(GOLDEN)[0]["V-3"].values
