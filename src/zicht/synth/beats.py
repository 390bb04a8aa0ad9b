"""What a visitor tells in one chat, as beats: each coded fact one visitor turn, from the phrase bank.

A beat is (key, the counsellor's prompt before it, its template, the facts it is evidence
of, the identifiers it plants). The phrases are in `phrases.yaml`; here is which ones a
visitor's codes call for. Each step draws from `rng` in the order the chat is told, the
same order for every seed: do not reorder them.
"""

from __future__ import annotations

import random
from typing import Any

from zicht.synth.cases import Draft
from zicht.synth.persons import Person
from zicht.synth.phrases import bank, fill, pick

Beat = tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]]
ANSWERED_SHORT = 0.4  # the chance that a visitor answers the counsellor's question in a word or two ("nee, niemand")
DENIED = 0.2  # the chance that a visitor not coerced by violence says so ("hij slaat me niet hoor")
STORY_TOLD = 0.8  # the chance that a detail of the person's own story comes up in a chat
REPEATED_DETAIL = 0.7  # the chance that a personal detail of the first chat is given again
DETAIL_TOLD = {"place": 0.45, "name": 0.3, "school": 0.25, "phone": 0.2, "handle": 0.2}  # in a first chat; school only with a klas
PLACE_PHRASES = {"be": "country_be", "other": "country_other"}  # the identifiers' phrases for where a visitor lives, by country
THEME = "theme:"  # a fact key of its own for each corona theme: the message the synthetic researchers code as its passage


class _Beats(list[Beat]):
    """The beats told so far, in order."""

    def add(
        self,
        key: str,
        template: str,
        facts: tuple[str, ...],
        prompt: str = "",
        plant: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.append((key, prompt, template, facts, plant))


def beats_of(
    d: Draft,
    person: Person,
    view: str,
    slots: dict[str, str],
    rng: random.Random,
    returning: bool = False,
    told_before: frozenset[str] = frozenset(),
) -> tuple[list[Beat], frozenset[str]]:
    """The beats of one chat, the form first and the rest shuffled, and which personal details they give."""
    v: dict[str, Any] = d.values
    beats = _Beats()
    _form(beats, v, person, view, slots, rng)
    _situation(beats, v, view, slots, rng)
    _others(beats, v, view, rng)
    _background(beats, v, view, rng)
    details, told = _details(v, person, view, slots, rng, returning, told_before)
    _story(beats, person, view, slots, rng)
    planted = {"place": person.place, "name": person.own_name, "school": person.school, "phone": person.phone, "handle": person.handle}
    for kind in sorted(told):
        template, facts = details[kind]
        beats.add(kind, template, facts, plant=((kind, planted[kind]),))
    first, rest = beats[:1], beats[1:]
    rng.shuffle(rest)
    return first + rest, frozenset(told)


def _form(beats: _Beats, v: dict[str, Any], person: Person, view: str, slots: dict[str, str], rng: random.Random) -> None:
    """The opening: each form of exploitation (each criminal act), and the perpetrator if no form named them."""
    b = bank()
    role = v.get("visitor_role")
    form = v.get("form")
    perp_facts = ("perpetrator", "family_perpetrator") if v.get("perpetrator") else ()
    plant_perp = (("name", person.perp_name),) if "{pname}" in slots.get("_perp_template", "") else ()
    if form is None:
        beats.add("form", pick(rng, b["form"]["unnamed"][view]), perp_facts, plant=plant_perp)
    else:
        if "sexual" in form:
            options = b["form"]["sexual"]["client" if role == "client" else view]
            modality = ("sexual_modality",) if v.get("sexual_modality") == frozenset({"physical"}) else ()
            beats.add("form", pick(rng, options), ("form", *modality, *perp_facts), plant=plant_perp)
        if "criminal" in form:
            acts = sorted(v.get("criminal_acts") or {"unknown"})
            for i, act in enumerate(acts):
                facts = ("form", "criminal_acts", *perp_facts) if i == 0 else ("criminal_acts",)
                beats.add("form", pick(rng, b["form"]["criminal"][act][view]), facts, plant=plant_perp)
        if "labour" in form:
            beats.add(
                "form",
                pick(rng, b["form"]["labour"][view]),
                ("form", *perp_facts),
                plant=plant_perp,
            )
    if perp_facts and not any("{perp}" in beat[2] for beat in beats):
        beats.add("perp", pick(rng, b["perp_named"][view]), perp_facts, plant=plant_perp)


def _situation(beats: _Beats, v: dict[str, Any], view: str, slots: dict[str, str], rng: random.Random) -> None:
    """Webcam, the victim's gender and age, acute danger, and since when."""
    b, c = bank(), bank()["counsellor"]
    if "webcam" in (modality := v.get("sexual_modality") or ()):
        beats.add(
            "webcam",
            pick(rng, b["webcam"]["also" if "physical" in modality else "only"]),
            ("sexual_modality",),
        )
    if view == "self" and v.get("victim_gender"):
        beats.add("gender", pick(rng, b["gender"]["self"][v["victim_gender"]]), ("victim_gender",))
    if v.get("victim_age") is not None:
        templates = [t for t in b["age"][view] if "{klas}" not in t or slots.get("klas")]
        if rng.random() < 0.5:
            prompt = fill(pick(rng, c["ask_age" if view == "self" else "ask_age_other"]), slots)
            beats.add(
                "age",
                pick(rng, b["age"]["answer"] if view == "self" else templates),
                ("victim_age",),
                prompt,
            )
        else:
            beats.add("age", pick(rng, templates), ("victim_age",))
    if acute := v.get("acute_unsafe"):
        prompt = pick(rng, c["ask_safe"]) if view == "self" and rng.random() < 0.5 else ""
        answers = b["answer"]["acute"][acute] if prompt and rng.random() < ANSWERED_SHORT else b["acute"][acute][view]
        beats.add("acute", pick(rng, answers), ("acute_unsafe",), prompt)
    if v.get("duration") or v.get("exploitation_start"):
        facts = tuple(k for k in ("duration", "exploitation_start") if v.get(k))
        prompt = pick(rng, c["ask_since"]) if rng.random() < 0.4 else ""
        templates = b["since"][view]
        if not v.get("exploitation_start"):
            templates = [t for t in templates if "{start}" not in t]
        elif not v.get("duration"):
            templates = [t for t in templates if "{span}" not in t]
        else:
            templates = [t for t in templates if "{start}" in t]
        beats.add("since", pick(rng, templates), facts, prompt)


def _others(beats: _Beats, v: dict[str, Any], view: str, rng: random.Random) -> None:
    """More perpetrators, other victims (siblings by name), and each means of coercion."""
    b = bank()
    if v.get("multiple_perpetrators"):
        beats.add("multi", pick(rng, b["multiple_perpetrators"][view]), ("multiple_perpetrators",))
    if siblings := v.get("sibling_victims"):
        for s in sorted(siblings):
            beats.add(
                "siblings",
                pick(rng, b["sibling_victims"][s][view]),
                ("other_victims", "sibling_victims"),
            )
    elif v.get("other_victims"):
        beats.add("victims", pick(rng, b["other_victims"][view]), ("other_victims",))
    for means in sorted(v.get("coercion") or ()):
        beats.add("coercion", pick(rng, b["coercion"][means][view]), ("coercion",))
    if view == "self" and v.get("coercion") and "violence" not in v["coercion"] and rng.random() < DENIED:
        beats.add("denied", pick(rng, b["denied"]["violence"]), ())


def _background(beats: _Beats, v: dict[str, Any], view: str, rng: random.Random) -> None:
    """Whom the visitor told before, how victim and perpetrator met (on which platforms), and corona."""
    b, c = bank(), bank()["counsellor"]
    if (fd := v.get("first_disclosure")) is not None:
        prompt = pick(rng, c["ask_told"]) if rng.random() < 0.6 else ""
        answers = b["answer"]["first_disclosure"][fd] if prompt and rng.random() < ANSWERED_SHORT else b["first_disclosure"][fd]
        beats.add("disclosure", pick(rng, answers), ("first_disclosure",), prompt)
        for told in sorted(v.get("told_before") or ()):
            beats.add("disclosure", pick(rng, b["told_before"][told]), ("told_before",))
    if meeting := v.get("meeting"):
        prompt = pick(rng, c["ask_met"]) if view == "self" and rng.random() < 0.4 else ""
        platforms = sorted(v.get("platform") or ())
        if meeting == "online" and platforms:
            for i, platform in enumerate(platforms):
                slots_platform = rng.choice(b["platform_words"][platform])
                template = pick(rng, b["meeting"]["online"]).replace("{platform}", slots_platform)
                beats.add(
                    "meeting",
                    template,
                    ("meeting", "platform") if i == 0 else ("platform",),
                    prompt if i == 0 else "",
                )
        else:
            beats.add(
                "meeting",
                pick(rng, b["meeting"]["online_no_platform" if meeting == "online" else "offline"]),
                ("meeting",),
                prompt,
            )
    for theme in sorted(v.get("corona_themes") or ()):
        beats.add("corona", pick(rng, b["corona"][theme]), ("corona_link", "corona_themes", f"{THEME}{theme}"))


def _details(
    v: dict[str, Any],
    person: Person,
    view: str,
    slots: dict[str, str],
    rng: random.Random,
    returning: bool,
    told_before: frozenset[str],
) -> tuple[dict[str, tuple[str, tuple[str, ...]]], set[str]]:
    """A phrase for each personal detail (place, name, school, phone, handle), and which of them are told."""
    b = bank()
    abroad = v.get("country") in ("be", "other")
    details: dict[str, tuple[str, tuple[str, ...]]] = {
        "place": (
            pick(rng, b["identifiers"][PLACE_PHRASES.get(str(v.get("country")), "place")]),
            ("country",) if abroad else (),
        ),
        "name": (pick(rng, b["identifiers"]["own_name"]), ()),
        "school": (pick(rng, b["identifiers"]["school"]), ()),
        "phone": (pick(rng, b["identifiers"]["phone"]), ()),
        "handle": (pick(rng, b["identifiers"]["handle"]), ()),
    }
    if view != "self":
        del details["name"]
    if returning:  # a visitor who comes back gives three of their details each time, not always the same
        told = _returning_details(sorted(details), told_before, rng) | ({"place"} if abroad else set())
    else:
        chance = {**DETAIL_TOLD, "school": DETAIL_TOLD["school"] if slots.get("klas") else 0.0}
        always = {"place"} if abroad else set()
        if person.near_miss:  # says what they share with someone else, and one thing that tells them apart
            always |= {"place", rng.choice(sorted(set(details) & {"name", "school", "phone", "handle"}))}
        told = {kind for kind in details if kind in always or rng.random() < chance[kind]}
    return details, told


def _story(beats: _Beats, person: Person, view: str, slots: dict[str, str], rng: random.Random) -> None:
    """The details of the person's own story that come up in this chat."""
    b = bank()
    for kind, story_slots in sorted(person.story.items()):
        if view in b["story"][kind]["told_by"] and rng.random() < STORY_TOLD:
            beats.add("story", fill(pick(rng, b["story"][kind]["templates"]), {**slots, **story_slots}), ())


def _returning_details(kinds: list[str], told_before: frozenset[str], rng: random.Random) -> set[str]:
    """Three details; on the retelling each of the first chat's comes back with REPEATED_DETAIL."""
    kept = {kind for kind in kinds if kind in told_before and rng.random() < REPEATED_DETAIL}
    unsaid = [kind for kind in kinds if kind not in told_before]
    fresh = rng.sample(unsaid, len(unsaid))
    dropped = rng.sample(sorted(told_before - kept), len(told_before - kept))
    return kept | set((fresh + dropped)[: max(0, 3 - len(kept))])
