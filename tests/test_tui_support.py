"""Helpers for the TUI tests: the catalog, the app under the pilot, waiting for workers,
reading what the screen holds (and one test, of render's word filter)."""

from __future__ import annotations

import asyncio
import io
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

from conftest import write_catalog_folder
from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

from coprod.tui.app import CoprodApp
from coprod.tui.widgets.detail import PairingDetail

WIDE = (120, 40)
NARROW = (80, 24)


async def settle(pilot: Pilot, delay: float = 0.0) -> None:
    """Let timers fire (`delay`), then wait until no worker runs and messages are handled.

    A handled message may start another worker (catalog loaded -> rank all),
    so this loops until a pass finds nothing running.
    """
    if delay:
        await pilot.pause(delay)
    for _ in range(50):
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            await pilot.pause()
            if not any(w.is_running for w in pilot.app.workers):
                return
        await pilot.app.workers.wait_for_complete()
    raise AssertionError("workers never settled")


def plain(renderable: RenderableType, width: int = 100) -> str:
    """What a renderable shows, as plain text (no styles, no escape codes)."""
    stream = io.StringIO()
    console = Console(file=stream, width=width, color_system=None, force_terminal=False)
    console.print(renderable)
    return stream.getvalue()


def table_rows(table: DataTable) -> list[list[str]]:
    """Every row of a DataTable as plain cell strings."""
    rows = []
    for index in range(table.row_count):
        rows.append([getattr(cell, "plain", str(cell)) for cell in table.get_row_at(index)])
    return rows


def static_text(widget: Static, width: int = 100) -> str:
    return plain(widget.content, width)


def test_not_found_words_skip_filler_but_keep_numbers() -> None:
    from coprod.tui.render import telling

    assert [w for w in ("so", "least", "rifle", "6", "9mm", "uk", "hour") if telling(w)] == [
        "rifle",
        "6",
        "9mm",
        "hour",
    ]


def build_catalog(folder: Path, db_folder: Path) -> Path:
    """The fixture catalog built from its CSV files (a module's `built_catalog`)."""
    from coprod.catalog import refresh_catalog

    db_path = db_folder / "catalog.duckdb"
    refresh_catalog([write_catalog_folder(folder)], db_path)
    return db_path


def private_copy(built: Path, tmp_path: Path) -> Path:
    """A test's own copy of the built catalog (its `catalog_db`): it may refresh or break it."""
    db_path = tmp_path / "db" / "catalog.duckdb"
    db_path.parent.mkdir()
    shutil.copyfile(built, db_path)
    return db_path


def run(scenario) -> None:
    asyncio.run(scenario())


@asynccontextmanager
async def started_app(db_path: Path, size: tuple[int, int] = WIDE):
    """The app on `db_path` under the pilot, its catalog loaded and first ranking done."""
    app = CoprodApp(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield app, pilot


def main_tables(app: CoprodApp) -> tuple[DataTable, DataTable]:
    screen = app.screen_stack[0]
    return screen.query_one("#requirements", DataTable), screen.query_one("#pairings", DataTable)


def label_text(screen, selector: str) -> str:
    return " ".join(plain(screen.query_one(selector, Label).content, 1000).split())


def detail_text(app: CoprodApp, selector: str = "#detail") -> str:
    detail = app.screen.query_one(selector, PairingDetail)
    return static_text(detail.query_one(Static), 100)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


def shown_keys(app: CoprodApp) -> dict[str, str]:
    """The bindings the footer shows now: key -> description."""
    return {
        b.binding.key: b.binding.description for b in app.active_bindings.values() if b.binding.show
    }


def send_burst(app: CoprodApp, text: str) -> None:
    """Keys queued all at once, as a terminal delivers them while the app is busy
    (pilot.press would wait for each key to be handled before sending the next)."""
    from textual import events

    for character in text:
        key = {"/": "slash", " ": "space"}.get(character, character)
        app.post_message(events.Key(key, character))
