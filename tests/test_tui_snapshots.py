"""Snapshot tests (pytest-textual-snapshot) of the main screen, the detail and the gap view.

Regenerate after an intended change with
`.venv/bin/pytest tests/test_tui_snapshots.py --snapshot-update` and look at
the SVGs in tests/__snapshots__/ before committing them. The catalog comes
from the shared fixtures; the header's catalog path (a tmp dir) is replaced
by its file name so the pictures do not depend on where pytest ran. The
scores come from the real ranker, so a change of scoring changes these
pictures on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REQUIREMENTS, write_catalog_folder
from test_tui_support import settle

from coprod.tui.app import CoprodApp
from coprod.tui.widgets.detail import PairingDetail

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def loaded(pilot) -> None:
    await settle(pilot)
    pilot.app.sub_title = "catalog.duckdb"
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_main_screen(snap_compare, catalog_db: Path, size) -> None:
    assert snap_compare(CoprodApp(catalog_db), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_detail_of_a_blocked_pairing(snap_compare, catalog_db: Path, size) -> None:
    """The pairing blocked by Sweden through a co-developer: the consent chain says why."""

    async def open_blocked(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        row = next(i for i, p in enumerate(screen.pairings) if p.feasibility == "blocked")
        pairings = screen.query_one("#pairings")
        pairings.focus()
        pairings.move_cursor(row=pairings.row_of(screen.pairings[row]))
        await pilot.press("enter")  # narrow: its own screen; wide: focus the pane
        await settle(pilot)
        assert pilot.app.screen.query_one(PairingDetail).pairing.feasibility == "blocked"

    assert snap_compare(CoprodApp(catalog_db), terminal_size=size, run_before=open_blocked)


@pytest.fixture
def gap_db(tmp_path: Path) -> Path:
    """The fixture catalog plus a requirement no partner can meet."""
    from coprod.catalog import refresh_catalog

    submarines = {
        "requirement_id": "req-sub",
        "title": "Nuclear-powered attack submarines",
        "description": "Reactor plants",
        "category": "naval",
        "quantity": "",
        "unit": "",
        "priority": "low",
    }
    folder = write_catalog_folder(tmp_path / "input", requirements=[*REQUIREMENTS, submarines])
    db_path = tmp_path / "gaps.duckdb"
    refresh_catalog([folder], db_path)
    return db_path


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_gap_view(snap_compare, gap_db: Path, size) -> None:
    async def open_gaps(pilot) -> None:
        await loaded(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(CoprodApp(gap_db), terminal_size=size, run_before=open_gaps)


def test_hostile_text_on_screen(snap_compare, catalog_db: Path) -> None:
    """Markup and escape sequences from the catalog show as characters."""

    async def select_hostile(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        row = next(
            i
            for i, p in enumerate(screen.pairings)
            if p.foreign and p.foreign.partner_id == "hostile-co"
        )
        table = screen.query_one("#pairings")
        table.move_cursor(row=table.row_of(screen.pairings[row]))
        await settle(pilot)

    assert snap_compare(CoprodApp(catalog_db), terminal_size=(120, 40), run_before=select_hostile)


def test_main_screen_light_theme(snap_compare, catalog_db: Path) -> None:
    """Feasibility colours and bars stay readable on a light background."""

    async def light(pilot) -> None:
        await loaded(pilot)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(CoprodApp(catalog_db), terminal_size=(80, 24), run_before=light)


# ----- issue 15: the planner, the gap view's threshold and a heat-map cell ----------------


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_planner_screen(snap_compare, catalog_db: Path, size) -> None:
    """Labelled settings, the plan in words, rooms as columns, the agendas beside (wide)."""
    from coprod.tui.screens.planner import PlannerScreen

    async def open_planner(pilot) -> None:
        await loaded(pilot)
        app = pilot.app
        screen = app.screen
        foreign = [p for p in screen.pairings if p.foreign is not None and p.local is not None]
        # A limit the solver never reaches here (it proves this small plan optimal in
        # well under a second): on a loaded machine a tight one stops it first, and the
        # screen then says so, which is another picture.
        planner = PlannerScreen(
            app.catalog, foreign, days="2026-05-04..2026-05-05", rooms=3, time_limit=60.0
        )
        app.push_screen(planner)
        await settle(pilot)
        assert planner.result is not None and planner.result.meetings
        # The Slots field shows its value whole, with the cursor after it.
        slots = planner.query_one("#plan-slots")
        assert slots.size.width > len(slots.value)

    assert snap_compare(CoprodApp(catalog_db), terminal_size=size, run_before=open_planner)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_gap_view_with_a_raised_threshold_and_an_open_cell(snap_compare, gap_db: Path, size):
    async def open_cell(pilot) -> None:
        await loaded(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#gap-threshold").value = "70"
        await pilot.pause()
        matrix = screen.analysis.matrix
        coverage = screen.query_one("#coverage")
        coverage.focus()
        coverage.move_cursor(
            row=matrix.categories.index("precision_artillery"),
            column=matrix.countries.index("United States") + 1,
        )
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(CoprodApp(gap_db), terminal_size=size, run_before=open_cell)


# ----- issue 14: the partner profile -------------------------------------------------------


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_partner_profile(snap_compare, catalog_db: Path, size) -> None:
    """RTX: its lines, Excalibur's co-developers (catalog and knowledge base), the US
    posture, and the requirements it matches, scored."""
    from coprod.tui.screens.profile import ProfileScreen, open_profile

    async def open_rtx(pilot) -> None:
        await loaded(pilot)
        open_profile(pilot.app, "rtx")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ProfileScreen) and screen.scored

    assert snap_compare(CoprodApp(catalog_db), terminal_size=size, run_before=open_rtx)
