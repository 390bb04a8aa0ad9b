"""A workbench on the shared test project: 40 synthetic chats (ids WEB-...), their suggestions,
a case per chat to code, and one account per role. Each test runs in a transaction rolled back after it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "lang-genoeg-wachtwoord-1"
USERS = {"anna": "coordinator", "bram": "researcher", "cees": "researcher", "lies": "reader"}


@dataclasses.dataclass
class Workbench:
    directory: Path
    cases: list[Any]  # store.models.Case
    texts: list[str]  # every message of the chats, to look for where it must not be
    users: dict[str, Any]


@pytest.fixture(scope="session")
def workbench(project: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    from zicht.codebook import load_codebook
    from zicht.coding import suggest
    from zicht.store import linking, models
    from zicht.store.accounts import add_user
    from zicht.store.cases import open_cases
    from zicht.store.importing import import_chats
    from zicht.store.suggesting import replace_suggestions
    from zicht.synth import generate
    from zicht.transcripts.writers import write_chats

    directory, secret = project
    book = load_codebook("nl-2020")
    chats = [dataclasses.replace(c, id=f"WEB-{c.id}") for c in generate(2020, 7).flagged[:40]]
    path = tmp_path_factory.mktemp("web") / "web-chats.jsonl"
    write_chats(chats, path)
    import_chats(path, secret, book["channel"].category_ids)
    stored = list(linking.conversations(ids=[c.id for c in chats]))
    found = [(c.id, [c.id], suggest([c], book, secret)) for c in stored]
    replace_suggestions(2020, book, found)
    open_cases(2020, book, "test")
    users = {name: add_user(name, PASSWORD, role) for name, role in USERS.items()}
    cases = list(models.Case.objects.filter(visitor_id__startswith="WEB-").order_by("first_chat_at", "id"))
    texts = [m.text for c in stored for m in c.messages]
    return Workbench(directory, cases, texts, users)


@pytest.fixture(autouse=True)
def _rolled_back(workbench: Workbench, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test in a transaction rolled back after it.

    The monitor's recount then runs in a thread of this process, not in the worker process the
    server uses: a second process would read the same SQLite file while this test holds the
    write lock for its whole length, which no request of the real server ever does.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import transaction

    from zicht.web import counting

    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(counting, "in_worker", lambda year, compare: pool.submit(counting.count, year, compare))
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    pool.shutdown(wait=True)


@pytest.fixture
def as_user(workbench: Workbench) -> Any:
    """A logged-in test client for one of USERS."""
    from django.test import Client

    def client(name: str) -> Client:
        c = Client()
        c.force_login(workbench.users[name], backend="django.contrib.auth.backends.ModelBackend")
        return c

    return client
