"""The coprod TUI application: screens, global keys, the catalog worker, shared state.

The app paints its first screen at once and starts loading: the catalog is
read and indexed in a thread worker that posts messages back. The state every
screen shares is held here once, as reactives the screens watch (`session`,
`view`, the loading state); screens reach the app through the CoprodHost
protocol and messages (coprod.tui.host, coprod.tui.messages), never by
importing it. Screens never touch the database: they ask the `CatalogSession`
(in their own workers) for rankings.

The analyst's work is saved as it happens in the user-state store
(coprod.userstate, its own SQLite file, never the catalog): the shortlist,
each pairing's decision and note, the filters and the last export folder are
read at start and every change is written at once, in workers. Quitting
therefore asks nothing. Once a catalog is loaded (and after a refresh) the
saved pairings are re-checked against it. The config file (coprod.config)
gives the theme and remaps keys through Textual's keymap.
"""

from __future__ import annotations

import gc
import queue
import threading
import time
from pathlib import Path

from textual import events, on, work
from textual.app import App
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from coprod import userstate
from coprod.config import Config, load_config
from coprod.errors import CoprodError, describe_error
from coprod.model import Catalog, Pairing, Requirement
from coprod.session import CatalogSession, ViewOptions, index_stage
from coprod.shortlist import Shortlist, ShortlistEntry, recheck_with_ranker
from coprod.tui.bindings import APP_BINDINGS, binding_sections
from coprod.tui.commands import CoprodCommands, FindCommands
from coprod.tui.messages import (
    AddToShortlist,
    AnnotateShortlisted,
    LoadProgress,
    OpenDetail,
    RecheckDone,
    RemoveFromShortlist,
    RequirementsRead,
    SavedWorkLoaded,
    SessionFailed,
    SessionLoaded,
    StateFailed,
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
from coprod.userstate import StateStore
from coprod.workers.indexer import IndexBuilder

# Background ranking steps aside while keys arrive this close together (see wait_while_typing).
TYPING_PAUSE_S = 0.4
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class CoprodApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "coprod"
    COMMANDS = App.COMMANDS | {CoprodCommands, FindCommands}
    # Below 110 columns the detail pane leaves the main screen (Enter opens it).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = APP_BINDINGS

    # The state screens share, held once (screens watch these; see coprod.tui.host).
    session: var[CatalogSession | None] = var(None, init=False)
    view: var[ViewOptions] = var(ViewOptions(), init=False)
    load_stage: var[str] = var("", init=False)
    requirements_preview: var[dict[str, Requirement] | None] = var(None, init=False)
    load_failure: var[str] = var("", init=False, always_update=True)
    saved_filter: var[str] = var("", init=False)

    def __init__(
        self,
        db_path: Path,
        *,
        refresh_folder: str = "",
        state_path: Path | None = None,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.refresh_folder = refresh_folder
        self.shortlist = Shortlist()
        from coprod.paths import resolve_state_path

        self.store = StateStore(state_path or resolve_state_path())
        self.config = config if config is not None else load_config()
        # The gap view's coverage threshold (coprod.tui.screens.gaps reads it).
        self.coverage_threshold: float | None = (
            self.config.gap_threshold if self.config.from_file("gap_threshold") else None
        )
        self.export_folder = ""  # the folder of the last export, from the saved work
        self._state_failed = False
        self._removed: list[tuple[int, ShortlistEntry]] = []  # for undo, the last last
        self._writes: queue.Queue[tuple[str, tuple[object, ...]]] = queue.Queue()
        self._writer_lock = threading.Lock()
        self._writer_running = False
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
        self._apply_config()
        self.load_saved_work(first=True)
        self.load_session(self.db_path)

    def _configure_session(self, session: CatalogSession) -> None:
        """The config file's top and per_partner (else 10 and 2), as `coprod rank` reads
        them: the TUI and the CLI show the same rows in the same order."""
        session.top = self.config.top
        session.per_partner = self.config.per_partner

    def _apply_config(self) -> None:
        keymap = self.config.keymap()
        if keymap:
            self.set_keymap(keymap)
        if self.config.from_file("theme"):
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(
                    f"{self.config.path}: no theme {self.config.theme!r}; "
                    f"known: {', '.join(sorted(self.available_themes))}",
                    title="Config",
                    severity="warning",
                    markup=False,
                )

    # ----- the saved work (coprod.userstate) ---------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="state-read")
    def load_saved_work(self, first: bool = False) -> None:
        try:
            saved = self.store.pairings()
            settings = self.store.settings() if first else {}
        except (CoprodError, OSError) as error:
            self.post_message(StateFailed(describe_error(error)))
            return
        entries = [ShortlistEntry(s.requirement, s.pairing, s.annotation) for s in saved]
        self.post_message(SavedWorkLoaded(entries, settings, first))

    def _save(self, what: str, *args: object) -> None:
        """Queue one write of the store (a StateStore method and its arguments)."""
        with self._writer_lock:
            self._writes.put((what, args))
            if self._writer_running:
                return
            self._writer_running = True
        self._write_saved_work()

    @work(thread=True, exit_on_error=False, group="state-write")
    def _write_saved_work(self) -> None:
        # One writer at a time, draining the queue, so writes happen in the order they
        # were made (an add before the note on it); SQLite serialises them with other
        # windows' writes. It ends when the queue is empty (nothing waits on it idle).
        while True:
            with self._writer_lock:
                try:
                    what, args = self._writes.get_nowait()
                except queue.Empty:
                    self._writer_running = False
                    return
            try:
                getattr(self.store, what)(*args)
            except (CoprodError, OSError) as error:
                self.post_message(StateFailed(describe_error(error)))
            finally:
                self._writes.task_done()

    def flush_saved_work(self, longest: float = 5.0) -> None:
        """Wait (at most `longest` s) until every queued write is in the store."""
        deadline = time.monotonic() + longest
        while self._writes.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.005)

    def on_unmount(self) -> None:
        # Quitting asks nothing because nothing is lost: the last writes land first.
        self.flush_saved_work()

    @on(SavedWorkLoaded)
    def saved_work_loaded(self, message: SavedWorkLoaded) -> None:
        saved_keys = {entry.key for entry in message.entries}
        # Pairings added before the read finished are saved already, or on their way.
        unsaved = [e for e in self.shortlist.entries if e.key not in saved_keys]
        self.shortlist.replace_all([*message.entries, *unsaved])
        if message.first:
            self._restore_settings(message.settings)
        self.main_screen.refresh_marks()
        if isinstance(self.screen, ShortlistScreen):
            self.screen.refill()
        self._start_recheck()

    def _restore_settings(self, settings: dict[str, object]) -> None:
        country = settings.get(userstate.COUNTRY)
        hide = settings.get(userstate.HIDE_BLOCKED)
        view = ViewOptions(country if isinstance(country, str) and country else None, hide is True)
        if view != self.view:
            self.view = view
        folder = settings.get(userstate.EXPORT_FOLDER)
        if isinstance(folder, str):
            self.export_folder = folder
        text = settings.get(userstate.FILTER_TEXT)
        if isinstance(text, str) and text:
            # The store may answer before the main screen is mounted: it watches this.
            self.saved_filter = text

    def watch_view(self, view: ViewOptions) -> None:
        self._save(
            "save_settings",
            {userstate.COUNTRY: view.country, userstate.HIDE_BLOCKED: view.hide_blocked},
        )

    @on(Input.Changed, "#filter")
    def filter_typed(self, event: Input.Changed) -> None:
        self._save("save_settings", {userstate.FILTER_TEXT: event.value or None})

    @on(StateFailed)
    def state_failed(self, message: StateFailed) -> None:
        if self._state_failed:
            return  # said once; the work goes on in memory
        self._state_failed = True
        self.notify(
            f"Could not save or read the saved work: {message.message}",
            title="Saved work",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _start_recheck(self) -> None:
        if self.session is not None and self.shortlist.entries:
            pairs = [(e.requirement, e.pairing) for e in self.shortlist.entries]
            self.recheck_saved(self.session, pairs)

    @work(thread=True, exclusive=True, exit_on_error=False, group="recheck")
    def recheck_saved(self, session: CatalogSession, pairs: list) -> None:
        try:
            checks = recheck_with_ranker(pairs, session.catalog, session.ranker)  # type: ignore[arg-type]
        except Exception as error:  # a re-check that fails leaves the rows unmarked
            self.post_message(StateFailed(f"re-check failed: {describe_error(error)}"))
            return
        self.post_message(RecheckDone(session, {check.key: check for check in checks}))

    @on(RecheckDone)
    def recheck_done(self, message: RecheckDone) -> None:
        if message.session is not self.session:
            return  # a newer catalog is in use; its own re-check follows
        self.shortlist.checks = message.checks
        if isinstance(self.screen, ShortlistScreen):
            self.screen.refill()
        changed = sum(check.changed for check in message.checks.values())
        if changed:
            self.notify(
                f"{changed} shortlisted pairing{'s' * (changed != 1)} changed in this catalog"
                " (s shows how).",
                title="Shortlist",
                timeout=5,
            )

    @on(RemoveFromShortlist)
    def remove_from_shortlist(self, message: RemoveFromShortlist) -> None:
        if not 0 <= message.index < len(self.shortlist.entries):
            return
        removed = self.shortlist.remove(message.index)
        self._removed.append((message.index, removed))
        self._save("remove", removed.key)
        self.notify(
            f"Removed {removed.requirement.requirement_id} #{removed.pairing.rank} (z undoes).",
            markup=False,
            timeout=2,
        )
        if isinstance(self.screen, ShortlistScreen):
            self.screen.refill()

    def undo_remove(self) -> bool:
        """Put back the pairing removed last, where it was, with its decision and note
        (saved again before the pairing that follows it, so a restart keeps the order)."""
        if not self._removed:
            return False
        index, entry = self._removed.pop()
        if any(e.key == entry.key for e in self.shortlist.entries):
            return True  # added again meanwhile
        index = min(index, len(self.shortlist.entries))
        self.shortlist.entries.insert(index, entry)
        following = self.shortlist.entries[index + 1 : index + 2]
        saved = userstate.saved_pairing(entry.requirement, entry.pairing, self.db_path)
        self._save("add", saved, following[0].key if following else None)
        self._save("annotate", entry.key, entry.annotation)
        self.notify(
            f"Put back {entry.requirement.requirement_id} #{entry.pairing.rank}.",
            markup=False,
            timeout=2,
        )
        if isinstance(self.screen, ShortlistScreen):
            self.screen.refill()
        return True

    @on(AnnotateShortlisted)
    def annotate_shortlisted(self, message: AnnotateShortlisted) -> None:
        index = next(
            (i for i, e in enumerate(self.shortlist.entries) if e.key == message.key), None
        )
        if index is None:
            return
        self.shortlist.annotate(index, message.annotation)
        self._save("annotate", message.key, message.annotation)
        if isinstance(self.screen, ShortlistScreen):
            self.screen.refill()

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
            self._configure_session(session)
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
        self.shortlist.checks = {}
        self._start_recheck()
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
    def add_message(self, message: AddToShortlist) -> None:
        self.add_to_shortlist(message.requirement, message.pairing)

    def add_to_shortlist(self, requirement: Requirement, pairing: Pairing) -> None:
        """Shortlist a pairing now (the main screen calls this so the keys after see it)."""
        known = self.catalog.requirements if self.catalog is not None else ()
        added = self.shortlist.add(ShortlistEntry(requirement, pairing), known)
        if added:
            entry = self.shortlist.entries[-1]  # with its ad-hoc id, if it has one
            saved = userstate.saved_pairing(entry.requirement, entry.pairing, self.db_path)
            self._save("add", saved)
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
        # Another window may have changed the saved shortlist meanwhile.
        self.load_saved_work()

    def action_export(self) -> None:
        folder = Path(self.export_folder) if self.export_folder else None
        default = str(folder / "shortlist.csv") if folder else "shortlist.csv"
        dialog = ExportDialog(self.shortlist.entries, default_path=default)

        def exported(done: bool | None) -> None:
            if done and dialog.exported_to is not None:
                folder = str(dialog.exported_to.expanduser().resolve().parent)
                self.export_folder = folder
                self._save("save_settings", {userstate.EXPORT_FOLDER: folder})
            if done and isinstance(self.screen, ShortlistScreen):
                self.screen.refill()

        self.push_screen(dialog, exported)

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
        # The keys of the screen in use (and of its focused pane), then the app-wide ones.
        self.push_screen(HelpScreen(binding_sections(self.screen)))
