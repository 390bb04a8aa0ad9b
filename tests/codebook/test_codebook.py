from __future__ import annotations

import datetime as dt

import pytest

from zicht.codebook import (
    NOT_CODED,
    builtin_ids,
    check_values,
    from_row,
    load_codebook,
    migrate_values,
    parse_codebook,
    to_row,
)
from zicht.errors import CodebookError, MigrationError
from zicht.synth import generate


def test_both_codebooks_ship_and_load() -> None:
    assert {"nl-2019", "nl-2020"} <= set(builtin_ids())
    new = load_codebook("nl-2020")
    assert new["coercion"].category("violence").label == "Geweld"
    assert "gedwongen" in new["visitor_role"].category("victim").definition


def test_2019_lacks_what_2020_added() -> None:
    old, new = load_codebook("nl-2019"), load_codebook("nl-2020")
    added = {v.id for v in new} - {v.id for v in old}
    assert added == {"first_disclosure", "told_before", "meeting", "platform"}
    assert old["victim_age"].applies_when.variable == "visitor_role"  # 2019: only for victims


def test_applicability_follows_the_codebook() -> None:
    cb = load_codebook("nl-2020")
    values = {
        "about_trafficking": "yes",
        "form": frozenset({"sexual"}),
        "criminal_acts": frozenset({"drugs"}),
    }
    assert check_values(cb, values) == [("criminal_acts", "coded, but applies only when form includes criminal")]
    values["form"] = frozenset({"sexual", "criminal"})
    assert check_values(cb, values) == []


def test_a_problem_says_its_kind_so_nobody_reads_its_text_for_it() -> None:
    cb = load_codebook("nl-2020")
    values = {"about_trafficking": "yes", "form": frozenset({"sexual", "magic"}), "criminal_acts": frozenset({"drugs"})}
    assert [(p.column, p.kind) for p in check_values(cb, values)] == [("form", "invalid"), ("criminal_acts", "not_applicable")]
    row = to_row(cb, {"form": frozenset({"sexual"})}) | {"visitor_role": "nobody"}
    assert {p.kind for p in from_row(cb, row)[1]} == {"invalid"}


BAD = [
    (
        "variables:\n  - {id: a, label: A, type: one, categories: [{id: x, lable: X}]}",
        "variables.a.categories[0]: unknown key 'lable'",
    ),
    ("variables:\n  - {id: a, label: A, type: colour}", "variables.a.type: 'colour' is not one of"),
    (
        "variables:\n  - {id: a, label: A, type: one}",
        "variables.a: a 'one' variable needs categories",
    ),
    (
        "variables:\n  - {id: a, label: A, type: flag, missing: sometimes}",
        "variables.a.missing: 'sometimes'",
    ),
    (
        "variables:\n  - {id: a, label: A, type: flag, applies_when: {variable: b, equals: x}}",
        "variables.a.applies_when: unknown variable 'b'",
    ),
    (
        "variables:\n  - {id: a, label: A, type: one, categories: [{id: x, label: X}, {id: x, label: Y}]}",
        "category id 'x' occurs twice",
    ),
    ("variables: [\n", "not valid YAML"),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_an_invalid_codebook_names_file_variable_and_problem(body: str, message: str) -> None:
    with pytest.raises(CodebookError) as e:
        parse_codebook(f"id: t\ntitle: T\n{body}", "test.yaml")
    assert str(e.value).startswith("test.yaml: ")
    assert message in str(e.value)


def test_every_problem_is_reported_at_once() -> None:
    body = "variables:\n  - {id: a, label: A, type: colour}\n  - {id: b, type: one}"
    with pytest.raises(CodebookError) as e:
        parse_codebook(f"id: t\ntitle: T\n{body}", "two.yaml")
    assert len(str(e.value).splitlines()) == 3  # bad type, missing label, no categories


def test_migration_leaves_added_variables_not_coded_and_keeps_unknown_apart() -> None:
    old, new = load_codebook("nl-2019"), load_codebook("nl-2020")
    values = {
        "about_trafficking": "yes",
        "visitor_role": "family",
        "form": frozenset({"sexual"}),
        "perpetrator": None,
        "first_chat": dt.date(2019, 5, 1),
    }
    migrated = migrate_values(values, old, new)
    assert migrated["meeting"] is NOT_CODED
    assert migrated["victim_age"] is NOT_CODED  # 2019 did not code it for chats by family
    assert migrated["perpetrator"] is None  # coded as unknown stays unknown
    assert migrated["first_disclosure"] is None  # does not apply to a family member
    assert migrated["told_before"] is None  # its condition does not apply either
    assert migrated["platform"] is NOT_CODED  # may apply once meeting is coded
    with pytest.raises(MigrationError):
        migrate_values(values, new, old)


def test_coded_cases_survive_the_csv_cells() -> None:
    cb = load_codebook("nl-2020")
    for case in generate(2020, 3).cases:
        values, problems = from_row(cb, to_row(cb, case.values))
        assert problems == []
        assert values == dict(case.values)
    not_coded = to_row(cb, {"meeting": NOT_CODED})
    assert from_row(cb, not_coded)[0]["meeting"] is NOT_CODED
