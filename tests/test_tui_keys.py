"""Keys under the pilot: keys typed with no pause act on what the screen shows when each
is pressed; table keys (j/k, Home/End), Esc backing out, sorting, undo, per-screen help.

`burst` queues several keys at once, as a terminal delivers a fast typist's keys
(pilot.press waits for the event loop to go idle after each key, which, while a
worker ranks, is long enough for the ranking to land). The bursts begin with `b`,
which clears every ranking (a new view), so the requirements the cursor then
reaches are not ranked yet when the keys after act.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import WIDE, run, settle
from textual import events

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
