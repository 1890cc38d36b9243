"""coprod brief: golden Markdown and HTML, the HTML's structure, hostile text inert, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_output import HOSTILE_NAME, REQUIREMENT, sample_pairings

from coprod.brief import build_brief, render_brief
from coprod.gaps import analyse
from coprod.model import Catalog

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
def test_golden_briefs(fmt):
    text = render_brief(sample_brief(), fmt)
    golden = GOLDEN / f"brief.{fmt}"
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
