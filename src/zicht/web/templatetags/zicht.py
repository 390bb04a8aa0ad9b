"""Template filters: text a colleague typed, redacted for roles that may not see who is meant; codebook
ids and audit actions in the Dutch a researcher reads."""

from __future__ import annotations

from typing import Any

from django import template

from zicht.codebook import Codebook, load_codebook
from zicht.errors import ZichtError
from zicht.privacy.alias import alias as alias_of
from zicht.privacy.redaction import redact_text
from zicht.store.audit import LABELS
from zicht.web.counting import project

register = template.Library()


@register.filter
def shown_to(text: str, role: Any) -> str:
    """A comment may quote the chat: for a role without sight of identifiers it is redacted as the chat is."""
    return text if getattr(role, "sees_identifiers", False) else redact_text(text)


def _book(codebook_id: str | None) -> Codebook:
    """The codebook a case was coded by, or else the project's."""
    if codebook_id:
        try:
            return load_codebook(codebook_id)
        except ZichtError:
            pass
    return project().codebook


@register.filter
def variable_label(variable: str, codebook_id: str | None = None) -> str:
    """A variable by its label ("Duur van de uitbuitingssituatie"), not its id; an unknown one as it is."""
    book = _book(codebook_id)
    return book[variable].label if variable in book else variable


@register.filter
def action_label(action: str) -> str:
    """An audit action as the audit trail names it ("casus geopend"), not its id (`open_case`)."""
    return LABELS.get(action, action)


@register.filter
def category_label(category: str, variable: str, codebook_id: str | None = None) -> str:
    """A category by its label ("Chat met Fier"), not its id (`fier`)."""
    book = _book(codebook_id)
    if variable in book and category in book[variable].category_ids:
        return book[variable].category(category).label
    return category


@register.filter
def alias(pseudonym: str) -> str:
    """A pseudonym as a name a researcher can say ("groene reiger 17"); the pseudonym itself stays in its title."""
    return alias_of(pseudonym)
