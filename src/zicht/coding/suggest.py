"""Code suggestions: a value for every codebook variable, with its confidence and the words it rests on.

A researcher confirms instead of searching. The suggestions of one visitor come from the
profiles of their chats (`zicht.reading.profile`: the lexicon's cues, the age, the start of
the situation, ...), read in time order: what the first chat says stands, a later chat fills
in what the first left out. How each variable is suggested is data (`data/suggest-nl.yaml`);
a variable that does not apply given the other suggestions is left empty, as a coder would.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from zicht.codebook import Codebook, CodedCase, Value, Variable
from zicht.errors import ZichtError
from zicht.knowledge.suggestion import FOUND, HowSuggested, suggestion_rules
from zicht.reading.profile import Evidence, Profile
from zicht.transcripts.model import Conversation

reading = importlib.import_module("zicht.reading.profile")  # the module: `zicht.reading.profile` the name is the function
READ_ONCE = 2048  # profiles kept: a year's flagged chats (364 in 2020) several times over, a few MB

DEFAULT = 0.5  # the confidence of the codebook's reading of silence
ABOUT_TRAFFICKING: dict[str, Value] = {"about_trafficking": "yes"}  # what the researcher may still decide


@dataclass(frozen=True)
class Span:
    """Where a suggestion rests: a message of a conversation and the characters in it."""

    conversation_id: str
    message: int
    start: int
    end: int


# Which reader a suggestion came from, so that a researcher knows what to check it against:
# the visitor's words (the lexicon's cues, the age, the relation, a name), the chat's own data
# (channel, date), the counsellor's flag, the codebook's reading of silence, the learned suggester.
Reader = Literal["words", "chat", "flag", "codebook", "learned", ""]


@dataclass(frozen=True)
class Suggestion:
    variable: str
    value: Value  # None: not mentioned
    confidence: float  # 0 when not mentioned
    evidence: tuple[Span, ...] = ()
    reader: Reader = ""  # "" when nothing was suggested

    @property
    def found(self) -> bool:
        """Whether the chats gave anything: a value, or words that say it is not mentioned."""
        return self.value is not None or bool(self.evidence)


def suggest(conversations: Sequence[Conversation], codebook: Codebook, secret: bytes) -> dict[str, Suggestion]:
    """The suggestions for one visitor, from all their conversations."""
    if not conversations:
        raise ZichtError("no conversations to suggest codes for")
    return suggest_profiles(*read(conversations, secret), codebook)


def read(conversations: Sequence[Conversation], secret: bytes) -> tuple[list[Conversation], list[Profile]]:
    """A visitor's chats in time order, with their profiles."""
    chats = sorted(conversations, key=lambda c: c.started_at)
    words = _ByIdentity(reading.lexicon())
    return chats, [_read_once(c, secret, words) for c in chats]


@functools.lru_cache(maxsize=READ_ONCE)
def _read_once(chat: Conversation, secret: bytes, words: _ByIdentity) -> Profile:
    """A chat's profile, read once for as many suggesters as ask: cross-validating the learned suggester
    trains it five times on the same chats, and reading them was three quarters of its time (29 of 40 s).
    The lexicon is part of the key: one with a category left out (tests, benchmarks) reads anew."""
    read: Profile = reading.profile(chat, secret)
    return read


class _ByIdentity:
    """One object as a key, by identity; held, so that no other object takes its id while it is cached."""

    __slots__ = ("held",)

    def __init__(self, held: object) -> None:
        self.held = held

    def __hash__(self) -> int:
        return id(self.held)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByIdentity) and other.held is self.held


def suggest_profiles(chats: Sequence[Conversation], profiles: Sequence[Profile], codebook: Codebook) -> dict[str, Suggestion]:
    """As `suggest`, from profiles already read (linkage reads the same ones)."""
    spec = suggestion_rules().variables
    suggestions: dict[str, Suggestion] = {}
    for variable in codebook:
        how = spec.get(variable.id)
        if how is None:
            suggestions[variable.id] = Suggestion(variable.id, None, 0.0)
            continue
        suggestions[variable.id] = _suggest_one(variable, how, chats, profiles)
    return only_what_applies(suggestions, codebook)


def only_what_applies(suggestions: dict[str, Suggestion], codebook: Codebook) -> dict[str, Suggestion]:
    """A coder leaves what does not apply, given the other values, empty; but not what only "not about
    trafficking" rules out.

    The counsellor flagged the chat: "not about trafficking" is a suggestion the researcher
    confirms, and the rest of the case is kept for when they do not (the workbench shows it
    once the case is set to yes).
    """
    values = {v: s.value for v, s in suggestions.items()}
    out = dict(suggestions)
    for variable in _ruled_out(values, codebook, ABOUT_TRAFFICKING):
        out[variable] = Suggestion(variable, None, 0.0)
    return out


def _ruled_out(values: dict[str, Value], codebook: Codebook, as_if: dict[str, Value] | None = None) -> list[str]:
    """The variables with a value that does not apply given the others (nor given `as_if` instead)."""
    values, other = dict(values), {**values, **(as_if or {})}
    out = []
    for variable in codebook:
        if values[variable.id] is not None and not codebook.applies(variable, values) and not (as_if and codebook.applies(variable, other)):
            out.append(variable.id)
            values[variable.id] = other[variable.id] = None
    return out


def as_case(visitor_id: str, suggestions: dict[str, Suggestion], codebook: Codebook, conversation_ids: Sequence[str]) -> CodedCase:
    """The suggestions as a coded case, for the CSV format and the statistics: as a coder would save them,
    so what does not apply given the suggested values is left empty."""
    values = {v: s.value for v, s in suggestions.items()}
    values |= dict.fromkeys(_ruled_out(values, codebook), None)
    return CodedCase(visitor_id, codebook.id, values, tuple(conversation_ids))


def _suggest_one(variable: Variable, how: HowSuggested, chats: Sequence[Conversation], profiles: Sequence[Profile]) -> Suggestion:
    source, confidence = how.source, how.confidence
    if source == "chat":
        first = chats[0]
        value: Value = first.channel if how.field == "channel" else first.started_at.date()
        return Suggestion(variable.id, value, confidence, reader="chat")
    if source == "screening":
        return about_trafficking(chats, profiles)
    # a profile's value where the chats say it outright; else what the lexicon's cues for the variable read
    for outright in (True, False) if source == "profile" else (False,):
        for chat, p in zip(chats, profiles, strict=True):
            found = _profile_value(variable, how.field or "", p) if outright else _fact(variable, p)
            if found is not None:
                value, keys = found
                return Suggestion(variable.id, value, confidence, _evidence(chat, p, *keys), "words")
    named = next(((c, p) for c, p in zip(chats, profiles, strict=True) if p.perpetrator_names), None) if how.named else None
    if source == "fact" and named:
        return Suggestion(variable.id, how.named, DEFAULT + 0.2, _evidence(*named, "perpetrator_names"), "words")
    if source == "fact" and how.about_other and any(p.about_other for p in profiles):
        return Suggestion(variable.id, how.about_other, DEFAULT, _evidence(chats[0], profiles[0], "relation"), "words")
    if how.default is not None:
        return Suggestion(variable.id, _typed(variable, list(how.default)), DEFAULT, reader="codebook")
    return Suggestion(variable.id, None, 0.0)


def _fact(variable: Variable, p: Profile) -> tuple[Value, tuple[str, ...]] | None:
    """The value told, and the cue of each category in it: a coder checks every one."""
    told = p.facts.get(variable.id)
    if not told:
        return None
    value = _typed(variable, told)
    said = told if variable.type == "many" else told[:1]
    return value, tuple(f"{variable.id}.{category}" for category in said)


def _typed(variable: Variable, raw: Any) -> Value:
    """A cue's categories (or a default) as the codebook's value of this variable."""
    items = raw if isinstance(raw, list) else [raw]
    if variable.type == "many":
        return frozenset(str(i) for i in items)
    if variable.type == "flag":
        return items[0] in (True, "true")
    return str(items[0])


def _profile_value(variable: Variable, field: str, p: Profile) -> tuple[Value, tuple[str, ...]] | None:
    if field == "age" and p.age is not None:
        return p.age, ("age_answer" if "age_answer" in p.evidence else "age",)
    if field == "gender" and p.gender is not None:
        return p.gender, ("gender",)
    if field == "platforms" and p.platforms:
        return _meeting_platforms(p), ("platforms",)
    if field == "start_said" and p.start_month is not None and "start" in p.evidence:
        year, month = divmod(p.start_month, 12)
        return dt.date(year, month + 1, 1), ("start",)
    if field == "span_months" and p.span_months is not None:
        return _duration(variable, p.span_months), ("span",)
    return None


def _meeting_platforms(p: Profile) -> frozenset[str]:
    """The platforms named where the chat tells how they met; any named, if it does not say."""
    met = next((e for key, e in p.evidence.items() if key.startswith("meeting.")), None)
    there = {platform for platform in p.platforms if met and p.evidence[f"platforms.{platform}"].message == met.message}
    return frozenset(there or p.platforms)


def _duration(variable: Variable, months: int) -> str:
    """The category whose shortest time (`min_years` in the codebook) is the longest one reached."""
    reached = [c for c in variable.categories if c.min_years is not None and c.min_years * 12 <= months]
    return max(reached, key=lambda c: c.min_years or 0.0).id


def about_trafficking(chats: Sequence[Conversation], profiles: Sequence[Profile]) -> Suggestion:
    """What the words say; where they say nothing either way, a counsellor's flag says yes, with the
    share of flagged chats that were about trafficking as its confidence (`screening.flagged`)."""
    said = said_about_trafficking(chats, profiles)
    if said.value == "no" and not said.evidence and any(c.flagged for c in chats):
        return Suggestion(said.variable, "yes", suggestion_rules().screening.flagged, (), "flag")
    return said


SCREENED_VARIABLE = "about_trafficking"  # the variable screening answers


def said_about_trafficking(chats: Sequence[Conversation], profiles: Sequence[Profile]) -> Suggestion:
    """About trafficking by the words alone: when a form is named (or a client's suspicion), or someone is made to do
    things for another; not when the words give another reason."""
    screening = suggestion_rules().screening
    variable = SCREENED_VARIABLE
    for chat, p in zip(chats, profiles, strict=True):
        for named, categories in screening.named.items():
            told = [c for c in p.facts.get(named, ()) if categories is None or c in categories]
            if told:
                return Suggestion(variable, "yes", FOUND, _evidence(chat, p, f"{named}.{told[0]}"), "words")
        if m := screening.also.search(p.text.lower()):
            return Suggestion(variable, "yes", FOUND * 0.8, _text_span(chat, m.start(), m.end()), "words")
    reason = next(((c, p) for c, p in zip(chats, profiles, strict=True) if p.facts.get("not_trafficking_reason")), None)
    if reason:
        chat, p = reason
        return Suggestion(
            variable, "no", FOUND, _evidence(chat, p, f"not_trafficking_reason.{p.facts['not_trafficking_reason'][0]}"), "words"
        )
    return Suggestion(variable, "no", DEFAULT, reader="codebook")


def _evidence(chat: Conversation, p: Profile, *keys: str) -> tuple[Span, ...]:
    """The words each key rests on, once each, in the order the keys name them."""
    found: list[Evidence] = [e for key in keys if (e := p.evidence.get(key)) is not None]
    return tuple(dict.fromkeys(Span(chat.id, e.message, e.start, e.end) for e in found))


def _text_span(chat: Conversation, start: int, end: int) -> tuple[Span, ...]:
    """A span in the visitor's text joined by newlines, back to its message."""
    offset = 0
    for index, message in enumerate(chat.messages):
        if message.sender != "visitor":
            continue
        if start < offset + len(message.text):
            return (Span(chat.id, index, start - offset, min(end - offset, len(message.text))),)
        offset += len(message.text) + 1
    return ()
