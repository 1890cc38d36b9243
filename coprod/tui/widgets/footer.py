"""The footer every coprod screen uses: Textual's, with `?` and `q` always in sight.

Textual's footer lists the focused pane's keys first and the app's last, and
cuts what does not fit: at 60 columns `? Help` and `q Quit` fell off. Here they
sit in a group docked at the right edge, so the screen's own keys are what is
cut on a narrow terminal, never the way to help or out.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = frozenset({"help", "app.help", "quit", "app.quit"})


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
        kept: list[FooterKey] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey) and (
                widget.action in ALWAYS_SHOWN or widget.has_class("-command-palette")
            ):
                kept.append(widget)
            else:
                yield widget
        if kept:
            with HorizontalGroup(id="footer-always"):
                yield from kept
