"""Command palette provider (ctrl+p): every action of the app, by name.

Commands are generated from the same bindings the footer and help show, so
a new key binding appears in the palette with no extra code. Main-screen
actions are offered from every screen (choosing one returns to the main
screen first); other screens' actions are offered on that screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from coprod.tui.bindings import EVERYWHERE, binding_groups
from coprod.tui.host import CoprodHost

Command = tuple[str, str, Callable[[], Awaitable[None]]]


class CoprodCommands(Provider):
    @property
    def coprod(self) -> CoprodHost:
        return cast("CoprodHost", self.app)

    def commands(self) -> Iterator[Command]:
        app = self.coprod
        invoked_on = self.screen
        seen: set[tuple[str, str]] = set()
        for title, screen_class, bindings in binding_groups():
            is_main = screen_class is not None and screen_class is type(app.main_screen)
            if (
                screen_class is not None
                and not is_main
                and not isinstance(invoked_on, screen_class)
            ):
                continue
            for binding in bindings:
                if binding.action.startswith("app.pop_screen") and screen_class is None:
                    continue
                if (title, binding.action) in seen:
                    continue
                seen.add((title, binding.action))
                name = binding.description
                if title != EVERYWHERE:
                    name = f"{name} ({title.split(' (')[0].lower()})"
                key = binding.key_display or binding.key
                help_text = f"{binding.tooltip or binding.description}  [key: {key}]"
                yield name, help_text, self._runner(screen_class, binding.action, is_main)

    def _runner(
        self, screen_class: type[Screen] | None, action: str, is_main: bool
    ) -> Callable[[], Awaitable[None]]:
        app, coprod = self.app, self.coprod

        async def run() -> None:
            if screen_class is None:
                await app.run_action(action)
                return
            if is_main:
                coprod.back_to_main()
                await app.run_action(action, coprod.main_screen)
                return
            await app.run_action(action, app.screen)

        return run

    async def discover(self) -> Hits:
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
