"""Chats as young people write them, rendered from a synthetic visitor's codes.

Each coded fact becomes one visitor turn (from many phrasings, in random order, often after
a counsellor's question), so a careful reader can recover every code; the message index
of each is kept as the evidence. Names, places, numbers and handles are planted with their
character positions for the truth file. Which turns a visitor's codes call for is
`beats`'s; who the visitor is, `persons`'; the phrasings, `phrases.yaml`'s.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from typing import Any

from zicht.synth.beats import beats_of
from zicht.synth.cases import Draft
from zicht.synth.persons import Person
from zicht.synth.phrases import bank, fill, pick
from zicht.transcripts.model import Message

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]  # fmt: skip
_UNITS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
          "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
          "negentien"]  # fmt: skip
_TENS = {20: "twintig", 30: "dertig", 40: "veertig", 50: "vijftig"}
_EMOJI = ["😢", "😔", "🙁", "😞", "💔", "🥺", "😭", "🙈", ":(", "..."]
_ABBREVIATIONS = [(r"\bmijn\b", "mn"), (r"\beven\b", "ff"), (r"\bik weet het niet\b", "idk"),
                  (r"\bniet\b", "nie"), (r"\bwat\b", "wt"), (r"\bheel\b", "echt heel"),
                  (r"\bnaaktfotos\b", "nudes")]  # fmt: skip
_ABBREVIATION_CHANCE = [0.5, 0.3, 0.6, 0.08, 0.05, 0.1, 0.2]


def number_word(n: int) -> str:
    """A Dutch number word for an age, as a visitor may type it (`zestien`, `eenentwintig`)."""
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _TENS[tens * 10]
    link = "ën" if _UNITS[unit].endswith("e") else "en"
    return f"{_UNITS[unit]}{link}{_TENS[tens * 10]}"


@dataclass
class Rendered:
    messages: list[Message] = field(default_factory=list)
    evidence: dict[str, int] = field(default_factory=dict)
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    details: frozenset[str] = frozenset()  # which personal details (place, name, ...) the visitor gave


class _Chat:
    """Accumulates turns; visitor turns get chat noise in their template text only."""

    def __init__(self, start: dt.datetime, rng: random.Random) -> None:
        self.rng, self.at, self.out = rng, start, Rendered()

    def say(
        self,
        sender: str,
        template: str,
        slots: dict[str, str],
        facts: tuple[str, ...] = (),
        plant: tuple[tuple[str, str], ...] = (),
    ) -> None:
        if sender == "visitor":
            template = _noise(template, self.rng)
        text = fill(template, slots)
        if sender == "visitor" and self.rng.random() < 0.18:
            text += " " + self.rng.choice(_EMOJI)
        index = len(self.out.messages)
        self.at += dt.timedelta(seconds=self.rng.randrange(15, 200))
        self.out.messages.append(Message(self.at, "visitor" if sender == "visitor" else "counsellor", text))
        for fact in facts:
            self.out.evidence.setdefault(fact, index)
        for kind, value in plant:
            start = text.find(value)
            if start >= 0:
                self.out.identifiers.append(
                    {
                        "kind": kind,
                        "value": value,
                        "message": index,
                        "start": start,
                        "end": start + len(value),
                    }
                )


def _noise(template: str, rng: random.Random) -> str:
    text = template
    for (pattern, short), chance in zip(_ABBREVIATIONS, _ABBREVIATION_CHANCE, strict=True):
        if rng.random() < chance:
            text = re.sub(pattern, short, text)
    words = text.split(" ")
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and "{" not in w and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    text = " ".join(words)
    if rng.random() < 0.3 and text[:1].isalpha():
        text = text[0].upper() + text[1:]
    if rng.random() < 0.2:
        text += rng.choice([".", "!", "?", " ..", "!!"])
    return text


def render_chat(
    d: Draft,
    person: Person,
    start: dt.datetime,
    rng: random.Random,
    retell: bool = False,
    age_shift: int = 0,
    returning: bool = False,
    told_before: frozenset[str] = frozenset(),
) -> Rendered:
    """One conversation of this visitor; `retell` is a later chat that tells less, differently.

    A `returning` visitor gives three personal details in each chat; on the retelling, mostly
    the ones of `told_before` (the first chat's), and often says they have chatted before.
    """
    b = bank()
    chat = _Chat(start, rng)
    v: dict[str, Any] = d.values
    role = v.get("visitor_role") or "victim"
    view = "self" if role == "victim" else "other"
    gender = v.get("victim_gender") or "unknown"
    slots = _slots(d, person, view, gender, rng, age_shift)
    c = b["counsellor"]
    facts = ("channel", "first_chat") + (("language",) if v.get("language") == "nl" else ())
    chat.say("visitor", pick(rng, b["visitor"]["greet"]), slots, facts)
    chat.say("counsellor", pick(rng, c["open"]), slots)
    if rng.random() < (RETURN_CUE if retell else RETURN_CUE_OTHERS):
        chat.say("visitor", pick(rng, b["visitor"]["returning" if retell else "returning_long_ago"]), slots)
    if v.get("language") == "other":
        chat.say("visitor", pick(rng, b["visitor"]["language_other"]), slots, ("language",))
    if d.group == "not_trafficking":
        reason = str(v.get("not_trafficking_reason"))
        chat.say(
            "visitor",
            pick(rng, b["not_trafficking"][reason]),
            slots,
            ("about_trafficking", "not_trafficking_reason"),
        )
        chat.say("counsellor", pick(rng, c["ack"]), slots)
        chat.say("visitor", pick(rng, b["visitor"]["thanks"]), slots)
        chat.say("counsellor", pick(rng, c["close"]), slots)
        chat.out.evidence.setdefault("country", 0)
        return chat.out
    opening_facts = ("about_trafficking", "visitor_role") + (("victim_gender",) if view == "other" and gender != "unknown" else ())
    chat.say("visitor", pick(rng, b["role"][role]), slots, opening_facts)
    beats, chat.out.details = beats_of(d, person, view, slots, rng, returning, told_before)
    if retell:  # tells less, but a returning visitor's details (name, place, school, ...) come back
        beats = [beat for beat in beats if beat[0] in KEPT_ON_RETELL or rng.random() < RETOLD]
    for _key, prompt, template, facts, plant in beats:
        if prompt:
            chat.say("counsellor", prompt, slots)
        elif rng.random() < 0.35:
            chat.say("counsellor", pick(rng, c["ack"]), slots)
        chat.say("visitor", template, slots, facts, plant)
    chat.say("counsellor", pick(rng, c["close"]), slots)
    chat.say("visitor", pick(rng, b["visitor"]["thanks"]), slots)
    chat.out.evidence.setdefault("country", 0)  # a Dutch chat from the Netherlands says so by itself
    return chat.out


def render_other_subject(subject: str, start: dt.datetime, rng: random.Random) -> Rendered:
    """A chat the counsellors did not flag: one of the helpline's other subjects, in a few turns."""
    b = bank()
    c = b["counsellor"]
    chat = _Chat(start, rng)
    chat.say("visitor", pick(rng, b["visitor"]["greet"]), {})
    chat.say("counsellor", pick(rng, c["open"]), {})
    if subject == "hoi_only":  # the visitor leaves before saying why they came
        if rng.random() < 0.5:
            chat.say("counsellor", pick(rng, c["still_there"]), {})
        return chat.out
    told = rng.sample(b["unflagged"][subject], min(len(b["unflagged"][subject]), rng.choice([1, 2])))
    for text in [*told, *rng.sample(b["unflagged"]["more"], rng.choice([0, 1, 2]))]:
        chat.say("visitor", text, {})
        if rng.random() < 0.5:
            chat.say("counsellor", pick(rng, c["ack"]), {})
    chat.say("counsellor", pick(rng, c["close"]), {})
    chat.say("visitor", pick(rng, b["visitor"]["thanks"]), {})
    return chat.out


KEPT_ON_RETELL = frozenset({"form", "place", "name", "school", "phone", "handle", "story"})
RETOLD = 0.75  # the chance that a part of the story comes back in the later chat
RETURN_CUE = 0.6  # the chance that a returning visitor says so ("ik heb vorige week ook gechat")
RETURN_CUE_OTHERS = 0.04  # ... and that someone else says they chatted once, long ago


def _slots(d: Draft, person: Person, view: str, gender: str, rng: random.Random, age_shift: int) -> dict[str, str]:
    b = bank()
    v: dict[str, Any] = d.values
    pronouns = {
        "female": ("ze", "haar", "haar"),
        "male": ("hij", "hem", "zijn"),
        "unknown": ("die", "diegene", "diens"),
    }
    ze, haar, zijn = pronouns[gender]
    slots = {"ze": ze, "haar": haar, "zijn": zijn, "pname": person.perp_name, "own_name": person.own_name,
             "place": person.place, "school": person.school, "phone": person.phone, "handle": person.handle,
             "perp_age": str(person.perp_age)}  # fmt: skip
    role = v.get("visitor_role") or "victim"
    if view == "other":
        slots["v"] = rng.choice(b["relation"][role][gender])
        slots["V"] = slots["v"][0].upper() + slots["v"][1:]
    perp = v.get("perpetrator")
    source = b["perp"] if view == "self" else b["perp_other_view"]
    if perp is None:
        options = ["iemand", "die persoon"] if view == "self" else ["iemand"]
    elif perp == "family":
        options = source["family"][v.get("family_perpetrator") or "other_family"]
    else:
        options = source[perp]
    named = [option for option in options if "{pname}" in option]
    template = rng.choice(named if person.near_miss and named else options)
    slots["_perp_template"] = template
    slots["perp"] = fill(template, slots)
    if (age := v.get("victim_age")) is not None:
        shown = int(age) + age_shift
        slots["age"] = str(shown)
        slots["age_word"] = number_word(shown)
        if 12 <= shown <= 17:
            slots["klas"] = f"de {shown - 11}e"
    start, duration = v.get("exploitation_start"), v.get("duration")
    if duration:
        slots["span"] = rng.choice(b["span"][duration])
    if start:
        slots["start"] = _start_phrase(start, v["first_chat"], rng)
    return slots


def _start_phrase(start: dt.date, first_chat: dt.date, rng: random.Random) -> str:
    month = MONTHS[start.month - 1]
    if start.year == first_chat.year:
        return rng.choice([f"in {month}", f"sinds {month}", f"begin {month}"]) if start.month != first_chat.month else "deze maand"
    if start.year == first_chat.year - 1:
        return rng.choice([f"vorig jaar in {month}", f"in {month} vorig jaar", f"in {month} {start.year}"])
    return rng.choice([f"in {month} {start.year}", f"ergens in {month} {start.year}"])
