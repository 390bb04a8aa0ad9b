"""A real QDA tool reads what zicht reads: a codebook made in Taguette crosses into zicht as REFI-QDA.

Taguette (on PyPI, in `.venv-taguette`, made by `make test`) exports a codebook as .qdc; it imports
codebooks only as CSV, so the REFI-QDA crossing runs from Taguette to zicht. The test starts
Taguette's own server, makes a project and its tags through its web API, as a user would, downloads
the .qdc and starts a zicht codebook from it. Taguette asks taguette.org for news when it starts;
the launcher turns that off, so the run stays offline.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from zicht.codebook import parse_codebook
from zicht.exchange.refi import draft_codebook, read_qdc

TAGUETTE = Path(__file__).parents[2] / ".venv-taguette" / "bin" / "python"
OFFLINE = (
    "import sys, taguette.web.base as b; b.Application.check_messages = lambda self: None; from taguette.main import main; sys.exit(main())"
)
TAGS = {"dwang.chantage": "Dreigen met beelden", "dwang.schulden": "Een schuld die nooit afgelost is", "werving online": ""}

pytestmark = pytest.mark.skipif(
    not TAGUETTE.exists() and os.environ.get("ZICHT_TAGUETTE_TESTS") != "required", reason="no .venv-taguette: make test makes it"
)


@pytest.fixture(scope="module")
def taguette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, urllib.request.OpenerDirector]]:
    folder = tmp_path_factory.mktemp("taguette")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (folder / "taguette.log").open("w")
    server = subprocess.Popen([str(TAGUETTE), "-c", OFFLINE, "--no-browser", "--bind", "127.0.0.1", "--port", str(port),
                               "--database", str(folder / "taguette.sqlite3")], stdout=log, stderr=subprocess.STDOUT,
                              env={"HOME": str(folder), "PATH": "/usr/bin:/bin"})  # fmt: skip
    try:
        link = _join_link(folder / "taguette.log", server)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.open(link.replace("localhost", "127.0.0.1"), timeout=30).read()  # the single user's login
        yield f"http://127.0.0.1:{port}", opener
    finally:
        server.terminate()
        server.wait(30)
        log.close()


def _join_link(log: Path, server: subprocess.Popen[bytes], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := re.search(r"http://localhost:\d+/\?token=\w+", log.read_text("utf-8", "replace")):
            return found.group(0)
        assert server.poll() is None, log.read_text("utf-8", "replace")
        time.sleep(0.2)
    raise AssertionError(f"Taguette did not start: {log.read_text('utf-8', 'replace')}")


def _xsrf(opener: urllib.request.OpenerDirector) -> str:
    jar = next(h for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)).cookiejar
    return next(c.value for c in jar if c.name == "_xsrf" and c.value is not None)


def test_a_codebook_made_in_taguette_starts_a_zicht_codebook(taguette: tuple[str, urllib.request.OpenerDirector]) -> None:
    url, opener = taguette
    opener.open(f"{url}/project/new", timeout=30).read()  # the form sets the XSRF cookie
    form = urllib.parse.urlencode({"name": "Monitor 2021", "description": "", "_xsrf": _xsrf(opener)}).encode()
    project = opener.open(f"{url}/project/new", data=form, timeout=30).geturl().rstrip("/").rsplit("/", 1)[-1]
    for path, description in TAGS.items():
        tag = json.dumps({"path": path, "description": description}).encode()
        headers = {"Content-Type": "application/json", "X-XSRFToken": _xsrf(opener)}
        request = urllib.request.Request(f"{url}/api/project/{project}/tag/new", data=tag, headers=headers)
        assert "id" in json.loads(opener.open(request, timeout=30).read())
    qdc = opener.open(f"{url}/project/{project}/export/codebook.qdc", timeout=30).read()

    codes = read_qdc(qdc, "codebook.qdc")
    assert {c.name for c in codes} >= set(TAGS), "every tag arrives as a code"
    book = parse_codebook(draft_codebook(codes, "uit-taguette", "Uit Taguette"), "uit-taguette.yaml")
    assert {v.label for v in book} >= set(TAGS)
    assert {v.id for v in book} >= {"dwang_chantage", "dwang_schulden", "werving_online"}
