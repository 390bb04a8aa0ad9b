"""Privacy: keyed pseudonyms for usernames and for identifiers found in chats."""

from zicht.privacy.pseudonym import identifier_hash, pseudonym

__all__ = ["identifier_hash", "pseudonym"]
