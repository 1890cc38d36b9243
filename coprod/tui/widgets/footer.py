"""The footer every coprod screen uses: Textual's, with `?` and `q` always in sight.

Textual's footer lists the focused pane's keys first and the app's last, and
cuts what does not fit: at 60 columns `? Help` and `q Quit` fell off. Here they
sit in a group docked at the right edge, so the screen's own keys are what is
cut on a narrow terminal, never the way to help or out. Where a text field has
the focus, `?` and `q` are text (Textual leaves them out of the footer): the
group then shows the keys that still work there, F1 and ctrl+q.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = frozenset({"help", "app.help", "quit", "app.quit"})
# When a field takes `?` or `q` as text: the app's F1 and Textual's ctrl+q.
IN_A_FIELD = (("help", "f1", "F1", "Help"), ("quit", "ctrl+q", "^q", "Quit"))


class CoprodFooter(Footer):
    DEFAULT_CSS = """
    CoprodFooter #footer-always {
        dock: right;
        width: auto;
        height: 1;
        padding-left: 1;
        background: $footer-background;
    }
    CoprodFooter #footer-always FooterKey.-command-palette {
        dock: none;
    }
    """

    def compose(self) -> ComposeResult:
        kept: dict[str, FooterKey] = {}
        palette: list[FooterKey] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.has_class("-command-palette"):
                palette.append(widget)
            elif isinstance(widget, FooterKey) and widget.action in ALWAYS_SHOWN:
                kept.setdefault(widget.action.removeprefix("app."), widget)
            else:
                yield widget
        if not self._bindings_ready:
            return
        for action, key, display, description in IN_A_FIELD:
            if action not in kept:
                kept[action] = FooterKey(key, display, description, action).data_bind(
                    compact=Footer.compact
                )
        with HorizontalGroup(id="footer-always"):
            yield kept["help"]
            yield kept["quit"]
            yield from palette
