"""A learned suggester: trained on the project's coded cases, so the researchers' corrections teach it.

For every categorical variable (one, many, flag) a logistic regression reads the visitor's
words (TF-IDF of word uni- and bigrams) together with what the rules suggested (as tokens,
so it learns when to trust them). It fills in where the rules found nothing, and it learns
only from such cases: what a silent rule's cases turned out to be coded (often "not said",
which is why a model trained on all cases would fill in the common value and be wrong).
Where a rule found its cue, the rule stands. Without enough coded cases for a variable
(fewer than MIN_CASES silent ones, or one value only) the rules stand alone.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zicht.codebook import Codebook, CodedCase, Value, Variable
from zicht.coding.suggest import Suggestion, only_what_applies, read, suggest, suggest_profiles
from zicht.errors import ZichtError
from zicht.knowledge.suggestion import FOUND
from zicht.reading.profile import Profile
from zicht.transcripts.model import Conversation

LEARNED = ("one", "many", "flag")
MIN_CASES = 20
FILL_IN = 0.6  # the model's probability to suggest where the rules are silent
NONE = "__none__"


@dataclass
class Model:
    codebook: str
    cases: int  # how many coded cases it learned from
    years: tuple[int, ...]
    vectorizer: Any = None
    classifiers: dict[str, Any] = field(default_factory=dict)  # variable (or variable.category for many) -> classifier


def train(
    cases: Sequence[CodedCase], chats: dict[str, Conversation], codebook: Codebook, secret: bytes, years: Sequence[int] = ()
) -> Model:
    """Learn from coded cases whose conversations are at hand."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    known = [(case, [chats[i] for i in case.conversation_ids if i in chats]) for case in cases]
    known = [(case, convs) for case, convs in known if convs]
    if len(known) < MIN_CASES:
        raise ZichtError(f"{len(known)} coded cases with their chats; the learned suggester needs at least {MIN_CASES}")
    documents, rules_of = [], []
    for _, convs in known:
        chats_in_order, profiles = read(convs, secret)
        rules = suggest_profiles(chats_in_order, profiles, codebook)
        documents.append(_document(profiles, rules))
        rules_of.append(rules)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w[\w_]+\b")
    x = vectorizer.fit_transform(documents)
    model = Model(codebook.id, len(known), tuple(years), vectorizer)
    for variable in codebook:
        if variable.type not in LEARNED:
            continue
        for target, labels in _targets(variable, [case.values.get(variable.id) for case, _ in known]):
            # learned only where the rules found nothing: what a silent rule's cases turn out to be coded
            rows = [
                i
                for i, rules in enumerate(rules_of)
                if _silent(rules[variable.id], target) and codebook.applies(variable, known[i][0].values)
            ]  # ... among the cases where the variable is to be coded at all
            kept = [labels[i] for i in rows]
            if len(rows) < MIN_CASES or len(set(kept)) < 2 or min(kept.count(v) for v in set(kept)) < 2:
                continue
            model.classifiers[target] = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced").fit(x[rows], kept)
    return model


def suggest_learned(model: Model, conversations: Sequence[Conversation], codebook: Codebook, secret: bytes) -> dict[str, Suggestion]:
    """The rules' suggestions, with the model filling in where they found nothing."""
    chats, profiles = read(conversations, secret)
    rules = suggest_profiles(chats, profiles, codebook)
    x = model.vectorizer.transform([_document(profiles, rules)])
    learned = {v.id: _combine(v, rules[v.id], model, x) if v.type in LEARNED else rules[v.id] for v in codebook}
    return only_what_applies(learned, codebook)


def suggest_with(model: Model | None, conversations: Sequence[Conversation], codebook: Codebook, secret: bytes) -> dict[str, Suggestion]:
    """The learned suggester's suggestions where there is one; the rules' otherwise."""
    return suggest(conversations, codebook, secret) if model is None else suggest_learned(model, conversations, codebook, secret)


def save(model: Model, path: Path, secret: bytes) -> None:
    """The model, signed with the project's secret: a file swapped in by someone else is refused on load."""
    body = pickle.dumps(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(hmac.new(secret, body, hashlib.sha256).digest() + body)


def load(path: Path, secret: bytes) -> Model:
    """A model this project saved; the signature is checked before anything is unpickled."""
    raw = path.read_bytes()
    signature, body = raw[:32], raw[32:]
    if not hmac.compare_digest(signature, hmac.new(secret, body, hashlib.sha256).digest()):
        raise ZichtError(f"{path}: not signed by this project; retrain with `zicht suggest train`")
    loaded = pickle.loads(body)
    if not isinstance(loaded, Model):
        raise ZichtError(f"{path}: not a zicht suggester model")
    return loaded


def _document(profiles: Sequence[Profile], rules: dict[str, Suggestion]) -> str:
    """The visitor's words, and what the rules found as tokens (`rule_form_sexual`)."""
    tokens = [f"rule_{s.variable}_{v}".replace("-", "_") for s in rules.values() if s.confidence >= FOUND * 0.8 for v in _items(s.value)]
    return "\n".join([p.text for p in profiles] + [" ".join(tokens)])


def _items(value: Value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, frozenset):
        return sorted(value)
    return [str(value).lower()]


def _targets(variable: Variable, values: list[Value]) -> list[tuple[str, list[str]]]:
    """What is learned for a variable: its value (one, flag), or each category's presence (many)."""
    if variable.type == "many":
        return [(f"{variable.id}.{c}", [str(isinstance(v, frozenset) and c in v) for v in values]) for c in variable.category_ids]
    return [(variable.id, [NONE if v is None else str(v) for v in values])]


def _silent(rule: Suggestion, target: str) -> bool:
    """Whether the rules found nothing for this target (a variable, or one category of a many-variable)."""
    if rule.confidence >= FOUND * 0.8 and rule.value is not None:
        category = target.partition(".")[2]
        return bool(category) and isinstance(rule.value, frozenset) and category not in rule.value
    return True


def _combine(variable: Variable, rule: Suggestion, model: Model, x: Any) -> Suggestion:
    """Where the rules found nothing, the model's value when it is fairly sure; else the rule."""
    if variable.type == "many":
        chosen = set(rule.value) if isinstance(rule.value, frozenset) else set()
        added = set()
        for category in variable.category_ids:
            classifier = model.classifiers.get(f"{variable.id}.{category}")
            if classifier is None or category in chosen or not _silent(rule, f"{variable.id}.{category}"):
                continue
            if float(classifier.predict_proba(x)[0][list(classifier.classes_).index("True")]) >= FILL_IN:
                added.add(category)
        return rule if not added else Suggestion(variable.id, frozenset(chosen | added), 0.7, rule.evidence, "learned")
    classifier = model.classifiers.get(variable.id)
    if classifier is None or not _silent(rule, variable.id):
        return rule
    probabilities = classifier.predict_proba(x)[0]
    best = int(probabilities.argmax())
    label, p = str(classifier.classes_[best]), float(probabilities[best])
    if label == NONE or p < FILL_IN:
        return rule
    value: Value = label == "True" if variable.type == "flag" else label
    return Suggestion(variable.id, value, round(p, 3), reader="learned")
