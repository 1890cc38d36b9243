"""Saved work in the TUI, under the pilot: the shortlist, notes and decisions, filters and
the export folder survive a restart and a refresh; two apps share one store; the config's
keys and theme apply. Every app here uses a store under tmp_path."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import COUNTRIES, write_catalog_folder
from test_tui_support import (
    WIDE,
    label_text,
    run,
    settle,
    table_rows,
    type_text,
)
from textual.widgets import Input, Select

from coprod.config import parse_config
from coprod.tui.app import CoprodApp
from coprod.tui.screens.export import ExportDialog
from coprod.tui.screens.note import NoteDialog
from coprod.tui.screens.shortlist import ShortlistScreen
from coprod.userstate import EXPORT_FOLDER, Annotation, StateStore


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "user" / "state.sqlite3"


@asynccontextmanager
async def app_on(db: Path, state: Path, config_text: str = ""):
    config = parse_config(Path("config.toml"), config_text) if config_text else None
    app = CoprodApp(db, state_path=state, config=config)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        yield app, pilot
    app.flush_saved_work()


async def shortlist_first_pairing(pilot) -> None:
    await pilot.press("enter")  # into the pairings of the first requirement
    await pilot.press("space")
    await settle(pilot)


def test_a_shortlist_and_its_note_survive_quit_and_restart(shared_catalog, state):
    """One pairing shortlisted and annotated, `q` (asks nothing), a second start shows
    both; cancelling the note dialog changes nothing; `x` removes the pairing for good."""

    async def scenario():
        async with app_on(shared_catalog, state) as (app, pilot):
            await shortlist_first_pairing(pilot)
            assert len(app.shortlist) == 1
            kept = app.shortlist.entries[0]
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, ShortlistScreen)
            rows = table_rows(app.screen.query_one("#shortlist-table"))
            assert len(rows) == 1 and rows[0][0] == kept.requirement.requirement_id
            assert rows[0][-1] == "—"  # no note, nothing changed
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, NoteDialog)
            app.screen.query_one("#note-decision", Select).value = "contacted"
            app.screen.query_one("#note-reason", Input).value = "asked for a quote"
            await type_text(pilot, "met at TADTE")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ShortlistScreen)
            rows = table_rows(app.screen.query_one("#shortlist-table"))
            assert rows[0][-1].startswith("contacted")
            assert label_text(app.screen, "#shortlist-note") == (
                "contacted: asked for a quote · met at TADTE"
            )
            await pilot.press("escape", "q")  # quit asks nothing
        saved = StateStore(state).pairings()
        assert [s.key for s in saved] == [kept.key]
        assert saved[0].catalog_path == str(shared_catalog)
        assert StateStore(state).annotations() == {
            kept.key: Annotation("contacted", "asked for a quote", "met at TADTE")
        }
        async with app_on(shared_catalog, state) as (app, pilot):
            assert [e.key for e in app.shortlist.entries] == [kept.key]
            assert app.shortlist.entries[0].pairing == kept.pairing
            assert app.shortlist.entries[0].annotation.note == "met at TADTE"
            await pilot.press("s", "n")
            await pilot.pause()
            assert app.screen.query_one("#note-text", Input).value == "met at TADTE"
            await pilot.press("escape")  # cancel changes nothing
            await settle(pilot)
            assert StateStore(state).annotations()[kept.key].decision == "contacted"
            assert isinstance(app.screen, ShortlistScreen)
            await pilot.press("x")
            await settle(pilot)
        assert StateStore(state).pairings() == []

    run(scenario)


def test_filters_are_restored_and_the_config_applies(shared_catalog, state):
    """The filter text and hide-blocked come back at the next start; that start's config
    file sets the theme and remaps a key."""

    async def scenario():
        async with app_on(shared_catalog, state) as (app, pilot):
            await pilot.press("b")
            await pilot.press("slash")
            await type_text(pilot, "drone")
            await settle(pilot, 0.3)
            assert app.view.hide_blocked
            assert app.theme != "textual-light"
        settings = StateStore(state).settings()
        assert settings["view.hide_blocked"] is True and settings["view.filter"] == "drone"
        config = 'theme = "textual-light"\n[keys]\nshortlist = "f2"\n'
        async with app_on(shared_catalog, state, config) as (app, pilot):
            await settle(pilot, 0.3)
            assert app.view.hide_blocked
            screen = app.screen_stack[0]
            assert screen.query_one("#filter", Input).value == "drone"
            assert screen.filter_words == ["drone"]
            table = screen.query_one("#requirements")
            assert [key.value for key in table.rows] == ["req-small-drones"]
            assert app.theme == "textual-light"
            table.focus()  # out of the filter field, where "s" would be typed
            await pilot.press("s")
            await settle(pilot)
            assert not isinstance(app.screen, ShortlistScreen)
            await pilot.press("f2")
            await settle(pilot)
            assert isinstance(app.screen, ShortlistScreen)

    run(scenario)


def test_two_apps_on_one_store_at_once(shared_catalog, state):
    async def scenario():
        async with (
            app_on(shared_catalog, state) as (left, left_pilot),
            app_on(shared_catalog, state) as (right, right_pilot),
        ):
            await shortlist_first_pairing(left_pilot)
            await right_pilot.press("down", "enter", "space")
            await settle(right_pilot)
            await settle(left_pilot)
            # Each window sees the other's pairing when it opens the shortlist.
            await left_pilot.press("s")
            await settle(left_pilot)
            assert len(left.shortlist) == 2
            await right_pilot.press("s")
            await settle(right_pilot)
            assert len(right.shortlist) == 2
            assert [e.key for e in left.shortlist.entries] == [
                e.key for e in right.shortlist.entries
            ]
        assert len(StateStore(state).pairings()) == 2

    run(scenario)


def test_saved_pairings_are_rechecked_after_a_refresh(private_catalog, state, tmp_path):
    """Sweden stops blocking: the shortlisted Excalibur pairing says so, it is not dropped."""
    from coprod.catalog import refresh_catalog

    async def scenario():
        async with app_on(private_catalog, state) as (app, pilot):
            main = app.screen_stack[0]
            await pilot.press("enter")
            blocked = next(i for i, p in enumerate(main.pairings) if p.feasibility == "blocked")
            for _ in range(blocked):
                await pilot.press("down")
            await pilot.press("space")
            await settle(pilot)
            assert app.shortlist.entries[0].pairing.feasibility == "blocked"
            countries = [
                {**c, "posture": "case_by_case"} if c["country"] == "Sweden" else c
                for c in COUNTRIES
            ]
            refresh_catalog(
                [write_catalog_folder(tmp_path / "open", countries=countries)], private_catalog
            )
            app.load_session(private_catalog, refreshed=True)  # as the refresh dialog does
            await settle(pilot)
            [check] = app.shortlist.checks.values()
            assert check.status == "verdict_changed"
            await pilot.press("s")
            await settle(pilot)
            rows = table_rows(app.screen.query_one("#shortlist-table"))
            assert rows[0][-1].startswith("now consent")
            note = label_text(app.screen, "#shortlist-note")
            assert note.startswith("now consent required, score ")
            assert "→" in note and "1 changed in this catalog" in label_text(
                app.screen, "#shortlist-caption"
            )
            assert len(app.shortlist) == 1

    run(scenario)


def test_export_remembers_its_folder_and_carries_the_notes(shared_catalog, state, tmp_path):
    import json

    first = tmp_path / "exports"
    first.mkdir()
    StateStore(state).save_settings({EXPORT_FOLDER: str(first)})

    async def scenario():
        async with app_on(shared_catalog, state) as (app, pilot):
            await shortlist_first_pairing(pilot)
            app.shortlist.annotate(0, Annotation("dropped", "blocked", "ask again in 2027"))
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog)
            field = app.screen.query_one("#export-path", Input)
            assert field.value == str(first / "shortlist.csv")
            other = tmp_path / "other"
            other.mkdir()
            field.value = str(other / "visit.json")
            await pilot.press("enter")
            await settle(pilot)
            assert (other / "visit.json").is_file()
        assert StateStore(state).settings()[EXPORT_FOLDER] == str((tmp_path / "other").resolve())
        [record] = json.loads((tmp_path / "other" / "visit.json").read_text(encoding="utf-8"))
        assert (record["decision"], record["decision_reason"], record["note"]) == (
            "dropped",
            "blocked",
            "ask again in 2027",
        )

    run(scenario)
