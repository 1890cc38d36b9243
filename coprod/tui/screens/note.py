"""Write on a shortlisted pairing: a decision, its reason and a free note."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from coprod.userstate import DECISIONS, Annotation

NO_DECISION = "none"  # the Select's value for "" (a Select value cannot be empty)


class NoteDialog(ModalScreen[Annotation | None]):
    """Returns the new annotation on Enter / Save, None on Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, annotation: Annotation) -> None:
        super().__init__()
        self.title_text = title
        self.annotation = annotation

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog"):
            yield Label(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Select(
                [(label, key or NO_DECISION) for key, label in DECISIONS.items()],
                value=self.annotation.decision or NO_DECISION,
                allow_blank=False,
                id="note-decision",
            )
            yield Input(
                value=self.annotation.reason,
                placeholder="reason for the decision (e.g. no answer since May)",
                id="note-reason",
            )
            yield Input(
                value=self.annotation.note,
                placeholder="note: who was contacted, what was said",
                id="note-text",
            )
            with Horizontal(classes="dialog-row"):
                yield Button("Save", variant="primary", id="note-save")
            yield Label(Text("Enter saves · Esc cancels · saved at once", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#note-text", Input).focus()

    def current(self) -> Annotation:
        decision = str(self.query_one("#note-decision", Select).value)
        return Annotation(
            "" if decision == NO_DECISION else decision,
            self.query_one("#note-reason", Input).value.strip(),
            self.query_one("#note-text", Input).value.strip(),
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#note-save")
    def save(self) -> None:
        self.dismiss(self.current())

    def action_cancel(self) -> None:
        self.dismiss(None)
