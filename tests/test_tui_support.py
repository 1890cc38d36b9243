"""Helpers for the TUI tests (no tests here): wait for workers, read what the screen holds."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import DataTable, Static


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
