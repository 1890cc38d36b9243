"""The TUI while it loads and while keys come fast: first paint, the requirements read
first, the saved matching index and its helper process, keys typed in bursts.

Driven by Textual's pilot against real DuckDB catalogs, as in test_tui.py.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import REQUIREMENTS, write_catalog_folder
from test_tui_support import (
    NARROW,
    WIDE,
    label_text,
    main_tables,
    run,
    send_burst,
    settle,
    shown_keys,
    started_app,
    static_text,
    type_text,
)
from textual.widgets import DataTable, Input, Static

from coprod.session import ViewOptions
from coprod.tui.app import CoprodApp
from coprod.tui.screens.adhoc import AdhocScreen
from coprod.tui.screens.dialogs import MessageDialog
from coprod.tui.screens.main import MainScreen

# ----- loading ----------------------------------------------------------------------------


def test_a_corrupt_catalog_is_a_dialog_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 100)

    async def scenario():
        async with started_app(broken, NARROW) as (app, pilot):
            assert isinstance(app.screen, MessageDialog)
            message = static_text(app.screen.query_one("#message-body", Static), 200)
            assert "not a coprod catalog" in message
            await pilot.press("escape")
            assert "No catalog loaded" in label_text(app.screen, "#req-caption")
            # Keys that need a catalog say so instead of failing.
            await pilot.press("c")
            assert isinstance(app.screen, MainScreen)
            await pilot.press("g")
            await settle(pilot)
            assert "No catalog loaded" in label_text(app.screen, "#gap-caption")

    run(scenario)


@pytest.mark.parametrize("size", [NARROW, WIDE])
def test_first_paint_happens_before_the_catalog_is_ready(private_catalog: Path, size) -> None:
    """The screen is composed and shows a loading state while the worker loads."""

    async def scenario():
        app = CoprodApp(private_catalog)
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            table = screen.query_one("#requirements", DataTable)
            captions = ("#req-caption", "#pair-caption")
            if app.session is None:  # still loading: the spinner caption is up
                # above the requirements, or above the pairings once they are listed
                assert any("Loading" in label_text(screen, c) for c in captions)
            await settle(pilot)
            assert not any("Loading" in label_text(screen, c) for c in captions)
            assert table.row_count == 5

    run(scenario)


def test_requirements_are_listed_from_their_own_read_before_the_capability_lines(
    private_catalog: Path,
) -> None:
    """A catalog whose capability lines cannot be read still lists its requirements:
    they are read first, on their own, and shown while the rest loads."""
    import duckdb

    with duckdb.connect(str(private_catalog)) as con:
        con.execute("DROP VIEW capabilities")

    async def scenario():
        async with started_app(private_catalog, NARROW) as (app, pilot):
            assert app.session is None
            assert isinstance(app.screen, MessageDialog)
            await pilot.press("escape")
            screen = app.screen
            requirements, _ = main_tables(app)
            assert [str(k.value) for k in requirements.rows] == [
                r["requirement_id"] for r in REQUIREMENTS
            ]
            assert "No catalog loaded" in label_text(screen, "#req-caption")
            assert "Loading" not in label_text(screen, "#pair-caption")
            # Filtering works on the rows read first.
            await pilot.press("slash")
            await type_text(pilot, "drone")
            await settle(pilot, 0.3)
            assert 0 < requirements.row_count < len(REQUIREMENTS)

    run(scenario)


# ----- the command ------------------------------------------------------------------------


def test_the_tui_command_imports_textual_only_when_run() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, coprod.cli, coprod.commands.tui;"
        "coprod.cli.build_parser();"
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
    shown = subprocess.run(
        [sys.executable, "-m", "coprod", "tui", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--db PATH" in shown.stdout and "--refresh-from" in shown.stdout


def test_a_long_requirements_list_fills_in_chunks_and_a_refill_replaces_it(
    tmp_path: Path,
) -> None:
    from coprod.catalog import refresh_catalog

    many = [
        {
            "requirement_id": f"req-{i:04d}",
            "title": f"Small tactical drones batch {i}" if i % 2 else f"Coastal missiles {i}",
            "description": "",
            "category": "uas" if i % 2 else "anti_ship_missile",
            "quantity": "",
            "unit": "",
            "priority": "low",
        }
        for i in range(700)
    ]
    folder = write_catalog_folder(tmp_path / "many", requirements=many)
    db_path = tmp_path / "many.duckdb"
    refresh_catalog([folder], db_path)

    async def scenario():
        async with started_app(db_path) as (app, pilot):
            await pilot.pause(0.5)
            requirements, _ = main_tables(app)
            assert requirements.row_count == 700  # every row arrives, in order
            assert [str(k.value) for k in list(requirements.rows)[:2]] == ["req-0000", "req-0001"]
            # A filter typed while a fill runs: only its rows end up listed.
            await pilot.press("slash")
            await type_text(pilot, "coastal")
            await settle(pilot, 0.5)
            assert requirements.row_count == 350
            assert all(int(str(k.value)[4:]) % 2 == 0 for k in requirements.rows)

    run(scenario)


def test_a_second_start_reads_the_saved_index_and_says_so(
    private_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start has a helper process build the matching index and save it beside
    the catalog, then reads it back; the next start reads it at once. The loading note
    says which it does."""
    from coprod.indexcache import saved_index_state, sidecar_path
    from coprod.session import index_stage
    from coprod.workers import indexer

    # The helper is for big catalogs only: this small one is treated as big.
    monkeypatch.setattr(indexer, "HELPER_FROM_BYTES", 0)

    assert saved_index_state(private_catalog) == "none"
    assert "first use" in index_stage(private_catalog, 193, "none")

    async def first_start():
        async with started_app(private_catalog, NARROW) as (app, _):
            assert app.session is not None and app.session.index_from_file
            assert sidecar_path(private_catalog).exists()

    run(first_start)
    assert saved_index_state(private_catalog) == "current"
    assert index_stage(private_catalog, 193, "current").startswith("reading the saved index")

    async def second_start():
        async with started_app(private_catalog, NARROW) as (app, _):
            assert app.session is not None and app.session.index_from_file
            requirements, pairings = main_tables(app)
            assert requirements.row_count == len(REQUIREMENTS) and pairings.row_count > 0

    run(second_start)
    # A rebuilt catalog is newer than its saved index: the note says it re-indexes.
    os.utime(private_catalog, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert saved_index_state(private_catalog) == "stale"
    assert "the catalog changed" in index_stage(private_catalog, 193, "stale")


def test_background_ranking_steps_aside_for_keys_and_still_finishes(private_catalog: Path) -> None:
    """Keys are noted as they arrive (background ranking waits while they come);
    once they pause, every requirement still gets its best score."""

    async def scenario():
        async with started_app(private_catalog, NARROW) as (app, pilot):
            before = app.last_key_at
            await pilot.press("slash")
            await type_text(pilot, "zz")
            assert app.last_key_at > before
            await pilot.press("escape")
            app.main_screen.set_view(ViewOptions(hide_blocked=True))  # ranks everything again
            await settle(pilot, 0.5)
            assert set(app.main_screen.rankings) == {r["requirement_id"] for r in REQUIREMENTS}

    run(scenario)


def test_the_index_helper_fails_cleanly_on_a_broken_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper that cannot build the index reports it (the app then builds in-process
    or shows the catalog's error) and leaves no index file behind."""
    from coprod.indexcache import sidecar_path
    from coprod.workers import indexer
    from coprod.workers.indexer import IndexBuilder

    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a catalog" * 100)
    assert IndexBuilder.start_if_needed(broken) is None  # small: indexed in-process
    monkeypatch.setattr(indexer, "HELPER_FROM_BYTES", 0)
    helper = IndexBuilder.start_if_needed(broken)
    assert helper is not None and helper.saved_before == "none"
    assert helper.wait(lambda: False) is False
    assert not sidecar_path(broken).exists()


def test_while_typing_the_footer_says_how_to_reach_the_list(private_catalog: Path) -> None:
    """Letters are text while an input has the keys, so the footer shows ↓ (to the list
    below) and Esc, not only "esc Back", in the ad-hoc query and in the filter."""

    async def scenario():
        async with started_app(private_catalog) as (app, pilot):
            await pilot.press("n")
            await type_text(pilot, "radar")
            assert isinstance(app.screen.focused, Input)
            assert shown_keys(app) == {"down": "Pairings", "escape": "Back"}
            await pilot.press("down")
            assert app.screen.focused is app.screen.query_one("#adhoc-pairings")
            await pilot.press("escape")
            await pilot.press("slash")
            await type_text(pilot, "drone")
            keys = shown_keys(app)
            assert keys["down"] == "Requirements" and keys["escape"] == "Clear filter"
            await pilot.press("down")
            assert app.screen.focused is main_tables(app)[0]

    run(scenario)


def test_keys_typed_right_after_slash_or_n_go_into_the_field(private_catalog: Path) -> None:
    """`/dro` typed in one burst filters by "dro": the keys after `/` reach the filter,
    not the table (where `r` would open the refresh dialog)."""

    async def scenario():
        async with started_app(private_catalog, NARROW) as (app, pilot):
            send_burst(app, "/dro")
            await settle(pilot, 0.3)
            assert isinstance(app.screen, MainScreen)
            assert app.screen.query_one("#filter", Input).value == "dro"
            # In the filter, `n` and `/` are text, not the query and filter keys.
            send_burst(app, "n/")
            await settle(pilot, 0.3)
            assert app.screen.query_one("#filter", Input).value == "dron/"
            await pilot.press("escape")
            send_burst(app, "nradar gs")
            await settle(pilot, 0.3)
            assert isinstance(app.screen, AdhocScreen)
            assert app.screen.query_one("#adhoc-input", Input).value == "radar gs"

    run(scenario)


def test_a_query_typed_while_the_catalog_loads_is_ranked_once_it_has(private_catalog: Path) -> None:
    """`n` and text at once, before waiting for the load: the ranking still comes
    (it waits for the catalog instead of staying at 'still loading')."""

    async def scenario():
        app = CoprodApp(private_catalog)
        async with app.run_test(size=NARROW) as pilot:
            send_burst(app, "ndrones")
            await settle(pilot, 0.5)
            assert isinstance(app.screen, AdhocScreen)
            assert app.screen.query_one("#adhoc-pairings", DataTable).row_count > 0
            assert "drones" in label_text(app.screen, "#adhoc-caption")

    run(scenario)


def test_bench_tui_runs_cold_and_warm_and_prints_its_figures(built_catalog: Path) -> None:
    """The TUI benchmark as a process on the small catalog (so it cannot rot): one JSON
    line with both runs, the warm one reading the index the cold one saved."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_tui.py"
    done = subprocess.run(
        [sys.executable, str(script), str(built_catalog), "--idle"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for run_name in ("cold", "warm"):
        run_figures = figures[run_name]
        for key in ("first_paint_s", "requirements_listed_s", "index_ready_s", "ranked_s"):
            assert run_figures[key] > 0
        assert run_figures["first_paint_s"] <= run_figures["requirements_listed_s"]
        assert run_figures["index_ready_s"] <= run_figures["ranked_s"]
    assert figures["warm"]["index_from_file"] is True
    assert not list(built_catalog.parent.glob("*.index"))  # it measured a copy
