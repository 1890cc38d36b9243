"""The detail pane: everything behind the selected pairing, scrollable."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coprod.model import Catalog, Pairing, Requirement
from coprod.text import EMPTY_TABLE
from coprod.tui.render import pairing_detail


class PairingDetail(VerticalScroll, can_focus=True):
    """Score components, matched phrases, consent chain and sources of one pairing."""

    DEFAULT_CSS = """
    PairingDetail > Static { width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pairing: Pairing | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a pairing to see why it ranks where it does.", style="dim"))

    def show(
        self, pairing: Pairing, catalog: Catalog | None, requirement: Requirement | None
    ) -> None:
        self.pairing = pairing
        session = getattr(self.app, "session", None)
        table = session.synonyms if session is not None else EMPTY_TABLE
        missing = session.missing_tokens(pairing, requirement) if session is not None else {}
        self.query_one(Static).update(pairing_detail(pairing, catalog, requirement, table, missing))
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.pairing = None
        self.query_one(Static).update(Text(message, style="dim"))
