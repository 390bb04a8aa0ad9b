"""The project's text key: where it lives, the fields it seals, and its rotation.

The keyring is read from `ZICHT_TEXT_KEYS` (pairs `id base64`, separated by commas) or else from
the project's `text.key` (0600). A process re-reads the file when it changes, so a running
workbench follows `zicht key rotate` without a restart: it opens rows sealed with the new key as
soon as they appear, and seals with it from then on. A running process keeps the keys it has
read, so a query that began before the rotation ended still opens its rows; a new process knows
only the file's keys.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import models, transaction

from zicht.errors import ZichtError
from zicht.privacy.sealing import Keyring, SealError, key_of

KEY_FILE = "text.key"
ENVIRONMENT = "ZICHT_TEXT_KEYS"

_ring: Keyring | None = None
_stamp: tuple[int, int] | None = None  # the key file's (mtime_ns, size) when it was read


def key_file(directory: Path) -> Path:
    return directory / KEY_FILE


def create_key_file(directory: Path) -> None:
    """A fresh keyring for a new project (or a project from before sealing); never overwrites one."""
    if os.environ.get(ENVIRONMENT) or key_file(directory).exists():
        return
    write_keyring(key_file(directory), Keyring.new())


def stored_keyring(directory: Path) -> Keyring:
    """The keys as kept: `ZICHT_TEXT_KEYS`, or the project's key file (present, and private)."""
    if os.environ.get(ENVIRONMENT):
        return Keyring.loads(os.environ[ENVIRONMENT].replace(",", "\n"), ENVIRONMENT)
    path = key_file(directory)
    _stamp_of(path)
    return Keyring.loads(path.read_text("ascii"), str(path))


def _stamp_of(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ZichtError(
            f"{path}: missing. The chat text is sealed with the key it held; put it back from where you keep it "
            "(a backup made with `zicht backup` carries it too)"
        ) from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ZichtError(f"{path}: readable by others than its owner; run `chmod 600 {path}`")
    return info.st_mtime_ns, info.st_size


def keyring(*, reread: bool = False) -> Keyring:
    """The keyring of the project this process works on; the file is read again when it changed."""
    global _ring, _stamp
    from zicht.store.project import directory

    if os.environ.get(ENVIRONMENT):
        _ring = _ring or stored_keyring(directory())
        return _ring
    stamp = _stamp_of(key_file(directory()))
    if _ring is None or reread or stamp != _stamp:
        loaded = stored_keyring(directory())
        retired = {k: v for k, v in (_ring.keys if _ring else {}).items() if k not in loaded.keys}
        _ring, _stamp = Keyring({**retired, **loaded.keys}), stamp  # the file's last key still seals
    return _ring


def seal(text: str, context: str) -> str:
    return keyring().seal(text, context)


def open_sealed(value: str, context: str) -> str:
    ring = keyring()
    if key_of(value) not in ring.keys:  # rotated meanwhile by another process
        ring = keyring(reread=True)
    return ring.open(value, context)


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored sealed; the model reads and writes plain text. Not searchable in SQL, on purpose."""

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else open_sealed(value, self.context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else seal(value, self.context())


def sealed_fields() -> Iterator[tuple[type[models.Model], SealedTextField]]:
    from django.apps import apps

    for model in apps.get_app_config("store").get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, SealedTextField):
                yield model, f


def rotate(directory: Path, batch: int = 500, progress: Callable[[int], None] = lambda n: None) -> tuple[str, int]:
    """Seal every text again under a new key, then forget the old ones; returns the new key's id and the rows.

    Each batch is its own short transaction, so the workbench goes on reading and saving: while
    the rotation runs the key file holds the old keys and the new one.
    """
    if os.environ.get(ENVIRONMENT):
        raise ZichtError(f"{ENVIRONMENT} is set: rotate by hand (add a key in front, run with it, drop the old one)")
    rotated = keyring(reread=True).with_new_key()
    write_keyring(key_file(directory), rotated)
    new, done = rotated.current, 0
    for model, f in sealed_fields():
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                rows = list(model.objects.filter(pk__in=ids[start : start + batch]).only("pk", f.name))
                model.objects.bulk_update(rows, [f.name])  # read open, written sealed under the new key
            done += len(rows)
            progress(len(rows))
        left = _not_sealed_with(model, f, new)
        if left:
            raise ZichtError(f"{left} rows of {model._meta.label}.{f.name} are still sealed with an old key; run the rotation again")
    write_keyring(key_file(directory), Keyring({new: rotated.keys[new]}))
    return new, done


def _not_sealed_with(model: type[models.Model], f: SealedTextField, key_id: str) -> int:
    with _raw(model) as cursor:
        cursor.execute(f"SELECT {f.column} FROM {model._meta.db_table}")
        return sum(1 for (value,) in cursor if value is not None and key_of(value) != key_id)


@contextmanager
def _raw(model: type[models.Model]) -> Iterator[Any]:
    from django.db import connections, router

    with connections[router.db_for_read(model)].cursor() as cursor:
        yield cursor


def write_keyring(path: Path, ring: Keyring) -> None:
    """Atomically, private from its first byte."""
    partial = path.with_name(path.name + ".partial")
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="ascii") as out:
        out.write(ring.dumps())
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)


__all__ = ["SealError", "SealedTextField", "create_key_file", "keyring", "rotate", "sealed_fields", "stored_keyring", "write_keyring"]
