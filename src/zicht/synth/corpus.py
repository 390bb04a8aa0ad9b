"""The synthetic corpus of one year: chat export, coded cases, evidence and the truth file."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zicht.analysis import Flow
from zicht.codebook import Codebook, CodedCase, check_values, load_codebook
from zicht.synth.beats import THEME
from zicht.synth.cases import Draft, allocate, load_profile
from zicht.synth.chat import Rendered, render_chat, render_other_subject
from zicht.synth.everyday import add_everyday
from zicht.synth.persons import Person, make_person
from zicht.synth.phrases import bank
from zicht.transcripts.coded_files import write_coded_csv
from zicht.transcripts.model import Conversation
from zicht.transcripts.writers import write_chats

CODEBOOK = "nl-2020"
QUOTED = 2  # passages of each theme the synthetic researchers choose to quote


@dataclass
class Corpus:
    year: int
    seed: int
    conversations: list[Conversation] = field(default_factory=list)
    cases: list[CodedCase] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)
    original_cases: list[CodedCase] = field(default_factory=list)  # before re-coding (late duplicates apart)
    passages: list[dict[str, Any]] = field(default_factory=list)  # the synthetic researchers' theme passages (`zicht themes import`)

    @property
    def flagged(self) -> list[Conversation]:
        """The chats the counsellors flagged: the monitor's (the unflagged ones are for screening)."""
        return [c for c in self.conversations if c.flagged]

    def part(self, visitors: int, prefix: str = "") -> Corpus:
        """The first `visitors` coded visitors and their chats, every id behind `prefix`: a corpus of
        its own beside others in one project (tests, benchmarks)."""
        cases = self.cases[:visitors]
        ids = {c for case in cases for c in case.conversation_ids}
        return Corpus(
            self.year,
            self.seed,
            [replace(c, id=prefix + c.id) for c in self.conversations if c.id in ids],
            [replace(c, visitor_id=prefix + c.visitor_id, conversation_ids=tuple(prefix + i for i in c.conversation_ids)) for c in cases],
        )

    def flow(self) -> Flow:
        """The flagged chats and their channels, as the monitor's flow counts them."""
        return Flow(len(self.flagged), Counter(chat.channel for chat in self.flagged))


@dataclass
class _Chat:
    draft: Draft
    person: Person
    at: dt.datetime
    retell: bool
    rendered: Rendered | None = None
    channel: str = ""


def generate(year: int, seed: int, scale: int = 1, chats: int | None = None) -> Corpus:
    """A calibrated corpus; `scale` > 1 repeats the year's structure with fresh texts (benchmarks);
    `chats` fills the year up to a helpline's volume with everyday chats (`everyday.py`)."""
    corpus = Corpus(year, seed)
    for part in range(scale):
        _generate_part(corpus, random.Random(f"{year}:{seed}:{part}"), part, scale)
    if chats is not None:
        add_everyday(corpus, chats)
    return corpus


def _generate_part(corpus: Corpus, rng: random.Random, part: int, scale: int) -> None:
    profile = load_profile(corpus.year)
    codebook = load_codebook(CODEBOOK)
    drafts = allocate(profile, rng)
    suffix = f"-{part}" if scale > 1 else ""
    persons = [make_person(f"P{corpus.year}{suffix}-{d.index:04d}", d, rng) for d in drafts]
    _near_misses(drafts, persons, rng)
    chats = [_Chat(d, p, _at(d.get("first_chat"), rng), retell=False) for d, p in zip(drafts, persons, strict=True)]
    late_ones = _duplicates(drafts, profile, rng)
    chats += _retellings(late_ones, persons, profile, corpus.year, rng)
    primary = _render_flagged(corpus, chats, profile, {d.index for d in late_ones}, rng, suffix)
    _code(corpus, drafts, chats, primary, codebook, suffix)
    _unflagged(corpus, drafts, profile, rng, suffix)


def _retellings(late_ones: list[Draft], persons: list[Person], profile: dict[str, Any], year: int, rng: random.Random) -> list[_Chat]:
    """The later chat of each visitor who comes back; the first `late_duplicates` are found late (re-coded)."""
    chats: list[_Chat] = []
    for i, d in enumerate(late_ones):
        d.late_duplicate = i < profile.get("late_duplicates", 0)
        first = d.get("first_chat")
        later = min(first + dt.timedelta(days=rng.randrange(10, 46)), dt.date(year, 12, 31))
        chats.append(_Chat(d, persons[d.index], _at(later, rng), retell=True))
    return chats


def _render_flagged(
    corpus: Corpus, chats: list[_Chat], profile: dict[str, Any], returners: set[int], rng: random.Random, suffix: str
) -> dict[int, _Chat]:
    """Each flagged chat rendered in time order (sorting `chats`), with its channel, username and truth; each visitor's first."""
    channels = [c for c, n in profile["channels"].items() for _ in range(n)]
    rng.shuffle(channels)
    chats.sort(key=lambda c: c.at)
    usernames = _usernames(chats, rng)
    primary: dict[int, _Chat] = {}
    for i, chat in enumerate(chats):  # in time order: a visitor's first chat is rendered before the retelling
        chat.channel = channels[i]
        shift = 1 if chat.retell and chat.draft.get("victim_age") and rng.random() < 0.25 else 0
        returning = chat.draft.index in returners
        earlier = primary[chat.draft.index].rendered if chat.retell else None
        told_before = earlier.details if earlier else frozenset()
        chat.rendered = render_chat(chat.draft, chat.person, chat.at, rng, chat.retell, shift, returning, told_before)
        conversation_id = f"C{corpus.year}{suffix}-{len(corpus.conversations) + 1:04d}"
        corpus.conversations.append(
            Conversation(
                conversation_id,
                usernames[i],
                chat.channel,
                chat.at,
                True,
                tuple(chat.rendered.messages),
            )
        )
        primary.setdefault(chat.draft.index, chat)
        corpus.truth.append({
            "conversation_id": conversation_id, "person_id": chat.person.person_id,
            "visitor_id": _visitor_id(corpus.year, suffix, chat.draft), "duplicate": chat.retell,
            "late_duplicate": chat.retell and chat.draft.late_duplicate,
            "identifiers": chat.rendered.identifiers, "flagged": True,
        })  # fmt: skip
    return primary


def _code(corpus: Corpus, drafts: list[Draft], chats: list[_Chat], primary: dict[int, _Chat], codebook: Codebook, suffix: str) -> None:
    """The coded case of each visitor (its channel the first chat's), the evidence of each code, and the codes before re-coding."""
    conversations_of: dict[int, list[str]] = {}
    for chat, conversation in zip(chats, corpus.conversations[-len(chats) :], strict=True):
        conversations_of.setdefault(chat.draft.index, []).append(conversation.id)
    for d in drafts:
        first = primary[d.index]
        d.values["channel"] = first.channel
        values = {v.id: d.values.get(v.id) for v in codebook}
        problems = check_values(codebook, values)
        if problems:
            raise AssertionError(f"generator made invalid codes for draft {d.index}: {problems}")
        visitor_id = _visitor_id(corpus.year, suffix, d)
        ids = tuple(conversations_of[d.index])
        corpus.cases.append(CodedCase(visitor_id, CODEBOOK, values, ids))
        assert first.rendered is not None
        for variable, value in values.items():
            if value is None:
                continue
            if variable not in first.rendered.evidence:
                raise AssertionError(f"no evidence for {variable} of draft {d.index}")
            corpus.evidence.append(
                {
                    "visitor_id": visitor_id,
                    "variable": variable,
                    "conversation_id": ids[0],
                    "message": first.rendered.evidence[variable],
                }
            )
        corpus.original_cases.extend(_before_recoding(visitor_id, values, ids, d))
        themes = values.get("corona_themes")
        for theme in sorted(themes) if isinstance(themes, frozenset) else ():
            index = first.rendered.evidence[THEME + theme]
            text = first.rendered.messages[index].text
            quoted = {p["text"] for p in corpus.passages if p["theme"] == theme and p["quote"]}
            quote = len(quoted) < QUOTED and text not in quoted  # the first ones of a theme in other words, as the researchers chose
            corpus.passages.append({"conversation_id": ids[0], "message": index, "start": 0, "end": len(text), "theme": theme,
                                    "quote": int(quote), "text": text})  # fmt: skip


def _unflagged(corpus: Corpus, drafts: list[Draft], profile: dict[str, Any], rng: random.Random, suffix: str) -> None:
    """Chats nobody flagged: other subjects, and some about trafficking after all (for screening; never coded)."""
    year = int(profile["year"])
    trafficking = [d for d in drafts if d.group != "not_trafficking"]
    channels = sorted(profile["channels"])
    subjects = [subject for subject, count in (profile.get("unflagged") or {}).items() for _ in range(count)]
    for n, subject in enumerate(subjects):
        at = _at(_day_of(year, rng), rng)
        conversation_id = f"C{year}{suffix}-U{n + 1:03d}"
        if subject == "trafficking":
            draft = rng.choice(trafficking)
            rendered = render_chat(draft, make_person(f"U{year}{suffix}-{n + 1:03d}", draft, rng), at, rng)
        else:
            rendered = render_other_subject(subject, at, rng)
        username = f"{rng.choice(bank()['usernames'])}{rng.randrange(10000, 99999)}"
        corpus.conversations.append(Conversation(conversation_id, username, rng.choice(channels), at, False, tuple(rendered.messages)))
        corpus.truth.append({
            "conversation_id": conversation_id, "person_id": f"U{year}{suffix}-{n + 1:03d}", "visitor_id": None,
            "duplicate": False, "late_duplicate": False, "identifiers": rendered.identifiers,
            "flagged": False, "subject": subject, "about_trafficking": subject == "trafficking",
        })  # fmt: skip


def _day_of(year: int, rng: random.Random) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _visitor_id(year: int, suffix: str, d: Draft) -> str:
    return f"V{year}{suffix}-{d.index + 1:04d}"


def _before_recoding(visitor_id: str, values: dict[str, Any], ids: tuple[str, ...], d: Draft) -> Iterator[CodedCase]:
    """As first coded under nl-2019: a late-found duplicate was still a visitor of its own."""
    old = load_codebook("nl-2019")
    kept = {k: v for k, v in values.items() if k in old}
    kept = {k: (v if old.applies(old[k], kept) else None) for k, v in kept.items()}
    if d.late_duplicate:
        yield CodedCase(visitor_id, old.id, kept, ids[:1])
        yield CodedCase(visitor_id + "b", old.id, kept, ids[1:])
    else:
        yield CodedCase(visitor_id, old.id, kept, ids)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    minutes = rng.choice([rng.randrange(15 * 60, 24 * 60), rng.randrange(9 * 60, 24 * 60)])
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))


def _duplicates(drafts: list[Draft], profile: dict[str, Any], rng: random.Random) -> list[Draft]:
    year = int(profile["year"])
    pool = [d for d in drafts if d.group != "not_trafficking" and d.get("first_chat") < dt.date(year, 11, 20)]
    return rng.sample(pool, profile["duplicates"])


def _near_misses(drafts: list[Draft], persons: list[Person], rng: random.Random) -> None:
    """Different people with the same age, place and perpetrator's name: linkage must keep them apart.
    Only those whose perpetrator the phrase bank can name by first name (a partner, an acquaintance)."""
    nameable = {perp for perp, options in bank()["perp"].items() if isinstance(options, list) and any("{pname}" in o for o in options)}
    by_age: dict[int, list[int]] = {}
    for d in drafts:
        if d.get("victim_age") is not None and d.get("perpetrator") in nameable:
            by_age.setdefault(d.get("victim_age"), []).append(d.index)
    groups = [ids for ids in by_age.values() if len(ids) >= 2]
    for ids in rng.sample(groups, min(10, len(groups))):
        a, b = rng.sample(ids, 2)
        persons[b].place, persons[b].perp_name = persons[a].place, persons[a].perp_name
        persons[a].near_miss = persons[b].near_miss = True


def _usernames(chats: list[_Chat], rng: random.Random) -> list[str]:
    words = bank()["usernames"]
    names: list[str] = []
    taken: set[str] = set()
    for chat in chats:
        while True:
            style = rng.random()
            if style < 0.2:
                name = f"{chat.person.own_name.lower()}{rng.randrange(1, 2010)}"
            else:
                name = f"{rng.choice(words)}{rng.choice(['', '_', '.'])}{rng.randrange(1, 9999)}"
            if name not in taken:
                taken.add(name)
                names.append(name)
                break
    return names


def write_corpus(corpus: Corpus, out: Path) -> dict[str, Path]:
    """Files of the corpus, named by year, so both years can share a folder."""
    out.mkdir(parents=True, exist_ok=True)
    y = corpus.year
    paths = {
        "chats": out / f"chats-{y}.jsonl",
        "coded": out / f"coded-{y}.csv",
        "evidence": out / f"evidence-{y}.csv",
        "truth": out / f"truth-{y}.json",
        "themes": out / f"themes-{y}.csv",
    }
    write_chats(corpus.conversations, paths["chats"])
    write_coded_csv(corpus.cases, load_codebook(CODEBOOK), paths["coded"])
    if any(c.visitor_id.endswith("b") for c in corpus.original_cases):
        paths["coded_original"] = out / f"coded-{y}-nl-2019.csv"
        write_coded_csv(corpus.original_cases, load_codebook("nl-2019"), paths["coded_original"])
    with paths["evidence"].open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["visitor_id", "variable", "conversation_id", "message"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(corpus.evidence)
    with paths["themes"].open("w", encoding="utf-8", newline="") as f:
        columns = ["conversation_id", "message", "start", "end", "theme", "quote"]
        writer = csv.DictWriter(f, columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(corpus.passages)
    paths["truth"].write_text(
        json.dumps(
            {"year": y, "seed": corpus.seed, "conversations": corpus.truth},
            ensure_ascii=False,
            indent=1,
        ),
        "utf-8",
    )
    return paths
