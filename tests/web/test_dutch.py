"""Every workbench page speaks Dutch: variable labels, not codebook ids; Dutch values, actions and dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from tests.web.conftest import Workbench
from tests.web.test_roles import PUBLIC, _objects, _patterns

from zicht.codebook import load_codebook

BOOK = load_codebook("nl-2020")
# what only code says: ids with an underscore (victim_gender, open_case, financial_dependence) and English values
CODE_WORDS = {v.id for v in BOOK if "_" in v.id} | {c.id for v in BOOK for c in v.categories if "_" in c.id}
CODE_WORDS |= {"female", "male", "true", "false", "merge", "conversations"}


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style|template)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_every_page_shows_labels_and_dutch_values_never_codebook_ids(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import audit, consulting

    kwargs = _objects(workbench)
    case = workbench.cases[0]
    consulting.open_consultation(case, "duration", "bram", "langer dan een jaar?")
    audit.event("anna", "open_case", case.visitor_id).save()
    coded = {"state": "value", "value": "female"}
    audit.code_changed("anna", case.visitor_id, "victim_gender", None, coded, "code", dt.datetime.now()).save()
    audit.link_undone("anna", "C1", "C2", "merge", dt.datetime.now()).save()
    audit.case_closed("anna", case.visitor_id, ["C1", "C2"], dt.datetime.now()).save()
    where = {"theme": "clients_continue", "conversation": "C1", "message": 3, "start": 0, "end": 12}
    audit.passage_coded("anna", case.visitor_id, "corona_themes", where).save()
    client = as_user("anna")
    found = {}
    for pattern in _patterns():
        if pattern.name in PUBLIC or pattern.name in ("logout", "download", "figure") or "POST" in str(pattern.callback.__doc__ or ""):
            continue
        response = client.get(reverse(pattern.name, kwargs=kwargs.get(pattern.name, {})))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        visible = _visible(response.content.decode())
        words = set(re.findall(r"[a-z_]+", visible)) & CODE_WORDS
        iso = re.findall(r"\b\d{4}-\d\d-\d\d\b", visible)  # a date reads "1 jan 2020"
        if words or iso:
            found[pattern.name] = sorted(words) + iso[:3]
    assert found == {}


def test_the_history_and_the_linkage_review_read_in_dutch(workbench: Workbench, as_user: Any) -> None:
    from zicht.store import audit

    case = workbench.cases[0]
    audit.event("anna", "open_case", case.visitor_id).save()
    page = _visible(as_user("anna").get(reverse("case", args=[case.pk])).content.decode())
    assert "casus geopend" in page and "open_case" not in page
    assert re.search(r"\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4} \d\d:\d\d", page), "a Dutch date"
