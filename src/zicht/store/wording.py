"""The store's refusals in the language of whoever reads them: Dutch in the workbench, English on the command line.

The workbench reads them as Django's active language is (LANGUAGE_CODE "nl"); the command line
asks for English (`translation.override("en")`, as `accounts.add_account(..., language="en")`).
"""

from __future__ import annotations

from django.utils import translation


def said(dutch: str, english: str) -> str:
    return english if (translation.get_language() or "").startswith("en") else dutch
