"""Backups of a PostgreSQL project: pg_dump inside the same encrypted file, restored whole."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs PostgreSQL (make test runs it on one)")


def _rows() -> dict[str, list[str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        out = {}
        for table in tables:
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" t')  # the names come from the database itself
            out[table] = sorted(r for (r,) in cursor.fetchall())
    return out


def test_a_postgres_backup_restores_every_table(project: tuple[Path, bytes], tmp_path: Path) -> None:
    from zicht.store import audit
    from zicht.store.backup import backup, restore

    audit.code_changed("anna", "V-PG", "victim_age", None, {"state": "value", "value": 15}, "code", at=dt.datetime.now()).save()
    before = _rows()
    size = backup(project[0], tmp_path / "pg.zbak")
    raw = (tmp_path / "pg.zbak").read_bytes()
    assert size > 0 and b"PGDMP" not in raw and b"V-PG" not in raw  # pg_dump's own format, encrypted
    audit.code_changed("bram", "V-PG", "victim_age", None, {"state": "value", "value": 16}, "code", at=dt.datetime.now()).save()
    assert _rows() != before
    kept = restore(tmp_path / "pg.zbak", project[0])
    assert _rows() == before
    assert kept is not None and kept.exists()  # the state it replaced, as a backup of its own
