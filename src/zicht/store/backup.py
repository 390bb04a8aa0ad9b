"""Backups: a consistent snapshot of the project's database, encrypted with a key derived from the
project's secret. A copied backup without the project's secret.key reveals nothing; keep the two
apart. A restore keeps the database it replaces beside it, so nothing is lost either way.

The file: a header line, an 8-byte nonce prefix, then chunks of AES-256-GCM, each with its own
counter in the nonce and "last" or "more" as associated data, so a reordered, altered or
truncated backup is refused rather than half restored.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from zicht.errors import ZichtError
from zicht.store.project import DATABASE_FILE, MARKER, SECRET_FILE

MAGIC = b"zicht backup 1\n"
CHUNK = 4 << 20


def backup(directory: Path, out: Path) -> int:
    """Write an encrypted snapshot of the project's database to `out`; returns its size in bytes.

    SQLite's online backup copies the database in one step under a read lock: the workbench
    may go on saving meanwhile, the snapshot is one consistent moment.
    """
    database = _sqlite_database(directory)
    key = _key(directory)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".zicht-backup-") as work:
        snapshot = Path(work) / "snapshot.sqlite3"
        with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(snapshot)) as target:
            source.backup(target)
        partial = out.with_name(out.name + ".partial")
        with snapshot.open("rb") as plain, _private(partial) as sealed:
            _encrypt(plain, sealed, key)
        partial.replace(out)
    return out.stat().st_size


def restore(backup_file: Path, directory: Path) -> Path | None:
    """Bring the backup back as the project's database; returns where the replaced database was kept."""
    database = _sqlite_database(directory)
    key = _key(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".zicht-restore-") as work:
        restored = Path(work) / DATABASE_FILE
        with backup_file.open("rb") as sealed, _private(restored) as plain:
            _decrypt(sealed, plain, key, backup_file)
        _check(restored, backup_file)
        kept = None
        if database.exists():
            kept = database.with_name(f"{database.name}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}")
            with closing(sqlite3.connect(database)) as current, closing(sqlite3.connect(kept)) as copy:
                current.backup(copy)  # the current state, WAL included, as one file
            os.chmod(kept, 0o600)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        restored.replace(database)
    return kept


def _sqlite_database(directory: Path) -> Path:
    if not (directory / MARKER).exists():
        raise ZichtError(f"{directory}: not a zicht project")
    if os.environ.get("DATABASE_URL"):
        raise ZichtError("DATABASE_URL is set: back up a PostgreSQL project with pg_dump (zicht backup covers SQLite projects)")
    return directory / DATABASE_FILE


def _key(directory: Path) -> bytes:
    secret = (directory / SECRET_FILE).read_bytes()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zicht backup v1").derive(secret)


def _private(path: Path) -> BinaryIO:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _encrypt(plain: BinaryIO, sealed: BinaryIO, key: bytes) -> None:
    prefix = secrets.token_bytes(8)
    sealed.write(MAGIC + prefix)
    aead = AESGCM(key)
    for counter, (block, last) in enumerate(_blocks(plain)):
        box = aead.encrypt(prefix + struct.pack(">I", counter), block, b"last" if last else b"more")
        sealed.write(struct.pack(">I", len(box)) + box)


def _blocks(plain: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    block = plain.read(CHUNK)
    while True:
        following = plain.read(CHUNK)
        yield block, not following
        if not following:
            return
        block = following


def _decrypt(sealed: BinaryIO, plain: BinaryIO, key: bytes, name: Path) -> None:
    if sealed.read(len(MAGIC)) != MAGIC:
        raise ZichtError(f"{name}: not a zicht backup")
    prefix = sealed.read(8)
    aead = AESGCM(key)
    counter, last = 0, False
    while not last:
        head = sealed.read(4)
        if len(head) < 4:
            raise ZichtError(f"{name}: the backup ends early (truncated); nothing was restored")
        (size,) = struct.unpack(">I", head)
        box = sealed.read(size)
        nonce = prefix + struct.pack(">I", counter)
        try:
            block = aead.decrypt(nonce, box, b"more")
        except InvalidTag:
            try:
                block, last = aead.decrypt(nonce, box, b"last"), True
            except InvalidTag:
                raise ZichtError(
                    f"{name}: cannot be decrypted with this project's secret.key (another project's backup, or altered); "
                    "nothing was restored"
                ) from None
        plain.write(block)
        counter += 1
    if sealed.read(1):
        raise ZichtError(f"{name}: data after the last block (altered); nothing was restored")


def _check(database: Path, name: Path) -> None:
    with closing(sqlite3.connect(database)) as db:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise ZichtError(f"{name}: the restored database fails SQLite's integrity check ({verdict}); nothing was restored")
