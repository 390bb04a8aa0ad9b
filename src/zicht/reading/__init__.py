"""Reading a chat: what the visitor says of themselves and of their situation, with the words it rests on.

One reading serves two siblings: linkage compares readings to find the same visitor under several
usernames, and coding suggests codes from them. The words it looks for are the lexicon
(`reading/data/lexicon-nl.yaml`).
"""

from zicht.reading.profile import Evidence, Profile, lean, profile

__all__ = ["Evidence", "Profile", "lean", "profile"]
