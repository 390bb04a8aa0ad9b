"""Load a YAML codebook into typed objects, reporting every problem with its location at once."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from zicht.codebook.model import (
    MISSING_RULES,
    VARIABLE_TYPES,
    Category,
    Codebook,
    Condition,
    Variable,
    VariableType,
)
from zicht.errors import CodebookError

_CODEBOOK_KEYS = {"id", "title", "language", "previous", "minor_age", "variables"}
_VARIABLE_KEYS = {
    "id", "label", "type", "missing", "lower_bound", "definition", "applies_when",
    "categories", "range", "none_named_counts_as", "added_in",
}  # fmt: skip
_CATEGORY_KEYS = {"id", "label", "definition", "min_years", "name"}
_CONDITION_KEYS = {"variable", "equals", "includes"}
_CATEGORICAL = ("one", "many")


@cache
def builtin_ids() -> tuple[str, ...]:
    """The codebooks that ship with zicht (listed once: the workbench's labels ask for a codebook per cell)."""
    data = resources.files("zicht.codebook") / "data"
    return tuple(sorted(p.name.removesuffix(".yaml") for p in data.iterdir() if p.name.endswith(".yaml")))


def load_codebook(name_or_path: str | Path) -> Codebook:
    """A built-in codebook by id (`nl-2020`) or a YAML file by path."""
    path = Path(name_or_path)
    if not path.suffix and str(name_or_path) in builtin_ids():
        return _builtin(str(name_or_path))
    try:
        text = path.read_text("utf-8")
    except OSError as e:
        known = ", ".join(builtin_ids())
        raise CodebookError(f"{path}: cannot read codebook ({e.strerror}); built-in: {known}") from None
    return parse_codebook(text, path.name)


@cache
def _builtin(name: str) -> Codebook:
    text = (resources.files("zicht.codebook") / "data" / f"{name}.yaml").read_text("utf-8")
    return parse_codebook(text, f"{name}.yaml")


def parse_codebook(text: str, source: str) -> Codebook:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CodebookError(f"{source}: not valid YAML: {e}") from None
    problems: list[str] = []
    codebook = _compile(raw, problems)
    if problems or codebook is None:
        raise CodebookError("\n".join(f"{source}: {p}" for p in problems))
    return codebook


def _compile(raw: Any, problems: list[str]) -> Codebook | None:
    if not isinstance(raw, dict):
        problems.append("the file must be a mapping with 'id', 'title' and 'variables'")
        return None
    _unknown_keys(raw, _CODEBOOK_KEYS, "", problems)
    for key in ("id", "title", "variables"):
        if key not in raw:
            problems.append(f"missing key '{key}'")
    raw_vars = raw.get("variables") or []
    if not isinstance(raw_vars, list):
        problems.append("variables: must be a list")
        return None
    variables = [v for i, r in enumerate(raw_vars) if (v := _variable(r, i, problems))]
    _check_references(variables, problems)
    minor_age = raw.get("minor_age", 18)
    if not isinstance(minor_age, int) or isinstance(minor_age, bool) or not 1 <= minor_age <= 30:
        problems.append(f"minor_age: must be a whole number of years, 1-30 (found {minor_age!r})")
    if raw.get("previous") is not None and not isinstance(raw.get("previous"), str):
        problems.append(f"previous: must be a codebook id (found {raw.get('previous')!r})")
    if problems:
        return None
    return Codebook(
        id=str(raw["id"]),
        title=str(raw["title"]),
        variables=tuple(variables),
        language=str(raw.get("language", "nl")),
        previous=raw.get("previous"),
        minor_age=minor_age,
    )


def _variable(raw: Any, index: int, problems: list[str]) -> Variable | None:
    where = f"variables[{index}]"
    if not isinstance(raw, dict) or "id" not in raw:
        problems.append(f"{where}: must be a mapping with an 'id'")
        return None
    where = f"variables.{raw['id']}"
    before = len(problems)
    _unknown_keys(raw, _VARIABLE_KEYS, where, problems)
    for key in ("label", "type"):
        if key not in raw:
            problems.append(f"{where}: missing key '{key}'")
    vtype = raw.get("type")
    if vtype is not None and vtype not in VARIABLE_TYPES:
        problems.append(f"{where}.type: {vtype!r} is not one of {', '.join(VARIABLE_TYPES)}")
    missing = raw.get("missing", "excluded")
    if missing not in MISSING_RULES:
        problems.append(f"{where}.missing: {missing!r} is not one of {', '.join(MISSING_RULES)}")
    categories = [c for i, r in enumerate(raw.get("categories") or []) if (c := _category(r, where, i, problems))]
    ids = [c.id for c in categories]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{where}.categories: category id '{dup}' occurs twice")
    if vtype in _CATEGORICAL and not categories:
        problems.append(f"{where}: a '{vtype}' variable needs categories")
    if vtype not in _CATEGORICAL and categories:
        problems.append(f"{where}: a '{vtype}' variable cannot have categories")
    value_range = raw.get("range")
    if value_range is not None and not (
        vtype == "integer"
        and isinstance(value_range, list)
        and len(value_range) == 2
        and all(isinstance(x, int) for x in value_range)
        and value_range[0] <= value_range[1]
    ):
        problems.append(f"{where}.range: must be [min, max] of whole numbers on an integer")
    condition = _condition(raw.get("applies_when"), where, problems)
    if len(problems) > before:
        return None
    return Variable(
        id=str(raw["id"]),
        label=str(raw["label"]),
        type=cast(VariableType, vtype),
        missing=missing,
        lower_bound=bool(raw.get("lower_bound", False)),
        definition=str(raw.get("definition", "")),
        applies_when=condition,
        categories=tuple(categories),
        range=(value_range[0], value_range[1]) if value_range else None,
        none_named_counts_as=raw.get("none_named_counts_as"),
        added_in=raw.get("added_in"),
    )


def _category(raw: Any, where: str, index: int, problems: list[str]) -> Category | None:
    here = f"{where}.categories[{index}]"
    if not isinstance(raw, dict):
        problems.append(f"{here}: must be a mapping with 'id' and 'label'")
        return None
    before = len(problems)
    _unknown_keys(raw, _CATEGORY_KEYS, here, problems)
    for key in ("id", "label"):
        if key not in raw:
            problems.append(f"{here}: missing key '{key}'")
    if len(problems) > before:
        return None
    if not isinstance(raw.get("name", False), bool):
        problems.append(f"{here}.name: must be true or false")
        return None
    min_years = raw.get("min_years")
    return Category(
        id=str(raw["id"]),
        label=str(raw["label"]),
        definition=str(raw.get("definition", "")),
        min_years=float(min_years) if min_years is not None else None,
        is_name=bool(raw.get("name", False)),
    )


def _condition(raw: Any, where: str, problems: list[str]) -> Condition | None:
    if raw is None:
        return None
    here = f"{where}.applies_when"
    if not isinstance(raw, dict) or "variable" not in raw:
        problems.append(f"{here}: must be {{variable: ID, equals: VALUE}} or {{..., includes: ID}}")
        return None
    _unknown_keys(raw, _CONDITION_KEYS, here, problems)
    if ("equals" in raw) == ("includes" in raw):
        problems.append(f"{here}: give exactly one of 'equals' and 'includes'")
        return None
    return Condition(variable=str(raw["variable"]), equals=raw.get("equals"), includes=raw.get("includes"))


def _check_references(variables: list[Variable], problems: list[str]) -> None:
    by_id = {v.id: v for v in variables}
    seen: set[str] = set()
    for v in variables:
        if v.id in seen:
            problems.append(f"variables.{v.id}: variable id occurs twice")
        seen.add(v.id)
        if v.none_named_counts_as and v.none_named_counts_as not in v.category_ids:
            problems.append(f"variables.{v.id}.none_named_counts_as: '{v.none_named_counts_as}' is not a category")
        cond = v.applies_when
        if cond is None:
            continue
        target = by_id.get(cond.variable)
        here = f"variables.{v.id}.applies_when"
        if target is None:
            problems.append(f"{here}: unknown variable '{cond.variable}'")
            continue
        if cond.variable == v.id:
            problems.append(f"{here}: a variable cannot depend on itself")
        wanted = cond.includes if cond.includes is not None else cond.equals
        if cond.includes is not None and target.type != "many":
            problems.append(f"{here}: 'includes' needs a 'many' variable, '{target.id}' is not")
        if target.type in _CATEGORICAL and wanted not in target.category_ids:
            problems.append(f"{here}: '{wanted}' is not a category of '{target.id}'")
        if target.type == "flag" and not isinstance(wanted, bool):
            problems.append(f"{here}: a flag equals true or false")


def _unknown_keys(raw: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    prefix = f"{where}: " if where else ""
    problems.extend(f"{prefix}unknown key '{k}'" for k in raw if k not in allowed)
