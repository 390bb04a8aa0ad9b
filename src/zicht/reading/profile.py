"""A chat's reading: what the visitor says of themselves and of their situation.

From each conversation the visitor's own words give an age (and so a birth year), a gender,
a place, a school, names, platforms, identifiers, how long the situation has lasted, and the
facts the codebook's variables ask about; the chat itself gives its date, hour and channel.
Every value keeps its evidence (message and span). Phone numbers, handles and e-mail
addresses are kept only as keyed hashes. Linkage compares readings, coding suggests codes from
them; the words looked for are data (`data/lexicon-nl.yaml`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from sys import intern
from typing import Any

from text_to_num import alpha2digit

from zicht.knowledge.lexicon import AgeRule, AnswerRule, Lexicon, lexicon
from zicht.privacy import find_identifiers, identifier_hash
from zicht.privacy.identifiers import TOKEN
from zicht.privacy.normalise import Reading
from zicht.reading.spelling import respelled
from zicht.transcripts.model import Conversation


@dataclass(frozen=True)
class Evidence:
    """Where in the chat a value was read: message index and character span of the original text."""

    message: int
    start: int
    end: int


@dataclass(slots=True)  # a network holds a million: no attribute dictionary each
class Profile:
    conversation_id: str
    started_at: dt.datetime
    channel: str
    about_other: bool = False  # the visitor speaks about someone else (a relation word)
    relation: str | None = None
    age: int | None = None
    birth_year: int | None = None  # year of the chat minus the age: compared instead of the age
    gender: str | None = None
    place: str | None = None
    school: str | None = None
    school_year: int | None = None
    own_name: str | None = None
    perpetrator_names: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)  # keyed hashes only
    span_months: int | None = None
    start_month: int | None = None  # months since year 0 when the situation began
    returning: str | None = None  # the visitor says they chatted before: "recent" or "long_ago"
    facts: dict[str, list[str]] = field(default_factory=dict)  # codebook variable -> categories told
    text: str = ""  # the visitor's words, for suggestions; never stored, and let go where only linkage reads (`lean`)
    story: tuple[str, ...] = ()  # the story words, kept by `lean` when it lets the text go; read them with `story_words`
    evidence: dict[str, Evidence] = field(default_factory=dict)


_WORD = re.compile(r"[^\W\d_]{3,}")


def story_words(p: Profile) -> tuple[str, ...]:
    """The visitor's words that may tell their own story, sorted: not the lexicon's common words, and not
    what linkage compares on its own (names, place, school, relation, platforms). Read when linkage asks,
    not with every profile: a third of a profile's reading, which screening and suggestions never use."""
    if p.story or not p.text:
        return p.story
    words = lexicon()
    told = [p.place, p.school, p.own_name, p.relation, *p.perpetrator_names]
    told += [alias for platform in p.platforms for alias in words.platforms.get(platform, ())]
    compared = {word for value in told if value for word in value.lower().split()}
    found = set(_WORD.findall(TOKEN.sub(" ", p.text).lower())) - compared - words.common_words  # a token's letters are no words
    return tuple(sorted(found))


def lean(p: Profile) -> Profile:
    """The profile as linkage needs it: without the text and the evidence, a tenth of its size (a
    network's million profiles fit in memory), the story words shared with every other profile."""
    return replace(p, text="", evidence={}, story=tuple(intern(word) for word in story_words(p)))


def profile(conversation: Conversation, secret: bytes) -> Profile:
    """The profile of one conversation; identifiers hashed with the project's secret."""
    words = lexicon()
    p = Profile(conversation.id, conversation.started_at, conversation.channel)
    visitor = [(i, m.text) for i, m in enumerate(conversation.messages) if m.sender == "visitor"]
    p.text = "\n".join(text for _, text in visitor)
    asked_age, asked_gender = (_asked(conversation, question) for question in (words.age_question, words.gender_question))
    asked = [(rule, _asked(conversation, rule.question)) for rule in words.answers]
    ages: dict[str, tuple[int, Evidence]] = {}  # the first age of each kind; whose it is is settled at the end
    for i, text in visitor:
        read = _Normalised.of(text)
        normal = read.text
        before = {id(e) for e in (*p.evidence.values(), *(e for _, e in ages.values()))}
        _relation(p, i, normal, words)
        _gender(p, i, normal, words, answer=_answers(i, asked_gender, conversation))
        _age(ages, i, normal, words, answer=_answers(i, asked_age, conversation))
        _first(p, "place", i, normal, words.place, clean=lambda v: _place(v, words))
        _first(p, "school", i, normal, (words.school,), clean=lambda v: _school(v, words))
        _first(p, "own_name", i, normal, words.own_name, clean=lambda v: _name(v, words))
        for value, span in _all(normal, words.perpetrator_name):
            name = _name(value, words)
            if name and name not in p.perpetrator_names and name != p.own_name:
                p.perpetrator_names.append(name)
                p.evidence.setdefault("perpetrator_names", Evidence(i, *span))
        if p.school_year is None and (m := words.school_year.search(normal)):
            p.school_year = int(m.group("value"))
            p.evidence["school_year"] = Evidence(i, *m.span("value"))
        _facts(p, i, normal, words)  # before the short answer: "ja nu wel. ik moet vanavond weer" says more than its "ja"
        _answered(p, i, normal, [rule for rule, after in asked if _answers(i, after, conversation)], words.single)
        _returning(p, i, normal, words)
        _platforms(p, i, normal, words)
        _identifiers(p, i, text, secret)
        _span(p, i, normal, words, ages)  # how long, said outright, before a start it must be reckoned from
        if p.span_months is None:
            _start(p, i, normal, words, conversation.started_at.date())
        read.back_to_the_message(p, ages, before)
    _resolve_age(p, ages)
    if p.age is not None:
        p.birth_year = conversation.started_at.year - p.age
    if p.span_months is not None:
        p.start_month = conversation.started_at.year * 12 + conversation.started_at.month - 1 - p.span_months
    return p


@dataclass(frozen=True)
class _Normalised:
    """A message as the patterns read it (lower case, number words as digits), and the way back from
    a span of that reading to the characters of the message: "zeventien" read as 17 is all of "zeventien"."""

    reading: Reading
    message: str = ""

    @property
    def text(self) -> str:
        return self.reading.text

    @classmethod
    def of(cls, message: str) -> _Normalised:
        lowered = respelled(message.lower())  # "durgs" as "drugs": the same length, so spans stay put
        spaced = re.sub(r"(?<=[a-zë])jarig", " jarig", lowered)  # "zestienjarig" -> "16 jarig"
        try:
            text = str(alpha2digit(spaced, "nl", threshold=2))
        except Exception:  # text2num can fail on odd input; the words are then read as they are
            text = spaced
        if text == lowered:
            return cls(Reading(text), message)
        return cls(Reading.compared(lowered if len(lowered) == len(message) else message, text), message)

    def back_to_the_message(self, p: Profile, ages: dict[str, tuple[int, Evidence]], before: set[int]) -> None:
        """The spans read from this message since `before`, on the message's own whole words (identifiers were read there)."""
        for key, e in list(p.evidence.items()):
            if id(e) not in before and not key.startswith("identifier."):
                p.evidence[key] = self._original(e)
        for who, (age, e) in list(ages.items()):
            if id(e) not in before:
                ages[who] = (age, self._original(e))

    def _original(self, e: Evidence) -> Evidence:
        """On the message's characters, widened to whole words: a cue "advertentie" lights all of "advertenties"."""
        start, end = self.reading.span(e.start, e.end)
        while start > 0 and self.message[start - 1].isalnum():
            start -= 1
        while end < len(self.message) and self.message[end].isalnum():
            end += 1
        return Evidence(e.message, start, end)


def _asked(conversation: Conversation, question: re.Pattern[str]) -> set[int]:
    """The messages right after a counsellor asks this question."""
    return {i + 1 for i, m in enumerate(conversation.messages) if m.sender == "counsellor" and question.search(m.text)}


def _answers(index: int, asked: set[int], conversation: Conversation) -> bool:
    """Whether this visitor message follows the counsellor's question (within two turns)."""
    return index in asked or (index - 1 in asked and conversation.messages[index - 1].sender == "visitor")


def _all(text: str, patterns: tuple[re.Pattern[str], ...]) -> Iterator[tuple[str, tuple[int, int]]]:
    for pattern in patterns:
        for m in pattern.finditer(text):
            yield m.group("value"), m.span("value")


def _first(p: Profile, name: str, index: int, text: str, patterns: tuple[re.Pattern[str], ...], clean: Any) -> None:
    if getattr(p, name) is not None:
        return
    for value, span in _all(text, patterns):
        cleaned = clean(value)
        if cleaned:
            setattr(p, name, cleaned)
            p.evidence[name] = Evidence(index, *span)
            return


def _place(value: str, words: Lexicon) -> str | None:
    """The place's words up to the first that cannot be part of a name ("in utrecht en ...")."""
    kept = []
    for word in value.strip(" -'").split():
        if word in words.place_stop:
            break
        kept.append(word)
    return " ".join(kept) or None


def _school(value: str, words: Lexicon) -> str | None:
    school = " ".join(value.split())
    return None if school in words.not_schools else school


def _name(value: str, words: Lexicon) -> str | None:
    value = value.strip().lower()
    return None if value in words.not_names or len(value) < 2 or value.isdigit() else value


def _relation(p: Profile, index: int, text: str, words: Lexicon) -> None:
    if p.relation is not None:
        return
    for value, span in _all(text, words.relation_patterns):
        p.relation, p.about_other = value, True
        p.evidence["relation"] = Evidence(index, *span)
        if p.gender is None and words.relations.get(value):
            p.gender = words.relations[value]
            p.evidence["gender"] = Evidence(index, *span)
        return


def _gender(p: Profile, index: int, text: str, words: Lexicon, answer: bool) -> None:
    """What the visitor says they are, or answers when the counsellor asks "jongen of meisje?"."""
    if p.gender is not None:
        return
    said = (*words.gender_answer.items(), *words.gender_self.items()) if answer else words.gender_self.items()
    for gender, patterns in said:
        for pattern in patterns:
            if m := pattern.search(text):
                p.gender = gender
                p.evidence["gender"] = Evidence(index, *m.span())
                return


def _age(ages: dict[str, tuple[int, Evidence]], index: int, text: str, words: Lexicon, answer: bool) -> None:
    """The first age of each kind: the answer to the age question, the visitor's own, another's, or either."""
    low, high = words.age_range
    rules = ((AgeRule("answer", words.age_answer),) if answer else ()) + words.age_patterns
    blocked = [m.span() for m in words.age_not.finditer(text)]
    for rule in rules:
        if rule.who in ages:
            continue
        for m in rule.pattern.finditer(text):
            start, end = m.span("value")
            if any(b_start <= start < b_end for b_start, b_end in blocked):
                continue
            if low <= (age := int(m.group("value"))) <= high:
                ages[rule.who] = (age, Evidence(index, start, end))
                break


def _resolve_age(p: Profile, ages: dict[str, tuple[int, Evidence]]) -> None:
    """The age question's answer wins; then, for a visitor speaking of someone else, that person's age, never their own."""
    order = ("answer", "other", "any") if p.about_other else ("answer", "self", "any", "other")
    for who in order:
        if who in ages:
            p.age, evidence = ages[who]
            p.evidence["age_answer" if who == "answer" else "age"] = evidence
            return


def _facts(p: Profile, index: int, text: str, words: Lexicon) -> None:
    """Codebook categories the message speaks of; a one-answer variable keeps its first."""
    for variable, categories in words.facts.items():
        denies = variable not in words.negation.not_for
        for category, cues in categories.items():
            if category in p.facts.get(variable, ()):
                continue
            m = next((m for m in cues.finditer(text) if not (denies and _denied(text, m, words))), None)
            if m:
                p.facts.setdefault(variable, []).append(category)
                p.evidence.setdefault(f"{variable}.{category}", Evidence(index, *m.span()))
            if variable in words.single and variable in p.facts:
                break


def _answered(p: Profile, index: int, text: str, questions: list[AnswerRule], single: Collection[str]) -> None:
    """What a short answer to the counsellor's question says: "Heb je dit aan iemand verteld?" - "nee, niemand".
    It adds to what a variable of several answers holds ("Hoe oud is hij?" - "22": an age difference
    beside the threats); a variable of one answer keeps what was said outright."""
    for rule in questions:
        if rule.variable in p.facts and rule.variable in single:
            continue
        for category, answer in rule.answers.items():
            if m := answer.match(text):
                if category not in p.facts.get(rule.variable, ()):
                    p.facts.setdefault(rule.variable, []).append(category)
                    p.evidence[f"{rule.variable}.{category}"] = Evidence(index, *m.span())
                break


def _denied(text: str, cue: re.Match[str], words: Lexicon) -> bool:
    """Whether a cue is denied (a negation word close to it in its clause) or only feared (in its sentence)."""
    rules = words.negation

    def around(boundary: re.Pattern[str]) -> tuple[str, str]:
        starts = list(boundary.finditer(text, 0, cue.start()))
        after = boundary.search(text, cue.end())
        before = text[starts[-1].end() if starts else 0 : cue.start()]
        if starts and rules.condition.match(starts[-1].group()):
            before = ""  # "als ik niet kom doen ze ...": the negation is the condition's
        return before, text[cue.end() : after.start() if after else len(text)]

    before, behind = around(rules.clause_end)
    close = before.split()[-rules.near :] + behind.split()[: rules.near]
    if any(rules.words.match(word.strip(".,!?")) for word in close):
        return True
    return bool(rules.hypothetical.search(around(rules.sentence_end)[0]))


def _returning(p: Profile, index: int, text: str, words: Lexicon) -> None:
    if p.returning is not None:
        return
    for when, cues in words.returning.items():
        if m := cues.search(text):
            p.returning = when
            p.evidence["returning"] = Evidence(index, *m.span())
            return


def _platforms(p: Profile, index: int, text: str, words: Lexicon) -> None:
    for platform, pattern in words.platform_patterns.items():
        if platform not in p.platforms and (m := pattern.search(text)):
            p.platforms.append(platform)
            p.evidence.setdefault("platforms", Evidence(index, *m.span()))
            p.evidence[f"platforms.{platform}"] = Evidence(index, *m.span())


def _identifiers(p: Profile, index: int, text: str, secret: bytes) -> None:
    """Identifiers as keyed hashes: the tokens of a redacted store, or found and hashed here."""
    hashed = [(m.group("value"), m.span()) for m in TOKEN.finditer(text)]
    hashed += [(identifier_hash(secret, f.kind, f.value), (f.start, f.end)) for f in find_identifiers(text)]
    for value, span in hashed:
        if value not in p.identifiers:
            p.identifiers.append(value)
            p.evidence.setdefault(f"identifier.{value.split('-')[0]}", Evidence(index, *span))


def _start(p: Profile, index: int, text: str, words: Lexicon, chat: dt.date) -> None:
    """A start said as a month ("in juli vorig jaar", "sinds mei 2016"), a season ("sinds de
    zomervakantie") or a year ("sinds 2021"), as months before the chat. Only a month said is the
    start the codebook asks for; a season or a year says how long it has lasted."""
    for pattern in words.start:
        m = pattern.search(text)
        if not m:
            continue
        said = m.groupdict()  # `month`, `season`, `year` and `last_year` only where a pattern reads them
        if said.get("month"):
            month = words.months.index(said["month"]) + 1
        elif said.get("season") in words.seasons:
            month = words.seasons[said["season"]]
        elif said.get("year") and not said.get("season"):
            month = 7  # a year alone: reckoned from its middle
        else:
            continue
        year = int(said["year"]) if said.get("year") else chat.year - 1 if said.get("last_year") is not None else chat.year
        if year == chat.year and month > chat.month and not said.get("year"):
            year -= 1  # "in oktober" said in March is last October
        if (months := (chat.year * 12 + chat.month) - (year * 12 + month)) < 0:
            continue  # a start after the chat ("in mei 2021" in a chat of 2020) is no start to reckon from
        p.span_months = months
        p.evidence["span"] = Evidence(index, *m.span())
        if said.get("month"):
            p.evidence["start"] = p.evidence["span"]
        return


def _span(p: Profile, index: int, text: str, words: Lexicon, ages: dict[str, tuple[int, Evidence]]) -> None:
    if p.span_months is not None:
        return
    here = [e for _, e in ages.values() if e.message == index]
    for rule in words.span:
        m = rule.pattern.search(text)
        if not m or any(e.start < m.end() and m.start() < e.end for e in here):
            continue  # "ik ben bijna 16 jaar" is the age, not how long it lasts
        months = rule.months_of(m)
        if 0 <= months <= 240:
            p.span_months = months
            p.evidence["span"] = Evidence(index, *m.span())
            if rule.start:
                p.evidence["start"] = p.evidence["span"]
            return
