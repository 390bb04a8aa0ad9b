"""Profile extraction, screening and suggestion as `mapPartitions` over the core's own functions.

Each executor reads its part of the export, line by line, and runs on each chat exactly what a
single machine runs (`reading.profile`, `coding.screen.screened_one`, `coding.suggest.suggest`):
the same chat gives the same result on either. What comes back to the driver is small (a chance
and its words, the codes, a profile); the chat text stays where it was read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from zicht.transcripts.model import Conversation

T = TypeVar("T")


@dataclass(frozen=True)
class Export:
    lines: Any  # an RDD of each line read: a Conversation, or the reason it is none

    @property
    def conversations(self) -> Any:
        return self.lines.filter(lambda item: isinstance(item, Conversation))

    def bad_lines(self) -> int:
        """The lines that were no conversation (a job of its own); `zicht import` says which, by line."""
        return int(self.lines.filter(lambda item: not isinstance(item, Conversation)).count())


def chats(spark: Any, path: str, channels: Iterable[str], partitions: int | None = None) -> Export:
    """The export's conversations, each line read by the executor that holds it; a line that is not a
    conversation is kept apart, not read."""
    from zicht.transcripts.readers import BadRecord, conversation_of_line

    known = tuple(channels)

    def read(lines: Iterable[str]) -> Iterator[Conversation | str]:
        for line in lines:
            if line.strip():
                try:
                    yield conversation_of_line(line, known)
                except BadRecord as e:
                    yield e.reason

    lines = spark.sparkContext.textFile(path, minPartitions=partitions or spark.sparkContext.defaultParallelism)
    return Export(lines.mapPartitions(read))


def profiles(conversations: Any, secret: bytes) -> Any:
    """Each chat's profile (`reading.profile`), lean: what linkage reads, without the chat's text."""
    from zicht.reading.profile import lean, profile

    return conversations.mapPartitions(_each(lambda c: lean(profile(c, secret))))


def screened(conversations: Any, secret: bytes) -> Any:
    """Each chat screened (`coding.screen.screened_one`): its chance of being about trafficking, with the words."""
    from zicht.coding.screen import screened_one
    from zicht.reading.profile import profile

    return conversations.mapPartitions(_each(lambda c: screened_one(c, profile(c, secret))))


def suggested(conversations: Any, codebook_id: str, secret: bytes) -> Any:
    """Each chat's suggested codes as its own case (`coding.suggest.suggest`): (conversation id, suggestions)."""
    from zicht.codebook import load_codebook
    from zicht.coding.suggest import suggest

    def partition(chats: Iterable[Conversation]) -> Iterator[tuple[str, Any]]:
        book = load_codebook(codebook_id)  # once per part, on the executor
        return ((chat.id, suggest([chat], book, secret)) for chat in chats)

    return conversations.mapPartitions(partition)


def _each(function: Callable[[Conversation], T]) -> Callable[[Iterable[Conversation]], Iterator[T]]:
    def partition(chats: Iterable[Conversation]) -> Iterator[T]:
        return (function(chat) for chat in chats)

    return partition
