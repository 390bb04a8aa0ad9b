"""Template filters: text a colleague typed, redacted for roles that may not see who is meant."""

from __future__ import annotations

from typing import Any

from django import template

from zicht.privacy.redaction import redact_text

register = template.Library()


@register.filter
def shown_to(text: str, role: Any) -> str:
    """A comment may quote the chat: for a role without sight of identifiers it is redacted as the chat is."""
    return text if getattr(role, "sees_identifiers", False) else redact_text(text)
