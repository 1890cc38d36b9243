"""Every key binding, grouped by the screen where it applies.

The footer, the help screen (`?`) and the command palette (ctrl+p) all read
these groups, so a new binding shows in all three with no extra code. Each
screen keeps its own BINDINGS; this module only gathers them (it imports the
screens, no screen imports it).

The app-wide bindings carry ids (their action's name): the config file's
[keys] table remaps them through Textual's keymap (coprod.config.KEY_ACTIONS).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input

from coprod.tui.screens.adhoc import AdhocScreen
from coprod.tui.screens.detail import DetailScreen
from coprod.tui.screens.gaps import GapScreen
from coprod.tui.screens.main import MainScreen
from coprod.tui.screens.profile import ProfileScreen
from coprod.tui.screens.shortlist import ShortlistScreen

EVERYWHERE = "Everywhere"

APP_BINDINGS = [
    Binding("s", "shortlist", "Shortlist", tooltip="Show the shortlist", id="shortlist"),
    Binding(
        "e",
        "export",
        "Export",
        id="export",
        show=False,
        tooltip="Export the shortlist (CSV, JSON, Markdown)",
    ),
    Binding(
        "g", "gaps", "Gaps", tooltip="Gap view: uncovered requirements, coverage map", id="gaps"
    ),
    Binding(
        "r",
        "refresh",
        "Refresh",
        id="refresh",
        show=False,
        tooltip="Rebuild the catalog from a folder of files",
    ),
    Binding(
        "t",
        "toggle_theme",
        "Light / dark",
        show=False,
        tooltip="Switch light / dark theme",
        id="toggle_theme",
    ),
    Binding("question_mark", "help", "Help", key_display="?", tooltip="List every key", id="help"),
    # F1 opens help where a text field takes `?` as text (the footer shows it there).
    Binding("f1", "help", "Help", key_display="F1", show=False, tooltip="List every key"),
    Binding("q", "quit", "Quit", tooltip="Quit coprod", id="quit"),
]

BindingGroup = tuple[str, type[Screen] | None, list[Binding]]


def binding_groups() -> list[BindingGroup]:
    """Every binding, grouped by the screen where it applies (None: everywhere)."""
    # The planner screen (and its solver) loads only when help or the palette asks.
    from coprod.tui.screens.planner import PlannerScreen

    return [
        (EVERYWHERE, None, list(APP_BINDINGS)),
        ("Requirements and pairings", MainScreen, list(MainScreen.BINDINGS)),
        ("Ad-hoc requirement (n)", AdhocScreen, list(AdhocScreen.BINDINGS)),
        ("Shortlist (s)", ShortlistScreen, list(ShortlistScreen.BINDINGS)),
        ("Pairing detail", DetailScreen, list(DetailScreen.BINDINGS)),
        ("Partner profile (p on a pairing)", ProfileScreen, list(ProfileScreen.BINDINGS)),
        ("Gap view (g)", GapScreen, list(GapScreen.BINDINGS)),
        ("Visit planner (p in the shortlist)", PlannerScreen, list(PlannerScreen.BINDINGS)),
    ]


def binding_sections(screen: Screen | None = None) -> list[tuple[str, list[Binding]]]:
    """The groups as the help screen lists them: a title and its bindings.

    With `screen`, that screen's keys (and the pane's that has the focus there)
    first, then the app-wide ones: the help a user asks for where they are.
    """
    groups = binding_groups()
    if screen is None:
        return [(title, bindings) for title, _, bindings in groups]
    config = getattr(screen.app, "config", None)
    keymap = config.keymap() if config is not None else {}
    return [(title, remapped(bindings, keymap)) for title, bindings in _sections(screen, groups)]


def remapped(bindings: list[Binding], keymap: dict[str, str]) -> list[Binding]:
    """The bindings with the keys the config file gave them (Textual's keymap replaces a
    remapped binding's key, so help names the key that works, not the default)."""
    if not keymap:
        return bindings
    return [
        replace(b, key=keymap[b.id], key_display=None) if b.id in keymap else b for b in bindings
    ]


def _sections(screen: Screen, groups: list[BindingGroup]) -> list[tuple[str, list[Binding]]]:
    everywhere = [(title, bindings) for title, kind, bindings in groups if kind is None]
    own = [
        (title, bindings)
        for title, kind, bindings in groups
        if kind is not None and isinstance(screen, kind)
    ]
    if not own:  # a dialog: its own keys
        shown = [b for b in screen.BINDINGS if isinstance(b, Binding)]
        own = [(screen.__class__.__name__.removesuffix("Dialog").removesuffix("Screen"), shown)]
    focused = screen.focused
    pane = [b for b in getattr(focused, "BINDINGS", ()) if isinstance(b, Binding) and b.show]
    if pane and focused is not None and not isinstance(focused, (DataTable, Input)):
        own.append(("This pane", pane))
    return [*own, *everywhere]
