"""Hostile codebooks: a clear CodebookError naming the file, never a crash or a hang."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import FUZZ, mutated

from zicht.codebook.load import parse_codebook
from zicht.errors import CodebookError

pytestmark = pytest.mark.fuzz
VALID = (resources.files("zicht.codebook") / "data" / "nl-2020.yaml").read_bytes()

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def _parse(text: str) -> None:
    try:
        parse_codebook(text, "fuzz.yaml")
    except CodebookError as e:
        assert str(e).startswith("fuzz.yaml")


@FUZZ
@given(data=st.data())
def test_a_mutated_codebook_is_read_or_refused_clearly(data: st.DataObject) -> None:
    _parse(data.draw(mutated(VALID)).decode("utf-8", errors="replace"))


@FUZZ
@given(st.text(max_size=400))
def test_any_text_is_read_or_refused_clearly(text: str) -> None:
    _parse(text)


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "id": yaml_values,
            "title": yaml_values,
            "variables": st.lists(yaml_values, max_size=3) | yaml_values,
            "minor_age": yaml_values,
        },
    )
)
def test_a_codebook_of_any_shape_is_read_or_refused_clearly(raw: dict[str, object]) -> None:
    import yaml

    _parse(yaml.safe_dump(raw, allow_unicode=True))


def test_a_billion_laughs_is_refused_at_once() -> None:
    """Nine levels of nine aliases each: 387 million strings if expanded; refused without expanding."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        name, below = chr(97 + i), chr(96 + i)
        levels.append(f"{name}: &{name} [{', '.join([f'*{below}'] * 9)}]")
    with pytest.raises(CodebookError):
        parse_codebook("\n".join(levels) + "\n", "laughs.yaml")
