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
    with `feasibility` (else its first RTX Excalibur pairing)."""
    screen = app.screen
    await pilot.press("enter")
    await pilot.pause()
    row = next(
        i
        for i, p in enumerate(screen.pairings)
        if (p.feasibility == feasibility if feasibility else _rtx_excalibur(p))
    )
    table = screen.query_one("#pairings")
    table.move_cursor(row=table.row_of(screen.pairings[row]))
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DetailScreen)
    return app.screen


# ----- the pairing detail ----------------------------------------------------------------


def test_detail_says_why_in_words_with_readable_names(sourced_db: Path) -> None:
    from coprod.reasons import pairing_reason

    async def scenario():
        async with started_app(sourced_db, NARROW) as (app, pilot):
            detail = await _open_detail(app, pilot, "blocked")
            pairing = detail.pairing
            text = detail_text(app, "#detail-full")
            reason = pairing_reason(pairing)
            # The reason comes before the numbers, whole (folded back onto one line).
            flat = " ".join(text.split())
            assert " ".join(reason.split()) in flat
            assert flat.index(reason.split()[0]) < flat.index("Score components")
            assert "Blocked" in reason
            assert "wording match" in text and "rare words matched" in text
            assert "text fit" not in text and "idf coverage" not in text

    run(scenario)


def test_a_penalty_is_drawn_as_a_penalty(sourced_db: Path) -> None:
    async def scenario():
        async with started_app(sourced_db, NARROW) as (app, pilot):
            detail = await _open_detail(app, pilot, "blocked")
            penalty = detail.pairing.components["feasibility"]
            assert penalty < 0
            lines = detail_text(app, "#detail-full").splitlines()
            consent = next(line for line in lines if "consent (subtracted)" in line)
            assert f"−{-penalty:.1f}" in consent
            # Its bar is the hatched one, never the solid bar of what a pairing earns.
            assert "▒" in consent and "█" not in consent
            wording = next(line for line in lines if line.lstrip().startswith("wording match"))
            assert "█" in wording and "▒" not in wording and "+" in wording

    run(scenario)


def test_source_addresses_are_whole_links_on_lines_of_their_own(sourced_db: Path) -> None:
    from rich.console import Console

    from coprod.tui.render import pairing_detail

    pairing, catalog = None, None

    async def capture():
        nonlocal pairing, catalog
        async with started_app(sourced_db, NARROW) as (app, pilot):
            detail = await _open_detail(app, pilot)
            pairing, catalog = detail.pairing, app.catalog
            text = detail_text(app, "#detail-full")
            # The long address is on a line of its own, never broken across lines.
            line = next(line for line in text.splitlines() if LONG_ADDRESS in line)
            assert line.strip() == LONG_ADDRESS
            assert "(accessed 2024-05-01)" in text  # the source's words stay beside it

    run(capture)
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


def test_copy_keys_put_the_reason_and_addresses_on_the_clipboard(sourced_db: Path) -> None:
    from coprod.reasons import pairing_reason

    async def scenario():
        async with started_app(sourced_db, NARROW) as (app, pilot):
            detail = await _open_detail(app, pilot)
            assert app.clipboard == ""
            await pilot.press("u")
            assert app.clipboard.splitlines() == [RTX_ADDRESS, LONG_ADDRESS]
            await pilot.press("y")
            lines = app.clipboard.splitlines()
            assert lines[0] == pairing_reason(detail.pairing)
            assert lines[1:] == [RTX_ADDRESS, LONG_ADDRESS]

    run(scenario)


def test_hostile_text_in_the_detail_stays_inert(catalog_db: Path) -> None:
    from coprod.tui.render import detail_clipboard_text

    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
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


def test_export_dialog_writes_a_briefing_in_markdown_and_html(
    sourced_db: Path, tmp_path: Path
) -> None:
    from test_brief import Structure
    from textual.widgets import Input, Select

    from coprod.tui.screens.export import ExportDialog

    async def scenario():
        async with started_app(sourced_db, WIDE) as (app, pilot):
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

    run(scenario)
    page = (tmp_path / "visit.html").read_text(encoding="utf-8")
    structure = Structure()
    structure.feed(page)
    structure.close()
    assert structure.title.startswith("Co-production briefing")
    assert structure.sections == ["req-req-155-guided"]  # the id prefixed "req-"
    assert LONG_ADDRESS in structure.links and not structure.sources  # self-contained
    assert "<script" not in page and HOSTILE_NAME not in page
    assert "[bold red]X[/]" in page  # the hostile name as text
    markdown = (tmp_path / "visit.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Co-production briefing")
    assert "\n## req-155-guided · Precision-guided 155 mm rounds\n" in markdown
    assert "\\[bold red\\]X\\[/\\]" in markdown  # the markup escaped, inert
    assert "RTX (Raytheon)" in markdown and "\x1b" not in markdown


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


def test_gap_threshold_moves_a_requirement_from_covered_to_weakly_covered(
    catalog_db: Path,
) -> None:
    from test_tui_support import label_text
    from textual.widgets import Input

    from coprod.gaps import COVERED, DEFAULT_COVERAGE_THRESHOLD, WEAKLY_COVERED

    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            await pilot.press("g")
            await settle(pilot)
            screen = _gap_screen(app)
            field = screen.query_one("#gap-threshold", Input)
            assert float(field.value) == DEFAULT_COVERAGE_THRESHOLD
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

    run(scenario)


def test_gap_view_follows_the_country_filter(catalog_db: Path) -> None:
    from test_tui_support import label_text

    from coprod.session import ViewOptions

    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            app.view = ViewOptions(country="Norway")
            await settle(pilot)
            await pilot.press("g")
            await settle(pilot)
            screen = _gap_screen(app)
            assert set(screen.analysis.matrix.countries) == {"Norway"}
            assert "by partners from Norway" in label_text(screen, "#gap-caption")
            # Only Norwegian partners count: no pairing behind the view comes from elsewhere.
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


def test_a_heat_map_cell_opens_the_requirements_and_partners_behind_it(catalog_db: Path) -> None:
    from test_tui_support import static_text
    from textual.widgets import DataTable, Static

    from coprod.tui.screens.gaps import CellScreen

    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            await pilot.press("g")
            await settle(pilot)
            screen = _gap_screen(app)
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

    run(scenario)
