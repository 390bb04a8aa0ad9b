"""Who the synthetic visitors are: case-level codes drawn to hit a calibration profile exactly.

Every count in the profile (profiles/YEAR.yaml) is met exactly; the seed decides only which
visitor gets what, and the dates. The steps run in an order where later quotas can always
be met: the corona chats and new situations are placed before ages and durations are
dealt out around them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from zicht.codebook import Value

MONTH_DURATION = (("lt_3m", 0, 2), ("3_12m", 3, 11), ("1_2y", 12, 23), ("gt_2y", 24, 72))
_MIN_YEARS = {"lt_3m": 0.0, "3_12m": 0.25, "1_2y": 1.0, "gt_2y": 2.0}


@dataclass
class Draft:
    """One synthetic visitor: their codes and the facts only the generator knows."""

    index: int
    group: str
    values: dict[str, Value] = field(default_factory=dict)
    corona: bool = False
    new_situation: bool = False
    late_duplicate: bool = False

    def get(self, variable: str) -> Any:
        return self.values.get(variable)


def load_profile(year: int) -> dict[str, Any]:
    path = resources.files("zicht.synth") / "profiles" / f"{year}.yaml"
    if not path.is_file():
        raise ValueError(f"no calibration profile for {year}; there are profiles for 2019 and 2020")
    profile: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return profile


def allocate(profile: dict[str, Any], rng: random.Random) -> list[Draft]:
    """The unique visitors of one year: those about trafficking, then those not about it."""
    year = int(profile["year"])
    drafts: list[Draft] = []
    for group, spec in profile["groups"].items():
        members = [Draft(len(drafts) + i, group) for i in range(spec["size"])]
        drafts.extend(members)
        _group(members, group, spec, year, rng)
    _coercion(drafts, profile["coercion"], rng)
    _meeting(drafts, profile["meeting"], rng)
    _first_disclosure(drafts, profile["first_disclosure"], rng)
    _corona_themes(drafts, profile.get("corona_themes") or {}, rng)
    for reason, n in profile["not_trafficking"].items():
        for _ in range(n):
            d = Draft(len(drafts), "not_trafficking")
            d.values.update(about_trafficking="no", not_trafficking_reason=reason)
            d.values["first_chat"] = _day(year, 1, 12, rng)
            drafts.append(d)
    _everyone(drafts, profile, rng)
    return drafts


def _group(members: list[Draft], group: str, spec: dict[str, Any], year: int, rng: random.Random) -> None:
    for d in members:
        d.values["about_trafficking"] = "yes"
        d.values["form"] = {"sexual": frozenset({"sexual"}), "labour": frozenset({"labour"})}.get(group, frozenset({"criminal"}))
    if group == "sexual":
        for d in rng.sample(members, spec.get("form_unnamed", 0)):
            d.values["form"] = None
    if group == "criminal":
        for d in members[: spec["with_sexual"]]:
            d.values["form"] = frozenset({"sexual", "criminal"})
    deal(members, "visitor_role", spec["roles"], rng)
    deal(members, "acute_unsafe", spec["acute_unsafe"], rng)
    _dates(members, spec, year, rng)
    corona = _corona(members, spec.get("corona") or {}, year, rng)
    deal(
        [d for d in members if d not in corona],
        "victim_gender",
        _minus(spec["gender"], Counter(d.get("victim_gender") for d in corona)),
        rng,
    )
    _ages(members, spec, corona, rng)
    _new_situations(members, spec, year, rng)
    _durations(members, spec, year, rng)
    _perpetrators(members, spec, rng)
    if group == "criminal":
        _criminal_acts(members, spec["criminal_acts"], rng)
    sexual = [d for d in members if "sexual" in (d.get("form") or ())]
    webcam = spec.get("webcam") or {}
    both = rng.sample(sexual, webcam.get("also", 0) + webcam.get("only", 0))
    for d in sexual:
        d.values["sexual_modality"] = frozenset({"physical"})
    for i, d in enumerate(both):
        d.values["sexual_modality"] = frozenset({"webcam"} if i < webcam.get("only", 0) else {"physical", "webcam"})


def deal(
    drafts: Sequence[Draft],
    variable: str,
    counts: dict[Any, int],
    rng: random.Random,
    convert: Callable[[Any], Value] = lambda v: v,
) -> list[Draft]:
    """Give `counts[value]` of the drafts each value, at random; the rest get nothing."""
    total = sum(counts.values())
    if total > len(drafts):
        raise ValueError(f"{variable}: {total} values for {len(drafts)} visitors")
    chosen = rng.sample(list(drafts), total)
    values = [v for v, n in counts.items() for _ in range(n)]
    for d, v in zip(chosen, values, strict=True):
        d.values[variable] = convert(v)
    return chosen


def _minus(counts: dict[Any, int], taken: Counter[Any]) -> dict[Any, int]:
    left = {k: n - taken.get(k, 0) for k, n in counts.items()}
    if any(n < 0 for n in left.values()):
        raise ValueError(f"profile asks for fewer {counts} than already placed {dict(taken)}")
    return left


def _day(year: int, first_month: int, last_month: int, rng: random.Random) -> dt.date:
    start = dt.date(year, first_month, 1)
    end = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def _dates(members: list[Draft], spec: dict[str, Any], year: int, rng: random.Random) -> None:
    acute = [d for d in members if d.get("acute_unsafe") == "yes"]
    early = set(map(id, rng.sample(acute, spec.get("acute_in_jan_feb", 0))))
    for d in members:
        if id(d) in early:
            d.values["first_chat"] = _day(year, 1, 2, rng)
        elif d.get("acute_unsafe") == "yes":
            d.values["first_chat"] = _day(year, 3, 12, rng)
        else:
            d.values["first_chat"] = _day(year, 1, 12, rng)


def _corona(members: list[Draft], spec: dict[str, Any], year: int, rng: random.Random) -> list[Draft]:
    ages = list(spec.get("ages") or [])
    pool = [
        d
        for d in members
        if d.get("visitor_role") == "victim"
        and d.get("acute_unsafe") == "yes"
        and d.get("first_chat").month >= 3
        and d.get("form") is not None
    ]
    chosen = rng.sample(pool, len(ages))
    for i, (d, age) in enumerate(zip(chosen, rng.sample(ages, len(ages)), strict=True)):
        d.corona = True
        d.values.update(
            corona_link=True,
            victim_age=age,
            victim_gender="male" if i < spec.get("male", 0) else "female",
        )
    return chosen


def _ages(members: list[Draft], spec: dict[str, Any], corona: list[Draft], rng: random.Random) -> None:
    ages = Counter({int(a): n for a, n in spec["ages"].items()})
    ages.subtract(Counter(d.get("victim_age") for d in corona))
    pool = list(ages.elements())
    rng.shuffle(pool)
    minors = [a for a in pool if a < 18]
    adults = [a for a in pool if a >= 18]
    victims = [d for d in members if d.get("visitor_role") == "victim" and d not in corona]
    others = [d for d in members if d.get("visitor_role") != "victim"]
    n_other_minors = spec.get("minors_in_chats_by_others", 0)
    needed = len(pool) - n_other_minors - len(victims)  # ages the victims cannot take
    other_adults = min(len(adults), max(needed, (len(others) - n_other_minors) * 2 // 5))
    rng.shuffle(others)
    rng.shuffle(victims)
    for d, age in zip(others, minors[:n_other_minors] + adults[:other_adults], strict=False):
        d.values["victim_age"] = age
    rest = minors[n_other_minors:] + adults[other_adults:]
    if len(rest) > len(victims):
        raise ValueError(f"{len(rest)} ages left for {len(victims)} victims")
    for d, age in zip(victims, rest, strict=False):
        d.values["victim_age"] = age


def _months(later: dt.date, earlier: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def duration_of(start: dt.date, first_chat: dt.date) -> str:
    months = _months(first_chat, start)
    return next(c for c, low, high in MONTH_DURATION if low <= months <= high or c == "gt_2y")


def _new_situations(members: list[Draft], spec: dict[str, Any], year: int, rng: random.Random) -> None:
    """Situations that started on or after 1 March of the year (Figuur 18's rule)."""
    candidates = [d for d in members if d.get("acute_unsafe") == "yes" and d.get("first_chat").month >= 3]
    n, with_sexual = spec.get("new_situations", 0), spec.get("new_situations_with_sexual")
    if with_sexual is None:
        chosen = rng.sample(candidates, n)
    else:
        combined = [d for d in candidates if "sexual" in d.get("form")]
        only = [d for d in candidates if "sexual" not in d.get("form")]
        chosen = rng.sample(combined, with_sexual) + rng.sample(only, n - with_sexual)
    pool = Counter(spec.get("duration") or {})
    for d in chosen:
        fc: dt.date = d.get("first_chat")
        room = _months(fc, dt.date(year, 3, 1))
        options = [c for c, low, _ in MONTH_DURATION[:2] if pool[c] > 0 and low <= room]
        if not options:
            raise ValueError("new situations need more short durations than the profile has")
        category = rng.choice(options)
        pool[category] -= 1
        _, low, high = next(m for m in MONTH_DURATION if m[0] == category)
        total = fc.year * 12 + fc.month - 1 - rng.randint(low, min(high, room))
        d.values["exploitation_start"] = dt.date(total // 12, total % 12 + 1, 1)
        d.values["duration"] = category
        d.new_situation = True


def _durations(members: list[Draft], spec: dict[str, Any], year: int, rng: random.Random) -> None:
    pool = Counter(spec.get("duration") or {})
    pool.subtract(Counter(d.get("duration") for d in members if d.new_situation))
    if any(n < 0 for n in pool.values()):
        raise ValueError(f"new situations need more short durations than the profile has: {dict(pool)}")
    rest = [d for d in members if not d.new_situation]
    rng.shuffle(rest)
    # Adults of 18/19 decide the count of 'minor at the start' (fn 89): place them first.
    young_adults = [d for d in rest if d.get("victim_age") in (18, 19)]
    at_start = spec.get("minor_at_start", 0)
    for i, d in enumerate(young_adults):
        allowed = ["gt_2y"] if i < at_start else ["lt_3m", "3_12m"] + (["1_2y"] if d.get("victim_age") == 19 else [])
        options = [c for c in allowed if pool[c] > 0]
        if options:
            _give_duration(d, rng.choice(options), year, rng)
            pool[d.get("duration")] -= 1
    if sum(minor_at_start(d) for d in young_adults[:at_start]) < at_start:
        raise ValueError("too few 18/19-year-olds for minor_at_start")
    _minor_at_start_among_victims(young_adults, at_start)
    others = [d for d in rest if d.get("duration") is None and d.get("victim_age") not in (18, 19)]
    left = list(pool.elements())
    if len(left) > len(others):
        raise ValueError(f"{len(left)} durations left for {len(others)} visitors")
    for d, c in zip(others, rng.sample(left, len(left)), strict=False):
        _give_duration(d, c, year, rng)


def _give_duration(d: Draft, category: str, year: int, rng: random.Random) -> None:
    """A duration, and for about half of them a start month that agrees (and is before March)."""
    d.values["duration"] = category
    fc: dt.date = d.get("first_chat")
    _, low, high = next(m for m in MONTH_DURATION if m[0] == category)
    backs = [b for b in range(low, high + 1) if _months(fc, dt.date(year, 3, 1)) < b or fc.month < 3]
    if backs and rng.random() < 0.5:
        back = rng.choice(backs)
        total = fc.year * 12 + fc.month - 1 - back
        d.values["exploitation_start"] = dt.date(total // 12, total % 12 + 1, 1)


def _minor_at_start_among_victims(young_adults: list[Draft], at_start: int) -> None:
    """Fn 89 counts them among the victims who chat themselves: one who is not trades roles with a
    victim of the same age (no random draw, so a corpus that had them there stays as it was)."""
    for d in young_adults[:at_start]:
        if d.get("visitor_role") == "victim":
            continue
        victim = next((v for v in young_adults[at_start:] if v.get("visitor_role") == "victim" and v.corona == d.corona
                       and v.get("victim_age") == d.get("victim_age") and not minor_at_start(v)), None)  # fmt: skip
        if victim is not None:
            d.values["visitor_role"], victim.values["visitor_role"] = "victim", d.get("visitor_role")


def minor_at_start(d: Draft) -> bool:
    """An adult who, by age and the shortest time the duration means, started as a minor."""
    age, duration = d.get("victim_age"), d.get("duration")
    return age is not None and age >= 18 and duration is not None and age + 1 - _MIN_YEARS[duration] <= 18


def _perpetrators(members: list[Draft], spec: dict[str, Any], rng: random.Random) -> None:
    deal(members, "perpetrator", spec["perpetrator"], rng)
    family = [d for d in members if d.get("perpetrator") == "family"]
    deal(family, "family_perpetrator", spec.get("family_perpetrator") or {}, rng)
    parents = [d for d in family if d.get("family_perpetrator") == "both_parents"]
    multiple = spec.get("multiple_perpetrators", 0)
    rest = [d for d in members if d not in parents]
    for d in parents + rng.sample(rest, multiple - len(parents)):
        d.values["multiple_perpetrators"] = True
    multi = [d for d in members if d.get("multiple_perpetrators")]
    for d in rng.sample(multi, spec.get("multiple_perpetrators_and_victims", 0)):
        d.values["other_victims"] = True
    single_parent = [d for d in family if d.get("family_perpetrator") in ("father", "mother") and not d.get("multiple_perpetrators")]
    siblings = spec.get("parents_with_sibling_victims") or {}
    for d in deal(single_parent, "sibling_victims", siblings, rng, convert=lambda s: frozenset({s})):
        d.values["other_victims"] = True
    free = [
        d
        for d in members
        if not d.get("other_victims")
        and not d.get("multiple_perpetrators")
        and d.get("family_perpetrator") not in ("father", "mother", "both_parents")
    ]
    for d in rng.sample(free, spec.get("other_victims_besides", 0)):
        d.values["other_victims"] = True


def _criminal_acts(members: list[Draft], spec: dict[str, Any], rng: random.Random) -> None:
    combined = [d for d in members if "sexual" in d.get("form")]
    only = [d for d in members if "sexual" not in d.get("form")]
    for part, key in ((combined, "with_sexual"), (only, "only")):
        counts = {k: n for k, n in spec[key].items() if k != "unknown"}
        deal(part, "criminal_acts", counts, rng, convert=lambda a: frozenset({a}))
    drugs = [d for d in members if d.get("criminal_acts") == frozenset({"drugs"})]
    for d in rng.sample(drugs, spec.get("drugs_also_theft", 0)):
        d.values["criminal_acts"] = frozenset({"drugs", "theft"})


def _coercion(drafts: list[Draft], spec: dict[str, Any], rng: random.Random) -> None:
    mentions = dict(spec["mentions"])
    chosen = rng.sample(drafts, spec["cases"])
    sets: dict[int, set[str]] = {d.index: set() for d in chosen}
    for d in chosen[: mentions.pop("violence")]:
        sets[d.index].add("violence")
    tokens = [c for c, n in mentions.items() for _ in range(n)]
    rng.shuffle(tokens)
    empty = [d for d in chosen if not sets[d.index]]
    if len(tokens) < len(empty):
        raise ValueError("coercion: fewer mentions than visitors naming one")
    for d, token in zip(empty, tokens, strict=False):
        sets[d.index].add(token)
    for token in tokens[len(empty) :]:
        candidates = [d for d in chosen if token not in sets[d.index]]
        sets[rng.choice(candidates).index].add(token)
    for d in chosen:
        d.values["coercion"] = frozenset(sets[d.index])


def _spread(drafts: Sequence[Draft], variable: str, counts: dict[str, int], rng: random.Random) -> None:
    """A multi-response variable: every draft gets at least one category, the rest spread."""
    tokens = [c for c, n in counts.items() for _ in range(n)]
    rng.shuffle(tokens)
    sets: dict[int, set[str]] = {d.index: set() for d in drafts}
    for d, token in zip(drafts, tokens, strict=False):
        sets[d.index].add(token)
    for token in tokens[len(drafts) :]:
        sets[rng.choice([d for d in drafts if token not in sets[d.index]]).index].add(token)
    for d in drafts:
        if sets[d.index]:
            d.values[variable] = frozenset(sets[d.index])


def _meeting(drafts: list[Draft], spec: dict[str, Any], rng: random.Random) -> None:
    knowable = [d for d in drafts if d.get("perpetrator") in ("partner", "social", "other")]
    chosen = deal(knowable, "meeting", {"online": spec["online"], "offline": spec["offline"]}, rng)
    _spread(
        [d for d in chosen if d.get("meeting") == "online"],
        "platform",
        spec.get("platform") or {},
        rng,
    )


def _first_disclosure(drafts: list[Draft], spec: dict[str, Any], rng: random.Random) -> None:
    victims = [d for d in drafts if d.get("visitor_role") == "victim"]
    for key, part in (
        ("acute", [d for d in victims if d.get("acute_unsafe") == "yes"]),
        ("not_acute", [d for d in victims if d.get("acute_unsafe") != "yes"]),
    ):
        counts = {k: n for k, n in spec[key].items() if k != "told_before"}
        deal(part, "first_disclosure", counts, rng)
        told = [d for d in part if d.get("first_disclosure") == "no"]
        tokens = spec[key].get("told_before") or {}
        if sum(tokens.values()) > len(told):
            raise ValueError(f"first_disclosure.{key}: more told_before than visitors who told")
        _spread(rng.sample(told, sum(tokens.values())), "told_before", tokens, rng)


def _corona_themes(drafts: list[Draft], counts: dict[str, int], rng: random.Random) -> None:
    corona = [d for d in drafts if d.corona]
    if corona:
        _spread(corona, "corona_themes", counts, rng)


def _everyone(drafts: list[Draft], profile: dict[str, Any], rng: random.Random) -> None:
    for d in drafts:
        d.values.setdefault("language", "nl")
        d.values.setdefault("country", "nl")
    trafficking = [d for d in drafts if d.group != "not_trafficking"]
    for d in rng.sample(trafficking, profile.get("language_other", 0)):
        d.values["language"] = "other"
    dutch = [d for d in trafficking if d.get("language") == "nl"]
    deal(dutch, "country", profile.get("country") or {}, rng)
    for d in dutch:
        d.values.setdefault("country", "nl")
