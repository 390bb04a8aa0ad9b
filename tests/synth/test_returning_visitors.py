"""The synthetic returning visitors are hard to link on purpose, but a careful reader can."""

from __future__ import annotations

from collections import defaultdict

from zicht.reading import profile
from zicht.synth import generate

SECRET = b"s" * 32


def test_a_returning_visitor_comes_back_weeks_later_under_another_name_and_retells() -> None:
    corpus = generate(2020, 0)
    chats = {c.id: c for c in corpus.conversations}
    by_person: dict[str, list[dict]] = defaultdict(list)  # type: ignore[type-arg]
    for t in corpus.truth:
        by_person[t["person_id"]].append(t)
    returns = [sorted(ts, key=lambda t: chats[t["conversation_id"]].started_at) for ts in by_person.values() if len(ts) == 2]
    assert len(returns) == 42
    shared_detail = changed = said_so = 0
    for first, later in returns:
        a, b = chats[first["conversation_id"]], chats[later["conversation_id"]]
        assert 10 <= (b.started_at.date() - a.started_at.date()).days <= 45
        assert a.username != b.username
        assert [m.text for m in a.messages] != [m.text for m in b.messages], "retold, not copied"
        planted = [{(i["kind"], i["value"]) for i in t["identifiers"]} for t in (first, later)]
        shared_detail += bool(planted[0] & planted[1])
        changed += planted[0] != planted[1]
        said_so += profile(b, SECRET).returning == "recent"
    assert shared_detail >= 0.8 * len(returns), "most give a personal detail again"
    assert changed >= 0.5 * len(returns), "often with details left out or new ones"
    assert 0.4 * len(returns) <= said_so <= 0.8 * len(returns), "many, not all, say they chatted before"


def test_near_misses_are_different_people_with_the_same_age_place_and_perpetrator_name() -> None:
    corpus = generate(2020, 0)
    age_of = {case.visitor_id: case.values.get("victim_age") for case in corpus.cases}
    said: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # person -> kind -> values
    age: dict[str, object] = {}
    for t in (t for t in corpus.truth if t["flagged"]):
        age[t["person_id"]] = age_of[t["visitor_id"]]
        for i in t["identifiers"]:
            said[t["person_id"]][i["kind"]].add(i["value"])
    people = sorted(said)
    alike = [
        (a, b)
        for n, a in enumerate(people)
        for b in people[n + 1 :]
        if age[a] is not None and age[a] == age[b] and said[a]["place"] & said[b]["place"] and said[a]["name"] & said[b]["name"]
    ]
    assert len(alike) >= 3, "pairs that only the rest of the story tells apart"
