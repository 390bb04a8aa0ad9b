"""The monitor definition is data; mistakes in it are reported with their place, all at once."""

from __future__ import annotations

from importlib import resources

import pytest

from zicht.analysis import builtin_definition
from zicht.analysis.definition import parse_definition
from zicht.codebook import load_codebook
from zicht.errors import CodebookError

BOOK = load_codebook("nl-2020")


def _builtin_text() -> str:
    return (resources.files("zicht.analysis") / "data" / "monitor-nl-2020.yaml").read_text("utf-8")


def test_the_builtin_definition_covers_every_categorical_variable() -> None:
    definition = builtin_definition("nl-2020")
    tabulated = {t.variable for t in definition.tables if t.population == "all"}
    categorical = {v.id for v in BOOK if v.type in ("one", "many", "flag")}
    assert categorical <= tabulated


def test_a_renamed_category_is_an_error_with_its_place_not_a_silent_zero() -> None:
    text = _builtin_text().replace("{variable: visitor_role, equals: victim}", "{variable: visitor_role, equals: slachtoffer}", 1)
    text = text.replace("rows: duration,", "rows: duur,", 1)
    with pytest.raises(CodebookError) as e:
        parse_definition(text, "monitor.yaml", BOOK)
    message = str(e.value)
    assert "monitor.yaml: populations.victims_self.where[0]: visitor_role has no category 'slachtoffer'" in message
    assert "unknown variable 'duur'" in message, "every problem at once"


def test_a_definition_for_another_codebook_is_refused() -> None:
    with pytest.raises(CodebookError, match="the data are coded with 'nl-2019'"):
        parse_definition(_builtin_text(), "monitor.yaml", load_codebook("nl-2019"))
