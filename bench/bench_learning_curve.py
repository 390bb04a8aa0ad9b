"""The learned suggester's learning curve: trained on n coded cases of 2019, judged on 2020.

Prints, for each n, the mean macro-F1 over the categorical variables and the share of
fields a coder would not need to touch, with the rules alone as the baseline in the same
process. Also the reverse direction (2020 → 2019) at the full size, and the curve for a
phrasing the rules do not know (their sextortion cues taken away): where the model has
something to learn.

    python bench/bench_learning_curve.py [--seed N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.codebook import CodedCase, load_codebook
from zicht.coding import as_case, suggest
from zicht.coding.evaluate import field_scores
from zicht.coding.learn import suggest_learned, train
from zicht.synth import generate

SECRET = b"bench" * 8
BOOK = load_codebook("nl-2020")


def suggested(cases, chats, suggester) -> dict[str, CodedCase]:  # type: ignore[no-untyped-def]
    """The suggestions for each coded case, made from its conversations, as cases."""
    return {c.visitor_id: as_case(c.visitor_id, suggester([chats[i] for i in c.conversation_ids]), BOOK, c.conversation_ids) for c in cases}


def judged(cases, chats, suggester) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Mean macro-F1 over the categorical variables, and the share of untouched fields."""
    scores = field_scores(cases, suggested(cases, chats, suggester), BOOK)
    categorical = [s.score for s in scores if s.measure == "macro-F1" and s.score is not None]
    return sum(categorical) / len(categorical), sum(s.untouched for s in scores) / len(scores)


def curve(train_year: int, test_year: int, seed: int, sizes: list[int]) -> None:
    learn_from, judge_on = generate(train_year, seed), generate(test_year, seed)
    learn_chats = {c.id: c for c in learn_from.flagged}
    test_chats = {c.id: c for c in judge_on.flagged}
    f1, untouched = judged(judge_on.cases, test_chats, lambda cs: suggest(cs, BOOK, SECRET))
    print(f"{train_year} → {test_year}: rules alone: mean macro-F1 {f1:.3f}, untouched {untouched:.1%}", flush=True)
    cases = list(learn_from.cases)
    random.Random(seed).shuffle(cases)
    for n in sizes:
        started = time.perf_counter()
        model = train(cases[:n], learn_chats, BOOK, SECRET)
        trained = time.perf_counter() - started
        f1, untouched = judged(judge_on.cases, test_chats, lambda cs, m=model: suggest_learned(m, cs, BOOK, SECRET))  # type: ignore[misc]
        print(f"  trained on {n:>3} coded cases ({trained:.1f} s): mean macro-F1 {f1:.3f}, untouched {untouched:.1%}", flush=True)


def curve_for_a_phrasing_the_rules_do_not_know(seed: int, sizes: list[int]) -> None:
    """The rules lose their sextortion cues (a phrasing new to them); the model learns it from coded cases."""
    import importlib

    profile_module = importlib.import_module("zicht.reading.profile")
    words = profile_module.lexicon().without("coercion", "sextortion")
    profile_module.lexicon = lambda: words  # type: ignore[attr-defined]
    learn_from, judge_on = generate(2019, seed), generate(2020, seed)
    learn_chats, test_chats = {c.id: c for c in learn_from.flagged}, {c.id: c for c in judge_on.flagged}
    cases = list(learn_from.cases)
    random.Random(seed).shuffle(cases)

    def f1(suggester) -> float:  # type: ignore[no-untyped-def]
        made = suggested(judge_on.cases, test_chats, suggester)
        tp = wrong = 0
        for case in judge_on.cases:
            coded = "sextortion" in (case.values.get("coercion") or ())
            found = "sextortion" in (made[case.visitor_id].values.get("coercion") or ())
            tp, wrong = tp + (coded and found), wrong + (coded != found)
        return 2 * tp / (2 * tp + wrong) if tp or wrong else 0.0

    print(f"rules without sextortion cues, 2019 → 2020: rules alone F1 {f1(lambda cs: suggest(cs, BOOK, SECRET)):.3f}", flush=True)
    for n in sizes:
        model = train(cases[:n], learn_chats, BOOK, SECRET)
        print(
            f"  trained on {n:>3} coded cases: sextortion F1 {f1(lambda cs, m=model: suggest_learned(m, cs, BOOK, SECRET)):.3f}", flush=True
        )  # type: ignore[misc]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    curve(2019, 2020, args.seed, [25, 50, 100, 200, 10_000])
    curve(2020, 2019, args.seed, [10_000])
    curve_for_a_phrasing_the_rules_do_not_know(args.seed, [25, 50, 100, 200, 10_000])
