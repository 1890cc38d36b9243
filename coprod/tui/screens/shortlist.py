"""The shortlist: pairings the analyst kept, across requirements, ready to export.

It is saved work (coprod.userstate): every change is saved at once by the app,
each row shows its decision and note (`n` edits them) and what the catalog in
use says of it now ("score 72.3 → 65.0", "now blocked", "no longer in this
catalog").
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Label

from coprod.safe import printable
from coprod.shortlist import Recheck
from coprod.tui.host import CoprodScreen
from coprod.tui.messages import AnnotateShortlisted, OpenDetail, RemoveFromShortlist
from coprod.tui.render import feasibility_text, literal, partner_label, score_cell
from coprod.tui.widgets.detail import PairingDetail
from coprod.tui.widgets.footer import CoprodFooter
from coprod.tui.widgets.tables import CoprodTable, clipped, text_width
from coprod.userstate import DECISIONS, Annotation


class ShortlistScreen(CoprodScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "app.export", "Export", tooltip="Export the shortlist (CSV, JSON, Markdown)"),
        Binding("x", "remove", "Remove", tooltip="Remove the selected pairing from the shortlist"),
        Binding("n", "note", "Note", tooltip="Set the decision, its reason and a note"),
        Binding("delete", "remove", "Remove", show=False),
        Binding("z", "undo", "Undo", tooltip="Put back the pairing removed last"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("p", "plan", "Plan visit", tooltip="Plan B2B meetings for the shortlisted firms"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Label("", id="shortlist-caption")
        # The selected row's decision, note and re-check in full (the cell clips them).
        yield Label("", id="shortlist-note")
        with Horizontal(id="main"):
            yield CoprodTable(id="shortlist-table")
            yield PairingDetail(id="shortlist-detail")
        yield CoprodFooter(compact=True)

    def on_mount(self) -> None:
        self.refill()
        self.query_one("#shortlist-table", CoprodTable).focus()

    def refill(self) -> None:
        entries = self.coprod.shortlist.entries
        table = self.query_one("#shortlist-table", CoprodTable)
        row = table.cursor_row
        table.remember(self.refill)  # measured again when the terminal is resized
        table.clear(columns=True)
        checks = self.coprod.shortlist.checks
        id_width = text_width([e.requirement.requirement_id for e in entries], 11, 16)
        free = table.usable_width() - id_width - 42
        # Wide enough for the "foreign partner" header from 100 columns up.
        name_width = max(free // 3, min(15, free // 2), 10)
        note_width = max(free - 2 * name_width, 12)
        table.add_column("requirement", width=id_width)
        table.add_column("#", width=3)
        table.add_column("score", width=10)
        table.add_column("foreign partner", width=name_width)
        table.add_column("local co-producer", width=name_width)
        table.add_column("feas.", width=8)
        table.add_column("decision · note · now", width=note_width)
        changed = 0
        for index, entry in enumerate(entries):
            pairing = entry.pairing
            check = checks.get(entry.key)
            changed += bool(check and check.changed)
            table.add_row(
                clipped(literal(entry.requirement.requirement_id), id_width),
                Text(str(pairing.rank), justify="right"),
                score_cell(pairing.score, 4),
                clipped(partner_label(pairing.foreign), name_width),
                clipped(partner_label(pairing.local, local=True), name_width),
                feasibility_text(pairing.feasibility),
                clipped(status_text(entry.annotation, check), note_width),
                key=str(index),
            )
        caption = Text("Shortlist", style="bold")
        if entries:
            caption.append(f" · {len(entries)} pairing{'s' * (len(entries) != 1)}")
            if changed:
                caption.append(f" · {changed} changed in this catalog", style="bold #d6a545")
            caption.append(" · saved · n notes · x removes (z undoes) · e exports", style="dim")
        else:
            caption.append(" is empty: press space on a pairing to add it.", style="dim")
        self.query_one("#shortlist-caption", Label).update(caption)
        detail = self.query_one("#shortlist-detail", PairingDetail)
        if entries:
            table.move_cursor(row=min(row, len(entries) - 1), animate=False)
            self._show(table.cursor_row)
        else:
            self.query_one("#shortlist-note", Label).update("")
            detail.show_message("Nothing shortlisted yet.")

    def _show(self, index: int) -> None:
        entries = self.coprod.shortlist.entries
        if 0 <= index < len(entries):
            entry = entries[index]
            status = status_text(entry.annotation, self.coprod.shortlist.checks.get(entry.key))
            self.query_one("#shortlist-note", Label).update(status)
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
        # The app removes it and saves at once, then refills this screen.
        self.app.post_message(RemoveFromShortlist(table.cursor_row))

    def action_undo(self) -> None:
        if not self.coprod.undo_remove():
            self.app.notify("Nothing to undo.", timeout=2)

    def action_note(self) -> None:
        entries = self.coprod.shortlist.entries
        index = self.query_one("#shortlist-table", CoprodTable).cursor_row
        if not 0 <= index < len(entries):
            self.app.notify("Shortlist some pairings first (space).", severity="warning")
            return
        entry = entries[index]
        who = entry.pairing.foreign.partner_name if entry.pairing.foreign else "local only"
        title = f"{entry.requirement.requirement_id} · {who}"
        key = entry.key

        def written(annotation: Annotation | None) -> None:
            if annotation is not None and annotation != entry.annotation:
                self.app.post_message(AnnotateShortlisted(key, annotation))

        from coprod.tui.screens.note import NoteDialog

        self.app.push_screen(NoteDialog(printable(title), entry.annotation), written)


def status_text(annotation: Annotation, check: Recheck | None) -> Text:
    """What changed in the catalog (amber; red when gone), then the decision (bold), its
    reason and the note (italic)."""
    cell = Text()
    if check is not None and check.changed:
        style = "bold #d64545" if check.status == "gone" else "#d6a545"
        cell.append(check.describe(), style=style)
    if annotation.decision:
        cell.append(" · " if cell.plain else "")
        cell.append(DECISIONS[annotation.decision], style="bold")
    if annotation.reason:
        cell.append((": " if cell.plain else "") + printable(annotation.reason))
    if annotation.note:
        cell.append((" · " if cell.plain else "") + printable(annotation.note), style="italic")
    if not cell.plain:
        cell.append("—", style="dim")
    return cell
