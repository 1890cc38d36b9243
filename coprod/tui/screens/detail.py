"""The detail of one pairing on its own screen (narrow terminals open it with Enter)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from coprod.model import Catalog, Pairing, Requirement
from coprod.tui.messages import AddToShortlist
from coprod.tui.widgets.detail import PairingDetail
from coprod.tui.widgets.footer import CoprodFooter


class DetailScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("space", "shortlist_add", "Add", tooltip="Add this pairing to the shortlist"),
        Binding("p", "profile", "Profile", show=False, tooltip="The foreign partner's profile"),
    ]

    def __init__(
        self, pairing: Pairing, catalog: Catalog | None, requirement: Requirement | None
    ) -> None:
        super().__init__()
        self.pairing = pairing
        self.catalog = catalog
        self.requirement = requirement

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield PairingDetail(id="detail-full")
        yield CoprodFooter(compact=True)

    def on_mount(self) -> None:
        detail = self.query_one(PairingDetail)
        detail.show(self.pairing, self.catalog, self.requirement)
        detail.focus()

    def action_shortlist_add(self) -> None:
        if self.requirement is not None:
            self.app.post_message(AddToShortlist(self.requirement, self.pairing))

    def action_profile(self) -> None:
        from coprod.tui.screens.profile import open_profile

        match = self.pairing.foreign or self.pairing.local
        if match is not None:
            open_profile(self.app, match.partner_id)
