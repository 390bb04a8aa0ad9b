"""Every order of chat import, link, suggest and coded import gives the same cases and the same monitor."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="flushes its database between orders: a project of its own on SQLite")
def test_every_order_of_the_commands_gives_the_same_cases_and_monitor(tmp_path: Path) -> None:
    script = Path(__file__).with_name("command_order.py")
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    assert len(results) == 24
    first = results[0]
    for r in results:
        chats = collections.Counter(c for _, ids in r["cases"] for c in ids)
        assert max(chats.values()) == 1, f"{r['order']}: a conversation in two cases"
        assert r["cases"] == first["cases"], f"{r['order']} gave other cases than {first['order']}"
        assert r["tables"] == first["tables"], f"{r['order']} gave another monitor than {first['order']}"
        coded_first = r["order"].index("coded") < r["order"].index("chats")
        assert bool(r["refused"]) == coded_first, r["order"]
        assert all("import its chats first" in reason for reason in r["refused"])
    counts = first["flow"]
    assert counts["unique_visitors"] + counts["not_trafficking"] == 60 - 1, "60 coded visitors, two of them merged"
