"""One redaction for Dutch chat text: what anyone but the coder may see of a chat.

deduce finds what its medical texts hold (capitalised names with their surnames, places, dates,
addresses, institutions). Chats add what deduce misses: lower-case first names and places (found
in deduce's own name and place lists, minus common words), handles, phone numbers in every
format (libphonenumber), schools, licence plates, and the keyed tokens import leaves; and what
no list holds: streets by their ending and deduce's street names, and neighbourhoods, stations,
venues and people by the words around them (`redaction-nl.yaml` says per rule what its value
may be). In a whole chat, a name or place found once is redacted wherever it recurs.

Ages stay: they are coded, and a quote "ik ben 15" is the evidence for it.

Every finder reads the text as `normalise.readings` gives it (no invisible characters, NFKC, in
the order shown as well as stored), and what it finds is redacted whole on the stored text.
"""

from __future__ import annotations

import functools
import gc
import itertools
import logging
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zicht.knowledge.redaction import Taken, redaction_rules
from zicht.privacy.identifiers import TOKEN, find_identifiers
from zicht.privacy.normalise import readings

WORD_FREQUENCY = 100  # pyspellchecker's Dutch counts: names it knows are at 50, words in use far above
RARE_WORD_FREQUENCY = 5_000  # "bakker" 893, "parel" 816, "kompas" 1,889: a name too; "zei" 310,756, "hele" 338,024 name nobody
ENGLISH_WORD_FREQUENCY = 10_000  # its English counts: "found" 1,059,635, "nails" 12,018; "victor" 3,408, "kevin" 1,986
_WORD = re.compile(r"[^\W\d_][\w'-]*")
RECURRING = frozenset({"name", "proper_name", "place", "neighbourhood", "street", "station", "school", "venue", "handle"})  # not numbers
_SENTENCE_START = ".!?:;\"'(\u2026\u201c\u2018"  # after these a capital says nothing
PLACE_ARTICLES = frozenset({"de", "den", "het", "ter", "ten"})
_NAMED_WITH_ARTICLE = re.compile(r"\b(?:De|Het|Den|Ter) [A-Z][a-zà-ÿ'-]+(?: [A-Z][a-zà-ÿ'-]+)?")  # an article capitalised mid-sentence


@dataclass(frozen=True)
class Personal:
    """A stretch of text that says who someone is, or where."""

    kind: str  # name | place | school | phone | handle | email | plate | date | address | url | number | institution
    start: int
    end: int

    @property
    def label(self) -> str:
        return label_of(self.kind)


def label_of(kind: str) -> str:
    """What readers see for a kind: `naam`, `telefoonnummer`."""
    return redaction_rules().labels[kind]


def find_personal(text: str) -> list[Personal]:
    """Every stretch to redact, left to right, overlaps joined into the longest.

    `J\u200bayden` is found as "Jayden" and redacted with its zero-width space: `[naam]`.
    """
    return _joined([Personal(p.kind, *r.span(p.start, p.end)) for r in readings(text) for p in _found(r.text)])


def find_personal_in_chat(texts: Sequence[str]) -> list[list[Personal]]:
    """Each message's stretches, and more: a name or place found in one message is redacted wherever
    it recurs in the chat, so that "kim", named once as "een vriendin van me, kim,", is hidden in
    "de mannen betalen kim" and in "kims vriend" too."""
    found = [find_personal(text) for text in texts]
    _, _, common = _lists()
    named = {
        value: p.kind
        for text, stretches in zip(texts, found, strict=True)
        for p in stretches
        if p.kind in RECURRING
        and len(value := text[p.start : p.end].lower()) >= 3
        and value[0] != "["
        and value not in common  # "Hem" the village is a place; "hem" elsewhere in the chat is not
    }
    if not named:
        return found
    again = re.compile(
        r"(?<![\w@])(" + "|".join(map(re.escape, sorted(named, key=len, reverse=True))) + r")(?:'?s)?(?![\w@])", re.IGNORECASE
    )
    return [
        _joined([*stretches, *(Personal(named[m.group(1).lower()], m.start(), m.end()) for m in again.finditer(text))])
        for text, stretches in zip(texts, found, strict=True)
    ]


@dataclass(frozen=True)
class Mask:
    """A stretch a role sees hidden, and what it sees instead (without brackets)."""

    start: int
    end: int
    label: str


def masks_in_chat(texts: Sequence[str], sees_identifiers: bool) -> list[list[Mask]]:
    """What a role sees hidden in each message of a chat: for one who sees identifiers, only the tokens
    numbers and handles became at import, with which one (its first hex digits); for the others every
    personal stretch, a name found in one message wherever it recurs (the workbench and the QDA export)."""
    if not sees_identifiers:
        return [[Mask(p.start, p.end, p.label) for p in found] for found in find_personal_in_chat(texts)]
    return [[Mask(t.start(), t.end(), f"{label_of(kind)} {digest[:4]}") for t in TOKEN.finditer(text)
             for kind, _, digest in [t.group("value").partition("-")]] for text in texts]  # fmt: skip


def _joined(found: list[Personal]) -> list[Personal]:
    """Left to right, overlaps joined into the longest; the first keeps its kind."""
    kept: list[Personal] = []
    for item in sorted(found, key=lambda p: (p.start, -p.end)):
        if kept and item.start < kept[-1].end:
            if item.end > kept[-1].end:
                kept[-1] = Personal(kept[-1].kind, kept[-1].start, item.end)
            continue
        kept.append(item)
    return kept


def _found(text: str) -> list[Personal]:
    """What the finders find in one reading, on that reading's offsets."""
    return [*_tokens(text), *_identifiers(text), *_deduce(text), *_listed(text), *_in_context(text), *_streets(text), *_proper_names(text)]


def redact_text(text: str) -> str:
    """The text with each personal stretch replaced by its label in brackets: `[naam]`, `[plaats]`."""
    return _replaced(text, find_personal(text), 0, len(text))


def redact_stretches(texts: Sequence[str], stretches: Sequence[tuple[int, int, int]]) -> list[str]:
    """Each (message, start, end) of a chat, redacted as the whole chat is: a name the chat names elsewhere is
    hidden here too, and a stretch that cuts through a name hides all of it (a quote the report may print)."""
    found = find_personal_in_chat(texts)
    return [_replaced(texts[message], found[message], start, end) for message, start, end in stretches]


def _replaced(text: str, found: Sequence[Personal], start: int, end: int) -> str:
    parts, last = [], start
    for item in found:
        if item.end <= start or item.start >= end:
            continue
        parts += [text[last : max(item.start, last)], f"[{item.label}]"]
        last = item.end
    return "".join(parts) + text[last:end] if last < end else "".join(parts)


class RedactingFilter(logging.Filter):
    """For log handlers: the line as it will be written, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact_text(record.getMessage()), None
        return True


def _tokens(text: str) -> Iterator[Personal]:
    for m in TOKEN.finditer(text):
        yield Personal(m.group("value").partition("-")[0], m.start(), m.end())  # phone | handle | email


def _identifiers(text: str) -> Iterator[Personal]:
    for f in find_identifiers(text):
        yield Personal(f.kind, f.start - (1 if f.kind == "handle" and text[f.start - 1 : f.start] == "@" else 0), f.end)


def _deduce(text: str) -> Iterator[Personal]:
    tags = redaction_rules().deduce_tags
    for a in deducer().deidentify(text).annotations:
        kind = tags.get(a.tag.split("+")[0].split("_")[0])
        if kind:
            yield Personal(kind, a.start_char, a.end_char)


def _listed(text: str) -> Iterator[Personal]:
    """First names and places in any case, from deduce's lists, unless they are also Dutch words."""
    names, places, common = _lists()
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        for size in (3, 2, 1):  # "bergen op zoom" before "bergen"
            run = words[i : i + size]
            if len(run) < size or any(not text[a.end() : b.start()].isspace() for a, b in itertools.pairwise(run)):
                continue
            phrase, first = " ".join(w.group().lower() for w in run), run[0].group().lower()
            # "de meern", "den bosch": a place's own article; not "de buurt" or "een" (villages too)
            with_article = (
                size > 1 and first in PLACE_ARTICLES and (first == "den" or not all(is_everyday_word(w.group()) for w in run[1:]))
            )
            if phrase in places and (with_article or first not in common) and (size > 1 or not _ordinary(m.group())):
                yield Personal("place", m.start(), run[-1].end())
                break
        if m.group().lower() in names and (m.group()[0].isupper() or not is_everyday_word(m.group())):
            yield Personal("name", m.start(), m.end())


def _proper_names(text: str) -> Iterator[Personal]:
    """A capitalised word inside a sentence that is no Dutch word, country or language: a name no list
    holds ("de baas heet Costel", "op het Heuvelrade"). Chat writers capitalise little, so what they
    capitalise mid-sentence they mean as a name; a recurrence in lower case is then hidden with it."""
    for m in _NAMED_WITH_ARTICLE.finditer(text):
        if _mid_sentence(text, m.start()):
            yield Personal("proper_name", m.start(), m.end())  # "in Hoorn, De Pijlstaart, en": a school, a club, a shop
    for m in _WORD.finditer(text):
        word = m.group()
        if len(word) < 3 or not word[0].isupper() or not word[1:].replace("-", "").islower():
            continue  # "Sr", "HR", "McDonalds": abbreviations and brands
        if not _mid_sentence(text, m.start()):
            continue
        lower = word.lower()
        if is_everyday_word(lower) or _english()[lower] >= ENGLISH_WORD_FREQUENCY or lower in _lists()[2]:
            continue
        if any(part in _geography() or part.removesuffix("e") in _geography() for part in lower.split("-")):
            continue  # "Roemenië", "Roemeens", "Bulgaarse", "Oost-Europa"
        yield Personal("proper_name", m.start(), m.end())


def _mid_sentence(text: str, at: int) -> bool:
    """Whether text[at] stands inside a sentence, where a capital says something."""
    before = text[:at].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_START and not before.endswith("\n")


@functools.cache
def _geography() -> frozenset[str]:
    """The Dutch names of countries and languages (Babel's CLDR data): "Roemenië", "Roemeens" name nobody."""
    from babel import Locale

    dutch = Locale("nl")
    return frozenset(w.lower() for name in [*dutch.territories.values(), *dutch.languages.values()] for w in _WORD.findall(name))


def _ordinary(phrase: str) -> bool:
    """Lower-case Dutch words only ("de buurt", "speciaal onderwijs"): no name, whatever a list says."""
    return not _is(phrase, "capitalised") and not _is(phrase, "unknown word")


def is_everyday_word(word: str) -> bool:
    """A Dutch word in everyday use (a lower-case "trots" or "roos" is not taken for a name)."""
    return bool(_dictionary()[word.lower()] >= WORD_FREQUENCY)


def _in_context(text: str) -> Iterator[Personal]:
    rules = redaction_rules()
    for rule in rules.context:
        for pattern in rule.patterns:
            for m in pattern.finditer(text):
                judged = m.group("name") if "name" in pattern.groupindex and m.group("name") else m.group("value")
                if rule.kind == "school" and m.group("value").lower() in rules.not_a_school:
                    continue
                if any(_is(judged, taken) for taken in rule.takes):
                    yield Personal(rule.kind, *m.span("value"))


def _is(phrase: str, taken: Taken) -> bool:
    """Whether a value found by its context is what its rule takes."""
    names, places, common = _lists()
    words = re.split(r"[\s.]+", phrase.strip(" ."))  # "jesse.vdb" is judged part by part
    match taken:
        case "anything":
            return True
        case "capitalised":
            return any(w[:1].isupper() for w in words)
        case "unknown word":
            return not all(w.lower() in common or is_everyday_word(w) for w in words)
        case "rare word":
            return not all(w.lower() in common or _dictionary()[w.lower()] >= RARE_WORD_FREQUENCY for w in words)
        case "listed name":
            return phrase.lower() in names
        case "listed place":
            return phrase.lower() in places
        case "listed place that is no frequent word":  # "naar assen", not "naar hem", "naar een" or "naar huizen" (towns too)
            return phrase.lower() in places and phrase.lower() not in common and _dictionary()[phrase.lower()] < RARE_WORD_FREQUENCY


def _streets(text: str) -> Iterator[Personal]:
    """A word with a street's ending that deduce lists as a street, is capitalised, or follows "aan de",
    unless it is a Dutch word in everyday use; with the capitalised words before it that the list holds
    with it ("Prinses Beatrixlaan")."""
    streets, suffixes = _street_names(), redaction_rules().street_suffixes
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        word = m.group().lower()
        where = text[max(0, m.start() - 7) : m.start()].lower()  # "we wonen aan de wittevenstraat"
        if not word.endswith(suffixes) or len(word) < 6 or is_everyday_word(word) or word in _lists()[2]:
            continue  # "marktplaats" is a platform, whatever street bears its name
        if not (word in streets or m.group()[0].isupper() or where.endswith("aan de ")):
            continue
        start = m.start()
        for size in (3, 2):
            run = words[max(0, i - size + 1) : i + 1]
            if len(run) == size and " ".join(w.group().lower() for w in run) in streets:
                start = run[0].start()
                break
        yield Personal("street", start, m.end())


@functools.cache
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """deduce's first names and places, lower-cased, and the words that must never count as either."""
    source = _deduce_data() / "lookup" / "src"

    def read(*parts: str) -> set[str]:
        folder = source.joinpath(*parts)
        return {line.strip().lower() for path in folder.rglob("items.txt") for line in path.read_text("utf-8").splitlines() if line.strip()}

    common = read("whitelist", "lst_common_word") | read("whitelist", "lst_stop_word") | redaction_rules().chat_words
    places = read("locations", "lst_placename") | redaction_rules().place_names
    return frozenset(read("names", "lst_first_name") - common), frozenset(places), frozenset(common)


@functools.cache
def _street_names() -> frozenset[str]:
    """deduce's street names that end as a street does, lower-cased (of its ~150,000, ~95,000)."""
    suffixes = redaction_rules().street_suffixes
    path = _deduce_data() / "lookup" / "src" / "locations" / "lst_street" / "items.txt"
    return frozenset(n for line in path.read_text("utf-8").splitlines() if (n := line.strip().lower()).endswith(suffixes))


def _deduce_data() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("deduce")
    assert spec and spec.origin
    return Path(spec.origin).parent / "data"


def cache_folder() -> Path:
    """Where deduce keeps the lookup structures it builds on first use (~80 MB, ~1-2 minutes once)."""
    explicit = os.environ.get("ZICHT_CACHE")
    base = Path(explicit) if explicit else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zicht"
    folder = base / "deduce"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


@functools.cache
def _dictionary() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(language="nl", distance=1).word_frequency


@functools.cache
def _english() -> Any:
    """English words in everyday use, which youth write capitalised mid-sentence ("op Only Fans")."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).word_frequency


def load_redaction() -> None:
    """All the redaction loads on first use, loaded now: deduce, its name, place and street lists,
    the dictionary. A server loads them before it listens, so that its threads do not each load
    them at once on the first pages (twenty researchers waited 12 s for their first saves)."""
    deducer()
    _lists()
    _street_names()
    _dictionary()
    _english()
    _geography()


@functools.cache
def deducer() -> Any:
    """deduce, loaded once per process (~4 s, ~1 GB). Importing it sets the root logger to DEBUG with
    a handler of its own, which would put chat text in every library's log: undone at once.

    Its lookup lists are millions of small objects that live as long as the process. Unpickled with
    the garbage collector on, they took 14 s (45 s in a process already holding much), and every
    later full collection walked them again (6 s each); so they are loaded with it off, then frozen
    out of its reach."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    import deduce

    root.setLevel(level)
    root.handlers[:] = handlers
    gc.disable()
    try:
        loaded = deduce.Deduce(cache_path=cache_folder())
    finally:
        gc.enable()
    gc.freeze()
    return loaded
