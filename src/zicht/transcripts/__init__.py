"""Conversations and the readers and writers of the chat and coded-cases exchange formats."""

from zicht.transcripts.coded_files import read_coded, write_coded_csv, write_coded_sav
from zicht.transcripts.model import Conversation, Message, Record
from zicht.transcripts.readers import read_chats
from zicht.transcripts.writers import write_chats

__all__ = [
    "Conversation",
    "Message",
    "Record",
    "read_chats",
    "read_coded",
    "write_chats",
    "write_coded_csv",
    "write_coded_sav",
]
