"""A database of its own on the PostgreSQL server the suite runs against (`tests/with-postgres.sh`)."""

from __future__ import annotations

import os


def new_database(name: str) -> str | None:
    """Create database `name` beside DATABASE_URL's and give its URL; None when the suite runs on SQLite."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return f"{url.rsplit('/', 1)[0]}/{name}"
