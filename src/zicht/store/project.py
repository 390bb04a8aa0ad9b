"""A project directory: its database, its secret, its settings; Django configured for it."""

from __future__ import annotations

import os
import secrets
import shutil
from importlib import resources
from pathlib import Path

from zicht.errors import ProjectError

SECRET_FILE = "secret.key"
DATABASE_FILE = "zicht.sqlite3"
MARKER = "zicht-project.txt"
PUBLISHED = "published"  # the published figures the project checks itself against, and where they are in the tables


def init_project(directory: Path) -> Path:
    """Create the folder (private to its owner), the pseudonym secret and the database."""
    if (directory / MARKER).exists():
        raise ProjectError(f"{directory}: already a zicht project")
    old = os.umask(0o077)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MARKER).write_text(
            "zicht project. secret.key and text.key are the keys to its data: keep them apart from its copies.\n"
        )
        key = directory / SECRET_FILE
        key.write_bytes(secrets.token_bytes(32))
        key.chmod(0o600)
        copy_published(directory)
        open_project(directory)  # the database, its journal and the log are created private too
    finally:
        os.umask(old)
    return directory


def copy_published(directory: Path) -> Path:
    """Give the project its own copy of the published figures and their mapping, to edit at will."""
    target = directory / PUBLISHED
    target.mkdir(exist_ok=True)
    source = resources.files("zicht.analysis") / "data" / PUBLISHED
    for item in source.iterdir():
        if item.name.endswith(".yaml") and not (target / item.name).exists():
            with resources.as_file(item) as path:
                shutil.copyfile(path, target / item.name)
    return target


def open_project(directory: Path) -> bytes:
    """Configure Django for this project, bring its database up to date; return the secret."""
    if not (directory / MARKER).exists():
        raise ProjectError(f"{directory}: not a zicht project (create one with `zicht init {directory}`)")
    configure(directory)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return (directory / SECRET_FILE).read_bytes()


_configured_for: Path | None = None  # Django's settings are per process: the project they point at


def configure(directory: Path) -> None:
    import django
    from django.conf import settings

    global _configured_for
    if settings.configured:
        if _configured_for != directory.resolve():
            raise ProjectError(f"{directory}: this process already works on {_configured_for}; one project per process")
        return
    _configured_for = directory.resolve()
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        database = dict(dj_database_url.parse(url))
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(directory / DATABASE_FILE),
                    # WAL: readers never wait for the writer. IMMEDIATE: a transaction that will write takes
                    # the write lock when it begins, so concurrent saves queue (up to `timeout` s) instead of
                    # failing with "database is locked" when a reader turns writer.
                    "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;",
                                "transaction_mode": "IMMEDIATE", "timeout": 20}}  # fmt: skip
    from zicht.store.settings import django_settings

    settings.configure(**django_settings(directory, database, (directory / SECRET_FILE).read_bytes()))
    django.setup()


def secret() -> bytes:
    """The secret of the project this process works on (the workbench reads it to re-read chats)."""
    if _configured_for is None:
        raise ProjectError("no project is open in this process")
    return (_configured_for / SECRET_FILE).read_bytes()


def directory() -> Path:
    if _configured_for is None:
        raise ProjectError("no project is open in this process")
    return _configured_for
