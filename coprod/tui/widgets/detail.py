"""The detail pane: everything behind the selected pairing, scrollable."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from coprod.model import Catalog, Match, Pairing, Requirement
from coprod.text import EMPTY_TABLE
from coprod.tui.render import detail_addresses, detail_clipboard_text, literal, pairing_detail


class PairingDetail(VerticalScroll, can_focus=True):
    """Score components, matched phrases, consent chain and sources of one pairing."""

    DEFAULT_CSS = """
    PairingDetail > Static { width: 1fr; }
    """
    # On the pane itself, so the keys work wherever it has focus (its own screen or
    # the main screen's side pane). OSC 52 reaches the clipboard over ssh too.
    BINDINGS = [
        Binding("y", "copy_reason", "Copy", tooltip="Copy the reason and the source addresses"),
        Binding("u", "copy_addresses", "Copy URLs", tooltip="Copy the source web addresses"),
        Binding("escape", "back", "Back", tooltip="Back to the pairings, or out of its screen"),
    ]

    def action_back(self) -> None:
        """Esc: one level out. Beside a table (the main and ad-hoc screens) back to the
        pairings; on a screen of its own, that screen closes."""
        tables = [t for t in self.screen.query(DataTable) if t.display and t.can_focus]
        if tables:
            tables[-1].focus()
        else:
            self.app.pop_screen()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pairing: Pairing | None = None
        self.catalog: Catalog | None = None

    def action_copy_reason(self) -> None:
        if self.pairing is None:
            return
        self.app.copy_to_clipboard(detail_clipboard_text(self.catalog, self.pairing))
        self.app.notify("Copied the reason and the source addresses.", title="Copy")

    def action_copy_addresses(self) -> None:
        if self.pairing is None:
            return
        addresses = detail_addresses(self.catalog, self.pairing)
        if not addresses:
            self.app.notify("This pairing's sources name no web address.", title="Copy")
            return
        self.app.copy_to_clipboard("\n".join(addresses))
        count = len(addresses)
        self.app.notify(f"Copied {count} web address{'es' * (count != 1)}.", title="Copy")

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a pairing to see why it ranks where it does.", style="dim"))

    def show(
        self,
        pairing: Pairing,
        catalog: Catalog | None,
        requirement: Requirement | None,
        others: Sequence[Match] = (),
    ) -> None:
        """Show a pairing; `others`: its foreign partner's other co-producers (rows are
        one per foreign partner, so they are listed here)."""
        self.pairing = pairing
        self.catalog = catalog
        session = getattr(self.app, "session", None)
        table = session.synonyms if session is not None else EMPTY_TABLE
        missing = session.missing_tokens(pairing, requirement) if session is not None else {}
        detail = pairing_detail(pairing, catalog, requirement, table, missing)
        if others:
            lines = [Text("Other Taiwanese co-producers", style="bold")]
            for match in others:
                line = Text("  ")
                line.append_text(literal(match.partner_name, "bold"))
                line.append(f"  fit {match.fit:.0f} · ", style="dim")
                line.append_text(literal(match.capability))
                lines.append(line)
            detail = Group(detail, Text(""), *lines)
        self.query_one(Static).update(detail)
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.pairing = None
        self.query_one(Static).update(Text(message, style="dim"))
