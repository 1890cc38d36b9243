"""Help: the key bindings of the screen in use, generated from the bindings themselves."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

NAVIGATION = (
    ("↑ ↓ j k pgup pgdn", "Move in a table"),
    ("home / end", "First / last row"),
    ("o / click a header", "Sort by a column (o: the next column, again: reversed)"),
    ("esc", "Back out one level (pane, dialog, screen)"),
    ("enter", "Requirement → its pairings; pairing → its detail"),
    ("tab / shift+tab", "Move between the panes"),
    ("ctrl+p", "Command palette: every action by name"),
    ("ctrl+q", "Quit, also where q types into a field"),
)


def binding_key(binding: Binding) -> str:
    names = {"slash": "/", "question_mark": "?", "space": "space", "escape": "esc"}
    return binding.key_display or names.get(binding.key, binding.key)


def help_body(sections: list[tuple[str, list[Binding]]]) -> Group:
    """One titled table of keys per section, then the table navigation keys."""
    parts: list[Table | Text] = []
    for title, bindings in [*sections, ("Tables", [])]:
        parts.append(Text(title, style="bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=8)
        table.add_column()
        for binding in bindings:
            table.add_row(Text(binding_key(binding)), Text(binding.tooltip or binding.description))
        if title == "Tables":
            for key, what in NAVIGATION:
                table.add_row(Text(key), Text(what))
        parts.append(table)
        parts.append(Text(""))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide", id="help-dialog"):
            yield Label(Text("coprod — keys", style="bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_body(self.sections))
            yield Label(Text("Esc closes", style="dim"))
