"""Keyed pseudonyms: the same username always maps to the same pseudonym within a project,
and without the project's secret nobody can test a guessed username against it.

Identifiers found in chats (phone numbers, handles, e-mail addresses) get the same keyed
hash, with their kind in the key, so two chats can be compared on them and the clear text
is never stored."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata


def pseudonym(secret: bytes, username: str) -> str:
    """`b-` and 16 hex digits of HMAC-SHA256 over the normalised username."""
    return "b-" + _keyed(secret, username)


def identifier_hash(secret: bytes, kind: str, value: str) -> str:
    """`phone-`, `handle-` or `email-` and 16 hex digits; the kind keeps a handle and an e-mail apart."""
    return f"{kind}-" + _keyed(secret, f"{kind}\0{value}")


def _keyed(secret: bytes, text: str) -> str:
    normal = unicodedata.normalize("NFKC", text).strip().casefold()
    return hmac.new(secret, normal.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
