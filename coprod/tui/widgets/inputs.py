"""Text inputs that tell the footer how to leave them.

While an Input has the keys, letters are text, so the footer hides every
one-letter binding; Input's own hidden bindings (its ↓ among them) also
shadow the screen's, which left the footer with only "esc Back". These
inputs bind ↓ (and Esc where it clears) themselves, shown in the footer.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class AdhocInput(Input):
    BINDINGS = [Binding("down", "screen.focus_table", "Pairings", key_display="↓")]


class FilterInput(Input):
    BINDINGS = [
        Binding("down", "screen.focus_requirements", "Requirements", key_display="↓"),
        Binding("escape", "screen.clear_filter", "Clear filter"),
    ]
