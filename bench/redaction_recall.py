"""Redaction recall on the synthetic corpus: of what the generator planted, how much is hidden.

    python bench/redaction_recall.py [SEEDS]

Prints recall per kind over SEEDS corpora of 2020 (default 5), the over-redaction in counsellor
turns (they name nobody), and the speed per message against a baseline of only the import's
identifier finder, run in the same process.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from zicht.privacy.evaluate import redaction_recall
from zicht.privacy.identifiers import find_identifiers
from zicht.privacy.redaction import deducer, find_personal
from zicht.synth import generate


def main(seeds: int) -> None:
    start = time.perf_counter()
    deducer()
    print(f"deduce loaded in {time.perf_counter() - start:.1f} s")
    planted, hidden, words, redacted, missed = Counter[str](), Counter[str](), 0, 0, []
    for seed in range(seeds):
        corpus = generate(2020, 100 + seed)
        r = redaction_recall(corpus.conversations, corpus.truth)
        planted += r.planted
        hidden += r.hidden
        words, redacted, missed = words + r.ordinary_words, redacted + r.ordinary_redacted, missed + r.missed
    print(f"{'kind':<8} {'planted':>8} {'hidden':>8} {'recall':>8}")
    for kind in sorted(planted):
        print(f"{kind:<8} {planted[kind]:>8} {hidden[kind]:>8} {hidden[kind] / planted[kind]:>8.4f}")
    print(f"counsellor turns: {redacted} redactions in {words} words ({redacted / words:.4%})")
    for kind, value, text in missed[:20]:
        print(f"missed {kind}: {value!r} in {text!r}")
    texts = [m.text for c in generate(2020, 100).conversations for m in c.messages]
    base = time.perf_counter()
    for t in texts:
        find_identifiers(t)
    base = time.perf_counter() - base
    full = time.perf_counter()
    for t in texts:
        find_personal(t)
    full = time.perf_counter() - full
    print(
        f"{len(texts)} messages: identifiers only {base / len(texts) * 1e3:.3f} ms, redaction {full / len(texts) * 1e3:.3f} ms "
        f"per message ({full / base:.1f}x)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
