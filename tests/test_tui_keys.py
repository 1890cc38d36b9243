"""Keys under the pilot: keys typed with no pause act on what the screen shows when each
is pressed; table keys (j/k, Home/End), Esc backing out, sorting, undo, per-screen help.

`burst` queues several keys at once, as a terminal delivers a fast typist's keys
(pilot.press waits for the event loop to go idle after each key, which, while a
worker ranks, is long enough for the ranking to land). The bursts begin with `b`,
which clears every ranking (a new view), so the requirements the cursor then
reaches are not ranked yet when the keys after act.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_tui_support import WIDE, build_catalog, plain, run, settle, table_rows
from textual import events
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from coprod.config import parse_config
from coprod.session import ViewOptions
from coprod.tui.app import CoprodApp
from coprod.tui.screens.export import ExportDialog
from coprod.tui.widgets.detail import PairingDetail
from coprod.tui.widgets.tables import PairingsTable, RequirementsTable

DATA = Path(__file__).resolve().parent.parent / "data"
CHARACTERS = {"space": " ", "tab": "\t", "enter": "\r", "escape": "\x1b"}


async def burst(pilot, *keys: str) -> None:
    """Queue `keys` all at once (no pause between them), then wait until all is handled."""
    app = pilot.app
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))
    await settle(pilot)


@pytest.fixture(scope="module")
def shipped_catalog(tmp_path_factory) -> Path:
    """The catalog built from the shipped data/ folder (TW-001 ... as an analyst sees)."""
    from coprod.catalog import refresh_catalog

    db = tmp_path_factory.mktemp("keys_db") / "catalog.duckdb"
    refresh_catalog([DATA], db)
    return db


def test_keys_typed_without_pauses_act_on_the_requirement_shown(
    shipped_catalog: Path, tmp_path: Path
) -> None:
    async def scenario():
        app = CoprodApp(shipped_catalog, state_path=tmp_path / "state.sqlite3")
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            screen = app.screen
            requirements = screen.query_one("#requirements", RequirementsTable)
            pairings = screen.query_one("#pairings", PairingsTable)
            ids = [key.value for key in requirements.rows]
            assert requirements.has_focus and requirements.selected_key() == ids[0]

            # Down Down Tab space, no pause: the third requirement's first pairing.
            await burst(pilot, "b", "down", "down", "tab", "space")
            first_rid = requirements.selected_key()
            assert first_rid == ids[2]
            view = app.view
            assert view == ViewOptions(hide_blocked=True)
            expected = app.session.rank_one(view, first_rid).pairings
            assert [e.requirement.requirement_id for e in app.shortlist.entries] == [first_rid]
            assert app.shortlist.entries[0].pairing == expected[0]
            # The rows under the caption are that requirement's, not the previous one's.
            assert pairings.selected_pairing() == expected[0]
            assert screen.shown_requirement_id == first_rid

            # Back to the requirements, one down, into the pairings, second row, Enter
            # (the detail), space, export: all on that requirement's second pairing.
            await burst(pilot, "b", "shift+tab", "down", "tab", "down", "enter", "space", "e")
            second_rid = requirements.selected_key()
            assert second_rid == ids[3]
            expected = app.session.rank_one(app.view, second_rid).pairings
            assert app.view == ViewOptions()
            detail = screen.query_one("#detail", PairingDetail)
            assert detail.pairing == expected[1]
            assert app.shortlist.entries[-1].pairing == expected[1]
            assert isinstance(app.screen, ExportDialog)
            exported = [e.pairing for e in app.screen.entries]
            assert exported[-1] == expected[1] and len(exported) == 2
            # The late answers of the rankings started by those keys change nothing.
            assert screen.shown_requirement_id == second_rid
            assert pairings.selected_pairing() == expected[1]

    run(scenario)


@pytest.fixture(scope="module")
def fixture_catalog(tmp_path_factory) -> Path:
    return build_catalog(tmp_path_factory.mktemp("keys_in"), tmp_path_factory.mktemp("keys_fx"))


CONFIG = """\
top = 3
gap_threshold = 40

[keys]
toggle_blocked = "B"
"""


def header_x(table, column: str) -> int:
    """The x offset of a column's header (each column has one cell of padding a side)."""
    x = 0
    for key, spec in table.columns.items():
        if key.value == column:
            return x + 1
        x += spec.width + 2
    raise KeyError(column)


def test_table_keys_sorting_marks_undo_escape_and_config(
    fixture_catalog: Path, tmp_path: Path
) -> None:
    async def scenario():
        config = parse_config(Path("config.toml"), CONFIG)
        app = CoprodApp(fixture_catalog, state_path=tmp_path / "state.sqlite3", config=config)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            screen = app.screen
            requirements = screen.query_one("#requirements", RequirementsTable)
            pairings = screen.query_one("#pairings", PairingsTable)
            detail = screen.query_one("#detail", PairingDetail)

            # The config's top, per_partner and gap threshold reach the TUI's ranking.
            assert app.session.top == 3 and app.coverage_threshold == 40
            ranked = screen.rankings[screen.requirement_id]
            feasible = ranked.pairings[: ranked.blocked_from]
            assert 0 < len(feasible) <= 3
            # One row per foreign partner by default.
            partners = [p.foreign.partner_id for p in ranked.pairings if p.foreign]
            assert len(partners) == len(set(partners))

            # j/k and End/Home in the requirements table.
            await pilot.press("j")
            assert requirements.cursor_row == 1
            await pilot.press("k")
            assert requirements.cursor_row == 0
            await pilot.press("end")
            assert requirements.cursor_row == requirements.row_count - 1
            await pilot.press("home")
            assert requirements.cursor_row == 0
            await settle(pilot)

            # The remapped key toggles the blocked pairings; the old one no longer does.
            await pilot.press("b")
            assert not app.view.hide_blocked
            await pilot.press("B")
            assert app.view.hide_blocked
            await pilot.press("B")
            await settle(pilot)
            assert not app.view.hide_blocked

            # Into the pairings, Enter: the detail pane; Esc: back to the pairings.
            await pilot.press("tab", "end")
            assert pairings.cursor_row == pairings.row_count - 1
            await pilot.press("home", "enter")
            assert detail.has_focus
            await pilot.press("escape")
            assert pairings.has_focus

            # space shortlists and marks the row.
            first = pairings.selected_pairing()
            await pilot.press("space")
            assert table_rows(pairings)[pairings.cursor_row][0].startswith("✓")

            # o sorts by the next column (first "#", then score); a header click sorts by
            # that column, a second click reverses; the blocked group stays last.
            def shown() -> list:
                return [
                    pairings.pairing_for(key.value)
                    for key in pairings.rows
                    if pairings.pairing_for(key.value)
                ]

            def in_groups(values: list) -> list[list]:
                blocked = [p.feasibility == "blocked" for p in shown()]
                assert blocked == sorted(blocked)  # the blocked group stays last
                cut = blocked.index(True) if True in blocked else len(values)
                return [values[:cut], values[cut:]]

            await pilot.press("o", "o")
            assert pairings.sort_column == "score"
            for group in in_groups([p.score for p in shown()]):
                assert group == sorted(group, reverse=True)
            assert pairings.selected_pairing() == first  # the cursor stays on its pairing
            await pilot.click(PairingsTable, offset=(header_x(pairings, "foreign"), 0))
            names = [p.foreign.partner_name.casefold() if p.foreign else "" for p in shown()]
            for group in in_groups(names):
                assert group == sorted(group)
            await pilot.click(PairingsTable, offset=(header_x(pairings, "foreign"), 0))
            names = [p.foreign.partner_name.casefold() if p.foreign else "" for p in shown()]
            for group in in_groups(names):
                assert group == sorted(group, reverse=True)

            # x removes, z puts it back; ctrl+z too.
            await pilot.press("s")
            assert len(app.shortlist) == 1
            await pilot.press("x")
            assert len(app.shortlist) == 0
            await pilot.press("z")
            assert [e.pairing for e in app.shortlist.entries] == [first]
            await pilot.press("x", "ctrl+z")
            assert [e.pairing for e in app.shortlist.entries] == [first]
            await pilot.press("escape")
            await settle(pilot)

            # The pairings caption shows the blocked state within the pane at 120 columns.
            caption = screen.query_one("#pair-caption", Label)
            text = " ".join(plain(caption.content, 1000).split())
            assert text.index("blocked shown") + len("blocked shown") <= caption.size.width

            # Wide: the category column is not cut; narrow: ? and q stay in the footer.
            await pilot.resize_terminal(200, 40)
            await settle(pilot, delay=0.3)
            categories = [row[2] for row in table_rows(requirements)]
            assert categories and not any(c.endswith("…") for c in categories)
            await pilot.resize_terminal(60, 15)
            await settle(pilot, delay=0.3)
            footer_keys = {k.action: k for k in app.screen.query(FooterKey)}
            for action in ("help", "quit"):
                region = footer_keys[action].region
                assert region.width > 0 and region.right <= 60

            # The palette names the theme once (Textual's own "Theme" command).
            from coprod.tui.commands import CoprodCommands

            ours = [name for name, _, _ in CoprodCommands(app.screen).commands()]
            system = [command.title for command in app.get_system_commands(app.screen)]
            assert "Theme" in system and not any(name.startswith("Theme") for name in ours)

    run(scenario)


def help_lines(app: CoprodApp) -> list[str]:
    """The help screen's rows as plain text, one line per key."""
    from textual.widgets import Static

    from coprod.tui.screens.help import HelpScreen

    assert isinstance(app.screen, HelpScreen)
    body = app.screen.query_one("#help-body Static", Static)
    return [" ".join(line.split()) for line in plain(body.content, 300).splitlines()]


def test_every_screen_keeps_help_and_quit_in_its_footer_and_lists_its_keys_in_help(
    fixture_catalog: Path, tmp_path: Path
) -> None:
    """At 60x15 each screen's footer shows `? Help` and `q Quit` whole; its help lists
    every key of that screen and every app-wide key (also those the footer leaves out,
    and a key the config file remapped, under its new key)."""
    from coprod.tui.bindings import APP_BINDINGS
    from coprod.tui.screens.adhoc import AdhocScreen
    from coprod.tui.screens.detail import DetailScreen
    from coprod.tui.screens.gaps import GapScreen
    from coprod.tui.screens.help import binding_key
    from coprod.tui.screens.main import MainScreen
    from coprod.tui.screens.planner import PlannerScreen
    from coprod.tui.screens.profile import ProfileScreen, open_profile
    from coprod.tui.screens.shortlist import ShortlistScreen

    async def check(pilot, kind: type) -> None:
        app = pilot.app
        await settle(pilot, delay=0.15)
        screen = app.screen
        assert isinstance(screen, kind)
        footer_keys = {k.action: k for k in screen.query(FooterKey)}
        for action in ("help", "quit"):
            key = footer_keys[action]
            assert key.region.width >= len(key.description) + 1, (kind, action)
            assert key.region.x >= 0 and key.region.right <= 60, (kind, action)
        app.action_help()
        await settle(pilot)
        lines = help_lines(app)
        keymap = app.config.keymap()
        for binding in [*kind.BINDINGS, *APP_BINDINGS]:
            key = keymap.get(binding.id or "", None) or binding_key(binding)
            what = " ".join((binding.tooltip or binding.description).split())
            assert any(line.startswith(f"{key} {what}") for line in lines), (kind, key, what)
        assert any(line.startswith("B ") for line in lines) == (kind is MainScreen)
        await pilot.press("escape")
        await settle(pilot)

    async def scenario():
        config = parse_config(Path("config.toml"), CONFIG)
        app = CoprodApp(fixture_catalog, state_path=tmp_path / "state.sqlite3", config=config)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press("tab", "space")
            await settle(pilot)
            assert len(app.shortlist) == 1
            entry = app.shortlist.entries[0]
            await pilot.resize_terminal(60, 15)
            await check(pilot, MainScreen)
            await pilot.press("n")
            await check(pilot, AdhocScreen)
            await pilot.press("escape", "s")
            await check(pilot, ShortlistScreen)
            await pilot.press("p")
            await check(pilot, PlannerScreen)
            await pilot.press("escape")
            await settle(pilot)
            app.push_screen(DetailScreen(entry.pairing, app.catalog, entry.requirement))
            await check(pilot, DetailScreen)
            partner = entry.pairing.foreign or entry.pairing.local
            assert partner is not None
            open_profile(app, partner.partner_id)
            await check(pilot, ProfileScreen)
            await pilot.press("g")
            await check(pilot, GapScreen)

    run(scenario)


def test_adhoc_keys_typed_without_pauses_act_on_the_text_typed(
    shipped_catalog: Path, tmp_path: Path
) -> None:
    """In the ad-hoc screen, text then Tab (or Enter), Down and space queued at once
    shortlist the second pairing of that text, from a table Tab reaches while it ranks."""
    from coprod.tui.screens.adhoc import AdhocScreen

    async def scenario():
        app = CoprodApp(shipped_catalog, state_path=tmp_path / "state.sqlite3")
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AdhocScreen)
            table = screen.query_one("#adhoc-pairings", PairingsTable)

            def keys(text: str) -> list[str]:
                return ["space" if ch == " " else ch for ch in text]

            def shortlisted() -> list:
                # The shortlist gives each ad-hoc text an id of its own ("query-1").
                return [replace(e.pairing, requirement_id="query") for e in app.shortlist.entries]

            first = "anti-ship missiles"
            await burst(pilot, *keys(first), "tab", "down", "space")
            _, ranked = app.session.rank_adhoc(first, app.view)
            assert table.has_focus
            assert shortlisted() == [ranked.pairings[1]]
            assert app.shortlist.entries[0].requirement.title == first
            assert table.selected_pairing() == ranked.pairings[1]

            # Back to the field (it selects its text as it takes the focus: the new text
            # replaces it), a new text, Enter, Down, space: the new text's second row.
            second = "155 mm artillery shells"
            await burst(pilot, "shift+tab", *keys(second), "enter", "down", "space")
            _, ranked = app.session.rank_adhoc(second, app.view)
            assert shortlisted()[-1] == ranked.pairings[1]
            assert app.shortlist.entries[-1].requirement.title == second
            assert screen.shown_text == second
            # The worker's late answer for that text leaves the cursor where the keys put it.
            await settle(pilot, delay=0.3)
            assert table.selected_pairing() == ranked.pairings[1]

    run(scenario)


def test_undo_puts_a_pairing_back_in_its_place_also_after_a_restart(
    fixture_catalog: Path, tmp_path: Path
) -> None:
    """x on the middle of three shortlisted pairings, z: it is back in the middle, in
    memory and in the saved work a new app (a restart) reads."""
    state = tmp_path / "state.sqlite3"

    async def shortlist_three_remove_the_middle_and_undo() -> list:
        app = CoprodApp(fixture_catalog, state_path=state)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press("tab", "space", "down", "space", "down", "space")
            await settle(pilot)
            order = [e.key for e in app.shortlist.entries]
            assert len(order) == 3
            await pilot.press("s", "down", "x")
            await settle(pilot)
            assert [e.key for e in app.shortlist.entries] == [order[0], order[2]]
            await pilot.press("z")
            await settle(pilot)
            assert [e.key for e in app.shortlist.entries] == order
            await pilot.press("q")
        return order

    async def restarted() -> list:
        app = CoprodApp(fixture_catalog, state_path=state)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            return [e.key for e in app.shortlist.entries]

    async def scenario():
        order = await shortlist_three_remove_the_middle_and_undo()
        assert await restarted() == order

    run(scenario)


def test_filter_then_keys_typed_without_pauses_act_on_the_filtered_list(
    shipped_catalog: Path, tmp_path: Path
) -> None:
    """/excalibur Enter Down Tab space in one burst: the second requirement the filter
    keeps, its first pairing shortlisted."""

    async def scenario():
        app = CoprodApp(shipped_catalog, state_path=tmp_path / "state.sqlite3")
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            screen = app.screen
            requirements = screen.query_one("#requirements", RequirementsTable)
            await burst(pilot, "slash", *"excalibur", "enter", "down", "tab", "space")
            kept = [key.value for key in requirements.rows]
            assert 1 < len(kept) < 72
            assert requirements.selected_key() == kept[1]
            expected = app.session.rank_one(app.view, kept[1]).pairings[0]
            assert [e.pairing for e in app.shortlist.entries] == [expected]

    run(scenario)
