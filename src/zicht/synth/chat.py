"""Chats as young people write them, rendered from a synthetic visitor's codes.

Each coded fact becomes one visitor turn (from many phrasings, in random order, often after
a counsellor's question), so a careful reader can recover every code; the message index
of each is kept as the evidence. Names, places, numbers and handles are planted with their
character positions for the truth file.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from zicht.synth.cases import Draft
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


@cache
def bank() -> dict[str, Any]:
    text = (resources.files("zicht.synth") / "phrases.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


@dataclass
class Person:
    """The synthetic human behind one or more conversations (truth file only)."""

    person_id: str
    own_name: str
    place: str
    school: str
    perp_name: str
    phone: str
    handle: str
    perp_age: int
    story: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> slots: what makes their story their own
    near_miss: bool = False  # shares age, place and perpetrator's name with someone else, and says them


def story_details(rng: random.Random) -> dict[str, dict[str, str]]:
    """Two or three details of one person's own story ("een witte audi"), the slots drawn once for life."""
    kinds = bank()["story"]
    chosen = rng.sample(sorted(kinds), rng.choice([2, 2, 3]))
    slots = {kind: {slot: values for slot, values in kinds[kind].items() if slot not in ("templates", "told_by")} for kind in chosen}
    return {kind: {slot: rng.choice(values) for slot, values in options.items()} for kind, options in slots.items()}


@dataclass
class Rendered:
    messages: list[Message] = field(default_factory=list)
    evidence: dict[str, int] = field(default_factory=dict)
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    details: frozenset[str] = frozenset()  # which personal details (place, name, ...) the visitor gave


def make_person(person_id: str, draft: Draft, rng: random.Random) -> Person:
    b = bank()
    gender = "male" if draft.get("victim_gender") == "male" else "female"
    perp_first = rng.choice(b["names"]["male"])
    place = rng.choice(b["places_be"] if draft.get("country") == "be" else b["places"])
    return Person(
        person_id=person_id,
        own_name=rng.choice(b["names"][gender]),
        place=place,
        school=rng.choice(b["schools"]),
        perp_name=perp_first,
        phone=rng.choice(["06-{}{}", "06{}{}", "+31 6 {} {}", "06 {} {}"]).format(rng.randrange(1000, 9999), rng.randrange(1000, 9999)),
        handle="@" + perp_first.lower() + rng.choice(["", "_", "."]) + rng.choice(b["handle_tails"]) + str(rng.randrange(1, 100)),
        perp_age=rng.randrange(24, 45),
        story=story_details(rng),
    )


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
        text = _fill(template, slots)
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


def _fill(template: str, slots: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: slots.get(m.group(1), m.group(0)), template)


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


def _pick(rng: random.Random, options: list[str]) -> str:
    return rng.choice(options)


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
    chat.say("visitor", _pick(rng, b["visitor"]["greet"]), slots, facts)
    chat.say("counsellor", _pick(rng, c["open"]), slots)
    if rng.random() < (RETURN_CUE if retell else RETURN_CUE_OTHERS):
        chat.say("visitor", _pick(rng, b["visitor"]["returning" if retell else "returning_long_ago"]), slots)
    if v.get("language") == "other":
        chat.say("visitor", _pick(rng, b["visitor"]["language_other"]), slots, ("language",))
    if d.group == "not_trafficking":
        reason = str(v.get("not_trafficking_reason"))
        chat.say(
            "visitor",
            _pick(rng, b["not_trafficking"][reason]),
            slots,
            ("about_trafficking", "not_trafficking_reason"),
        )
        chat.say("counsellor", _pick(rng, c["ack"]), slots)
        chat.say("visitor", _pick(rng, b["visitor"]["thanks"]), slots)
        chat.say("counsellor", _pick(rng, c["close"]), slots)
        chat.out.evidence.setdefault("country", 0)
        return chat.out
    opening_facts = ("about_trafficking", "visitor_role") + (("victim_gender",) if view == "other" and gender != "unknown" else ())
    chat.say("visitor", _pick(rng, b["role"][role]), slots, opening_facts)
    beats, chat.out.details = _beats(d, person, view, slots, rng, returning, told_before)
    if retell:  # tells less, but a returning visitor's details (name, place, school, ...) come back
        beats = [beat for beat in beats if beat[0] in KEPT_ON_RETELL or rng.random() < RETOLD]
    for _key, prompt, template, facts, plant in beats:
        if prompt:
            chat.say("counsellor", prompt, slots)
        elif rng.random() < 0.35:
            chat.say("counsellor", _pick(rng, c["ack"]), slots)
        chat.say("visitor", template, slots, facts, plant)
    chat.say("counsellor", _pick(rng, c["close"]), slots)
    chat.say("visitor", _pick(rng, b["visitor"]["thanks"]), slots)
    chat.out.evidence.setdefault("country", 0)  # a Dutch chat from the Netherlands says so by itself
    return chat.out


def render_other_subject(subject: str, start: dt.datetime, rng: random.Random) -> Rendered:
    """A chat the counsellors did not flag: one of the helpline's other subjects, in a few turns."""
    b = bank()
    c = b["counsellor"]
    chat = _Chat(start, rng)
    chat.say("visitor", _pick(rng, b["visitor"]["greet"]), {})
    chat.say("counsellor", _pick(rng, c["open"]), {})
    told = rng.sample(b["unflagged"][subject], min(len(b["unflagged"][subject]), rng.choice([1, 2])))
    for text in [*told, *rng.sample(b["unflagged"]["more"], rng.choice([0, 1, 2]))]:
        chat.say("visitor", text, {})
        if rng.random() < 0.5:
            chat.say("counsellor", _pick(rng, c["ack"]), {})
    chat.say("counsellor", _pick(rng, c["close"]), {})
    chat.say("visitor", _pick(rng, b["visitor"]["thanks"]), {})
    return chat.out


Beat = tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]]
KEPT_ON_RETELL = frozenset({"form", "place", "name", "school", "phone", "handle", "story"})
STORY_TOLD = 0.8  # the chance that a detail of the person's own story comes up in a chat
RETOLD = 0.75  # the chance that a part of the story comes back in the later chat
RETURN_CUE = 0.6  # the chance that a returning visitor says so ("ik heb vorige week ook gechat")
RETURN_CUE_OTHERS = 0.04  # ... and that someone else says they chatted once, long ago
REPEATED_DETAIL = 0.7  # the chance that a personal detail of the first chat is given again


def _beats(
    d: Draft,
    person: Person,
    view: str,
    slots: dict[str, str],
    rng: random.Random,
    returning: bool = False,
    told_before: frozenset[str] = frozenset(),
) -> tuple[list[Beat], frozenset[str]]:
    b, c = bank(), bank()["counsellor"]
    v: dict[str, Any] = d.values
    role = v.get("visitor_role")
    beats: list[Beat] = []

    def add(
        key: str,
        template: str,
        facts: tuple[str, ...],
        prompt: str = "",
        plant: tuple[tuple[str, str], ...] = (),
    ) -> None:
        beats.append((key, prompt, template, facts, plant))

    form = v.get("form")
    perp_facts = ("perpetrator", "family_perpetrator") if v.get("perpetrator") else ()
    plant_perp = (("name", person.perp_name),) if "{pname}" in slots.get("_perp_template", "") else ()
    before = len(beats)
    if form is None:
        add("form", _pick(rng, b["form"]["unnamed"][view]), perp_facts, plant=plant_perp)
    else:
        if "sexual" in form:
            options = b["form"]["sexual"]["client" if role == "client" else view]
            modality = ("sexual_modality",) if v.get("sexual_modality") == frozenset({"physical"}) else ()
            add("form", _pick(rng, options), ("form", *modality, *perp_facts), plant=plant_perp)
        if "criminal" in form:
            acts = sorted(v.get("criminal_acts") or {"unknown"})
            for i, act in enumerate(acts):
                facts = ("form", "criminal_acts", *perp_facts) if i == 0 else ("criminal_acts",)
                add("form", _pick(rng, b["form"]["criminal"][act][view]), facts, plant=plant_perp)
        if "labour" in form:
            add(
                "form",
                _pick(rng, b["form"]["labour"][view]),
                ("form", *perp_facts),
                plant=plant_perp,
            )
    if perp_facts and not any("{perp}" in beat[2] for beat in beats[before:]):
        add("perp", _pick(rng, b["perp_named"][view]), perp_facts, plant=plant_perp)
    if "webcam" in (modality := v.get("sexual_modality") or ()):
        add(
            "webcam",
            _pick(rng, b["webcam"]["also" if "physical" in modality else "only"]),
            ("sexual_modality",),
        )
    if view == "self" and v.get("victim_gender"):
        add("gender", _pick(rng, b["gender"]["self"][v["victim_gender"]]), ("victim_gender",))
    if v.get("victim_age") is not None:
        templates = [t for t in b["age"][view] if "{klas}" not in t or slots.get("klas")]
        if rng.random() < 0.5:
            prompt = _fill(_pick(rng, c["ask_age" if view == "self" else "ask_age_other"]), slots)
            add(
                "age",
                _pick(rng, b["age"]["answer"] if view == "self" else templates),
                ("victim_age",),
                prompt,
            )
        else:
            add("age", _pick(rng, templates), ("victim_age",))
    if acute := v.get("acute_unsafe"):
        prompt = _pick(rng, c["ask_safe"]) if view == "self" and rng.random() < 0.5 else ""
        add("acute", _pick(rng, b["acute"][acute][view]), ("acute_unsafe",), prompt)
    if v.get("duration") or v.get("exploitation_start"):
        facts = tuple(k for k in ("duration", "exploitation_start") if v.get(k))
        prompt = _pick(rng, c["ask_since"]) if rng.random() < 0.4 else ""
        templates = b["since"][view]
        if not v.get("exploitation_start"):
            templates = [t for t in templates if "{start}" not in t]
        elif not v.get("duration"):
            templates = [t for t in templates if "{span}" not in t]
        else:
            templates = [t for t in templates if "{start}" in t]
        add("since", _pick(rng, templates), facts, prompt)
    if v.get("multiple_perpetrators"):
        add("multi", _pick(rng, b["multiple_perpetrators"][view]), ("multiple_perpetrators",))
    if siblings := v.get("sibling_victims"):
        for s in sorted(siblings):
            add(
                "siblings",
                _pick(rng, b["sibling_victims"][s][view]),
                ("other_victims", "sibling_victims"),
            )
    elif v.get("other_victims"):
        add("victims", _pick(rng, b["other_victims"][view]), ("other_victims",))
    for means in sorted(v.get("coercion") or ()):
        add("coercion", _pick(rng, b["coercion"][means][view]), ("coercion",))
    if (fd := v.get("first_disclosure")) is not None:
        prompt = _pick(rng, c["ask_told"]) if rng.random() < 0.6 else ""
        add("disclosure", _pick(rng, b["first_disclosure"][fd]), ("first_disclosure",), prompt)
        for told in sorted(v.get("told_before") or ()):
            add("disclosure", _pick(rng, b["told_before"][told]), ("told_before",))
    if meeting := v.get("meeting"):
        prompt = _pick(rng, c["ask_met"]) if view == "self" and rng.random() < 0.4 else ""
        platforms = sorted(v.get("platform") or ())
        if meeting == "online" and platforms:
            for i, platform in enumerate(platforms):
                slots_platform = rng.choice(b["platform_words"][platform])
                template = _pick(rng, b["meeting"]["online"]).replace("{platform}", slots_platform)
                add(
                    "meeting",
                    template,
                    ("meeting", "platform") if i == 0 else ("platform",),
                    prompt if i == 0 else "",
                )
        else:
            add(
                "meeting",
                _pick(rng, b["meeting"]["online_no_platform" if meeting == "online" else "offline"]),
                ("meeting",),
                prompt,
            )
    for theme in sorted(v.get("corona_themes") or ()):
        add("corona", _pick(rng, b["corona"][theme]), ("corona_link", "corona_themes"))
    abroad = v.get("country") in ("be", "other")
    details = {
        "place": (
            _pick(rng, b["identifiers"][{"be": "country_be", "other": "country_other"}.get(str(v.get("country")), "place")]),
            ("country",) if abroad else (),
        ),
        "name": (_pick(rng, b["identifiers"]["own_name"]), ()),
        "school": (_pick(rng, b["identifiers"]["school"]), ()),
        "phone": (_pick(rng, b["identifiers"]["phone"]), ()),
        "handle": (_pick(rng, b["identifiers"]["handle"]), ()),
    }
    if view != "self":
        del details["name"]
    if returning:  # a visitor who comes back gives three of their details each time, not always the same
        told = _returning_details(sorted(details), told_before, rng) | ({"place"} if abroad else set())
    else:
        chance = {"place": 0.45, "name": 0.3, "school": 0.25 if slots.get("klas") else 0.0, "phone": 0.2, "handle": 0.2}
        always = {"place"} if abroad else set()
        if person.near_miss:  # says what they share with someone else, and one thing that tells them apart
            always |= {"place", rng.choice(sorted(set(details) & {"name", "school", "phone", "handle"}))}
        told = {kind for kind in details if kind in always or rng.random() < chance[kind]}
    for kind, story_slots in sorted(person.story.items()):
        if view in b["story"][kind]["told_by"] and rng.random() < STORY_TOLD:
            add("story", _fill(_pick(rng, b["story"][kind]["templates"]), {**slots, **story_slots}), ())
    planted = {"place": person.place, "name": person.own_name, "school": person.school, "phone": person.phone, "handle": person.handle}
    for kind in sorted(told):
        template, facts = details[kind]
        add(kind, template, facts, plant=((kind, planted[kind]),))
    first, rest = beats[:1], beats[1:]
    rng.shuffle(rest)
    return first + rest, frozenset(told)


def _returning_details(kinds: list[str], told_before: frozenset[str], rng: random.Random) -> set[str]:
    """Three details; on the retelling each of the first chat's comes back with REPEATED_DETAIL."""
    kept = {kind for kind in kinds if kind in told_before and rng.random() < REPEATED_DETAIL}
    unsaid = [kind for kind in kinds if kind not in told_before]
    fresh = rng.sample(unsaid, len(unsaid))
    dropped = rng.sample(sorted(told_before - kept), len(told_before - kept))
    return kept | set((fresh + dropped)[: max(0, 3 - len(kept))])


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
    slots["perp"] = _fill(template, slots)
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
