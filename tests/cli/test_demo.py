"""`zicht demo` does the whole job on a fresh folder, and every published figure comes out."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from zicht.knowledge.suggestion import suggestion_rules

pytestmark = pytest.mark.long  # a minute or more: handed to a worker first (tests/conftest.py)

ZICHT = str(Path(sys.executable).parent / "zicht")


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}  # wide tables; nothing from the caller's shell
    return subprocess.run([ZICHT, *map(str, args)], capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "zicht-demo"
    result = _run("demo", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "106 figures: 105 ok, 1 known inconsistency of the report, 0 mismatch." in result.stdout
    assert "linkage 2020: 364 chats → " in result.stdout and "(truly 322;" in result.stdout
    assert "From suggestions alone: " in result.stdout, "the published check computed from suggestions alone"
    return out


def test_the_demo_writes_the_report_and_says_where(demo: Path) -> None:
    for name in ("report.html", "report.pdf", "report.docx", "tables.json", "cases.sav", "cases.csv"):
        assert (demo / "report" / name).stat().st_size > 1000, name
    assert (demo / "project" / "published" / "published-2020.yaml").exists(), "the project's own copy"


def test_the_demo_report_has_chapter_4_with_each_theme_its_count_and_the_researchers_quotes(demo: Path) -> None:
    page = (demo / "report" / "report.html").read_text("utf-8")
    chapter = page[page.index("4.3.2 Kwalitatieve analyse") : page.index("4.4 Resumé")]
    chosen = [r for r in csv.DictReader((demo / "corpus" / "themes-2020.csv").open(encoding="utf-8")) if r["quote"] == "1"]
    assert chapter.count("<h4>") == 6 and chapter.count("Dit thema komt naar voren in ") == 6
    assert chapter.count("<blockquote>") == len(chosen) >= 10


def test_every_figure_comes_out_for_another_seed(tmp_path: Path) -> None:
    """Another draw through the commands a researcher runs: synth, init, import, check-published. The corpus
    of seeds 0 to 2 gives every figure by the test's own count (tests/synth/test_calibration.py); the demo
    above runs the rest of the job (linkage, report) on seed 0."""
    for year in ("2019", "2020"):
        assert _run("synth", "--year", year, "--seed", "1", "--out", tmp_path / "corpus").returncode == 0
    assert _run("init", tmp_path / "project").returncode == 0
    for year in ("2019", "2020"):
        imported = _run("import", tmp_path / "project", "--chats", tmp_path / "corpus" / f"chats-{year}.jsonl",
                        "--coded", tmp_path / "corpus" / f"coded-{year}.csv")  # fmt: skip
        assert imported.returncode == 0, imported.stdout + imported.stderr
    result = _run("check-published", tmp_path / "project", tmp_path / "project" / "published" / "published-2020.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "106 figures: 105 ok, 1 known inconsistency of the report, 0 mismatch." in result.stdout


def test_check_published_fails_on_a_wrong_figure_and_names_it(demo: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load((demo / "project" / "published" / "published-2020.yaml").read_text("utf-8"))
    wrong = next(f for f in spec["facts"] if f["id"] == "sexual.perp_partner")
    wrong["count"] = 121
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    result = _run("check-published", demo / "project", path)
    assert result.returncode == 1
    assert "sexual.perp_partner" in result.stdout and "mismatch" in result.stdout
    assert "count 120 ≠ 121" in result.stdout


def test_stats_writes_tables_json_with_the_compared_year(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables.json"
    result = _run("stats", demo / "project", "--year", "2020", "--compare", "2019", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "2020: 364 flagged chats, 42 duplicates, 39 not about trafficking, 283 unique visitors." in result.stdout
    tables = json.loads(out.read_text("utf-8"))
    assert tables["years"] == [2020, 2019]
    assert {t["year"] for t in tables["tables"]} == {2019, 2020}


def test_a_year_without_data_is_a_clear_error(demo: Path, tmp_path: Path) -> None:
    result = _run("stats", demo / "project", "--year", "2018", "--out", tmp_path / "t.json")
    assert result.returncode == 1
    assert "no coded cases for 2018 (years in the project: 2019, 2020)" in result.stderr


_AFTER_PURGE = """
import json, sys
from pathlib import Path
from zicht.store.project import open_project
open_project(Path(sys.argv[1]))
from zicht.store import models
purged = models.Conversation.objects.exclude(purged_at=None)
texts = list(models.Message.objects.filter(conversation__in=purged).values_list("text", flat=True))
quotes = [json.loads(s.quotes) for s in models.Suggestion.objects.filter(year=2020) if s.quotes]
print(json.dumps({"purged": purged.count(), "texts": sorted(set(texts)), "quotes": quotes,
                  "events": list(models.Event.objects.filter(action__in=["finalise", "purge"]).values_list("action", flat=True))}))
"""


def test_a_purge_after_the_final_report_keeps_codes_evidence_and_the_report(demo: Path, tmp_path: Path) -> None:

    project = tmp_path / "project"
    shutil.copytree(demo / "project", project)
    assert _run("suggest", "run", project, "--year", "2020", "--rules-only").returncode == 0
    refused = _run("purge", project, "--year", "2020", "--yes")
    assert refused.returncode != 0 and "not final" in refused.stderr
    assert _run("report", project, "--year", "2020", "--out", tmp_path / "final", "--final").returncode == 0
    (project / "retention.yaml").write_text("days_after_final: 30\n")
    early = _run("purge", project, "--year", "2020", "--yes")
    assert early.returncode != 0 and "until" in early.stderr
    (project / "retention.yaml").write_text("days_after_final: 0\n")
    done = _run("purge", project, "--year", "2020", "--yes")
    assert done.returncode == 0 and "Purged:" in done.stdout, done.stdout + done.stderr
    assert _run("report", project, "--year", "2020", "--out", tmp_path / "after").returncode == 0
    before, after = (json.loads((tmp_path / d / "tables.json").read_text("utf-8")) for d in ("final", "after"))
    assert before == after  # the report of a purged year renders as it was
    quotes = [re.findall(r"<blockquote>.*?</blockquote>", (tmp_path / d / "report.html").read_text("utf-8")) for d in ("final", "after")]
    assert quotes[0] == quotes[1] and len(quotes[0]) >= 10, "chapter 4's quotes are kept redacted, not read from the purged chats"
    check = subprocess.run([sys.executable, "-c", _AFTER_PURGE, str(project)], capture_output=True, text=True, timeout=300)
    state = json.loads(check.stdout.splitlines()[-1])
    assert state["purged"] > 300 and state["texts"] == [""]
    quotes = [q for qs in state["quotes"] for q in qs if q]
    assert len(quotes) > 100 and any("[" in q for q in quotes)  # the evidence, redacted
    truth = json.loads((demo / "corpus" / "truth-2020.json").read_text("utf-8"))
    planted = {i["value"] for c in truth["conversations"] for i in c["identifiers"] if i["kind"] in ("name", "phone", "handle")}
    assert not [p for p in planted if any(p in q for q in quotes)]
    assert state["events"].count("purge") == 1 and "finalise" in state["events"]


def test_screen_lists_the_unflagged_chats_most_likely_first_with_their_words(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "screening.csv"
    result = _run("screen", demo / "project", "--year", "2020", "--out", out)
    assert result.returncode == 0, result.stderr
    threshold = suggestion_rules().screening.likely_missed
    assert f"unflagged with a chance above {threshold:.2f} of being about trafficking: read them" in " ".join(result.stdout.split())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    unflagged = [r for r in rows if r["flagged"] == "0"]
    assert rows[: len(unflagged)] == unflagged and len(unflagged) > 100, "the unflagged ones first"
    chances = [float(r["chance"]) for r in unflagged]
    assert chances == sorted(chances, reverse=True), "most likely first"
    listed = [r for r in unflagged if r["likely_missed"] == "1"]
    assert listed and all(float(r["chance"]) > threshold and r["message"] != "" for r in listed), "each listed with the words it rests on"


def test_estimate_counts_what_the_flag_and_the_screening_found_but_not_what_the_researchers_ruled_out(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "screening.csv"
    assert _run("screen", demo / "project", "--year", "2020", "--out", out).returncode == 0
    coded = csv.DictReader((demo / "corpus" / "coded-2020.csv").open(encoding="utf-8"))
    ruled_out = {c for row in coded if row["about_trafficking"] == "no" for c in row["conversation_ids"].split(";")}
    threshold = suggestion_rules().screening.likely_missed
    chats = [(r["flagged"] == "1", float(r["chance"]) > threshold) for r in csv.DictReader(out.open(encoding="utf-8"))
             if r["conversation_id"] not in ruled_out]  # fmt: skip
    first, second, both = sum(f for f, _ in chats), sum(s for _, s in chats), sum(f and s for f, s in chats)
    assert 0 < both < min(first, second), "two detectors that overlap, neither inside the other"

    result = _run("estimate", demo / "project", "--year", "2020")
    said = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stderr
    assert f"flagged {first} trafficking chats, the screening found {second}, {both} of them both" in said
    total = (first + 1) * (second + 1) / (both + 1) - 1  # Chapman
    low, high = map(int, re.search(r"interval (\d+) to (\d+)", said).groups())  # type: ignore[union-attr]
    assert f"Estimated trafficking chats: {total:.0f} (" in said and first + second - both <= low <= round(total) <= high
    assert "independently" in said and "closed population" in said, "the assumptions stated"
    report = " ".join((demo / "report" / "report.html").read_text("utf-8").split())
    assert f"De hulpverleners markeerden {first} chatgesprekken over mensenhandel, de screening vond er {second}" in report
    assert f"naar schatting {total:.0f} chatgesprekken over mensenhandel (95%-betrouwbaarheidsinterval {low} tot {high})" in report
    assert "onafhankelijk van elkaar" in report and "gesloten geheel" in report, "the assumptions, in Dutch"


def test_the_readme_tour_gives_the_queue_work(demo: Path, tmp_path: Path) -> None:
    """Every case of the demo's years is coded; the tour imports the year after's new chats and suggests for them."""

    project = tmp_path / "project"
    shutil.copytree(demo / "project", project)
    imported = _run("import", project, "--chats", demo / "corpus" / "new-chats-2021.jsonl")
    assert imported.returncode == 0 and "stored 40 record(s)" in imported.stdout, imported.stderr
    suggested = _run("suggest", "run", project, "--year", "2021")
    assert suggested.returncode == 0, suggested.stderr
    opened = int(re.search(r"(\d+) new cases to code", " ".join(suggested.stdout.split())).group(1))  # type: ignore[union-attr]
    assert opened >= 30, "a queue with work, not an empty one"


def test_the_project_goes_to_a_qda_tool_redacted_and_its_codebook_comes_back(demo: Path, tmp_path: Path) -> None:
    import io
    import zipfile

    import xmlschema
    from lxml import etree

    from zicht.codebook import load_codebook, parse_codebook

    schemas = Path(__file__).parents[1] / "data" / "refi-qda"
    project = tmp_path / "project"
    shutil.copytree(demo / "project", project)
    assert _run("suggest", "run", project, "--year", "2020", "--rules-only").returncode == 0  # a code's words come from its suggestion
    result = _run("export", project, "--qdpx", tmp_path / "demo.qdpx", "--year", "2020", "--by", "nobody-with-an-account")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "as a researcher sees them (names and places redacted)" in " ".join(result.stdout.split())
    qdpx = zipfile.ZipFile(io.BytesIO((tmp_path / "demo.qdpx").read_bytes()))
    qde = qdpx.read("project.qde")
    xmlschema.XMLSchema(schemas / "Project-mrt2019.xsd").validate(qde)
    ns = "{urn:QDA-XML:project:1.0}"
    root = etree.fromstring(qde)
    with (demo / "report" / "cases.csv").open(encoding="utf-8") as f:
        assert len(root.findall(f"{ns}Cases/{ns}Case")) == sum(1 for _ in csv.DictReader(f)), "every coded visitor a case"
    texts = {s.get("guid"): qdpx.read("sources/" + s.get("plainTextPath", "").removeprefix("internal://")).decode("utf-8")
             for s in root.iter(f"{ns}TextSource") if s.get("plainTextPath")}  # fmt: skip
    assert any("[naam]" in t for t in texts.values()), "the synthetic chats' planted names are redacted"
    selections = [(s.getparent().get("guid"), int(s.get("startPosition")), int(s.get("endPosition")))
                  for s in root.iter(f"{ns}PlainTextSelection")]  # fmt: skip
    assert len(selections) > 300, "the stored codes come with the words they rest on"
    assert all(0 <= a < b <= len(texts[g]) and texts[g][a:b].strip() for g, a, b in selections)

    assert _run("export", demo / "project", "--qdc", tmp_path / "nl-2020.qdc").returncode == 0
    xmlschema.XMLSchema(schemas / "Codebook-mrt2019.xsd").validate((tmp_path / "nl-2020.qdc").read_bytes())
    result = _run("codebook", "import", tmp_path / "nl-2020.qdc", "--out", tmp_path / "back.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    back = parse_codebook((tmp_path / "back.yaml").read_text("utf-8"), "back.yaml")
    assert [v.label for v in back] == [v.label for v in load_codebook("nl-2020")]

    result = _run("export", demo / "project")
    assert result.returncode == 2 and "give one of --coded FILE, --qdpx FILE, --qdc FILE or --htcds FILE" in result.stderr


def test_partners_get_the_htcds_counts_with_small_ones_hidden_and_cases_only_from_the_coordinator(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "htcds.csv"
    result = _run("export", demo / "project", "--htcds", out, "--year", "2020", "--by", "nobody-with-an-account")
    assert result.returncode == 0, result.stdout + result.stderr
    said = " ".join(result.stdout.split())
    assert "HTCDS fields the codebook cannot fill" in said and "prs_Birthdate:" in said, "what a partner will not find, and why"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    gender = {r["value"]: r for r in rows if r["field"] == "prs_Gender"}
    assert gender["Masculine"]["count"] == "19", "published: 19 male victims"
    assert round(100 * int(gender["Feminine"]["count"]) / int(gender["Feminine"]["of"]), 1) == 92.5, "published: 92.5% female of the known"
    shown = [int(r["count"]) for r in rows if r["count"].isdigit()]
    assert not [c for c in shown if 0 < c < 5] and "<5" in {r["count"] for r in rows}, "small counts hidden, as in a public report"

    by_case = tmp_path / "cases.csv"
    cases = _run("export", demo / "project", "--htcds", by_case, "--year", "2020", "--case-level", "--by", "nobody-with-an-account")
    assert cases.returncode == 1 and "only by the coordinator" in " ".join(cases.stderr.split())
    assert not by_case.exists()

    project = tmp_path / "project"
    shutil.copytree(demo / "project", project)
    added = subprocess.run([ZICHT, "user", "add", project, "anna", "--role", "coordinator", "--password-env", "PW"],
                           capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PW": "lang-genoeg-wachtwoord-1"})  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert _run("export", project, "--htcds", by_case, "--year", "2020", "--case-level", "--by", "anna").returncode == 0
    each = list(csv.DictReader(by_case.open(encoding="utf-8")))
    assert len(each) == 283, "the cases the counts count: the unique visitors about trafficking"
    assert sum("Masculine" in r["prs_Gender"].split(";") for r in each) == 19, "each case's values give the counts"
