"""Chat text sealed per field: AES-256-GCM under a key that never enters the database.

A sealed value names the key it was sealed with (`zicht1:<key id>:<nonce + ciphertext>`), so a
keyring may hold an old and a new key while `zicht key rotate` re-seals row by row: readers open
either. The associated data binds a value to its field, so a message text pasted into another
column does not open.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zicht.errors import ZichtError

PREFIX = "zicht1"
NONCE = 12


class SealError(ZichtError):
    """A sealed value that cannot be opened: an unknown key, or altered."""


@dataclass
class Keyring:
    """Keys by id; the last one seals, all of them open."""

    keys: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def new(cls) -> Keyring:
        return cls().with_new_key()

    def with_new_key(self) -> Keyring:
        return Keyring({**self.keys, secrets.token_hex(4): AESGCM.generate_key(bit_length=256)})

    @property
    def current(self) -> str:
        if not self.keys:
            raise SealError("the keyring holds no key")
        return next(reversed(self.keys))

    def seal(self, text: str, context: str) -> str:
        return self.sealer(context)(text)

    def sealer(self, context: str) -> Callable[[str], str]:
        """Seals many texts of one field with the current key, the cipher set up once (an import's messages)."""
        key_id, cipher, aad = self.current, AESGCM(self.keys[self.current]), context.encode()

        def seal(text: str) -> str:
            nonce = secrets.token_bytes(NONCE)
            return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + cipher.encrypt(nonce, text.encode('utf-8'), aad)).decode('ascii')}"

        return seal

    def open(self, sealed: str, context: str) -> str:
        key_id = key_of(sealed)
        if key_id not in self.keys:
            raise SealError(f"sealed with key {key_id}, which this keyring does not hold")
        raw = base64.b64decode(sealed.split(":", 2)[2])
        try:
            return AESGCM(self.keys[key_id]).decrypt(raw[:NONCE], raw[NONCE:], context.encode()).decode("utf-8")
        except InvalidTag:
            raise SealError(f"a sealed {context} does not open with key {key_id} (altered, or moved from another field)") from None

    def dumps(self) -> str:
        """One key per line, `id base64`, oldest first: the key file's content."""
        return "".join(f"{key_id} {base64.b64encode(key).decode('ascii')}\n" for key_id, key in self.keys.items())

    @classmethod
    def loads(cls, text: str, source: str) -> Keyring:
        keys: dict[str, bytes] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                key_id, encoded = line.split()
                key = base64.b64decode(encoded, validate=True)
            except (ValueError, binascii.Error):
                raise SealError(f"{source}, line {number}: expected `<key id> <base64 key>`") from None
            if len(key) != 32:
                raise SealError(f"{source}, line {number}: a key is 32 bytes, this one is {len(key)}")
            keys[key_id] = key
        if not keys:
            raise SealError(f"{source}: holds no key")
        return cls(keys)


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def key_of(sealed: str) -> str:
    parts = sealed.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise SealError("not a sealed value (plain text where sealed text was expected)")
    return parts[1]
