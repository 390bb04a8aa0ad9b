"""The workbench's server time with 30,000+ coded cases in the store (issues 6 and 16: p95 under 200 ms).

    python bench/bench_workbench.py [SCALE]                 load SCALE x the 2020 corpus, then time (default 100)
    python bench/bench_workbench.py --project DIR/project   time a project an earlier run loaded (1,000 x takes 15-30 min to load)

Loads 100 years' worth of the synthetic 2020 corpus (chats and coded cases) into a fresh
SQLite project, then times the queue (filters, search, pages), the coding view, a save and
the monitor page through Django's test client: the whole request cycle in the server,
without a network. The login page, which touches no case, is the baseline in the same process.
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from zicht.pipeline.imports import import_files
from zicht.pipeline.project import Project
from zicht.privacy.alias import alias
from zicht.synth import generate, write_corpus

SCALE = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100  # 100 x the 2020 corpus: 32,200 coded cases
LOADED = Path(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "--project" else None  # a project a run before loaded


def times(request: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        request()
        out.append((time.perf_counter() - started) * 1000)
    return out


def report(name: str, ms: list[float], base: float) -> None:
    p95 = statistics.quantiles(ms, n=20)[-1] if len(ms) >= 20 else max(ms)
    median = statistics.median(ms)
    print(f"  {name:34} median {median:7.1f} ms   p95 {p95:7.1f} ms   (x{median / base:5.1f} the login page)")


def main() -> None:
    started = time.perf_counter()
    if LOADED:
        work = LOADED.parent
        Project.open(LOADED)
    else:
        work = Path(tempfile.mkdtemp(prefix="zicht-bench-workbench-"))
        paths = write_corpus(generate(2020, 0, scale=SCALE), work / "corpus")
        list(import_files(Project.init(work / "project"), [paths["chats"]], paths["coded"]))
    from django.contrib.auth.models import User
    from django.test import Client

    from zicht.store import models
    from zicht.store.accounts import add_user

    n_cases, n_chats = models.Case.objects.count(), models.Conversation.objects.count()
    print(f"store: {n_cases:,} coded cases, {n_chats:,} chats, {'opened' if LOADED else 'loaded'} in {time.perf_counter() - started:.0f} s")

    user = User.objects.filter(username="bench").first() or add_user("bench", "bench-wachtwoord-lang", "coordinator")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    anonymous = Client()
    rng = random.Random(0)
    cases = list(models.Case.objects.values_list("pk", "visitor_id"))
    pks = [pk for pk, _ in cases]
    held = rng.sample(list(models.CaseConversation.objects.values_list("conversation", flat=True)), 1000)
    pseudonyms = list(models.Conversation.objects.filter(external_id__in=held).values_list("pseudonym", flat=True))
    visitors = [visitor for _, visitor in rng.sample(cases, 100)]
    pages = max(1, n_cases // 50)

    base_ms = times(lambda: anonymous.get("/login/"), 50)
    base = statistics.median(base_ms)
    print("server time per request (Django test client, SQLite):")
    report("login page (baseline)", base_ms, base)
    report("queue, to code", times(lambda: client.get("/cases/"), 50), base)
    report("queue, coded, a random page", times(lambda: client.get(f"/cases/?status=coded&page={rng.randrange(1, pages)}"), 50), base)
    report("queue, search by pseudonym", times(lambda: client.get(f"/cases/?status=all&q={rng.choice(pseudonyms)[:10]}"), 50), base)
    report("queue, search by visitor", times(lambda: client.get(f"/cases/?status=all&q={rng.choice(visitors).lower()}"), 50), base)
    report("queue, search by alias", times(lambda: client.get(f"/cases/?status=all&q={alias(rng.choice(pseudonyms))}"), 50), base)
    report("coding view, a random case", times(lambda: client.get(f"/cases/{rng.choice(pks)}/"), 100), base)

    def save() -> None:
        case = models.Case.objects.get(pk=rng.choice(pks))
        client.post(f"/cases/{case.pk}/", {"revision": str(case.revision), "victim_age": str(rng.randrange(10, 18))})

    report("save one code (with its event)", times(save, 50), base)
    report("monitor page, first in the process", times(lambda: client.get("/monitor/?year=2020"), 1), base)
    started = time.perf_counter()
    while "(n = " not in client.get("/monitor/?year=2020").content.decode():  # as the page polls: the worker counts
        time.sleep(0.2)
    print(f"  {'monitor page: first count shown after':34} {time.perf_counter() - started:7.1f} s (counted in the worker; no page waits)")
    report("monitor page, unchanged data", times(lambda: client.get("/monitor/?year=2020"), 50), base)
    after: list[float] = []
    for _ in range(20):
        save()
        after += times(lambda: client.get("/monitor/?year=2020"), 1)
    report("monitor page, after a colleague's save", after, base)
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; project in {work}")


if __name__ == "__main__":
    main()
