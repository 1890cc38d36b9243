"""coprod brief: golden Markdown and HTML, the HTML's structure, hostile text inert, the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_output import HOSTILE_NAME, REQUIREMENT, sample_pairings

from coprod.brief import ShortlistPick, build_brief, render_brief
from coprod.gaps import Analysis, analyse, coverage_matrix, coverage_states, find_gaps
from coprod.model import Catalog, Partner, Requirement

GOLDEN = Path(__file__).parent / "golden"


def sample_brief():
    catalog = Catalog({}, [], {}, {}, {REQUIREMENT.requirement_id: REQUIREMENT})
    return build_brief(
        catalog,
        [REQUIREMENT],
        {REQUIREMENT.requirement_id: sample_pairings()},
        date="2026-05-01",
        catalog_label="test catalog",
        filters=[("top", "3")],
    )


# A note and a decision reason as hostile as catalog text: HTML, Markdown links and
# emphasis, an ANSI escape, a spreadsheet formula, a second line.
HOSTILE_NOTE = (
    "<img src=x onerror=alert(1)> [call](javascript:alert(1)) **now** \x1b[31mred "
    "=cmd|' /C calc'!A0\nsecond line <!-- c -->"
)
HOSTILE_REASON = "talks in <b>May</b> | see `x`"
XSS_REQUIREMENT = Requirement(
    requirement_id="TW-<i>9</i>",
    title="<script>alert(1)</script> # [x](javascript:alert(1))",
    description="| a | b |\n---",
    category="<b>c</b>",
    quantity=3.0,
    unit="units",
    priority="low",
)
# A threshold above the best feasible score (88): the first requirement is weakly
# covered, the second (no pairing at all) a gap; both rows of the coverage table.
SHORTLIST_THRESHOLD = 90.0


# A requirement shortlisted from an older catalog, gone from this one.
GONE_REQUIREMENT = Requirement("TW-099", "Coastal radar", "", "", None, "", "low")


def shortlist_catalog() -> Catalog:
    partners = {
        pid: Partner(pid, pid.upper(), country, "firm", "")
        for pid, country in (
            ("evil", "Norway"), ("arsenal-205", "Taiwan"), ("rtx", "United States"),
            ("ncsist", "Taiwan"),
        )
    }  # fmt: skip
    requirements = {r.requirement_id: r for r in (REQUIREMENT, XSS_REQUIREMENT)}
    return Catalog(partners, [], {}, {}, requirements)


def shortlist_picks() -> list[ShortlistPick]:
    """Picks as saved: one now needing consent that was feasible, one unchanged, one whose
    score fell, one naming a partner the catalog lacks, one of a requirement it lacks."""
    return [
        ShortlistPick(REQUIREMENT.requirement_id, "evil", "", HOSTILE_NOTE, "meeting_set",
                      HOSTILE_REASON, saved_score=88.0, saved_feasibility="ok"),
        ShortlistPick(REQUIREMENT.requirement_id, "", "arsenal-205", "", "dropped",
                      saved_score=60.0, saved_feasibility="ok"),
        ShortlistPick(REQUIREMENT.requirement_id, "rtx", "ncsist", "ask about fuzes",
                      saved_score=50.0, saved_feasibility="blocked"),
        ShortlistPick(XSS_REQUIREMENT.requirement_id, "<gone>", "", "", "candidate"),
        ShortlistPick("TW-099", "rtx", "", "bring the radar file", "meeting_set",
                      saved_score=70.0, saved_feasibility="ok",
                      requirement_title="Coastal radar"),
    ]  # fmt: skip


def shortlist_brief():
    """A shortlist's briefing: picks with decisions and notes (hostile ones), picks gone
    from the catalog or changed since, and the coverage section built by coprod.gaps."""
    catalog = shortlist_catalog()
    requirements = [REQUIREMENT, XSS_REQUIREMENT]
    rankings = {REQUIREMENT.requirement_id: sample_pairings(), XSS_REQUIREMENT.requirement_id: []}
    picks = shortlist_picks()
    analysis = Analysis(
        tuple(find_gaps(requirements, rankings)),
        coverage_matrix(requirements, rankings, ["Norway", "Taiwan", "United States"]),
        tuple(coverage_states(requirements, rankings, SHORTLIST_THRESHOLD)),
        rankings,
        SHORTLIST_THRESHOLD,
    )
    return build_brief(
        catalog,
        [*requirements, GONE_REQUIREMENT],
        rankings,
        date="2026-05-01",
        catalog_label="test catalog",
        filters=[("coverage threshold", "90"), ("shortlist", "the saved shortlist")],
        picks=picks,
        analysis=analysis,
    )


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self.sections: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        self._in_title = tag == "title"
        if tag == "a":
            self.links.append(attributes.get("href") or "")
        if "src" in attributes:
            self.sources.append(attributes["src"] or "")
        if tag == "link":
            self.sources.append(attributes.get("href") or "")
        if tag == "section" and "requirement" in (attributes.get("class") or ""):
            self.sections.append(attributes.get("id") or "")

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("kind", ["brief", "brief-shortlist"])
def test_golden_briefs(kind, fmt):
    brief = sample_brief() if kind == "brief" else shortlist_brief()
    text = render_brief(brief, fmt)
    golden = GOLDEN / f"{kind}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.read_text(encoding="utf-8") == text


def test_hostile_text_is_inert_in_both_formats():
    html_text = render_brief(sample_brief(), "html")
    assert "\x1b" not in html_text and "\x9b" not in html_text
    assert "<script" not in html_text.casefold()
    assert 'href="http://x"' not in html_text and "=HYPERLINK(&quot;http://x" in html_text
    assert "[bold red]Evil[/]" in html_text  # shown literally, as text
    markdown = render_brief(sample_brief(), "md")
    assert "\x1b" not in markdown
    assert "\\[bold red\\]Evil\\[/\\]" in markdown
    assert "http&#58;//x" in markdown  # the formula's address is not a link
    assert HOSTILE_NAME not in markdown


def test_a_shortlists_decisions_notes_and_coverage_are_shown_and_inert():
    brief = shortlist_brief()
    page = render_brief(brief, "html")
    parsed = Structure()
    parsed.feed(page)
    # summary, the requirements not covered, the heat map
    assert parsed.tags.count("table") == 3
    # the id is an escaped attribute, read back as the text it was
    assert parsed.sections == ["req-TW-155-PGM", "req-TW-<i>9</i>", "req-TW-099"]
    for tag in ("img", "script", "b", "i"):
        assert tag not in parsed.tags, tag
    assert parsed.links == [] and parsed.sources == []  # no javascript: link, nothing loaded
    assert "Decision: meeting set: talks in &lt;b&gt;May&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "\x1b" not in page
    assert "<td>weakly covered</td>" in page and "<td>no capable partner</td>" in page
    assert (
        "Shortlisted &lt;gone&gt; is gone: no longer in this catalog "
        "(partner &lt;gone&gt; is not in it)." in page
    )
    markdown = render_brief(brief, "md")
    assert "- **Decision:** meeting set: talks in \\<b\\>May\\</b\\> \\| see \\`x\\`" in markdown
    assert "\\[call\\](javascript:alert(1)) \\*\\*now\\*\\*" in markdown
    # every "<" and "](" of the note is escaped, so none opens a tag or a link
    assert not re.search(r"(?<!\\)<(img|b|!--)", markdown)
    assert not re.search(r"(?<!\\)\]\(javascript", markdown) and "\x1b" not in markdown
    assert "- **Decision:** dropped" in markdown and "- **Note:** ask about fuzes" in markdown
    assert (
        "| TW-155-PGM | Precision-guided 155 mm shells | precision_artillery | weakly covered |"
        in markdown
    )
    assert "| Norway | — | 88 |" in markdown
    # the missing pick is said once, not also as "no pairing passes the filters"
    assert markdown.count("No pairing passes the filters") == 0


def test_a_shortlists_gone_and_changed_picks_are_said_by_the_rechecks_rule():
    """coprod.shortlist.recheck_copies decides, as for the TUI's shortlist: the briefing
    says what it says (gone, and why; verdict or score changed), never a rule of its own."""
    from coprod.brief import _ranked
    from coprod.shortlist import SavedCopy, recheck_copies

    brief = shortlist_brief()
    rankings = {REQUIREMENT.requirement_id: sample_pairings()}
    by_id = {r.requirement_id: r for r in (REQUIREMENT, XSS_REQUIREMENT, GONE_REQUIREMENT)}
    checks = recheck_copies(
        [SavedCopy(by_id[p.requirement_id], p.key, p.saved_score, p.saved_feasibility)
         for p in shortlist_picks()],
        shortlist_catalog(),
        _ranked(rankings),
    )  # fmt: skip
    shown = {p.pairing.foreign.partner_id if p.pairing.foreign else p.pairing.local.partner_id: p
             for s in brief.sections for p in s.pairings}  # fmt: skip
    gone = [m for s in brief.sections for m in s.missing]
    for check in checks:
        if check.status == "gone":
            assert any(m.gone and m.pick.key == check.key and m.why == check.describe()
                       for m in gone)  # fmt: skip
    assert [c.status for c in checks] == [
        "verdict_changed", "unchanged", "score_changed", "gone", "gone"
    ]  # fmt: skip
    assert shown["evil"].change_words == ("Verdict changed since shortlisted: now consent required")
    assert shown["arsenal-205"].change_words == ""
    assert shown["rtx"].change_words == "Score changed since shortlisted: score 50.0 → 41.3"
    # the requirement the catalog lacks is not ranked from its saved text: it is gone
    section = brief.sections[2]
    assert section.pairings == () and section.missing[0].gone
    assert section.missing[0].why == "no longer in this catalog (requirement TW-099 is not in it)"
    assert brief.shortlist_counts() == {
        "shortlisted": 5, "shown": 3, "changed": 2, "gone": 2, "filtered": 0,
    }  # fmt: skip
    assert brief.shortlist_words() == (
        "5 shortlisted pairings (2 gone from the catalog, 2 changed since shortlisted)"
    )
    markdown = render_brief(brief, "md")
    assert "- **Verdict changed since shortlisted: now consent required**" in markdown
    assert (
        "*Shortlisted RTX (rtx) is gone: no longer in this catalog (requirement TW-099" in markdown
    )
    # its decision and note are still shown
    assert "- **Decision:** meeting set" in markdown.split("TW-099", 1)[1]
    assert "bring the radar file" in markdown


def test_the_briefings_filters_leave_a_pick_out_and_say_so():
    from coprod.brief import filtered_out
    from coprod.ranking import RankOptions

    blocked, hostile, local_only = (
        sample_pairings()[2],
        sample_pairings()[0],
        sample_pairings()[1],
    )
    assert filtered_out(blocked, RankOptions(exclude_blocked=True)) == "blocked pairings hidden"
    assert filtered_out(hostile, RankOptions(countries=("norway",))) == ""
    assert filtered_out(local_only, RankOptions(countries=("Norway",))) == "country Norway"
    assert filtered_out(local_only, RankOptions(exclude_countries=("Taiwan",))) != ""
    assert filtered_out(hostile, RankOptions(min_score=90)) == "minimum score 90"
    brief = build_brief(
        shortlist_catalog(),
        [REQUIREMENT],
        {REQUIREMENT.requirement_id: sample_pairings()},
        date="2026-05-01",
        catalog_label="c",
        picks=shortlist_picks()[:3],
        left_out=lambda p: filtered_out(p, RankOptions(exclude_blocked=True)),
    )
    (missing,) = brief.sections[0].missing
    assert not missing.gone and missing.pick.foreign_partner_id == "rtx"
    assert (
        missing.words == "Shortlisted RTX (United States) with NCSIST is left out by the "
        "filters (blocked pairings hidden)."
    )


def test_html_structure_title_tables_sections_and_only_http_links():
    page = render_brief(sample_brief(), "html")
    parsed = Structure()
    parsed.feed(page)
    assert parsed.title.startswith("Co-production briefing")
    assert parsed.tags.count("table") == 1  # the summary (no coverage here)
    assert parsed.sections == ["req-TW-155-PGM"]
    assert "script" not in parsed.tags and parsed.sources == []
    assert all(link.startswith(("http://", "https://")) for link in parsed.links)


def test_brief_of_a_real_catalog_with_coverage_and_hostile_sources(catalog, tmp_path):
    from dataclasses import replace

    from coprod.ranking import Ranker, RankOptions

    requirement = next(iter(catalog.requirements.values()))
    hostile_source = (
        'x <script>alert(1)</script> [a](javascript:alert(1)) "><img src=x> https://ok.example/p'
    )
    catalog.requirements[requirement.requirement_id] = replace(requirement, source=hostile_source)
    requirement = catalog.requirements[requirement.requirement_id]
    ranker = Ranker(catalog)
    rankings = {requirement.requirement_id: ranker.rank(requirement, RankOptions(top=3))}
    countries = sorted({p.country for p in catalog.partners.values()})
    analysis = analyse(ranker, [requirement], countries)
    brief = build_brief(
        catalog, [requirement], rankings, date="2026-05-01", catalog_label="c", analysis=analysis
    )
    page = render_brief(brief, "html")
    parsed = Structure()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "https://ok.example/p" in parsed.links
    assert all(link.startswith(("http://", "https://")) for link in parsed.links)
    assert parsed.tags.count("table") == 2 + (1 if analysis.uncovered else 0)
    markdown = render_brief(brief, "md")
    assert "<https://ok.example/p>" in markdown and "<script>" not in markdown
    assert "## Coverage" in markdown


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(db), "brief", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1777593600"},
    )


def test_cli_writes_both_formats_and_refuses_bad_requests(catalog_db, tmp_path):
    out = tmp_path / "b.html"
    done = run_cli("-r", "req-155-guided", "-o", str(out), db=catalog_db)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "2026-05-01" in page and 'id="req-req-155-guided"' in page
    done = run_cli("--all", "-o", str(tmp_path / "b.md"), db=catalog_db)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "b.md").read_text(encoding="utf-8").startswith("# Co-production briefing")
    unknown = run_cli("-r", "req-155-guidd", "-o", str(tmp_path / "x.md"), db=catalog_db)
    assert unknown.returncode == 1 and "did you mean 'req-155-guided'" in unknown.stderr
    bad_ext = run_cli("--all", "-o", str(tmp_path / "x.pdf"), db=catalog_db)
    assert bad_ext.returncode == 2 and ".md" in bad_ext.stderr
    nowhere = run_cli("--all", "-o", str(tmp_path / "missing" / "x.md"), db=catalog_db)
    assert nowhere.returncode == 1 and "cannot write" in nowhere.stderr
    assert not (tmp_path / "x.md").exists() and not (tmp_path / "x.pdf").exists()
    nothing_saved = run_cli("--saved", "-o", str(tmp_path / "s.md"), db=catalog_db)
    assert nothing_saved.returncode == 1 and "no saved shortlist" in nothing_saved.stderr
    both = run_cli("--saved", "--all", "-o", str(tmp_path / "s.md"), db=catalog_db)
    assert both.returncode == 2 and "--all and --saved" in both.stderr


def test_cli_briefs_a_shortlist_with_its_notes(catalog_db, tmp_path):
    shortlist = tmp_path / "short.csv"
    ranked = subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(catalog_db), "rank", "-r", "req-155-guided",
         "--top", "2", "-o", str(shortlist)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert ranked.returncode == 0, ranked.stderr
    lines = shortlist.read_text(encoding="utf-8").splitlines()
    lines[0] += ",note,decision"
    lines[1] += ",<b>ask about [lead times](http://evil)</b>,go"
    shortlist.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    out = tmp_path / "short.md"
    done = run_cli("--shortlist", str(shortlist), "-o", str(out), db=catalog_db)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "**Decision:** go" in text
    assert "\\<b\\>ask about \\[lead times\\](http&#58;//evil)\\</b\\>" in text


def test_html_declares_traditional_chinese_fonts():
    """Requirement titles are often in Traditional Chinese: the page names fonts that have it."""
    page = render_brief(sample_brief(), "html")
    body_rule = page.split("body {", 1)[1]
    for font in ('"Noto Sans TC"', '"PingFang TC"', '"Microsoft JhengHei"'):
        assert font in body_rule.split("}", 1)[0]


def test_cli_briefs_a_shortlist_files_typed_query_and_says_a_gone_pick_is_gone(
    catalog_db, tmp_path
):
    """A typed query's pairings (id "query", its text in requirement_title) are ranked
    again from that text, as --saved does; a requirement the catalog lacks is said to be
    gone, not refused; a typed query without its text is refused at file:line:column."""
    import csv

    shortlist = tmp_path / "query.csv"
    ranked = subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(catalog_db), "rank", "--query",
         "precision guided 155 mm rounds", "--top", "1", "-o", str(shortlist)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert ranked.returncode == 0, ranked.stderr
    with shortlist.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    columns = list(rows[0])
    gone = {**rows[0], "requirement_id": "TW-GONE", "requirement_title": "Old radar"}
    with shortlist.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        writer.writerows([rows[0], gone])
    out = tmp_path / "query.md"
    done = run_cli("--shortlist", str(shortlist), "-o", str(out), db=catalog_db)
    assert done.returncode == 0, done.stderr
    assert "2 shortlisted pairings (1 gone from the catalog)" in done.stderr
    text = out.read_text(encoding="utf-8")
    assert "\n## query · precision guided 155 mm rounds\n" in text
    assert "### 1. " in text.split("## query", 1)[1]
    assert "## TW-GONE · Old radar" in text
    assert "is gone: no longer in this catalog (requirement TW-GONE is not in it)" in text

    bare = tmp_path / "bare.csv"
    bare.write_text(
        "local_partner_id,requirement_id,foreign_partner_id\n"
        f"{rows[0]['local_partner_id']},req-155-guided,{rows[0]['foreign_partner_id']}\n"
        f"{rows[0]['local_partner_id']},query-2,{rows[0]['foreign_partner_id']}\n",
        encoding="utf-8",
    )
    refused = run_cli("--shortlist", str(bare), "-o", str(tmp_path / "bare.md"), db=catalog_db)
    assert refused.returncode == 1
    assert f"{bare}:3:2: query-2 is a typed query" in refused.stderr
    assert "coprod brief --saved" in refused.stderr
    assert not (tmp_path / "bare.md").exists()


def test_the_tui_exports_briefing_counts_shortlisted_gone_and_changed(
    catalog_db, catalog, tmp_path, monkeypatch
):
    """The export dialog's message is worded from the briefing it wrote: every shortlisted
    pairing counted, the gone and the changed ones named (not only those shown)."""
    from dataclasses import replace
    from types import SimpleNamespace

    from coprod.ranking import Ranker, RankOptions
    from coprod.session import CatalogSession
    from coprod.shortlist import ShortlistEntry
    from coprod.tui.screens.export import write_shortlist_brief

    requirement = catalog.requirements["req-155-guided"]
    ranker = Ranker(catalog)
    ranked = ranker.rank(requirement, RankOptions(top=5))
    first = next(p for p in ranked if p.foreign is not None)
    second = next(p for p in ranked if p is not first)
    # saved when its verdict was another one; and one whose firm has left the catalog
    was_other = replace(second, feasibility="blocked" if second.feasibility != "blocked" else "ok")
    gone = replace(first, foreign=replace(first.foreign, partner_id="left-the-catalog"))
    entries = [ShortlistEntry(requirement, p) for p in (first, was_other, gone)]
    monkeypatch.setenv("COPROD_CONFIG", str(tmp_path / "none.toml"))  # the defaults
    host = SimpleNamespace(session=CatalogSession(catalog_db, catalog, ranker))
    out = tmp_path / "visit.md"
    words = write_shortlist_brief(entries, host, out, "md")  # type: ignore[arg-type]
    assert words == "3 shortlisted pairings (1 gone from the catalog, 1 changed since shortlisted)"
    text = out.read_text(encoding="utf-8")
    assert "(partner left-the-catalog is not in it)" in text
    assert "Verdict changed since shortlisted: now " in text
