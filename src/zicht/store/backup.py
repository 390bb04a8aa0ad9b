"""Backups: a consistent snapshot of the project's database and its text keys, encrypted with a key
derived from the project's secret. A copied backup without the project's secret.key reveals
nothing; keep the two apart. A restore keeps the database it replaces, so nothing is lost either way.

SQLite is copied with its online backup; PostgreSQL with `pg_dump` (one snapshot transaction).
The file: a header line naming the database kind, an 8-byte nonce prefix, then chunks of
AES-256-GCM, each with its own counter in the nonce. The first chunk is the text keyring
("keys" as associated data, so an old backup still opens after `zicht key rotate`), the others
the database ("more", and "last" for the last), so a reordered, altered or truncated backup is
refused rather than half restored.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from zicht.errors import ZichtError
from zicht.privacy.sealing import Keyring
from zicht.store import keys
from zicht.store.project import DATABASE_FILE, MARKER, SECRET_FILE

MAGIC = {"sqlite": b"zicht backup 2 sqlite\n", "postgres": b"zicht backup 2 postgres\n"}
CHUNK = 4 << 20


def backup(directory: Path, out: Path) -> int:
    """Write an encrypted snapshot of the project's database to `out`; returns its size in bytes.

    SQLite's online backup copies the database in one step under a read lock, `pg_dump` in one
    snapshot transaction: the workbench may go on saving meanwhile, the backup is one moment.
    """
    kind, database = _database(directory)
    key = _key(directory)
    ring = keys.stored_keyring(directory)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".zicht-backup-") as work:
        if kind == "sqlite":
            snapshot = Path(work) / "snapshot.sqlite3"
            _copy_sqlite(Path(database), snapshot)
            with snapshot.open("rb") as plain, _private(partial) as sealed:
                _encrypt(kind, ring, plain, sealed, key)
        else:
            dump = _postgres_tool("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--dbname={database}")
            with dump, _private(partial) as sealed:
                assert dump.stdout is not None
                _encrypt(kind, ring, dump.stdout, sealed, key)
                _finished(dump, "pg_dump")
    partial.replace(out)
    return out.stat().st_size


def restore(backup_file: Path, directory: Path) -> Path | None:
    """Bring the backup back as the project's database; returns where the replaced database was kept."""
    kind, database = _database(directory)
    key = _key(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".zicht-restore-") as work:
        restored = Path(work) / DATABASE_FILE
        with backup_file.open("rb") as sealed, _private(restored) as plain:
            ring = _decrypt(kind, sealed, plain, key, backup_file)
        if kind == "sqlite":
            _check(restored, backup_file)
        kept = _keep_current(kind, directory, database)
        _merge_keys(directory, ring)
        if kind == "sqlite":
            for suffix in ("-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            restored.replace(database)
        else:
            load = _postgres_tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                  "--single-transaction", f"--dbname={database}", str(restored))  # fmt: skip
            load.wait()
            _finished(load, "pg_restore")
    return kept


def _database(directory: Path) -> tuple[str, str]:
    if not (directory / MARKER).exists():
        raise ZichtError(f"{directory}: not a zicht project")
    url = os.environ.get("DATABASE_URL")
    if url:
        return "postgres", url
    return "sqlite", str(directory / DATABASE_FILE)


def _key(directory: Path) -> bytes:
    secret = (directory / SECRET_FILE).read_bytes()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"zicht backup v1").derive(secret)


def _merge_keys(directory: Path, ring: Keyring) -> None:
    """The backup's keys join the project's, which keeps sealing with its own current key."""
    path = keys.key_file(directory)
    if os.environ.get(keys.ENVIRONMENT):
        missing = set(ring.keys) - set(keys.stored_keyring(directory).keys)
        if missing:
            raise ZichtError(f"the backup's text was sealed with key(s) {', '.join(sorted(missing))}, not in {keys.ENVIRONMENT}")
        return
    own = Keyring.loads(path.read_text("ascii"), str(path)).keys if path.exists() else {}
    keys.write_keyring(path, Keyring({**ring.keys, **own}))


def _keep_current(kind: str, directory: Path, database: str) -> Path | None:
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    if kind == "postgres":
        kept = directory / f"before-restore-{stamp}.zbak"
        backup(directory, kept)
        return kept
    current = Path(database)
    if not current.exists():
        return None
    kept = current.with_name(f"{current.name}.before-restore-{stamp}")
    _copy_sqlite(current, kept)  # the current state, WAL included, as one file
    os.chmod(kept, 0o600)
    return kept


def _copy_sqlite(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


def _postgres_tool(name: str, *arguments: str) -> subprocess.Popen[bytes]:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))[-1:]), None)
    if not found:
        raise ZichtError(f"{name} not found: install PostgreSQL's client tools (Debian: postgresql-client)")
    return subprocess.Popen([str(found), *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finished(process: subprocess.Popen[bytes], name: str) -> None:
    assert process.stderr is not None
    error = process.stderr.read().decode(errors="replace").strip()
    if process.wait() != 0:
        raise ZichtError(f"{name} failed (exit {process.returncode}): {error}; nothing was written")


def _private(path: Path) -> BinaryIO:
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _encrypt(kind: str, ring: Keyring, plain: IO[bytes], sealed: BinaryIO, key: bytes) -> None:
    prefix = secrets.token_bytes(8)
    sealed.write(MAGIC[kind] + prefix)
    aead = AESGCM(key)
    blocks = ((ring.dumps().encode("ascii"), b"keys"), *((b, b"last" if last else b"more") for b, last in _blocks(plain)))
    for counter, (block, label) in enumerate(blocks):
        box = aead.encrypt(prefix + struct.pack(">I", counter), block, label)
        sealed.write(struct.pack(">I", len(box)) + box)


def _blocks(plain: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    block = plain.read(CHUNK)
    while True:
        following = plain.read(CHUNK)
        yield block, not following
        if not following:
            return
        block = following


def _decrypt(kind: str, sealed: BinaryIO, plain: BinaryIO, key: bytes, name: Path) -> Keyring:
    magic = sealed.read(len(MAGIC[kind]))
    if magic != MAGIC[kind]:
        other = next((k for k, m in MAGIC.items() if m == magic), None)
        raise ZichtError(f"{name}: a backup of a {other} project; this project is on {kind}" if other else f"{name}: not a zicht backup")
    prefix = sealed.read(8)
    aead = AESGCM(key)
    counter, ring, last = 0, None, False
    while not last:
        head = sealed.read(4)
        if len(head) < 4:
            raise ZichtError(f"{name}: the backup ends early (truncated); nothing was restored")
        (size,) = struct.unpack(">I", head)
        box = sealed.read(size)
        nonce = prefix + struct.pack(">I", counter)
        labels = (b"keys",) if counter == 0 else (b"more", b"last")
        opened = next(((label, b) for label in labels if (b := _open(aead, nonce, box, label)) is not None), None)
        if opened is None:
            raise ZichtError(
                f"{name}: cannot be decrypted with this project's secret.key (another project's backup, or altered); nothing was restored"
            )
        label, block = opened
        if counter == 0:
            ring = Keyring.loads(block.decode("ascii"), f"{name} (its keyring)")
        else:
            plain.write(block)
            last = label == b"last"
        counter += 1
    if sealed.read(1):
        raise ZichtError(f"{name}: data after the last block (altered); nothing was restored")
    assert ring is not None
    return ring


def _open(aead: AESGCM, nonce: bytes, box: bytes, label: bytes) -> bytes | None:
    try:
        return aead.decrypt(nonce, box, label)
    except InvalidTag:
        return None


def _check(database: Path, name: Path) -> None:
    with closing(sqlite3.connect(database)) as db:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise ZichtError(f"{name}: the restored database fails SQLite's integrity check ({verdict}); nothing was restored")
