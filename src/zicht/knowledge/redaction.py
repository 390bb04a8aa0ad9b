"""The redaction rules (`privacy/data/redaction-nl.yaml`): what Dutch chats name that deduce misses, checked.

Every kind that is found (by deduce's tag or by a context pattern) has a label readers see;
every context pattern compiles and has the group `value` that is redacted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zicht.knowledge.read import Reader, frozen, load


@dataclass(frozen=True)
class RedactionRules:
    labels: Mapping[str, str]  # kind -> what readers see instead: `naam`, `telefoonnummer`
    deduce_tags: Mapping[str, str]  # deduce's tag -> kind
    context: Mapping[str, tuple[re.Pattern[str], ...]]  # kind -> the patterns that find it by the words around it
    not_a_school: frozenset[str]
    chat_words: frozenset[str]  # chat words that are also first names or places in deduce's lists


@functools.cache
def redaction_rules() -> RedactionRules:
    return load("zicht.privacy", "redaction-nl.yaml", compile_redaction)


def compile_redaction(r: Reader, raw: dict[str, Any]) -> RedactionRules:
    r.fields(raw, "", ("labels", "deduce_tags", "context", "not_a_school", "chat_words"))
    labels = {kind: r.text(label, f"labels.{kind}") for kind, label in r.mapping(raw.get("labels"), "labels").items()}
    tags = {tag: r.text(kind, f"deduce_tags.{tag}") for tag, kind in r.mapping(raw.get("deduce_tags"), "deduce_tags").items()}
    context = {
        kind: r.compiled(patterns, f"context.{kind}", ("value",), flags=0)  # `(?i)` where case does not matter
        for kind, patterns in r.mapping(raw.get("context"), "context").items()
    }
    for where, kind in [*((f"deduce_tags.{t}", k) for t, k in tags.items()), *((f"context.{k}", k) for k in context)]:
        if kind not in labels:
            r.problem(where, f"'{kind}' has no label (labels: {', '.join(labels)})")
    return RedactionRules(
        labels=frozen(labels),
        deduce_tags=frozen(tags),
        context=frozen(context),
        not_a_school=frozenset(r.words(raw.get("not_a_school"), "not_a_school")),
        chat_words=frozenset(r.words(raw.get("chat_words"), "chat_words")),
    )
