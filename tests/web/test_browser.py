"""The workbench in a real browser: Debian's Chromium driven by Playwright against `zicht serve`.

The server runs on a project of its own, made with the CLI as a team would: import, link,
suggest, add accounts. Screenshots of every screen go to ZICHT_SCREENSHOTS (or a temp folder).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORDS = {"anna": "anna-coordineert-2020", "bram": "bram-codeert-veel-2020", "cees": "cees-codeert-ook-2020"}
ZICHT = str(Path(sys.executable).parent / "zicht")
ROLES = {"anna": "coordinator", "bram": "researcher", "cees": "researcher"}
SERVERS: dict[str, subprocess.Popen[bytes]] = {}  # url: the `zicht serve` behind it

if not CHROMIUM.exists():
    if os.environ.get("ZICHT_BROWSER_TESTS") == "required":
        raise RuntimeError(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    pytest.skip(f"no {CHROMIUM}: install Debian's chromium to run the browser tests", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.in_order, pytest.mark.long]  # one session on one server, its steps in the written order


@pytest.fixture(autouse=True)
def _rolled_back() -> None:
    """The browser works on a server and project of its own: nothing here to roll back (and no Django in this process)."""


def _zicht(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([ZICHT, *args], check=True, capture_output=True, env={**os.environ, **(env or {})})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("browser") / "project"
    _zicht("init", str(project))
    _zicht("import", str(project), "--chats", str(corpus_dir / "chats-2019.jsonl"), "--coded", str(corpus_dir / "coded-2019.csv"))
    _zicht("import", str(project), "--chats", str(corpus_dir / "chats-2020.jsonl"))
    _zicht("link", str(project), "--year", "2020")
    _zicht("suggest", "run", str(project), "--year", "2020", "--rules-only")
    for name, role in ROLES.items():
        _zicht(
            "user",
            "add",
            str(project),
            name,
            "--role",
            role,
            "--password-env",
            "ZICHT_TEST_PASSWORD",
            env={"ZICHT_TEST_PASSWORD": PASSWORDS[name]},
        )
    port = _free_port()
    process = subprocess.Popen([ZICHT, "serve", str(project), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # it loads the redaction before it listens
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    SERVERS[url] = process
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("ZICHT_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser: Browser, server: str, name: str | None = None) -> Page:
    """A fresh browser session, logged in as `name` (or not at all). Fails on any script error or CSP violation."""
    page = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems  # type: ignore[attr-defined]
    page.goto(f"{server}/")
    if name:
        page.fill("#id_username", name)
        page.fill("#id_password", PASSWORDS[name])
        page.press("#id_password", "Enter")
        page.wait_for_load_state()
    return page


def _done(page: Page) -> None:
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_first_login(browser: Browser, server: str, shots: Path) -> None:
    page = _page(browser, server)
    expect(page).to_have_url(f"{server}/login/?next=/")
    page.screenshot(path=shots / "01-login.png")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "niet-het-wachtwoord")
    page.press("#id_password", "Enter")
    expect(page.locator(".msg.error")).to_contain_text("klopt niet")
    page.fill("#id_password", PASSWORDS["anna"])
    page.press("#id_password", "Enter")
    expect(page.locator("h1")).to_have_text("Casussen")
    expect(page.locator(".who")).to_contain_text("anna · coördinator")
    page.screenshot(path=shots / "02-queue.png")
    _done(page)


def test_coding_a_case_from_the_queue_by_keyboard_and_accepting_suggestions(browser: Browser, server: str, shots: Path) -> None:
    page = _page(browser, server, "bram")
    first = page.locator("tr.selected a").inner_text()
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Casus {first}")
    page.screenshot(path=shots / "03-case.png")
    chip = page.locator(".chip:not([disabled])").first
    chip.click()
    expect(page.locator("mark.ev.lit").first).to_be_visible()
    page.screenshot(path=shots / "04-case-evidence.png")
    page.locator("fieldset.field:not([hidden]) input").first.focus()
    page.keyboard.press("Shift+A")
    expect(page.locator("[data-pending-count]")).to_have_text("0 voorstellen open")
    page.keyboard.press("n")
    expect(page.locator(".msg.success")).to_contain_text(f"Casus {first} is opgeslagen")
    assert page.locator("h1").inner_text() != f"Casus {first}"  # on to the next case
    page.goto(f"{server}/cases/?status=partial&q={first}")  # what the chats said nothing of stays to be coded
    expect(page.locator("[data-rows] tbody")).to_contain_text(first)
    _done(page)


def test_accept_all_takes_only_what_is_shown_and_a_field_shown_later_comes_in_as_a_suggestion(
    browser: Browser, server: str, shots: Path
) -> None:
    """Issue 19.2: "A" accepted the hidden criminal acts as unknown, and ticking criminal exploitation then showed it pre-filled."""
    page = _page(browser, server, "cees")
    rows = page.locator("[data-rows] tbody tr[data-href]")
    hrefs = [rows.nth(i).get_attribute("data-href") for i in range(min(rows.count(), 12))]
    for href in hrefs:
        page.goto(f"{server}{href}")
        page.locator("fieldset.field:not([hidden]) input").first.focus()
        hidden = page.locator("fieldset.field.suggested[hidden]").count()
        page.keyboard.press("Shift+A")
        assert page.locator("fieldset.field.suggested[hidden]").count() == hidden, "a hidden suggestion was accepted"
        criminal = page.locator("fieldset[data-var=form] input[value=criminal]")
        if page.locator("fieldset[data-var=form]").is_visible() and not criminal.is_checked():
            break
    else:
        pytest.fail("no case among the first ones with a form field to tick")
    acts = page.locator("fieldset[data-var=criminal_acts]")
    expect(acts).to_be_hidden()
    criminal.check()
    expect(acts).to_be_visible()
    expect(acts).to_have_class(re.compile(r"\b(open|suggested)\b"))  # not coded yet, or a suggestion to accept
    assert not acts.locator("input:checked").count() or "suggested" in (acts.get_attribute("class") or "")
    page.screenshot(path=shots / "04b-case-field-shown-later.png")
    page.keyboard.press("s")
    expect(page.locator(".msg.success")).to_be_visible()
    expect(page.locator("fieldset[data-var=criminal_acts]")).to_have_class(re.compile(r"\b(open|suggested)\b"))
    _done(page)


def test_a_consultation_round(browser: Browser, server: str, shots: Path) -> None:
    bram = _page(browser, server, "bram")
    bram.locator("tr.selected a").click()
    case_url = bram.url
    bram.select_option(".newthread select", "victim_age")
    bram.fill(".newthread textarea", "Zestien of zeventien? Ze noemt beide.")
    bram.click(".newthread button")
    expect(bram.locator(".thread")).to_contain_text("Zestien of zeventien?")
    _done(bram)

    cees = _page(browser, server, "cees")
    cees.goto(case_url)
    cees.fill(".thread .reply textarea", "Bij de eerste chat zegt ze zestien.")
    cees.click(".thread .reply button")
    expect(cees.locator(".thread .comments")).to_contain_text("Bij de eerste chat zegt ze zestien.")  # swapped in, no reload
    assert cees.url == case_url
    _done(cees)

    anna = _page(browser, server, "anna")
    anna.goto(f"{server}/consultations/")
    anna.screenshot(path=shots / "05-consultations.png")
    anna.goto(case_url)
    anna.locator(".thread .decide input[name=victim_age][type=number]").fill("16")
    anna.locator(".thread .decide button").click()
    expect(anna.locator(".thread")).to_contain_text("besloten door anna")
    anna.locator(".thread").scroll_into_view_if_needed()
    anna.screenshot(path=shots / "06-consultation-decided.png")
    _done(anna)


def test_a_double_coded_sample_with_its_agreement_table(browser: Browser, server: str, shots: Path) -> None:
    anna = _page(browser, server, "anna")
    anna.goto(f"{server}/double/")
    anna.fill("input[name=size]", "2")
    for coder in ("bram", "cees"):
        anna.get_by_label(coder).check()
    anna.screenshot(path=shots / "07-samples.png")
    anna.click("text=Trekken en toewijzen")
    expect(anna.locator("h1")).to_contain_text("Overeenstemming")
    agreement_url = anna.url

    for coder, ages in (("bram", ["15", "16"]), ("cees", ["15", "17"])):
        page = _page(browser, server, coder)
        page.goto(f"{server}/double/")
        page.locator("td a").first.click()
        for age in ages:
            expect(page.locator("h1")).to_contain_text("Blind coderen")
            page.locator("input[name=about_trafficking][value=yes]").check()  # the questions that depend on it appear
            page.locator("input[name=victim_age][type=number]").fill(age)
            page.locator("input[name=victim_gender][value=female]").check()
            if coder == "bram" and age == ages[0]:
                page.screenshot(path=shots / "08-blind.png")
            page.locator("button.primary").click()
        expect(page.locator("h1")).to_have_text("Dubbel coderen")
        _done(page)

    anna.goto(agreement_url)
    table = anna.locator("table.agreement")
    expect(table).to_contain_text("Leeftijd slachtoffer")
    expect(table.locator("tr", has_text="Leeftijd slachtoffer")).to_contain_text("50%")
    expect(table.locator("tr", has_text="Geslacht slachtoffer")).to_contain_text("100%")
    expect(anna.locator("text=Verschillen om op te lossen")).to_be_visible()
    anna.screenshot(path=shots / "09-agreement.png", full_page=True)
    _done(anna)


def test_a_merge_and_its_undo(browser: Browser, server: str, shots: Path) -> None:
    anna = _page(browser, server, "anna")
    anna.goto(f"{server}/links/")
    anna.screenshot(path=shots / "10-links.png")
    anna.locator("text=bekijken").first.click()
    expect(anna.locator("table.sidebyside")).to_contain_text("leeftijd")
    anna.screenshot(path=shots / "11-pair.png")
    anna.click("text=Samenvoegen: één bezoeker")
    expect(anna.locator(".msg.success")).to_contain_text("Samengevoegd")
    decided = anna.locator("tr", has_text="samengevoegd").first
    decided.locator("text=Ongedaan maken").click()
    expect(anna.locator(".msg.success")).to_contain_text("Ongedaan gemaakt")
    expect(anna.locator("tr.undone").first).to_contain_text("ongedaan")
    anna.goto(f"{server}/audit/")
    expect(anna.locator("table")).to_contain_text("samenvoegen ongedaan")
    anna.screenshot(path=shots / "12-audit.png")
    _done(anna)


def test_a_report_download(browser: Browser, server: str, shots: Path, tmp_path: Path) -> None:
    anna = _page(browser, server, "anna")
    anna.goto(f"{server}/monitor/?year=2019")
    expect(anna.locator("h1")).to_have_text("Monitor 2019")
    anna.screenshot(path=shots / "13-monitor.png")
    figure = anna.locator("img.figure").first
    figure.scroll_into_view_if_needed()
    expect(figure).to_be_visible()
    loaded = "img => img.complete && img.naturalWidth > 0"  # drawn, served and allowed by the CSP
    anna.wait_for_function(loaded, arg=figure.element_handle(), timeout=30_000)
    anna.screenshot(path=shots / "14-monitor-figure.png")
    with anna.expect_download(timeout=120_000) as info:
        anna.click("text=report.docx")
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as docx:
        assert "word/document.xml" in docx.namelist()
        assert "Onzichtbare slachtoffers" in docx.read("word/document.xml").decode()
    _done(anna)


def test_a_reader_sees_the_monitor_only(browser: Browser, server: str, shots: Path) -> None:
    page = _page(browser, server, "anna")
    page.goto(f"{server}/users/")
    page.fill(".card input[name=username]", "lies")
    page.fill(".card input[name=password]", "lies-leest-alleen-2020")
    page.select_option(".card select[name=role]", "reader")
    page.click(".card button.primary")
    expect(page.locator(".msg.success")).to_contain_text("lies is toegevoegd")
    page.screenshot(path=shots / "15-users.png")
    _done(page)
    PASSWORDS["lies"] = "lies-leest-alleen-2020"
    reader = _page(browser, server, "lies")
    expect(reader.locator("h1")).to_contain_text("Monitor")
    assert reader.locator("nav a", has_text="Casussen").count() == 0
    response = reader.goto(f"{server}/cases/")
    assert response is not None and response.status == 403
    reader.context.close()


def test_after_logout_the_browser_keeps_no_chat_text_on_disk(browser: Browser, server: str, tmp_path: Path) -> None:
    profile = tmp_path / "profile"  # a profile of its own, so its disk cache can be read after
    context = browser.browser_type.launch_persistent_context(str(profile), executable_path=str(CHROMIUM), args=ARGS)
    page = context.new_page()
    page.goto(f"{server}/login/")
    page.fill("#id_username", "bram")
    page.fill("#id_password", PASSWORDS["bram"])
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    texts: list[str] = []
    for row in range(3):
        page.goto(f"{server}/cases/")
        page.locator("#rows a").nth(row).click()
        expect(page.locator(".transcript")).to_be_visible()
        texts += [t for t in page.locator(".turn.visitor p").all_inner_texts() if len(t) > 15]
    page.locator("form.who button").click()
    page.wait_for_load_state()
    context.close()
    kept = b"".join(f.read_bytes() for f in profile.rglob("*") if f.is_file())
    assert len(texts) > 10
    assert [t for t in texts if t.encode() in kept] == []


def test_sigterm_stops_the_workbench_and_its_monitor_worker(browser: Browser, server: str) -> None:
    """Last in this module: it stops the server. A worker left running would hold the database open."""
    process = SERVERS[server]
    page = _page(browser, server, "anna")
    page.goto(f"{server}/monitor/?year=2020")  # the first count, in the worker since the server started
    page.goto(f"{server}/cases/")
    page.locator("#rows a").first.click()
    page.locator("input[name=about_trafficking][value=yes]").check()
    page.locator("input[name=victim_age][type=number]").fill("15")
    page.locator("button.primary").first.click()
    page.goto(f"{server}/monitor/?year=2020")  # a save since: the worker process counts again
    deadline = time.monotonic() + 60
    while not (children := _children(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert children, "the monitor's worker did not start"
    page.context.close()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    deadline = time.monotonic() + 30
    while (alive := [pid for pid in children if Path(f"/proc/{pid}").exists() and not _zombie(pid)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive == []


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False
