"""The compiled codebook: typed, validated objects that statistics and forms read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

VariableType = Literal["one", "many", "integer", "date", "month", "flag"]
MissingRule = Literal["excluded", "counts_as_no"]
VARIABLE_TYPES: tuple[VariableType, ...] = ("one", "many", "integer", "date", "month", "flag")
MISSING_RULES: tuple[MissingRule, ...] = ("excluded", "counts_as_no")


class NotCoded:
    """The state of a variable nobody has coded yet, distinct from 'unknown / not mentioned'."""

    _instance: NotCoded | None = None

    def __new__(cls) -> NotCoded:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_CODED"

    def __reduce__(self) -> str:
        return "NOT_CODED"


NOT_CODED = NotCoded()

# A coded value: None is "unknown / not mentioned"; a month is the first day of that month.
Value: TypeAlias = str | frozenset[str] | int | dt.date | bool | NotCoded | None
Values: TypeAlias = Mapping[str, Value]


@dataclass(frozen=True)
class CodedCase:
    """One unique visitor with the codes the researchers gave under one codebook."""

    visitor_id: str
    codebook: str
    values: Mapping[str, Value]
    conversation_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    definition: str = ""
    min_years: float | None = None  # for durations: the shortest time the category means
    is_name: bool = False  # a name (Instagram, Nederland): keeps its capital in the middle of a sentence


@dataclass(frozen=True)
class Condition:
    """When a variable applies: another variable equals a value, or (many) includes one."""

    variable: str
    equals: str | bool | None = None
    includes: str | None = None

    def holds(self, values: Values) -> bool:
        value = values.get(self.variable)
        if self.includes is not None:
            return isinstance(value, frozenset) and self.includes in value
        return value == self.equals and value is not None


@dataclass(frozen=True)
class Variable:
    id: str
    label: str
    type: VariableType
    missing: MissingRule = "excluded"
    lower_bound: bool = False
    definition: str = ""
    applies_when: Condition | None = None
    categories: tuple[Category, ...] = ()
    range: tuple[int, int] | None = None
    none_named_counts_as: str | None = None
    added_in: str | None = None

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    def category(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(f"{self.id} has no category {category_id!r}")


@dataclass(frozen=True)
class Codebook:
    id: str
    title: str
    variables: tuple[Variable, ...]
    language: str = "nl"
    previous: str | None = None
    minor_age: int = 18
    _by_id: dict[str, Variable] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({v.id: v for v in self.variables})

    def __iter__(self) -> Iterator[Variable]:
        return iter(self.variables)

    def __contains__(self, variable_id: object) -> bool:
        return variable_id in self._by_id

    def __getitem__(self, variable_id: str) -> Variable:
        try:
            return self._by_id[variable_id]
        except KeyError:
            raise KeyError(f"codebook {self.id} has no variable {variable_id!r}") from None

    def applies(self, variable: Variable, values: Values) -> bool:
        """Whether a variable is to be coded, given the other codes (and theirs, transitively)."""
        condition = variable.applies_when
        if condition is None:
            return True
        return self.applies(self[condition.variable], values) and condition.holds(values)
