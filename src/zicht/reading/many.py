"""Reading many chats at once: the profiles of a year or a network, read in processes, since reading is pure.

A profile takes about 2 ms of one core; a network's million chats take half an hour on one.
Worker processes are started fresh (spawn, not fork: the caller may hold database connections
and threads), each reads the lexicon once, and the chats go to them in chunks.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice

from zicht.reading.profile import Profile, lean, profile
from zicht.transcripts.model import Conversation

CHUNK = 250  # chats per task: large enough that sending them costs little beside reading them
IN_PROCESSES_FROM = 5_000  # chats; fewer are read here: starting a worker (imports, lexicon) costs about 3 s


def profiles(
    conversations: Iterable[Conversation],
    secret: bytes,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
    for_linkage: bool = False,
) -> list[Profile]:
    """Each conversation's profile, in the order given; in `processes` worker processes (default: one per
    core) from IN_PROCESSES_FROM chats on, else here. `progress` is told of each chunk read, by its size.
    `for_linkage`: lean profiles (no text, no evidence), which is what lets a network's million fit."""
    chats = iter(conversations)
    chunks = list(iter(lambda: list(islice(chats, CHUNK)), []))
    workers = min(processes or os.cpu_count() or 1, len(chunks))
    read: list[Profile] = []
    if workers <= 1 or len(chunks) * CHUNK < IN_PROCESSES_FROM:
        for chunk in chunks:
            read += _read(chunk, secret, for_linkage)
            if progress:
                progress(len(chunk))
        return read
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for done in pool.map(partial(_read, secret=secret, for_linkage=for_linkage), chunks):
            read += map(lean, done) if for_linkage else done  # again here: a word a worker sends is a new string here
            if progress:
                progress(len(done))
    return read


def _read(chats: list[Conversation], secret: bytes, for_linkage: bool) -> list[Profile]:
    return [lean(profile(c, secret)) if for_linkage else profile(c, secret) for c in chats]
