"""Load on the workbench: N researchers on loopback, each opening random cases and saving a code,
as fast as the server answers, for a bounded time. Then the store is checked: every save that
was answered as saved is there exactly once, and the last save of each case is its code.

`python bench/load_workbench.py [SECONDS] [RESEARCHERS]` runs it on SQLite and, where a
PostgreSQL server can be started here, on PostgreSQL (issue 7: 20 researchers, 10 minutes,
p95 save under 300 ms). tests/web/test_load.py runs a short version in `make test`.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ZICHT = str(Path(sys.executable).parent / "zicht")
PASSWORD = "belasting-test-wachtwoord"
THINK = (1.0, 3.0)  # seconds between opening a case and saving it: faster than any coder, who takes minutes


@dataclass
class Saved:
    case: int
    based_on: int
    age: int


@dataclass
class Result:
    saves: list[Saved] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    save_ms: list[float] = field(default_factory=list)
    page_ms: list[float] = field(default_factory=list)

    def p95(self, ms: list[float]) -> float:
        return statistics.quantiles(ms, n=20)[-1] if len(ms) >= 20 else max(ms, default=0.0)


class Browser:
    """One researcher's session: cookies, CSRF token, forms posted as the page would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.url + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path: str, form: dict[str, list[str]], page: str) -> tuple[int, str]:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": [token.group(1) if token else ""]}, doseq=True).encode()
        request = urllib.request.Request(self.url + path, data=data, headers={"Referer": self.url + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def login(self, name: str) -> None:
        _, page = self.get("/login/")
        status, _ = self.post("/login/", {"username": [name], "password": [PASSWORD]}, page)
        if status != 302:
            raise RuntimeError(f"{name} could not log in ({status})")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 is an answer here, not a detour


def form_of(page: str) -> dict[str, list[str]]:
    """The coding form as the browser posts it: checked choices, filled fields, hidden fields."""
    form = page[page.index('id="codeform"') :]
    posted: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or not value or (kind and kind.group(1) in ("radio", "checkbox") and " checked" not in tag):
            continue
        if (kind and kind.group(1) in ("radio", "checkbox", "hidden")) or value.group(1):
            posted.setdefault(name.group(1), []).append(value.group(1))
    posted.pop("csrfmiddlewaretoken", None)
    posted["_pending"] = []  # the researcher accepts what is suggested
    return posted


def researcher(url: str, name: str, cases: list[int], until: float, result: Result, lock: threading.Lock, seed: int) -> None:
    try:
        _work(url, name, cases, until, result, lock, seed)
    except Exception as e:  # a researcher who stops is an error of the run, not a silent thread
        with lock:
            result.errors.append(f"{name}: {e!r}")


def _work(url: str, name: str, cases: list[int], until: float, result: Result, lock: threading.Lock, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(url)
    browser.login(name)
    while time.monotonic() < until:
        case = rng.choice(cases)
        started = time.perf_counter()
        status, page = browser.get(f"/cases/{case}/")
        opened = time.perf_counter()
        if status != 200:
            with lock:
                result.errors.append(f"GET case {case}: {status}")
            continue
        form = form_of(page)
        if form.get("about_trafficking") != ["yes"]:
            continue  # the age applies only to cases about trafficking
        current = next((int(v) for v in form.get("victim_age", []) if v.isdigit()), None)
        age = rng.choice([a for a in range(10, 19) if a != current])  # always a change: every save leaves an event
        form["victim_age"] = [str(age)]
        based_on = int(form["revision"][0])
        time.sleep(rng.uniform(*THINK))  # reading and coding
        sent = time.perf_counter()
        status, _ = browser.post(f"/cases/{case}/", form, page)
        done = time.perf_counter()
        with lock:
            result.page_ms.append((opened - started) * 1000)
            result.save_ms.append((done - sent) * 1000)
            if status == 302:
                result.saves.append(Saved(case, based_on, age))
            elif status == 409:
                result.conflicts += 1  # a colleague saved first: refused, nothing lost
            else:
                result.errors.append(f"POST case {case}: {status}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(work: Path, env: dict[str, str]) -> Path:
    """A project with the 2020 synthetic corpus, chats and codes, as the team has it."""
    corpus = work / "corpus"
    subprocess.run([ZICHT, "synth", "--year", "2020", "--out", str(corpus)], check=True, capture_output=True, env=env)
    project = work / "project"
    coordinator = ["user", "add", str(project), "coordinator", "--role", "coordinator", "--password-env", "ZICHT_LOAD_PASSWORD"]
    files = ["--chats", str(corpus / "chats-2020.jsonl"), "--coded", str(corpus / "coded-2020.csv")]
    for args in (["init", str(project)], ["import", str(project), *files], coordinator):
        subprocess.run([ZICHT, *args], check=True, capture_output=True, env={**env, "ZICHT_LOAD_PASSWORD": PASSWORD})
    return project


def serve(project: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen([ZICHT, "serve", str(project), "--port", str(port), "--threads", "24"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # it loads the redaction before it listens
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the workbench did not start")


def run(url: str, researchers: int, seconds: float) -> Result:
    coordinator = Browser(url)
    coordinator.login("coordinator")
    names = [f"onderzoeker{i:02d}" for i in range(researchers)]
    for name in names:
        _, page = coordinator.get("/users/")
        coordinator.post("/users/", {"action": ["add"], "username": [name], "password": [PASSWORD], "role": ["researcher"]}, page)
    _, page = coordinator.get("/cases/?status=coded")
    cases = sorted({int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', page)})[:40]  # few cases: many collisions
    if not cases:
        raise RuntimeError("no coded cases to work on")
    result, lock = Result(), threading.Lock()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=researcher, args=(url, name, cases, until, result, lock, i)) for i, name in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def lost_or_doubled(result: Result, final: dict[int, tuple[int, int | None]], start: dict[int, int], events: int) -> list[str]:
    """Every answered save is in the store once, and each case holds its last save's code."""
    problems = []
    if events != len(result.saves):
        problems.append(f"{len(result.saves)} saves answered, {events} code events stored")
    by_case: dict[int, list[Saved]] = {}
    for s in result.saves:
        by_case.setdefault(s.case, []).append(s)
    for case, saves in by_case.items():
        revision, age = final[case]
        if revision != start[case] + len(saves):
            problems.append(f"case {case}: {len(saves)} saves, revision {start[case]} → {revision}")
        if age != max(saves, key=lambda s: s.based_on).age:
            problems.append(f"case {case}: holds {age}, last save was {max(saves, key=lambda s: s.based_on).age}")
        if len({s.based_on for s in saves}) != len(saves):
            problems.append(f"case {case}: two saves from the same revision both answered as saved")
    return problems


def store_state(project: Path, env: dict[str, str]) -> tuple[dict[int, tuple[int, int | None]], int]:
    """Each case's revision and age, and the number of code events by the load's researchers, read by a separate process."""
    script = (
        "import json,sys; from pathlib import Path; from zicht.store.project import open_project; open_project(Path(sys.argv[1]));"
        "from zicht.store import models;"
        "ages={c.case_id: c.value for c in models.Code.objects.filter(variable='victim_age')};"
        "cases={c.pk: [c.revision, ages.get(c.pk)] for c in models.Case.objects.all()};"
        "events=models.Event.objects.filter(user__startswith='onderzoeker', variable='victim_age').count();"
        "print(json.dumps({'cases': cases, 'events': events}))"
    )
    import json

    out = subprocess.run([sys.executable, "-c", script, str(project)], check=True, capture_output=True, text=True, env=env).stdout
    state = json.loads(out.strip().splitlines()[-1])
    return {int(k): (v[0], v[1]) for k, v in state["cases"].items()}, int(state["events"])


def load(work: Path, researchers: int, seconds: float, env: dict[str, str]) -> tuple[Result, list[str]]:
    project = prepare(work, env)
    start, _ = store_state(project, env)
    server, url = serve(project, env)
    try:
        result = run(url, researchers, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    final, events = store_state(project, env)
    return result, lost_or_doubled(result, final, {k: v[0] for k, v in start.items()}, events)


def report(name: str, result: Result, problems: list[str], seconds: float) -> None:
    n = len(result.save_ms)
    print(f"{name}: {n} saves tried in {seconds:.0f} s ({n / seconds:.1f}/s): {len(result.saves)} saved, {result.conflicts} conflicts")
    print(f"  save   median {statistics.median(result.save_ms):6.1f} ms   p95 {result.p95(result.save_ms):6.1f} ms")
    print(f"  open   median {statistics.median(result.page_ms):6.1f} ms   p95 {result.p95(result.page_ms):6.1f} ms")
    print(f"  errors {len(result.errors)}; lost or doubled saves: {problems or 'none'}")
    for error in sorted(set(result.errors))[:10]:
        print(f"    {error}")


def main() -> None:
    import tempfile

    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 600
    researchers = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    work = Path(tempfile.mkdtemp(prefix="zicht-load-"))
    result, problems = load(work / "sqlite", researchers, seconds, env)
    report(f"SQLite (WAL), {researchers} researchers", result, problems, seconds)
    if os.environ.get("DATABASE_URL"):
        result, problems = load(work / "postgres", researchers, seconds, dict(os.environ))
        report(f"PostgreSQL, {researchers} researchers", result, problems, seconds)


if __name__ == "__main__":
    main()
