"""The shortlist: pairings the analyst kept, across requirements, ready to export."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Label

from coprod.tui.host import CoprodScreen
from coprod.tui.messages import OpenDetail
from coprod.tui.render import feasibility_text, literal, partner_label, score_cell
from coprod.tui.widgets.detail import PairingDetail
from coprod.tui.widgets.tables import CoprodTable, clipped, text_width


class ShortlistScreen(CoprodScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "app.export", "Export", tooltip="Export the shortlist (CSV, JSON, Markdown)"),
        Binding("x", "remove", "Remove", tooltip="Remove the selected pairing from the shortlist"),
        Binding("delete", "remove", "Remove", show=False),
        Binding("p", "plan", "Plan visit", tooltip="Plan B2B meetings for the shortlisted firms"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Label("", id="shortlist-caption")
        with Horizontal(id="main"):
            yield CoprodTable(id="shortlist-table")
            yield PairingDetail(id="shortlist-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refill()
        self.query_one("#shortlist-table", CoprodTable).focus()

    def refill(self) -> None:
        entries = self.coprod.shortlist.entries
        table = self.query_one("#shortlist-table", CoprodTable)
        row = table.cursor_row
        table.clear(columns=True)
        id_width = text_width([e.requirement.requirement_id for e in entries], 11, 16)
        name_width = max((table.usable_width() - id_width - 42) // 2, 10)
        table.add_column("requirement", width=id_width)
        table.add_column("#", width=3)
        table.add_column("score", width=10)
        table.add_column("foreign partner", width=name_width)
        table.add_column("local co-producer", width=name_width)
        table.add_column("feas.", width=8)
        for index, entry in enumerate(entries):
            pairing = entry.pairing
            table.add_row(
                clipped(literal(entry.requirement.requirement_id), id_width),
                Text(str(pairing.rank), justify="right"),
                score_cell(pairing.score, 4),
                clipped(partner_label(pairing.foreign), name_width),
                clipped(partner_label(pairing.local, local=True), name_width),
                feasibility_text(pairing.feasibility),
                key=str(index),
            )
        caption = Text("Shortlist", style="bold")
        if entries:
            caption.append(f" · {len(entries)} pairing{'s' * (len(entries) != 1)}")
            caption.append(" · e exports · x removes", style="dim")
        else:
            caption.append(" is empty: press space on a pairing to add it.", style="dim")
        self.query_one("#shortlist-caption", Label).update(caption)
        detail = self.query_one("#shortlist-detail", PairingDetail)
        if entries:
            table.move_cursor(row=min(row, len(entries) - 1), animate=False)
            self._show(table.cursor_row)
        else:
            detail.show_message("Nothing shortlisted yet.")

    def _show(self, index: int) -> None:
        entries = self.coprod.shortlist.entries
        if 0 <= index < len(entries):
            entry = entries[index]
            self.query_one("#shortlist-detail", PairingDetail).show(
                entry.pairing, self.coprod.catalog, entry.requirement
            )

    @on(DataTable.RowHighlighted, "#shortlist-table")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    @on(DataTable.RowSelected, "#shortlist-table")
    def selected(self, event: DataTable.RowSelected) -> None:
        entries = self.coprod.shortlist.entries
        if self.has_class("-narrow") and 0 <= event.cursor_row < len(entries):
            entry = entries[event.cursor_row]
            self.app.post_message(OpenDetail(entry.pairing, entry.requirement))

    def action_plan(self) -> None:
        catalog = self.coprod.catalog
        entries = self.coprod.shortlist.entries
        if catalog is None or not entries:
            self.app.notify("Shortlist some pairings first (space).", severity="warning")
            return
        # Imported here: the planner is not needed to start the app.
        from coprod.tui.screens.planner import PlannerScreen

        self.app.push_screen(PlannerScreen(catalog, [entry.pairing for entry in entries]))

    def action_remove(self) -> None:
        table = self.query_one("#shortlist-table", CoprodTable)
        if not self.coprod.shortlist.entries:
            return
        removed = self.coprod.shortlist.remove(table.cursor_row)
        self.app.notify(
            f"Removed {removed.requirement.requirement_id} #{removed.pairing.rank}.",
            markup=False,
            timeout=2,
        )
        self.refill()
