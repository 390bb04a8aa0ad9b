"""Visitor linkage: probabilistic matching of chats' readings (`zicht.reading`), and clusters."""
