"""Keyed pseudonyms: the same username always maps to the same pseudonym within a project,
and without the project's secret nobody can test a guessed username against it."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata


def pseudonym(secret: bytes, username: str) -> str:
    """`b-` and 16 hex digits of HMAC-SHA256 over the normalised username."""
    normal = unicodedata.normalize("NFKC", username).strip().casefold()
    digest = hmac.new(secret, normal.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"b-{digest[:16]}"
