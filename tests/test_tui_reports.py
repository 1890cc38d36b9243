"""The TUI's readable reports (issue 15): the pairing detail's reason, labels, penalties and
sources; the briefing from the export dialog; the planner's words; the gap view's threshold,
country filter and heat-map cells. Real DuckDB catalogs, the real app under the pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CAPABILITIES, HOSTILE_NAME, PARTNERS, write_catalog_folder
from test_tui_support import NARROW, WIDE, detail_text, plain, run, settle, started_app

from coprod.tui.screens.detail import DetailScreen
from coprod.tui.widgets.detail import PairingDetail

# 74 characters: the whole address fits the 80-column detail, and would wrap in a sentence.
LONG_ADDRESS = "https://www.army.mil/article/281234/excalibur_precision_guided_projectile_"
RTX_ADDRESS = "https://www.rtx.com/raytheon/what-we-do/land/excalibur-projectile"


def _with_sources() -> dict[str, list[dict[str, str]]]:
    partners = [
        {**row, "source": f"RTX fact sheet {RTX_ADDRESS}"} if row["partner_id"] == "rtx" else row
        for row in PARTNERS
    ]
    capabilities = [
        {**row, "source": f"US Army, {LONG_ADDRESS} (accessed 2024-05-01)."}
        if row.get("system") == "Excalibur" and row["partner_id"] == "rtx"
        else row
        for row in CAPABILITIES
    ]
    return {"partners": partners, "capabilities": capabilities}


@pytest.fixture(scope="module")
def sourced_db(tmp_path_factory) -> Path:
    """The fixture catalog whose RTX partner and Excalibur line cite web addresses."""
    from coprod.catalog import refresh_catalog

    folder = write_catalog_folder(tmp_path_factory.mktemp("src_input"), **_with_sources())
    db_path = tmp_path_factory.mktemp("src_db") / "catalog.duckdb"
    refresh_catalog([folder], db_path)
    return db_path


def _rtx_excalibur(pairing) -> bool:
    return pairing.foreign is not None and pairing.foreign.system == "Excalibur"


async def _open_detail(app, pilot, feasibility: str | None = None) -> DetailScreen:
    """The narrow terminal's detail screen of the first requirement's first pairing
    with `feasibility` (else its first RTX Excalibur pairing), from the main screen."""
    screen = app.screen
    table = screen.query_one("#pairings")
    if not table.has_focus:
        await pilot.press("enter")  # from the requirements into their pairings
        await pilot.pause()
    row = next(
        i
        for i, p in enumerate(screen.pairings)
        if (p.feasibility == feasibility if feasibility else _rtx_excalibur(p))
    )
    table.move_cursor(row=table.row_of(screen.pairings[row]))
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DetailScreen)
    return app.screen


# ----- the pairing detail ----------------------------------------------------------------


def test_the_detail_says_why_in_words_draws_penalties_and_links_whole_sources(
    sourced_db: Path,
) -> None:
    """One app run (narrow): a blocked pairing's reason and readable names, its penalty
    drawn as a penalty; then RTX's Excalibur pairing's source addresses, whole and on
    lines of their own, and the copy keys."""
    from rich.console import Console

    from coprod.reasons import pairing_reason
    from coprod.tui.render import pairing_detail

    pairing, catalog = None, None

    async def scenario():
        nonlocal pairing, catalog
        async with started_app(sourced_db, NARROW) as (app, pilot):
            detail = await _open_detail(app, pilot, "blocked")
            text = detail_text(app, "#detail-full")
            reason = pairing_reason(detail.pairing)
            # The reason comes before the numbers, whole (folded back onto one line).
            flat = " ".join(text.split())
            assert " ".join(reason.split()) in flat
            assert flat.index(reason.split()[0]) < flat.index("Score components")
            assert "Blocked" in reason
            assert "wording match" in text and "rare words matched" in text
            assert "text fit" not in text and "idf coverage" not in text
            # A penalty is drawn as a penalty: subtracted, with the hatched bar.
            penalty = detail.pairing.components["feasibility"]
            assert penalty < 0
            lines = text.splitlines()
            consent = next(line for line in lines if "consent (subtracted)" in line)
            assert f"−{-penalty:.1f}" in consent
            assert "▒" in consent and "█" not in consent
            wording = next(line for line in lines if line.lstrip().startswith("wording match"))
            assert "█" in wording and "▒" not in wording and "+" in wording

            await pilot.press("escape")
            await settle(pilot)
            detail = await _open_detail(app, pilot)
            pairing, catalog = detail.pairing, app.catalog
            text = detail_text(app, "#detail-full")
            # The long address is on a line of its own, never broken across lines.
            line = next(line for line in text.splitlines() if LONG_ADDRESS in line)
            assert line.strip() == LONG_ADDRESS
            assert "(accessed 2024-05-01)" in text  # the source's words stay beside it
            # The copy keys: the addresses, then the reason with them.
            assert app.clipboard == ""
            await pilot.press("u")
            assert app.clipboard.splitlines() == [RTX_ADDRESS, LONG_ADDRESS]
            await pilot.press("y")
            copied = app.clipboard.splitlines()
            assert copied[0] == pairing_reason(detail.pairing)
            assert copied[1:] == [RTX_ADDRESS, LONG_ADDRESS]

    run(scenario)
    assert pairing.foreign.partner_id == "rtx"
    rendered = pairing_detail(pairing, catalog)
    console = Console(width=120, color_system="truecolor", force_terminal=True)
    links = {
        segment.style.link
        for segment in console.render(rendered)
        if segment.style is not None and segment.style.link
    }
    assert links == {LONG_ADDRESS, RTX_ADDRESS}
    # Narrower than an address: it is cut with an ellipsis, never wrapped onto a second line.
    shown = plain(rendered, 60)
    assert "…" in next(line for line in shown.splitlines() if "army.mil" in line)
    assert not any(line.strip().startswith("projectile_") for line in shown.splitlines())


def test_hostile_text_in_the_detail_stays_inert(shared_catalog: Path) -> None:
    from coprod.tui.render import detail_clipboard_text

    async def scenario():
        async with started_app(shared_catalog, NARROW) as (app, pilot):
            screen = app.screen
            await pilot.press("enter")
            await pilot.pause()
            row = next(
                i
                for i, p in enumerate(screen.pairings)
                if p.foreign and p.foreign.partner_id == "hostile-co"
            )
            table = screen.query_one("#pairings")
            table.move_cursor(row=table.row_of(screen.pairings[row]))
            await pilot.press("enter")
            await settle(pilot)
            detail = app.screen.query_one(PairingDetail)
            text = detail_text(app, "#detail-full")
            # The markup shows as characters, the escape as its visible form.
            assert "[bold red]X[/]" in text and "\\x1b[31mRed Corp" in text
            copied = detail_clipboard_text(app.catalog, detail.pairing)
            assert "\x1b" not in copied and HOSTILE_NAME.split()[0] in copied

    run(scenario)


# ----- the export dialog's briefing ------------------------------------------------------


# A note as hostile as catalog text: HTML, a Markdown link, a formula, an escape.
HOSTILE_NOTE = "<img src=x onerror=alert(1)> [ring](javascript:alert(1)) =cmd|' /C calc'!A0"


def test_export_dialog_writes_the_briefing_coprod_brief_writes_of_the_saved_shortlist(
    sourced_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two pairings shortlisted, one with a decision and a hostile note; the briefing
    the dialog writes (HTML by extension, Markdown chosen) is byte for byte the one
    `coprod brief --saved` writes: decisions, notes, coverage and all, notes inert."""
    import os
    import subprocess
    import sys

    from test_brief import Structure
    from textual.widgets import Input, Select

    from coprod.tui.app import CoprodApp
    from coprod.tui.screens.export import ExportDialog
    from coprod.tui.screens.note import NoteDialog

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777593600")  # both documents' date

    async def scenario():
        app = CoprodApp(sourced_db)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            screen = app.screen
            pairings = screen.query_one("#pairings")
            pairings.focus()
            rtx = next(i for i, p in enumerate(screen.pairings) if _rtx_excalibur(p))
            hostile = next(
                i
                for i, p in enumerate(screen.pairings)
                if p.foreign and p.foreign.partner_id == "hostile-co"
            )
            for row in (rtx, hostile):
                pairings.move_cursor(row=pairings.row_of(screen.pairings[row]))
                await pilot.press("space")
            assert len(app.shortlist) == 2
            await pilot.press("s")
            await settle(pilot)
            await pilot.press("n")  # the note of the first: the RTX pairing
            await pilot.pause()
            assert isinstance(app.screen, NoteDialog)
            app.screen.query_one("#note-decision", Select).value = "meeting_set"
            app.screen.query_one("#note-reason", Input).value = "Sweden may <b>relent</b>"
            app.screen.query_one("#note-text", Input).value = HOSTILE_NOTE
            await pilot.press("enter")
            await settle(pilot)
            # .html names the briefing by itself; Markdown is the shortlist's unless chosen.
            await pilot.press("e")
            assert isinstance(app.screen, ExportDialog)
            app.screen.query_one("#export-path", Input).value = str(tmp_path / "visit.html")
            await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, ExportDialog)
            await pilot.press("e")
            app.screen.query_one("#export-path", Input).value = str(tmp_path / "visit.md")
            app.screen.query_one("#export-format", Select).value = "brief:md"
            await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, ExportDialog)
        app.flush_saved_work()

    run(scenario)
    for fmt in ("html", "md"):
        done = subprocess.run(
            [sys.executable, "-m", "coprod", "--db", str(sourced_db), "brief", "--saved",
             "-o", str(tmp_path / f"cli.{fmt}")],
            capture_output=True, text=True, timeout=300, env=dict(os.environ),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        tui = (tmp_path / f"visit.{fmt}").read_text(encoding="utf-8")
        assert tui == (tmp_path / f"cli.{fmt}").read_text(encoding="utf-8"), fmt

    page = (tmp_path / "visit.html").read_text(encoding="utf-8")
    structure = Structure()
    structure.feed(page)
    structure.close()
    assert structure.title.startswith("Co-production briefing · 2026-05-01")
    assert structure.sections == ["req-req-155-guided"]  # the id prefixed "req-"
    assert LONG_ADDRESS in structure.links and not structure.sources  # self-contained
    assert all(link.startswith("https://") for link in structure.links)
    assert "img" not in structure.tags and "b" not in structure.tags
    assert "<script" not in page and HOSTILE_NAME not in page
    assert "[bold red]X[/]" in page  # the hostile name as text
    assert "Decision: meeting set: Sweden may &lt;b&gt;relent&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'id="coverage"' in page and structure.tags.count("table") >= 2
    markdown = (tmp_path / "visit.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Co-production briefing")
    assert "\n## req-155-guided · Precision-guided 155 mm rounds\n" in markdown
    assert "\\[bold red\\]X\\[/\\]" in markdown  # the markup escaped, inert
    assert "RTX (Raytheon)" in markdown and "\x1b" not in markdown
    assert "- **Decision:** meeting set: Sweden may \\<b\\>relent\\</b\\>" in markdown
    assert "- **Note:** \\<img src=x onerror=alert(1)\\> \\[ring\\](javascript:alert(1))" in (
        markdown
    )
    assert "## Coverage" in markdown and "shortlist the saved shortlist (2 pairings)" in markdown


# ----- the gap view ----------------------------------------------------------------------


def _gap_screen(app):
    from coprod.tui.screens.gaps import GapScreen

    screen = app.screen
    assert isinstance(screen, GapScreen)
    return screen


def _listed_states(screen) -> dict[str, str]:
    from test_tui_support import table_rows
    from textual.widgets import DataTable

    gap_list = screen.query_one("#gap-list", DataTable)
    return {row[0].strip(): row[3].strip() for row in table_rows(gap_list)}


# The config file's gap_threshold, below the default: the view must start from it.
CONFIGURED_THRESHOLD = 40.0


def test_the_gap_view_threshold_country_filter_and_heat_map_cells(shared_catalog: Path) -> None:
    """One app run, its config setting gap_threshold: a heat-map cell opens what is
    behind it; the threshold starts at the config's and moves a requirement from covered
    to weakly covered; the view follows the country filter."""
    from test_tui_support import label_text, static_text
    from textual.widgets import DataTable, Input, Static

    from coprod.config import parse_config
    from coprod.gaps import COVERED, DEFAULT_COVERAGE_THRESHOLD, WEAKLY_COVERED
    from coprod.session import ViewOptions
    from coprod.tui.app import CoprodApp
    from coprod.tui.screens.gaps import CellScreen

    assert CONFIGURED_THRESHOLD != DEFAULT_COVERAGE_THRESHOLD
    config = parse_config(Path("config.toml"), f"gap_threshold = {CONFIGURED_THRESHOLD:g}\n")

    async def scenario():
        app = CoprodApp(shared_catalog, config=config)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            screen = _gap_screen(app)

            # A heat-map cell opens the requirements and partners behind it.
            matrix = screen.analysis.matrix
            coverage = screen.query_one("#coverage", DataTable)
            coverage.focus()
            row = matrix.categories.index("precision_artillery")
            column = matrix.countries.index("United States") + 1
            coverage.move_cursor(row=row, column=column)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CellScreen)
            text = static_text(app.screen.query_one("#cell-report", Static))
            assert text.startswith("precision_artillery × United States")
            assert "req-155-guided" in text and "Lockheed Martin" in text
            best = matrix.score("precision_artillery", "United States")
            assert f"best feasible {best:.1f}" in text
            assert "[bold red]X[/]" in text  # the hostile partner, inert
            await pilot.press("escape")
            assert app.screen is screen

            # The threshold: the config's, then typed.
            field = screen.query_one("#gap-threshold", Input)
            assert float(field.value) == CONFIGURED_THRESHOLD
            assert screen.analysis.threshold == CONFIGURED_THRESHOLD
            before = {c.requirement.requirement_id: c for c in screen.analysis.coverage}
            # The best-covered requirement falls to weakly covered once the bar is above it.
            best = max(
                (c for c in before.values() if c.state == COVERED), key=lambda c: c.best_score
            )
            rid = best.requirement.requirement_id
            assert rid not in _listed_states(screen)
            typed = round(best.best_score + 0.5, 1)
            field.value = f"{typed:.1f}"
            await pilot.pause()
            after = {c.requirement.requirement_id: c for c in screen.analysis.coverage}
            assert after[rid].state == WEAKLY_COVERED
            assert _listed_states(screen)[rid].startswith("weakly covered: best")
            caption = label_text(screen, "#gap-caption")
            assert f"≥ {typed:g}" in caption
            assert f"{screen.analysis.count(WEAKLY_COVERED)} weakly covered" in caption
            # Nonsense is refused, visibly, and the last threshold stays.
            field.value = "lots"
            await pilot.pause()
            assert field.has_class("-invalid")
            assert screen.analysis.threshold == typed

            # The country filter: only Norwegian partners count, then every country again.
            await pilot.press("escape")
            app.view = ViewOptions(country="Norway")
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            screen = _gap_screen(app)
            assert set(screen.analysis.matrix.countries) == {"Norway"}
            assert "by partners from Norway" in label_text(screen, "#gap-caption")
            pairings = [p for ps in screen.analysis.rankings.values() for p in ps]
            assert pairings and all(p.foreign.country == "Norway" for p in pairings if p.foreign)
            await pilot.press("escape")
            app.view = ViewOptions()
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            countries = _gap_screen(app).analysis.matrix.countries
            assert "Norway" in countries and "United States" in countries

    run(scenario)
