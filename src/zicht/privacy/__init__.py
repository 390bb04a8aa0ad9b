"""Privacy: keyed pseudonyms now; redaction and field encryption come with later steps."""

from zicht.privacy.pseudonym import pseudonym

__all__ = ["pseudonym"]
