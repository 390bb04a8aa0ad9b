"""Visitor linkage: profiles of each conversation, probabilistic matching, and clusters."""

from zicht.linkage.profile import Evidence, Profile, profile

__all__ = ["Evidence", "Profile", "profile"]
