"""A helpline's full year: the everyday chats beside the monitor's, from about half as many people.

The monitor's year holds the flagged chats and a few unflagged ones for screening. A real year of
Chat met Fier is some 20,000 chats from some 10,000 people (report, ch. 2); `everyday.yaml` says
what the other chats are about and how often a person comes back. They are added after the
monitor's chats, from a random stream of their own, so the flagged chats and every published
figure stay exactly as they are at any size.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zicht.knowledge.read import Reader, frozen, load
from zicht.synth.cases import load_profile
from zicht.synth.chat import render_other_subject
from zicht.synth.phrases import bank
from zicht.transcripts.model import Conversation

if TYPE_CHECKING:
    from zicht.synth.corpus import Corpus

WITHOUT_PHRASES = frozenset({"hoi_only"})  # a subject whose visitor says nothing after the greeting


@dataclass(frozen=True)
class EverydayYear:
    subjects: Mapping[str, int]  # subject -> share of the everyday chats, in percent
    chats_per_visitor: float
    same_username: float  # the chance that a returning visitor keeps their name
    days_between: tuple[int, int]
    flagged_visitors_with_other_chats: float
    other_subjects_of_flagged: tuple[str, ...]


@functools.cache
def everyday_year() -> EverydayYear:
    return load("zicht.synth", "everyday.yaml", _compile)


def _compile(r: Reader, raw: dict[str, Any]) -> EverydayYear:
    fields = ("subjects", "chats_per_visitor", "same_username", "days_between")
    r.fields(raw, "", (*fields, "flagged_visitors_with_other_chats", "other_subjects_of_flagged"))
    known = {s for s in bank()["unflagged"] if s != "more"} | WITHOUT_PHRASES
    subjects = {s: r.whole(share, f"subjects.{s}", 0, 100) for s, share in r.mapping(raw.get("subjects"), "subjects").items()}
    if sum(subjects.values()) != 100:
        r.problem("subjects", f"the shares add up to {sum(subjects.values())}, not 100")
    others = r.words(raw.get("other_subjects_of_flagged"), "other_subjects_of_flagged")
    for where, subject in [*((f"subjects.{s}", s) for s in subjects), *((f"other_subjects_of_flagged.{s}", s) for s in others)]:
        if subject not in known:
            r.problem(where, f"no phrases for '{subject}' in phrases.yaml (unflagged: {', '.join(sorted(known))})")
    days = raw.get("days_between")
    if not (isinstance(days, list) and len(days) == 2):
        r.problem("days_between", "must be [fewest, most]")
        days = [1, 1]
    return EverydayYear(
        subjects=frozen(subjects),
        chats_per_visitor=r.number(raw.get("chats_per_visitor"), "chats_per_visitor", 1, 100),
        same_username=r.number(raw.get("same_username"), "same_username", 0, 1),
        days_between=(r.whole(days[0], "days_between[0]", 0, 365), r.whole(days[1], "days_between[1]", 0, 365)),
        flagged_visitors_with_other_chats=r.number(raw.get("flagged_visitors_with_other_chats"), "flagged_visitors_with_other_chats", 0, 1),
        other_subjects_of_flagged=others,
    )


def add_everyday(corpus: Corpus, chats: int) -> None:
    """Everyday chats until the corpus holds `chats`: first the other chats of some of the monitor's
    visitors (under the name of one of their flagged chats), then new people, each coming back as
    often as `chats_per_visitor` has it on average (a few very often, most once)."""
    missing = chats - len(corpus.conversations)
    if missing < 0:
        raise ValueError(f"the {corpus.year} corpus has {len(corpus.conversations)} chats already; ask for at least that many")
    plan = everyday_year()
    rng = random.Random(f"{corpus.year}:{corpus.seed}:everyday")
    people = _people_of_flagged(corpus, plan, rng)[:missing]
    left = missing - len(people)
    subjects = rng.choices(list(plan.subjects), weights=list(plan.subjects.values()), k=left)
    visitors = max(1, round(left / plan.chats_per_visitor)) if left else 0
    for n, count in enumerate(_chats_per_person(left, visitors, rng)):
        person, name = f"E{corpus.year}-{n + 1:05d}", _username(rng)
        people += [(person, name, subjects.pop()) for _ in range(count)]
    planned: list[tuple[dt.datetime, str, str, str, bool]] = []
    last: dict[str, dt.date] = {}
    for person, name, subject in people:
        returning = person in last
        day = _day(last.get(person), plan, rng, corpus.year)
        last[person] = day
        if returning and rng.random() >= plan.same_username:
            name = _username(rng)
        planned.append((dt.datetime.combine(day, dt.time(rng.randrange(9, 24), rng.randrange(60))), person, name, subject, returning))
    channels = sorted(load_profile(corpus.year)["channels"])
    for at, person, name, subject, returning in sorted(planned):
        conversation_id = f"C{corpus.year}-E{len(corpus.conversations) + 1:05d}"
        rendered = render_other_subject(subject, at, rng)
        corpus.conversations.append(Conversation(conversation_id, name, rng.choice(channels), at, False, tuple(rendered.messages)))
        corpus.truth.append({
            "conversation_id": conversation_id, "person_id": person, "visitor_id": None, "duplicate": returning,
            "late_duplicate": False, "identifiers": rendered.identifiers, "flagged": False, "subject": subject,
            "about_trafficking": False,
        })  # fmt: skip


def _people_of_flagged(corpus: Corpus, plan: EverydayYear, rng: random.Random) -> list[tuple[str, str, str]]:
    """(person, username, subject) for each other chat of a monitor visitor who also chats on another
    subject; truth's person ids, so that linkage can be scored on them too."""
    names = {c.id: c.username for c in corpus.conversations}
    first: dict[str, str] = {}
    for entry in corpus.truth:
        if entry["flagged"]:
            first.setdefault(entry["person_id"], names[entry["conversation_id"]])
    chosen = [p for p in first if rng.random() < plan.flagged_visitors_with_other_chats]
    return [(p, first[p], rng.choice(plan.other_subjects_of_flagged)) for p in chosen for _ in range(rng.choice([1, 1, 2]))]


def _chats_per_person(chats: int, people: int, rng: random.Random) -> list[int]:
    """`chats` shared by `people`, each at least one; the rest drawn in proportion to what each has
    (a Pólya urn): most come once, a few dozens of times, as on a helpline."""
    counts = [1] * people
    owners = list(range(people))  # one entry per chat held: drawing from it weighs by chats held
    for _ in range(chats - people):
        who = rng.choice(owners)
        counts[who] += 1
        owners.append(who)
    return counts


def _day(last: dt.date | None, plan: EverydayYear, rng: random.Random, year: int) -> dt.date:
    """A visitor's next chat some days after their last; a first chat, or one past the year's end, on any day."""
    if last:
        day = last + dt.timedelta(days=rng.randint(*plan.days_between))
        if day.year == year:
            return day
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _username(rng: random.Random) -> str:
    return f"{rng.choice(bank()['usernames'])}{rng.choice(['', '_', '.'])}{rng.randrange(10000, 99999)}"
