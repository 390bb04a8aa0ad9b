"""Code suggestions with the words they rest on (the researchers confirm or correct them)."""

from zicht.coding.suggest import Reader, Span, Suggestion, as_case, suggest, suggest_profiles

__all__ = ["Reader", "Span", "Suggestion", "as_case", "suggest", "suggest_profiles"]
