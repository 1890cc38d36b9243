"""Text inputs that tell the footer how to leave them.

While an Input has the keys, letters are text, so the footer hides every
one-letter binding; Input's own hidden bindings (its ↓ among them) also
shadow the screen's, which left the footer with only "esc Back". These
inputs bind ↓ (and Esc where it clears) themselves, shown in the footer.

Textual hands each key to the widget that has the focus when the app reads it,
and a key that moves the focus (Tab, or ↓ bound here) acts only once it has
bubbled up to the app's bindings: keys typed fast behind it were typed into the
field meanwhile (Tab space put a space in the text instead of shortlisting).
So these inputs move the focus as such a key comes, and a key that reaches a
field without the focus is not text: it goes on to the bindings of the widget
that has the focus now.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.widgets import Input


class KeysFollowFocus(Input):
    # Keys that take the focus away, run as they come (key -> action).
    LEAVING: ClassVar[dict[str, str]] = {}

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler along the MRO: prevent_default stops
        # Input's (which would insert the key). A key that reached the field after
        # it lost the focus bubbles on to the app, which resolves it against the
        # bindings of the focused widget and its screen.
        # The screen's focus, not has_focus: that follows once the Blur event is handled.
        if self.screen.focused is not self:
            event.prevent_default()
            return
        action = self.LEAVING.get(event.key)
        if action is not None:
            event.stop()
            event.prevent_default()
            await self.run_action(action)


class AdhocInput(KeysFollowFocus):
    BINDINGS = [Binding("down", "screen.focus_table", "Pairings", key_display="↓")]
    LEAVING: ClassVar[dict[str, str]] = {
        "tab": "app.focus_next",
        "shift+tab": "app.focus_previous",
        "down": "screen.focus_table",
        "enter": "submit_to_table",
    }

    async def action_submit_to_table(self) -> None:
        """Enter: the screen ranks the text (Submitted), the keys after go to the table."""
        await self.action_submit()
        await self.run_action("screen.focus_table")


class FilterInput(KeysFollowFocus):
    BINDINGS = [
        Binding("down", "screen.focus_requirements", "Requirements", key_display="↓"),
        Binding("escape", "screen.clear_filter", "Clear filter"),
    ]
    LEAVING: ClassVar[dict[str, str]] = {"down": "filter_now", "enter": "filter_now"}

    def action_filter_now(self) -> None:
        """↓ or Enter: the main screen filters now (its Submitted handler; a message or
        its typing timer would come after the keys typed behind) and the requirements
        take the focus now, so those keys act on the filtered list."""
        screen = self.screen
        apply = getattr(screen, "filter_submitted", None)
        if apply is None:
            return
        apply()
        target = screen.query("#requirements")
        if target:
            screen.set_focus(target.first())
