"""The coded-cases CSV and .sav files: what zicht writes reads back, and what SPSS users write is read as they mean it."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zicht.codebook import NOT_CODED, NOT_CODED_MARK, CodedCase, Value, Variable, columns, load_codebook, to_row
from zicht.codebook.values import variable_columns
from zicht.errors import Problem
from zicht.synth import generate
from zicht.transcripts import read_coded, write_coded_csv, write_coded_sav

BOOK = load_codebook("nl-2020")
_SYNTHETIC = generate(2020, 0).cases[:40]
COLUMNS = columns(BOOK)
NOT_TRAFFICKING: dict[str, Value] = {"channel": "fier", "about_trafficking": "no", "not_trafficking_reason": "other"}
SEXUAL_ONLY: dict[str, Value] = {"channel": "csg", "about_trafficking": "yes", "form": frozenset({"sexual"})}


def _values(**given: Value) -> dict[str, Value]:
    return {v.id: given.get(v.id) for v in BOOK}


def _read(path: Path) -> tuple[dict[str, CodedCase], list[Problem]]:
    items = list(read_coded(path, BOOK))
    problems = [i for i in items if isinstance(i, Problem)]
    cases = {case.visitor_id: case for _, case in (i for i in items if not isinstance(i, Problem))}
    return cases, problems


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["visitor_id", "conversation_ids", *COLUMNS])
        for i, row in enumerate(rows):
            writer.writerow([f"V{i}", row.get("conversation_ids", ""), *(row[c] for c in COLUMNS)])
    return path


def _sav_number(variable: Variable, text: str) -> float:
    if not text:
        return math.nan
    if text == NOT_CODED_MARK:
        return -9.0
    if variable.type == "one":
        return float(variable.category_ids.index(text) + 1)
    return float(text)


def _write_sav(path: Path, rows: list[dict[str, str]], **override: Any) -> Path:
    """A .sav file as SPSS users make one: numbers as floats, empty cells system-missing (NaN)."""
    import pandas as pd
    import pyreadstat

    records = []
    for i, row in enumerate(rows):
        record: dict[str, Any] = {"visitor_id": f"V{i}", "conversation_ids": row.get("conversation_ids", "")}
        for variable in BOOK:
            for col in variable_columns(variable):
                text = row.get(col, "")
                textual = variable.type in ("date", "month")
                record[col] = text if textual else _sav_number(variable, text)
        records.append(record | override)
    pyreadstat.write_sav(pd.DataFrame.from_records(records), str(path))
    return path


def _zeros_where_empty(row: dict[str, str], variable_ids: list[str]) -> dict[str, str]:
    return row | {c: "0" for v in variable_ids for c in variable_columns(BOOK[v]) if not row[c]}


MANY_NOT_APPLYING = ["form", "sibling_victims", "coercion", "told_before", "platform", "criminal_acts", "sexual_modality", "corona_themes"]
FLAGS_NOT_APPLYING = ["multiple_perpetrators", "other_victims", "corona_link"]


@pytest.mark.parametrize("suffix", [".csv", ".sav"])
def test_zeros_where_a_multi_answer_variable_does_not_apply_read_as_not_applicable(tmp_path: Path, suffix: str) -> None:
    write = _write_csv if suffix == ".csv" else _write_sav
    not_trafficking = _zeros_where_empty(to_row(BOOK, _values(**NOT_TRAFFICKING)), MANY_NOT_APPLYING + FLAGS_NOT_APPLYING)
    sexual_only = _zeros_where_empty(to_row(BOOK, _values(**SEXUAL_ONLY)), ["criminal_acts", "told_before"])
    partly = to_row(BOOK, _values(**SEXUAL_ONLY)) | {"criminal_acts.drugs": "0", "criminal_acts.other": "0"}
    cases, problems = _read(write(tmp_path / f"coded{suffix}", [not_trafficking, sexual_only, partly]))
    assert problems == []
    assert dict(cases["V0"].values) == _values(**NOT_TRAFFICKING)
    assert dict(cases["V1"].values) == _values(**SEXUAL_ONLY)
    assert dict(cases["V2"].values) == _values(**SEXUAL_ONLY)


@pytest.mark.parametrize("suffix", [".csv", ".sav"])
def test_a_one_where_a_multi_answer_variable_does_not_apply_is_refused_naming_its_columns(tmp_path: Path, suffix: str) -> None:
    write = _write_csv if suffix == ".csv" else _write_sav
    row = _zeros_where_empty(to_row(BOOK, _values(**SEXUAL_ONLY)), ["criminal_acts"])
    one = row | {"criminal_acts.theft": "1"}
    two = row | {"criminal_acts.drugs": "1", "criminal_acts.other": "1"}
    _, problems = _read(write(tmp_path / f"coded{suffix}", [one, two]))
    assert [(p.line, p.field) for p in problems] == [(2, "criminal_acts.theft"), (3, "criminal_acts.drugs,criminal_acts.other")]
    assert all(p.reason == "criminal_acts coded, but applies only when form includes criminal" for p in problems)


def _row(**given: Value) -> dict[str, str]:
    return to_row(BOOK, _values(**given))


# a bad cell: (the cells that differ from a good row, the field named, words the reason has)
BAD_CELLS = {
    "unknown category": ({"channel": "msn"}, "channel", "unknown category 'msn' (known: fier, csg)"),
    "age out of range": (_row(**SEXUAL_ONLY) | {"victim_age": "140"}, "victim_age", "140 is outside 0-99"),
    "not a dichotomy": ({"coercion.violence": "2"}, "coercion.violence", "expected 0 or 1, got '2'"),
    "a single variable that does not apply": (
        _row(**NOT_TRAFFICKING) | {"visitor_role": "victim"},
        "visitor_role",
        "coded, but applies only when about_trafficking is yes",
    ),
    "a flag that is 1 where it does not apply": (
        _row(**NOT_TRAFFICKING) | {"corona_link": "1"},
        "corona_link",
        "coded, but applies only when about_trafficking is yes",
    ),
    "a multi variable whose flag is 0": (
        _row(**SEXUAL_ONLY, other_victims=False) | {"sibling_victims.sister": "1", "sibling_victims.brother": "0"},
        "sibling_victims.sister",
        "sibling_victims coded, but applies only when other_victims is 1",
    ),
    "some columns empty where it applies": (
        _row(**SEXUAL_ONLY) | {"coercion.violence": "1", "coercion.sextortion": "0"},
        ",".join(c for c in variable_columns(BOOK["coercion"]) if c not in ("coercion.violence", "coercion.sextortion")),
        "empty, while other columns of coercion are filled",
    ),
    "some columns not coded": (
        _zeros_where_empty(_row(**SEXUAL_ONLY), ["coercion"]) | {"coercion.violence": "not_coded"},
        "coercion.violence",
        "not coded, unlike the other columns of coercion",
    ),
}


@pytest.mark.parametrize("case", BAD_CELLS)
def test_every_problem_of_a_coded_file_names_its_column_in_plain_words(tmp_path: Path, case: str) -> None:
    cells, field, reason = BAD_CELLS[case]
    _, problems = _read(_write_csv(tmp_path / "coded.csv", [_row(channel="fier") | cells]))
    assert [(p.line, p.field, p.reason) for p in problems] == [(2, field, reason)]


def test_a_column_named_twice_is_refused_not_read_from_its_last_copy(tmp_path: Path) -> None:
    header = ["visitor_id", *COLUMNS, "channel"]
    path = tmp_path / "coded.csv"
    path.write_text(",".join(header) + "\n" + ",".join(["V1", *_row(channel="fier").values(), "csg"]) + "\n", "utf-8")
    cases, problems = _read(path)
    assert cases == {}
    assert [(p.line, p.field, p.reason) for p in problems] == [(1, "channel", "column(s) channel named twice")]


@pytest.mark.parametrize(
    ("cell", "field", "reason"),
    [
        ("fier", None, None),  # a string column of category ids reads as those ids
        ("msn", "channel", "unknown category 'msn' (known: fier, csg)"),
        (1.6, "channel", "expected a code 1-2, got 1.6"),
        (3.0, "channel", "expected a code 1-2, got 3"),
    ],
)
def test_a_sav_category_is_a_code_or_an_id_never_a_truncated_number(
    tmp_path: Path, cell: object, field: str | None, reason: str | None
) -> None:
    cases, problems = _read(_write_sav(tmp_path / "coded.sav", [_row(channel="fier")], channel=cell))
    if reason is None:
        assert problems == [] and cases["V0"].values["channel"] == "fier"
    else:
        assert [(p.field, p.reason) for p in problems] == [(field, reason)]


def test_a_sav_month_written_as_an_spss_date_reads_as_its_month(tmp_path: Path) -> None:
    row = _row(**SEXUAL_ONLY)
    cases, problems = _read(_write_sav(tmp_path / "coded.sav", [row], exploitation_start=dt.date(2020, 3, 1)))
    assert problems == []
    assert cases["V0"].values["exploitation_start"] == dt.date(2020, 3, 1)


def _does_not_apply(variable: Variable, values: dict[str, Value]) -> bool:
    """Whether a code the variable depends on is given and rules it out (not coded yet rules nothing out)."""
    while (condition := variable.applies_when) is not None:
        if values[condition.variable] is not NOT_CODED and not condition.holds(values):
            return True
        variable = BOOK[condition.variable]
    return False


def _any_value(variable: Variable) -> st.SearchStrategy[Value]:
    if variable.type == "one":
        return st.sampled_from(variable.category_ids)
    if variable.type == "many":
        return st.frozensets(st.sampled_from(variable.category_ids))
    if variable.type == "integer":
        low, high = variable.range or (0, 99)
        return st.integers(low, high)
    if variable.type == "flag":
        return st.booleans()
    days = st.dates(dt.date(2015, 1, 1), dt.date(2021, 12, 31))
    return days.map(lambda d: d.replace(day=1)) if variable.type == "month" else days


@st.composite
def coded_cases(draw: st.DrawFn) -> list[CodedCase]:
    """Cases as the store holds them: a variable that does not apply is unknown (or not coded yet)."""
    cases = []
    for i in range(draw(st.integers(1, 3))):
        values: dict[str, Value] = {}
        for variable in BOOK:
            if _does_not_apply(variable, values):
                values[variable.id] = draw(st.sampled_from([None, NOT_CODED]))
            else:
                values[variable.id] = draw(st.none() | st.just(NOT_CODED) | _any_value(variable))
        ids = draw(st.lists(st.from_regex(r"C[0-9]{1,4}", fullmatch=True), max_size=2, unique=True))
        cases.append(CodedCase(f"V{i}", BOOK.id, values, tuple(ids)))
    return cases


@pytest.mark.parametrize("suffix", [".csv", ".sav"])
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(cases=coded_cases(), zeros=st.booleans())
def test_what_zicht_writes_reads_back_also_with_zeros_where_nothing_applies(
    tmp_path: Path, suffix: str, cases: list[CodedCase], zeros: bool
) -> None:
    path = tmp_path / f"coded{suffix}"
    if zeros:  # as SPSS users write it: 0 in every dichotomy (and flag) that does not apply
        rows = []
        for case in cases:
            row = to_row(BOOK, case.values) | {"conversation_ids": ";".join(case.conversation_ids)}
            unknown = [v.id for v in BOOK if v.type in ("many", "flag") and case.values[v.id] is None]
            rows.append(_zeros_where_empty(row, [v for v in unknown if _does_not_apply(BOOK[v], dict(case.values))]))
        (_write_csv if suffix == ".csv" else _write_sav)(path, rows)
    else:
        (write_coded_csv if suffix == ".csv" else write_coded_sav)(cases, BOOK, path)
    read, problems = _read(path)
    assert problems == []
    assert [read[c.visitor_id] for c in cases] == cases


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    separator=st.sampled_from([",", ";", "\t"]),
    cases=st.lists(st.sampled_from(_SYNTHETIC), min_size=1, max_size=6, unique_by=lambda c: c.visitor_id),
)
def test_a_coded_csv_reads_the_same_with_commas_semicolons_or_tabs(tmp_path: Path, separator: str, cases: list[CodedCase]) -> None:
    """Dutch Excel saves CSV with semicolons; a `;` inside conversation_ids is then quoted, as Excel does."""
    written = tmp_path / "written.csv"
    write_coded_csv(cases, BOOK, written)
    with written.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    saved = tmp_path / "saved.csv"
    with saved.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=separator).writerows(rows)
    assert [item for item in read_coded(saved, BOOK)] == [item for item in read_coded(written, BOOK)]


def test_a_file_with_its_own_column_names_reads_through_a_columns_map_and_its_problems_name_its_columns(tmp_path: Path) -> None:
    from zicht.transcripts.coded_files import read_columns_map

    case = _SYNTHETIC[0]
    written = tmp_path / "ours.csv"
    write_coded_csv([case], BOOK, written)
    theirs = {"visitor_id": "respondent", "victim_gender": "geslacht", "victim_age": "leeftijd"}
    header, row = written.read_text("utf-8").splitlines()
    dutch = tmp_path / "theirs.csv"
    dutch.write_text(",".join(theirs.get(c, c) for c in header.split(",")) + "\n" + row + "\n", "utf-8")
    columns_map = tmp_path / "map.yaml"
    columns_map.write_text("respondent: visitor_id\ngeslacht: victim_gender\nleeftijd: victim_age\n", "utf-8")
    renamed = read_columns_map(columns_map, BOOK)
    assert [c for _, c in read_coded(dutch, BOOK, renamed)] == [case]  # type: ignore[misc]
    unmapped = list(read_coded(dutch, BOOK))
    assert isinstance(unmapped[0], Problem) and "respondent" in unmapped[0].reason
    dutch.write_text(dutch.read_text("utf-8").replace(f",{case.values['victim_gender']},", ",vrouw,", 1), "utf-8")
    problem = next(p for p in read_coded(dutch, BOOK, renamed) if isinstance(p, Problem))
    assert problem.field == "geslacht (victim_gender)" and "vrouw" in problem.reason


@pytest.mark.parametrize(("text", "says"), [
    ("geslacht: gender\n", "geslacht: 'gender' is no column of codebook nl-2020"),
    ("a: victim_age\nb: victim_age\n", "b: 'victim_age' is named for two columns"),
    ("- victim_age\n", "must be a mapping"),
])  # fmt: skip
def test_a_wrong_columns_map_is_refused_with_its_place(tmp_path: Path, text: str, says: str) -> None:
    from zicht.errors import ZichtError
    from zicht.transcripts.coded_files import read_columns_map

    path = tmp_path / "map.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(ZichtError) as refused:
        read_columns_map(path, BOOK)
    assert says in str(refused.value) and str(path) in str(refused.value)
