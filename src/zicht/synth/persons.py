"""The synthetic people behind the chats: names, place, school, phone, handle and their own story."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from zicht.synth.cases import Draft
from zicht.synth.phrases import bank


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
