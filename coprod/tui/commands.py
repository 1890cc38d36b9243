"""Command palette providers (ctrl+p): every action of the app, by name, and the
catalog's partners, systems and requirements (FindCommands).

Commands are generated from the same bindings the footer and help show, so
a new key binding appears in the palette with no extra code. Main-screen
actions are offered from every screen (choosing one returns to the main
screen first); other screens' actions are offered on that screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen

from coprod.finder import KIND_ORDER
from coprod.safe import printable
from coprod.tui.bindings import EVERYWHERE, binding_groups
from coprod.tui.host import CoprodHost
from coprod.tui.render import literal
from coprod.tui.screens.dialogs import PickerDialog

if TYPE_CHECKING:
    from coprod.finder import Found

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


KIND_TITLES = {"partner": "Partner", "system": "System", "requirement": "Requirement"}
FOUND_SHOWN = 30  # palette rows from the catalog: the best of them, the rest by typing more


class FindCommands(Provider):
    """Partners, systems and requirements of the loaded catalog (coprod.finder).

    A partner opens its profile, a system the profile of its maker (a choice when
    it has several), a requirement is selected on the main screen. The search
    runs in a thread: the first one builds the catalog's search texts.
    Catalog text reaches the palette as rich Text (the prompt) or escaped markup
    (the help line), never as markup.
    """

    @property
    def coprod(self) -> CoprodHost:
        return cast("CoprodHost", self.app)

    async def startup(self) -> None:
        catalog = self.coprod.catalog
        if catalog is not None:
            from coprod.finder import Finder

            await asyncio.to_thread(Finder.for_catalog, catalog)

    async def search(self, query: str) -> Hits:
        catalog = self.coprod.catalog
        if catalog is None or not query.strip():
            return
        from coprod.finder import Finder

        finder = await asyncio.to_thread(Finder.for_catalog, catalog)
        hits = await asyncio.to_thread(
            finder.find, query, ("partner", "system", "requirement"), FOUND_SHOWN
        )
        for found in hits:
            prompt = Text(f"{KIND_TITLES[found.kind]}: ", style="dim")
            prompt.append_text(literal(found.label, "bold"))
            if found.kind == "requirement":
                prompt.append("  ")
                prompt.append_text(literal(found.key, "dim"))
            yield Hit(
                1.0 - 0.15 * found.tier - 0.01 * KIND_ORDER[found.kind],
                prompt,
                partial(self._choose, found),
                text=printable(found.label),
                help=escape(
                    printable(self._where(found) + f"matched {found.why}" + self._makers(found))
                ),
            )

    def _where(self, found: Found) -> str:
        catalog = self.coprod.catalog
        partner = catalog.partners.get(found.key) if catalog and found.kind == "partner" else None
        return f"{partner.country} · " if partner is not None else ""

    def _makers(self, found: Found) -> str:
        catalog = self.coprod.catalog
        if found.kind != "system" or catalog is None:
            return ""
        names = [catalog.partners[p].name for p in found.partner_ids if p in catalog.partners]
        return f" · made by {', '.join(names)}" if names else " · no maker in the catalog"

    def _choose(self, found: Found) -> None:
        from coprod.tui.screens.profile import open_profile, show_requirement

        app = self.app
        if found.kind == "requirement":
            show_requirement(app, found.key)
            return
        catalog = self.coprod.catalog
        makers = [p for p in found.partner_ids if catalog and p in catalog.partners]
        if not makers or catalog is None:
            app.notify("No maker of this system is in the catalog.", severity="warning")
            return
        if len(makers) == 1:
            open_profile(app, makers[0])
            return
        names = {printable(catalog.partners[p].name): p for p in makers}

        def chosen(name: str | None) -> None:
            if name is not None and name in names:
                open_profile(app, names[name])

        app.push_screen(
            PickerDialog(f"Who makes {printable(found.label)}? Open a profile", list(names)),
            chosen,
        )
