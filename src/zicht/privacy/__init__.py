"""Privacy: keyed pseudonyms for usernames, and keyed tokens for identifiers in chat text."""

from zicht.privacy.identifiers import find_identifiers, redact
from zicht.privacy.pseudonym import identifier_hash, pseudonym

__all__ = ["find_identifiers", "identifier_hash", "pseudonym", "redact"]
