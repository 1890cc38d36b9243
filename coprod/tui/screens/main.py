"""The main screen: requirements, their ranked pairings, and the selected pairing's detail."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Label
from textual.worker import get_current_worker

from coprod.errors import describe_error
from coprod.finder import filter_requirements
from coprod.model import Catalog, Pairing, Requirement
from coprod.session import CatalogSession, Ranked, ViewOptions
from coprod.tui.host import CoprodScreen
from coprod.tui.messages import OpenDetail, PairingsReady, RankFailed, RankingsReady
from coprod.tui.render import detail_clipboard_text, literal
from coprod.tui.screens.dialogs import PickerDialog
from coprod.tui.widgets.detail import PairingDetail
from coprod.tui.widgets.footer import CoprodFooter
from coprod.tui.widgets.inputs import FilterInput
from coprod.tui.widgets.tables import CoprodTable, PairingsTable, RequirementsTable
from coprod.userstate import pairing_key

ALL_COUNTRIES = "All countries"
FILTER_DELAY_S = 0.12
RANK_ONE_PAUSE_S = 0.15  # keys must pause this long before a highlighted row is ranked
SCORES_EVERY_S = 0.5  # how often the best-score column shows what was ranked meanwhile


def requirement_matches(
    requirements: list[Requirement],
    words: list[str],
    catalog: Catalog | None,
    rankings: Mapping[str, Ranked],
) -> list[Requirement]:
    """The requirements the filter keeps: their own text has every word, or a partner,
    system, concept or capability line the words find is in their ranking (coprod.finder)."""
    kept = filter_requirements(catalog, requirements, words, rankings).kept
    return [r for r in requirements if r.requirement_id in kept]


def describe_ranking(requirement_id: str, ranked: Ranked, view: ViewOptions) -> Text:
    """The pairings caption: whose ranking, how much of it is shown, under which filters."""
    caption = Text("Pairings for ", style="bold")
    caption.append(literal(requirement_id, "bold"))
    # The blocked state first: on a narrow pane the end of the caption is cut.
    caption.append(" · ")
    if view.hide_blocked:
        caption.append("blocked hidden", style="bold #c98a00")
    else:
        caption.append("blocked shown")
    blocked_from = ranked.blocked_from
    feasible = len(ranked.pairings) if blocked_from is None else blocked_from
    blocked = len(ranked.pairings) - feasible
    if ranked.truncated:
        caption.append(f" · top {feasible}, more exist")
    else:
        caption.append(f" · {feasible} pairing{'s' * (feasible != 1)}")
    if blocked:
        caption.append(f" + {blocked} blocked")
    caption.append(" · ")
    caption.append(literal(view.country or "all countries", "dim"))
    if view.per_co_producer:
        caption.append(" · per co-producer", style="dim")
    return caption


class MainScreen(CoprodScreen):
    AUTO_FOCUS = "#requirements"

    # Ids (the action's name): the config file's [keys] table remaps these as it does
    # the app-wide ones (coprod.config.KEY_ACTIONS, applied through Textual's keymap).
    BINDINGS = [
        # Priority: handled as soon as the app reads them, so the keys typed right after
        # go to the filter or the query even while a big catalog loads and keys queue
        # up (`/dro` must filter by "dro", not put `r` on the table: the refresh dialog).
        Binding(
            "slash",
            "filter",
            "Filter",
            priority=True,
            tooltip="Filter the requirements as you type",
            id="filter",
        ),
        Binding(
            "n",
            "adhoc",
            "Query",
            priority=True,
            tooltip="Rank partners for a requirement you type",
            id="adhoc",
        ),
        Binding(
            "c", "country", "Country", tooltip="Keep only partners from one country", id="country"
        ),
        Binding(
            "b",
            "toggle_blocked",
            "Blocked",
            tooltip="Hide or show blocked pairings",
            id="toggle_blocked",
        ),
        Binding(
            "a",
            "toggle_co_producers",
            "Co-producers",
            show=False,
            tooltip="One row per foreign partner, or one per co-producer",
            id="toggle_co_producers",
        ),
        Binding(
            "o",
            "sort",
            "Sort",
            show=False,
            tooltip="Sort the focused table by its next column (again: reversed)",
            id="sort",
        ),
        Binding(
            "space",
            "shortlist_add",
            "Add",
            tooltip="Add the selected pairing to the shortlist",
            id="shortlist_add",
        ),
        Binding(
            "y",
            "copy_pairing",
            "Copy",
            show=False,
            tooltip="Copy the selected pairing's reason and sources to the clipboard",
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding(
            "p",
            "profile",
            "Profile",
            show=False,
            tooltip="The selected pairing's foreign partner (local-only: the local firm)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter_words: list[str] = []
        self.rankings: dict[str, Ranked] = {}
        self.requirement_id: str | None = None
        self.pairings: tuple[Pairing, ...] = ()
        # Whose pairings the pairings table holds (None: none, or a ranking under way).
        self.shown_requirement_id: str | None = None
        self._filter_timer: Timer | None = None
        self._loaded_session: CatalogSession | None = None
        self._load_timer: Timer | None = None
        self._load_stage = ""
        self._load_started = 0.0
        self._load_ticks = 0

    @property
    def view(self) -> ViewOptions:
        """The filters in use (the app holds them: the ad-hoc query ranks under them too)."""
        return self.coprod.view

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield FilterInput(placeholder="filter requirements (Esc clears)", id="filter")
                yield Label(Text("Loading the catalog…", style="dim"), id="req-caption")
                yield RequirementsTable(id="requirements")
                yield Label(Text("Pairings", style="bold"), id="pair-caption")
                yield PairingsTable(id="pairings")
            yield PairingDetail(id="detail")
        yield CoprodFooter(compact=True)

    def on_mount(self) -> None:
        pairings = self.query_one("#pairings", PairingsTable)
        pairings.before_key = self.catch_up
        pairings.is_marked = self.is_shortlisted
        # The app loads the catalog; this screen shows how far it got. With init,
        # whatever happened before this screen was mounted is shown at once.
        app = self.app
        self.watch(app, "load_stage", self._load_stage_changed)
        self.watch(app, "requirements_preview", self._preview_changed)
        self.watch(app, "load_failure", self._load_failed)
        self.watch(app, "session", self._session_changed)
        self.watch(app, "view", self._view_changed, init=False)
        self.watch(app, "saved_filter", self._saved_filter_restored)

    # ----- catalog and rankings --------------------------------------------------------

    def _start_loading_note(self, stage: str) -> None:
        """A spinner and elapsed seconds in the caption while the catalog loads.

        Twice a second, not Textual's 16-frame LoadingIndicator: the loading
        thread needs the GIL, and a busy animation slows a big catalog's load.
        """
        self._load_stage = stage
        self._load_started = time.monotonic()
        self._load_ticks = 0
        if self._load_timer is None:
            self._load_timer = self.set_interval(0.5, self._show_loading_note)
        self._show_loading_note()

    def _show_loading_note(self) -> None:
        self._load_ticks += 1
        spinner = "◐◓◑◒"[self._load_ticks % 4]
        elapsed = time.monotonic() - self._load_started
        note = Text(f"{spinner} Loading: {self._load_stage}… {elapsed:.0f} s", style="dim")
        if self.coprod.session is None and self.coprod.requirements_preview is not None:
            # The requirements are listed: the note explains why pairings are not there yet.
            caption = Text("Pairings", style="bold").append(" · ").append_text(note)
            self.query_one("#pair-caption", Label).update(caption)
        else:
            self.query_one("#req-caption", Label).update(note)

    def _stop_loading_note(self) -> None:
        if self._load_timer is not None:
            self._load_timer.stop()
            self._load_timer = None

    def _load_stage_changed(self, stage: str) -> None:
        if not stage:
            return  # loaded or failed: the session or the failure says what follows
        if self._load_timer is None:  # the first stage, or a reload after a refresh
            self._start_loading_note(stage)
        self._load_stage = stage
        self._show_loading_note()

    def _load_failed(self, message: str) -> None:
        if not message:
            return
        self._stop_loading_note()
        if self.coprod.session is None:
            caption = Text("No catalog loaded. ", style="bold #d64545")
            caption.append("Press r to build one from a folder, q to quit.", style="")
            self.query_one("#req-caption", Label).update(caption)
            self.query_one("#pair-caption", Label).update(Text("Pairings", style="bold"))

    def _session_changed(self, session: CatalogSession | None) -> None:
        """A (new) catalog is in use: forget old rankings, show its requirements, rank them."""
        if session is None or session is self._loaded_session:
            return
        self._loaded_session = session
        self.rankings.clear()  # cleared, not replaced: the table's refill reads this dict
        self.pairings = ()
        self.shown_requirement_id = None
        self._stop_loading_note()
        previewed = self.coprod.requirements_preview
        if previewed is not None and previewed == session.catalog.requirements:
            # Already listed (read first): rebuilding every row now would only
            # hold the UI while the ranking starts. Scores fill in as they come.
            self._update_caption()
        else:
            self.refill_requirements()
            self._focus_requirements_unless_typing()
        self.rank_everything(session, self.view)
        self._show_current_requirement()

    def _requirements(self) -> dict[str, Requirement] | None:
        """The requirements shown: the session's, or those read while the rest loads."""
        session = self.coprod.session
        if session is not None:
            return session.catalog.requirements
        return self.coprod.requirements_preview

    def _saved_filter_restored(self, text: str) -> None:
        if text:
            field = self.query_one("#filter", Input)
            field.add_class("-shown")
            field.value = text  # filtered on Input.Changed, as when typed

    def _preview_changed(self, requirements: dict[str, Requirement] | None) -> None:
        """List the requirements of a catalog whose capability lines are still loading:
        browsable and filterable while the matching index is built."""
        if requirements is None or self.coprod.session is not None:
            return
        self.refill_requirements()
        self._focus_requirements_unless_typing()
        self._show_loading_note()

    def _focus_requirements_unless_typing(self) -> None:
        """Put the cursor in the requirements table, never taking the filter from a typist."""
        if not self.query_one("#filter", Input).has_focus:
            self.query_one("#requirements", RequirementsTable).focus()

    def _visible_requirements(self) -> list[Requirement]:
        known = self._requirements()
        if known is None:
            return []
        requirements = list(known.values())
        if not self.filter_words:
            return requirements
        catalog = self.coprod.catalog
        return requirement_matches(requirements, self.filter_words, catalog, self.rankings)

    def refill_requirements(self) -> None:
        if self._requirements() is None:
            return
        table = self.query_one("#requirements", RequirementsTable)
        visible = self._visible_requirements()
        table.show(visible, self.rankings, keep=self.requirement_id)
        self._update_caption(len(visible))
        if not visible:
            self.requirement_id = None
            self._show_pairings(None, None)

    def _update_caption(self, shown: int | None = None) -> None:
        requirements = self._requirements()
        if requirements is None:
            return  # the loading note (spinner) owns the caption until they are read
        if self.coprod.session is not None and self._load_timer is not None:
            return  # a reload after a refresh: its loading note owns the caption
        table = self.query_one("#requirements", RequirementsTable)
        shown = table.row_count if shown is None else shown
        total = len(requirements)
        caption = Text("Requirements", style="bold")
        if self.filter_words:
            caption.append(f" · {shown:,} of {total:,} match ")
            caption.append(literal(" ".join(self.filter_words), "italic"))
        else:
            caption.append(f" · {total:,}")
        if self.coprod.session is None:
            caption.append(" · scores once loaded", style="dim")
        else:
            ranked = sum(1 for rid in requirements if rid in self.rankings)
            if ranked < total:
                caption.append(f" · ranking {ranked:,}/{total:,}…", style="dim")
        self.query_one("#req-caption", Label).update(caption)

    @work(thread=True, exclusive=True, exit_on_error=False, group="rank-all")
    def rank_everything(self, session: CatalogSession, view: ViewOptions) -> None:
        worker = get_current_worker()
        # Ranked in small steps (so it can pause for typing) but shown every
        # SCORES_EVERY_S: a table update per step would cost the UI thread more
        # than the ranking saves it.
        pending: dict[str, Ranked] = {}
        shown_at = time.monotonic()
        try:
            for batch in session.rank_in_batches(view):
                if worker.is_cancelled:
                    return  # the filters changed: a newer ranking is under way
                pending.update(batch)
                if time.monotonic() - shown_at >= SCORES_EVERY_S:
                    self.post_message(RankingsReady(session, view, pending))
                    pending, shown_at = {}, time.monotonic()
                self.coprod.wait_while_typing()  # best scores can wait; keys cannot
                if worker.is_cancelled:
                    return
            if pending:
                self.post_message(RankingsReady(session, view, pending))
        except Exception as error:  # shown as a notification, never a crash
            self.post_message(RankFailed(f"Ranking failed: {describe_error(error)}"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="rank-one")
    def rank_requirement(self, session: CatalogSession, view: ViewOptions, rid: str) -> None:
        # Arrowing through the list or typing a filter highlights requirement after
        # requirement: rank only the one the keys stop on (on a big catalog each
        # ranking is work the keys would otherwise wait on).
        self.coprod.wait_while_typing(longest=1.0, pause=RANK_ONE_PAUSE_S)
        if get_current_worker().is_cancelled:
            return  # another requirement was highlighted meanwhile
        try:
            ranked = session.rank_one(view, rid)
        except Exception as error:
            self.post_message(RankFailed(f"Ranking {rid} failed: {describe_error(error)}"))
            return
        self.post_message(PairingsReady(session, view, rid, ranked))

    @on(RankingsReady)
    def rankings_ready(self, message: RankingsReady) -> None:
        if message.session is not self.coprod.session or message.view != self.view:
            return  # a stale answer: the catalog or the filters changed meanwhile
        self.rankings.update(message.rankings)
        table = self.query_one("#requirements", RequirementsTable)
        table.update_scores(message.rankings)
        if self.filter_words:
            self._refilter_as_ranked()
        self._update_caption()
        rid = self.requirement_id
        if rid in message.rankings and self.shown_requirement_id != rid:
            self._show_pairings(self.requirement_id, self.rankings[self.requirement_id])

    def _refilter_as_ranked(self) -> None:
        """New rankings can make a partner or line the filter found relevant to more
        requirements (a filter restored at start, or typed before ranking ended)."""
        kept = [r.requirement_id for r in self._visible_requirements()]
        if kept != getattr(self, "_filter_kept", None):
            self._filter_kept = kept
            self.refill_requirements()

    @on(PairingsReady)
    def pairings_ready(self, message: PairingsReady) -> None:
        if message.session is not self.coprod.session or message.view != self.view:
            return
        self.rankings[message.requirement_id] = message.ranked
        rid = message.requirement_id
        if rid == self.requirement_id and self.shown_requirement_id != rid:
            self._show_pairings(message.requirement_id, message.ranked)

    @on(RankFailed)
    def rank_failed(self, message: RankFailed) -> None:
        self.query_one("#pairings", PairingsTable).loading = False
        self.app.notify(message.message, title="Ranking", severity="error", markup=False)

    # ----- selection ---------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#requirements")
    def requirement_highlighted(self) -> None:
        # The cursor's row now, not the event's: keys typed fast may have moved it on,
        # and catch_up may have followed it already.
        rid = self.query_one("#requirements", RequirementsTable).selected_key()
        if rid is None or rid == self.requirement_id:
            return
        self.requirement_id = rid
        self._show_current_requirement()

    def catch_up(self) -> None:
        """Bring the pairings up to the requirement the cursor is on now, before a key acts.

        Keys typed fast reach their actions before the messages of the keys before
        them (a row highlighted) are handled, and the highlighted requirement is
        ranked only once keys pause. A key acting on the pairings therefore first
        follows the requirements cursor and, if its ranking has not come, ranks it
        here (one requirement, in memory: tens of ms on the shipped catalog), so it
        acts on the rows of the requirement on screen, never on the previous one's.
        """
        session = self.coprod.session
        if session is None:
            return
        rid = self.query_one("#requirements", RequirementsTable).selected_key()
        if rid is not None and rid != self.requirement_id:
            self.requirement_id = rid
            self._show_current_requirement()
        rid = self.requirement_id
        if rid is None or self.shown_requirement_id == rid:
            return
        try:
            ranked = session.rank_one(self.view, rid)
        except Exception as error:  # shown as a notification, never a crash
            self.app.notify(
                f"Ranking {rid} failed: {describe_error(error)}",
                title="Ranking",
                severity="error",
                markup=False,
            )
            return
        self.rankings[rid] = ranked
        self._show_pairings(rid, ranked)

    def _show_current_requirement(self) -> None:
        session = self.coprod.session
        table = self.query_one("#requirements", RequirementsTable)
        if session is None:
            return  # the loading note in the pairings caption says what is under way
        if self.requirement_id is None:
            self.requirement_id = table.selected_key()
        rid = self.requirement_id
        if rid is None:
            return
        ranked = self.rankings.get(rid) or session.cached(self.view, rid)
        if ranked is not None:
            self._show_pairings(rid, ranked)
            return
        # No rows of the previous requirement stay under a caption naming this one.
        self.pairings = ()
        self.shown_requirement_id = None
        # Empty, not `loading` (a loading widget takes no focus: Tab would skip it).
        self.query_one("#pairings", PairingsTable).show(())
        self.query_one("#detail", PairingDetail).show_message("Ranking…")
        self.query_one("#pair-caption", Label).update(
            Text("Pairings for ", style="bold").append(literal(rid, "bold")).append(" · ranking…")
        )
        self.rank_requirement(session, self.view, rid)

    def _show_pairings(self, rid: str | None, ranked: Ranked | None) -> None:
        table = self.query_one("#pairings", PairingsTable)
        table.loading = False
        detail = self.query_one("#detail", PairingDetail)
        if rid is None or ranked is None:
            self.pairings = ()
            self.shown_requirement_id = None
            table.show(())
            self.query_one("#pair-caption", Label).update(Text("Pairings", style="bold"))
            detail.show_message("No requirement selected.")
            return
        self.pairings = ranked.pairings
        self.shown_requirement_id = rid
        table.show(ranked.pairings, ranked.blocked_from)
        self.query_one("#pair-caption", Label).update(describe_ranking(rid, ranked, self.view))
        if not ranked.pairings:
            detail.show_message(
                "No partner in the catalog matches this requirement"
                + (" under the current filters." if self.view != ViewOptions() else ".")
            )
        else:
            shown = table.selected_pairing()  # the first row (sorted, it may not be #1)
            if shown is not None:
                self._show_pairing_detail(shown)

    @on(DataTable.RowHighlighted, "#pairings")
    def pairing_highlighted(self) -> None:
        pairing = self.query_one("#pairings", PairingsTable).selected_pairing()
        if pairing is not None:
            self._show_pairing_detail(pairing)

    def _show_detail(self, index: int) -> None:
        if 0 <= index < len(self.pairings):
            self._show_pairing_detail(self.pairings[index])

    def _show_pairing_detail(self, pairing: Pairing) -> None:
        session = self.coprod.session
        requirement = session.catalog.requirements.get(pairing.requirement_id) if session else None
        ranked = self.rankings.get(pairing.requirement_id)
        others = ranked.others_of(pairing) if ranked is not None else ()
        self.query_one("#detail", PairingDetail).show(
            pairing, session.catalog if session else None, requirement, others
        )

    def selected_pairing(self) -> Pairing | None:
        """The pairing under the cursor now, of the requirement highlighted now."""
        self.catch_up()
        return self.query_one("#pairings", PairingsTable).selected_pairing()

    @on(events.DescendantFocus)
    def mark_the_focused_list(self, event: events.DescendantFocus) -> None:
        """Light the caption of the list that has the keys: Enter moving the cursor from
        requirements to pairings would otherwise be only a change of shade, easily missed."""
        widget_id = event.widget.id
        for caption, owner in (("#req-caption", "requirements"), ("#pair-caption", "pairings")):
            self.query_one(caption, Label).set_class(widget_id == owner, "-active")

    @on(DataTable.RowSelected, "#requirements")
    def requirement_selected(self) -> None:
        self.query_one("#pairings", PairingsTable).focus()

    @on(DataTable.RowSelected, "#pairings")
    def pairing_selected(self, event: DataTable.RowSelected) -> None:
        # The row Enter was pressed on (its key is unique to that fill of the table).
        pairing = self.query_one("#pairings", PairingsTable).pairing_for(event.row_key.value)
        if pairing is None:
            return
        if self.has_class("-narrow"):
            self.app.post_message(OpenDetail(pairing))
        else:
            self.query_one("#detail", PairingDetail).focus()

    # ----- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` and `n` are priority bindings (see BINDINGS): in a text field they are text.
        return not (action in ("filter", "adhoc") and isinstance(self.focused, Input))

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.add_class("-shown")
        # At once, not via focus() (which waits its turn behind keys already queued).
        self.set_focus(field)

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        # Typing stays instant: the table is refilled once the keystrokes pause.
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY_S, self._apply_filter)

    def _apply_filter(self) -> None:
        value = self.query_one("#filter", Input).value
        words = value.casefold().split()
        if words != self.filter_words:
            self.filter_words = words
            self.refill_requirements()
            self.requirement_id = None
            self._show_current_requirement()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self._apply_filter()
        self.query_one("#requirements", RequirementsTable).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if not field.has_class("-shown") and not self.filter_words:
            return
        field.value = ""
        field.remove_class("-shown")
        self.filter_words = []
        self.refill_requirements()
        self.query_one("#requirements", RequirementsTable).focus()

    def action_focus_requirements(self) -> None:
        self.query_one("#requirements", RequirementsTable).focus()

    def action_adhoc(self) -> None:
        self.coprod.open_adhoc()

    def action_country(self) -> None:
        session = self.coprod.session
        if session is None:
            self.app.notify("The catalog is still loading.", severity="warning")
            return
        choices = [ALL_COUNTRIES, *session.foreign_countries()]

        def chosen(country: str | None) -> None:
            if country is None:
                return
            self.set_view(replace(self.view, country=None if country == ALL_COUNTRIES else country))

        self.app.push_screen(
            PickerDialog(
                "Foreign partners from which country?", choices, self.view.country or ALL_COUNTRIES
            ),
            chosen,
        )

    def action_toggle_blocked(self) -> None:
        self.set_view(replace(self.view, hide_blocked=not self.view.hide_blocked))
        state = "hidden" if self.view.hide_blocked else "shown"
        self.app.notify(f"Blocked pairings {state}.", timeout=2)

    def action_sort(self) -> None:
        focused = self.focused
        table = focused if isinstance(focused, CoprodTable) else None
        if table is None:
            table = self.query_one("#requirements", RequirementsTable)
        order = table.cycle_sort()
        self.app.notify(f"Sorted by {order}.", timeout=2, markup=False)

    def action_toggle_co_producers(self) -> None:
        self.set_view(replace(self.view, per_co_producer=not self.view.per_co_producer))
        rows = "per co-producer" if self.view.per_co_producer else "one per foreign partner"
        self.app.notify(f"Pairing rows: {rows}.", timeout=2)

    def set_view(self, view: ViewOptions) -> None:
        self.coprod.view = view  # the app calls _view_changed if it is a change

    def _view_changed(self, view: ViewOptions) -> None:
        session = self.coprod.session
        self.rankings.clear()
        self.pairings = ()
        self.shown_requirement_id = None
        if session is None:
            return
        self.refill_requirements()
        self.rank_everything(session, view)
        self._show_current_requirement()

    def action_copy_pairing(self) -> None:
        pairing = self.selected_pairing()
        if pairing is None:
            self.app.notify("Select a pairing first.", severity="warning", timeout=2)
            return
        # OSC 52: reaches the clipboard over ssh too.
        self.app.copy_to_clipboard(detail_clipboard_text(self.coprod.catalog, pairing))
        self.app.notify("Copied the pairing's reason and sources.", title="Copy", timeout=2)

    def action_shortlist_add(self) -> None:
        pairing = self.selected_pairing()
        session = self.coprod.session
        if pairing is None or session is None:
            self.app.notify("Select a pairing first.", severity="warning", timeout=2)
            return
        requirement = session.catalog.requirements[pairing.requirement_id]
        # Called, not posted: an export key typed right after must see this pairing.
        self.coprod.add_to_shortlist(requirement, pairing)
        self.query_one("#pairings", PairingsTable).refresh_marks()

    def on_screen_resume(self) -> None:
        # Back from the shortlist (where pairings may have been removed or put back).
        self.refresh_marks()

    def refresh_marks(self) -> None:
        # The saved work may be read before this screen has composed its tables.
        for table in self.query("#pairings").results(PairingsTable):
            table.refresh_marks()

    def is_shortlisted(self, pairing: Pairing) -> bool:
        key = pairing_key(pairing)
        return any(entry.key == key for entry in self.coprod.shortlist.entries)

    def action_profile(self) -> None:
        pairing = self.selected_pairing()
        match = pairing and (pairing.foreign or pairing.local)
        if not match:
            self.app.notify("Select a pairing first.", severity="warning", timeout=2)
            return
        from coprod.tui.screens.profile import open_profile

        open_profile(self.app, match.partner_id)
