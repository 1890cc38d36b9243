"""What screens may ask of the app: a small protocol, so no screen imports the app.

The app (coprod.tui.app.CoprodApp) holds the state every screen shares once:
the loaded `session`, the `view` filter, the loading state and the
shortlist. Screens read it here and watch its reactives (`self.watch(self.app,
"session", ...)`); what only the app does they ask with a message
(coprod.tui.messages) or one of the few calls below.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from coprod.model import Catalog, Pairing, Requirement
    from coprod.session import CatalogSession, ViewOptions
    from coprod.shortlist import Shortlist


class CoprodHost(Protocol):
    db_path: Path
    session: CatalogSession | None  # reactive: None until a catalog is loaded
    view: ViewOptions  # reactive: the main screen's filters, used by every ranking
    load_stage: str  # reactive: what the catalog worker does now ("" when idle)
    requirements_preview: dict[str, Requirement] | None  # reactive: read before the rest
    load_failure: str  # reactive: why the last load failed ("" when it did not)
    saved_filter: str  # reactive: the filter text restored from the saved work
    shortlist: Shortlist

    @property
    def catalog(self) -> Catalog | None: ...

    @property
    def main_screen(self) -> Screen: ...

    def wait_while_typing(self, longest: float = 5.0, pause: float = 0.4) -> None: ...

    def open_adhoc(self, text: str = "") -> None: ...

    def add_to_shortlist(self, requirement: Requirement, pairing: Pairing) -> None: ...

    def undo_remove(self) -> bool: ...

    def back_to_main(self) -> None: ...


class CoprodScreen(Screen):
    """A screen of the coprod app: `self.coprod` is the app, seen through CoprodHost."""

    @property
    def coprod(self) -> CoprodHost:
        return cast("CoprodHost", self.app)
