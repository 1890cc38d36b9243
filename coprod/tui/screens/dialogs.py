"""Small modal dialogs: a text prompt, a picker, a list of problems, a message."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from coprod.errors import Problem
from coprod.tui.render import literal, literal_block


class PickerDialog(ModalScreen[str | None]):
    """Pick one of `choices`, filtering them as you type. Returns the choice, None on Escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "focus_list", "List", show=False),
    ]

    def __init__(self, title: str, choices: Sequence[str], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Input(placeholder="type to filter", id="picker-filter")
            yield OptionList(id="picker-options")
            yield Label(Text("↑↓ choose · Enter pick · Esc cancel", style="dim"))

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        needle = query.casefold().strip()
        shown = [c for c in self.choices if needle in c.casefold()]
        options.add_options([Option(literal(choice), id=str(i)) for i, choice in enumerate(shown)])
        self._shown = shown
        if shown:
            highlight = shown.index(self.current) if self.current in shown and not needle else 0
            options.highlighted = highlight

    @on(Input.Changed, "#picker-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def filter_submitted(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None and self._shown:
            self.dismiss(self._shown[options.highlighted])

    @on(OptionList.OptionSelected, "#picker-options")
    def option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index])

    def action_focus_list(self) -> None:
        self.query_one("#picker-options", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProblemsDialog(ModalScreen[bool]):
    """Every problem found in input files, one per line, shown literally.

    Dismissed with True on Esc (the caller backs out too: a failed refresh's dialog
    closes, so the next key is not typed into its path field), False on Enter (back
    to the caller, e.g. to type another folder)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "retry", "Back", show=False),
    ]

    def __init__(self, title: str, summary: str, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.title_text = title
        self.summary = summary
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide", id="problems-dialog"):
            yield Label(Text(self.title_text, style="bold #d64545"), classes="dialog-title")
            yield Label(literal(self.summary))
            with VerticalScroll(id="problems-list"):
                # Problem text quotes input files: shown literally like all catalog text.
                for problem in self.problems:
                    style = "#c98a00" if problem.severity == "warning" else ""
                    yield Static(literal(str(problem), style))
            yield Label(
                Text(
                    "The catalog in use is unchanged. Esc closes; Enter goes back to the path.",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(True)

    def action_retry(self) -> None:
        self.dismiss(False)


class MessageDialog(ModalScreen[None]):
    """A titled message that must be acknowledged (Enter or Escape)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog dialog-wide"):
            yield Label(Text(self.title_text, style="bold #d64545"), classes="dialog-title")
            yield Static(literal_block(self.message), id="message-body")
            yield Label(Text("Enter or Esc closes.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
