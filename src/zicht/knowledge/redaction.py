"""The redaction rules (`privacy/data/redaction-nl.yaml`): what Dutch chats name that deduce misses, checked.

Every kind that is found (by deduce's tag or by a context rule) has a label readers see; every
context pattern compiles and has the group `value` that is redacted, and every rule says what that
value must be to count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from zicht.knowledge.read import Reader, frozen, load

Taken = Literal[
    "anything", "capitalised", "unknown word", "rare word", "listed name", "listed place", "listed place that is no frequent word"
]


@dataclass(frozen=True)
class ContextRule:
    """Patterns that find one kind by the words around it, and what the value they find must be to count."""

    kind: str
    takes: frozenset[Taken]  # a value counts when it is any one of these
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class RedactionRules:
    labels: Mapping[str, str]  # kind -> what readers see instead: `naam`, `telefoonnummer`
    deduce_tags: Mapping[str, str]  # deduce's tag -> kind
    context: tuple[ContextRule, ...]
    street_suffixes: tuple[str, ...]
    not_a_school: frozenset[str]
    place_names: frozenset[str]  # places by the name people use, where deduce's list has another ("den bosch")
    chat_words: frozenset[str]  # chat words that are also first names or places in deduce's lists


@functools.cache
def redaction_rules() -> RedactionRules:
    return load("zicht.privacy", "redaction-nl.yaml", compile_redaction)


def compile_redaction(r: Reader, raw: dict[str, Any]) -> RedactionRules:
    r.fields(raw, "", ("labels", "deduce_tags", "context", "street_suffixes", "not_a_school", "place_names", "chat_words"))
    labels = {kind: r.text(label, f"labels.{kind}") for kind, label in r.mapping(raw.get("labels"), "labels").items()}
    tags = {tag: r.text(kind, f"deduce_tags.{tag}") for tag, kind in r.mapping(raw.get("deduce_tags"), "deduce_tags").items()}
    context = tuple(_context_rule(r, item, where) for where, item in r.listed(raw.get("context"), "context", "rules"))
    for where, kind in [
        *((f"deduce_tags.{t}", k) for t, k in tags.items()),
        *((f"context[{i}].kind", c.kind) for i, c in enumerate(context)),
    ]:
        if kind not in labels:
            r.problem(where, f"'{kind}' has no label (labels: {', '.join(labels)})")
    return RedactionRules(
        labels=frozen(labels),
        deduce_tags=frozen(tags),
        context=context,
        street_suffixes=tuple(w.lower() for w in r.words(raw.get("street_suffixes"), "street_suffixes")),
        not_a_school=frozenset(r.words(raw.get("not_a_school"), "not_a_school")),
        place_names=frozenset(w.lower() for w in r.words(raw.get("place_names"), "place_names")),
        chat_words=frozenset(r.words(raw.get("chat_words"), "chat_words")),
    )


def _context_rule(r: Reader, raw: Any, where: str) -> ContextRule:
    item = r.fields(raw, where, ("kind", "takes", "patterns"))
    takes = r.words(item.get("takes"), f"{where}.takes")
    for i, word in enumerate(takes):
        if word not in get_args(Taken):
            r.problem(f"{where}.takes[{i}]", f"must be one of {', '.join(get_args(Taken))} (found {word!r})")
    patterns = r.compiled(item.get("patterns"), f"{where}.patterns", ("value",), flags=0)  # `(?i)` where case does not matter
    return ContextRule(r.text(item.get("kind"), f"{where}.kind"), frozenset(cast(Taken, w) for w in takes), patterns)
