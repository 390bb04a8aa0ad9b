"""Does a year's flow add up? Chapter 2 counts flagged chats, duplicates, chats not about
trafficking and unique visitors; when those do not make one another, every table after it
counts something other than the year's visitors, and the report must say so on its first page."""

from __future__ import annotations

from zicht.analysis.tables import Tables

_COUNTED = ("cases", "chats_in_cases", "not_coded")  # the flow table's stats that the check reads


def flow_problems(tables: Tables, year: int | None = None) -> list[str]:
    """What does not add up in the year's flow, in the report's words; empty when it all does."""
    flow = tables.get("flow", year)
    numbers = {**flow.counts, **flow.stats}
    n = {k: v for k, v in numbers.items() if isinstance(v, int)}
    if len(n) < len(numbers) or not all(k in n for k in _COUNTED):
        return []  # a tables.json from before these were counted, or a public one (the internal report says it)
    return [p for p in (_chats_without_case(n), _not_coded(n), _sum(n)) if p]


def _chats_without_case(n: dict[str, int]) -> str:
    flagged, in_cases = n["flagged_chats"], n["chats_in_cases"]
    if in_cases < flagged:
        return (f"Van de {flagged} aangemerkte chatgesprekken horen er {flagged - in_cases} bij geen enkele casus: "
                "koppel ze aan bezoekers (zicht suggest run) of importeer de gecodeerde casussen waar ze bij horen.")  # fmt: skip
    if in_cases > flagged:
        return (f"De casussen tellen {in_cases} chatgesprekken, meer dan de {flagged} die als aangemerkt zijn geïmporteerd: "
                "importeer eerst alle chatgesprekken van het jaar.")  # fmt: skip
    return ""


def _not_coded(n: dict[str, int]) -> str:
    if not n["not_coded"]:
        return ""
    return (f"Van de {n['cases']} bezoekers is bij {n['not_coded']} nog niet gecodeerd of het gesprek over mensenhandel gaat: "
            "zij tellen in geen enkele tabel mee.")  # fmt: skip


def _sum(n: dict[str, int]) -> str:
    visitors = n["flagged_chats"] - n["duplicate_chats"]
    if visitors == n["not_trafficking"] + n["unique_visitors"] + n["not_coded"]:
        return ""
    return (f"De telling sluit niet: {n['flagged_chats']} gesprekken min {n['duplicate_chats']} dubbelingen is {visitors} bezoekers, "
            f"maar er zijn er {n['not_trafficking']} niet over mensenhandel en {n['unique_visitors']} wel.")  # fmt: skip
