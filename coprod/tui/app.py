"""The coprod TUI application: screens, global keys, the catalog worker, shared state.

The app paints its first screen at once and starts loading: the catalog is
read and indexed in a thread worker that posts messages back. The state every
screen shares is held here once, as reactives the screens watch (`session`,
`view`, the loading state); screens reach the app through the CoprodHost
protocol and messages (coprod.tui.host, coprod.tui.messages), never by
importing it. Screens never touch the database: they ask the `CatalogSession`
(in their own workers) for rankings.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from textual import events, on, work
from textual.app import App
from textual.reactive import var
from textual.screen import Screen
from textual.worker import get_current_worker

from coprod.errors import CoprodError, describe_error
from coprod.model import Catalog, Requirement
from coprod.session import CatalogSession, ViewOptions, index_stage
from coprod.shortlist import Shortlist, ShortlistEntry
from coprod.tui.bindings import APP_BINDINGS, binding_sections
from coprod.tui.commands import CoprodCommands
from coprod.tui.messages import (
    AddToShortlist,
    LoadProgress,
    OpenDetail,
    RequirementsRead,
    SessionFailed,
    SessionLoaded,
)
from coprod.tui.screens.adhoc import AdhocScreen
from coprod.tui.screens.detail import DetailScreen
from coprod.tui.screens.dialogs import MessageDialog
from coprod.tui.screens.export import ExportDialog
from coprod.tui.screens.gaps import GapScreen
from coprod.tui.screens.help import HelpScreen
from coprod.tui.screens.main import MainScreen
from coprod.tui.screens.refresh import RefreshDialog
from coprod.tui.screens.shortlist import ShortlistScreen
from coprod.workers.indexer import IndexBuilder

# Background ranking steps aside while keys arrive this close together (see wait_while_typing).
TYPING_PAUSE_S = 0.4
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class CoprodApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "coprod"
    COMMANDS = App.COMMANDS | {CoprodCommands}
    # Below 110 columns the detail pane leaves the main screen (Enter opens it).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = APP_BINDINGS

    # The state screens share, held once (screens watch these; see coprod.tui.host).
    session: var[CatalogSession | None] = var(None, init=False)
    view: var[ViewOptions] = var(ViewOptions(), init=False)
    load_stage: var[str] = var("", init=False)
    requirements_preview: var[dict[str, Requirement] | None] = var(None, init=False)
    load_failure: var[str] = var("", init=False, always_update=True)

    def __init__(self, db_path: Path, *, refresh_folder: str = "") -> None:
        super().__init__()
        self.db_path = db_path
        self.refresh_folder = refresh_folder
        self.shortlist = Shortlist()
        # When the last load reached each stage (perf_counter), for benchmarks/bench_tui.py.
        self.load_times: dict[str, float] = {}
        self.last_key_at = 0.0  # time.monotonic() of the last key pressed
        self.sub_title = str(db_path)

    @property
    def catalog(self) -> Catalog | None:
        return self.session.catalog if self.session is not None else None

    def get_default_screen(self) -> Screen:
        return MainScreen()

    @property
    def main_screen(self) -> MainScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.load_stage = "opening the catalog"
        self.load_session(self.db_path)

    # ----- the catalog worker ------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog")
    def load_session(self, db_path: Path, refreshed: bool = False) -> None:
        started = time.perf_counter()

        def stage(text: str) -> None:
            self.post_message(LoadProgress(text))

        # A big catalog is millions of long-lived objects. Left on, the cyclic
        # GC walks them all in full collections that hold the GIL long enough
        # to freeze the UI; they hold no cycles worth collecting, so
        # collection pauses while they are built and they are frozen after.
        gc.disable()
        indexer: IndexBuilder | None = None
        try:
            from coprod.catalog import load_catalog, read_requirements

            # The requirements first (a small table): they can be listed and
            # filtered while the capability lines are read and indexed.
            stage("reading the requirements")
            requirements = read_requirements(db_path)
            self.load_times["requirements_read"] = time.perf_counter()
            stage("reading the capability lines")  # before the rows, which show it
            self.post_message(RequirementsRead(requirements))
            # No current saved index: a child process builds it (on the other core)
            # while this one reads the capability lines; then it is read back here.
            # Started after the rows are posted: asking whether the saved index is
            # current imports numpy, which the listing need not wait for.
            indexer = IndexBuilder.start_if_needed(db_path)
            catalog = load_catalog(db_path)
            self.load_times["catalog_read"] = time.perf_counter()
            gc.freeze()
            if indexer is not None:
                lines = len(catalog.capabilities)
                stage(index_stage(db_path, lines, indexer.saved_before))
                worker = get_current_worker()
                if not indexer.wait(lambda: worker.is_cancelled) and worker.is_cancelled:
                    return  # the app is closing
                # Had the helper failed, CatalogSession.indexed builds the index here.
            session = CatalogSession.indexed(db_path, catalog, progress=stage)
        except CoprodError as error:
            self.post_message(SessionFailed(str(error)))
            return
        except Exception as error:  # DuckDB or OS trouble: shown, never a traceback
            self.post_message(SessionFailed(f"{describe_error(error)}"))
            return
        finally:
            if indexer is not None:
                indexer.stop()
            gc.freeze()
            gc.enable()
        self.post_message(SessionLoaded(session, time.perf_counter() - started, refreshed))

    @on(LoadProgress)
    def load_progress(self, message: LoadProgress) -> None:
        self.load_stage = message.stage

    @on(RequirementsRead)
    def requirements_read(self, message: RequirementsRead) -> None:
        if self.session is None:  # a refresh keeps the old catalog until the new one is ready
            self.requirements_preview = message.requirements

    @on(SessionLoaded)
    def session_loaded(self, message: SessionLoaded) -> None:
        self.load_stage = ""
        # The watchers of `session` see the preview still set (the main screen keeps
        # the rows it listed from it); it is dropped once they have run.
        self.session = message.session
        self.requirements_preview = None
        catalog = message.session.catalog
        if message.session.saved_index_was_stale:
            self.notify(
                "The saved matching index did not match this catalog or this coprod;"
                " it was rebuilt.",
                title="Catalog",
                timeout=6,
            )
        if message.refreshed:
            self.notify(
                f"Now using the refreshed catalog: {len(catalog.requirements):,} requirements,"
                f" {len(catalog.partners):,} partners.",
                title="Catalog",
                markup=False,
            )

    @on(SessionFailed)
    def session_failed(self, message: SessionFailed) -> None:
        self.load_stage = ""
        self.load_failure = message.message
        if self.session is None:
            text = (
                f"Could not open the catalog {self.db_path}:\n\n{message.message}\n\n"
                "Press r to rebuild it from a folder of catalog files, or q to quit."
            )
            self.push_screen(MessageDialog("No catalog", text))
        else:
            self.notify(
                f"Could not reload the catalog ({message.message}); the previous one stays in use.",
                title="Catalog",
                severity="error",
                markup=False,
            )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key_at = time.monotonic()
        await super().on_event(event)

    def wait_while_typing(self, longest: float = 5.0, pause: float = TYPING_PAUSE_S) -> None:
        """Block a background worker (never the UI thread) while the user is typing.

        Workers and the UI share one GIL: a worker ranking in the background
        slows every key the UI handles. Called between steps of long background
        work, this holds the worker until keys have paused for `pause` s, at
        most `longest` s.
        """
        deadline = time.monotonic() + longest
        while (now := time.monotonic()) < deadline:
            quiet_for = now - self.last_key_at
            if quiet_for >= pause:
                return
            time.sleep(min(pause - quiet_for, deadline - now))

    # ----- what screens ask of the app ---------------------------------------------------

    @on(AddToShortlist)
    def add_to_shortlist(self, message: AddToShortlist) -> None:
        requirement, pairing = message.requirement, message.pairing
        known = self.catalog.requirements if self.catalog is not None else ()
        added = self.shortlist.add(ShortlistEntry(requirement, pairing), known)
        if added and isinstance(self.screen, ShortlistScreen):
            self.screen.refill()  # opened by keys typed before this message came
        who = pairing.foreign.partner_name if pairing.foreign else "local only"
        if added:
            self.notify(
                f"Shortlisted {requirement.requirement_id} #{pairing.rank} ({who});"
                f" {len(self.shortlist)} in the shortlist.",
                markup=False,
                timeout=3,
            )
        else:
            self.notify("Already in the shortlist.", severity="warning", timeout=2)

    @on(OpenDetail)
    def open_detail(self, message: OpenDetail) -> None:
        catalog, pairing, requirement = self.catalog, message.pairing, message.requirement
        if requirement is None and catalog is not None:
            requirement = catalog.requirements.get(pairing.requirement_id)
        self.push_screen(DetailScreen(pairing, catalog, requirement))

    def open_adhoc(self, text: str = "") -> None:
        if isinstance(self.screen, AdhocScreen):
            return  # already open: keys typed fast after `n` must not open another
        self.back_to_main()
        self.push_screen(AdhocScreen(text))

    def back_to_main(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # ----- global actions ------------------------------------------------------------------

    def action_shortlist(self) -> None:
        if isinstance(self.screen, ShortlistScreen):
            return
        self.back_to_main()
        self.push_screen(ShortlistScreen())

    def action_export(self) -> None:
        def exported(done: bool | None) -> None:
            if done and isinstance(self.screen, ShortlistScreen):
                self.screen.refill()

        self.push_screen(ExportDialog(self.shortlist.entries), exported)

    def action_gaps(self) -> None:
        if isinstance(self.screen, GapScreen):
            return
        self.back_to_main()
        self.push_screen(GapScreen())

    def action_refresh(self) -> None:
        def finished(refreshed: bool | None) -> None:
            if refreshed:
                # DuckDB caches one instance per path in a process: the session
                # holds no connection, so loading again reads the new file.
                self.load_session(self.db_path, refreshed=True)

        self.push_screen(RefreshDialog(self.db_path, self.refresh_folder), finished)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(binding_sections()))
