"""The codebook: variables, categories, definitions and counting rules, as data."""

from zicht.codebook.load import builtin_ids, load_codebook, parse_codebook
from zicht.codebook.migrate import migrate_cases, migrate_values
from zicht.codebook.model import (
    NOT_CODED,
    Category,
    Codebook,
    CodedCase,
    Condition,
    NotCoded,
    Value,
    Values,
    Variable,
)
from zicht.codebook.values import NOT_CODED_MARK, check_values, columns, from_row, to_row

__all__ = [
    "NOT_CODED",
    "NOT_CODED_MARK",
    "Category",
    "Codebook",
    "CodedCase",
    "Condition",
    "NotCoded",
    "Value",
    "Values",
    "Variable",
    "builtin_ids",
    "check_values",
    "columns",
    "from_row",
    "load_codebook",
    "migrate_cases",
    "migrate_values",
    "parse_codebook",
    "to_row",
]
