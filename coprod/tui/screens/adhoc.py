"""Ad-hoc requirement: type what is needed, the ranking follows as you type.

Each keystroke restarts a short timer; when typing pauses, an exclusive
worker re-ranks (cancelling the previous one), so the input never waits for
the ranker and only the latest text's answer is shown. A key that acts on the
pairings first brings them up to the text typed (`catch_up`), so keys typed
faster than the timer and the worker act on the text in the field.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Label

from coprod.errors import describe_error
from coprod.model import Pairing, Requirement
from coprod.session import CatalogSession, ViewOptions
from coprod.tui.host import CoprodScreen
from coprod.tui.messages import AddToShortlist, AdhocRanked, OpenDetail, RankFailed
from coprod.tui.render import literal
from coprod.tui.widgets.detail import PairingDetail
from coprod.tui.widgets.footer import CoprodFooter
from coprod.tui.widgets.inputs import AdhocInput
from coprod.tui.widgets.tables import PairingsTable

DEBOUNCE_S = 0.2


class AdhocScreen(CoprodScreen):
    AUTO_FOCUS = "#adhoc-input"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("down", "focus_table", "Pairings"),
        Binding(
            "space", "shortlist_add", "Add", tooltip="Add the selected pairing to the shortlist"
        ),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial = text
        self.requirement: Requirement | None = None
        self.pairings: tuple[Pairing, ...] = ()
        self._timer: Timer | None = None
        # The text whose ranking the table shows (None: none, or of an older text).
        self.shown_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="main"):
            with Vertical(id="lists"):
                yield AdhocInput(
                    value=self.initial,
                    placeholder="describe a need, e.g. 155mm artillery shells",
                    id="adhoc-input",
                )
                yield Label(
                    Text("Type a requirement; the ranking follows.", style="dim"),
                    id="adhoc-caption",
                )
                yield PairingsTable(id="adhoc-pairings")
            yield PairingDetail(id="adhoc-detail")
        yield CoprodFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#adhoc-pairings", PairingsTable).before_key = self.catch_up
        # A catalog loaded while this screen is open ranks what was typed meanwhile.
        self.watch(self.app, "session", self._session_changed, init=False)
        self.query_one("#adhoc-input", Input).focus()
        if self.initial.strip():
            self._rank_now()

    def on_key(self, event: events.Key) -> None:
        """Letters typed before the input had focus (right after `n`) still go into it."""
        field = self.query_one("#adhoc-input", Input)
        if self.focused is None and event.is_printable and event.character:
            event.stop()
            field.focus()
            field.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#adhoc-input")
    def text_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self._rank_now)

    @on(Input.Submitted, "#adhoc-input")
    def text_submitted(self) -> None:
        self._rank_now()
        self.query_one("#adhoc-pairings", PairingsTable).focus()

    def _rank_now(self) -> None:
        text = self.query_one("#adhoc-input", Input).value.strip()
        session = self.coprod.session
        if text == self.shown_text:
            return
        if not text:
            self.pairings = ()
            self.shown_text = ""
            self.query_one("#adhoc-pairings", PairingsTable).show(())
            return
        if session is None:
            self.query_one("#adhoc-caption", Label).update(
                Text("The catalog is still loading; the ranking follows once it is.", style="dim")
            )
            return
        # No rows of the previous text stay under the field; empty, not `loading`
        # (a loading widget takes no focus: Tab would skip the table while it ranks).
        self.pairings = ()
        self.shown_text = None
        self.query_one("#adhoc-pairings", PairingsTable).show(())
        self.query_one("#adhoc-caption", Label).update(Text("Ranking…", style="dim"))
        self.rank_text(session, self.coprod.view, text)

    def catch_up(self) -> None:
        """Rank the text in the field now, before a key acts on the pairings, unless
        they are that text's already: keys typed fast (text, Tab or Enter, Down, space)
        reach the table before the timer fires or the worker answers. One ranking in
        memory, as the main screen's catch_up does for a requirement."""
        text = self.query_one("#adhoc-input", Input).value.strip()
        session = self.coprod.session
        if session is None or not text or text == self.shown_text:
            return
        if self._timer is not None:
            self._timer.stop()
        try:
            requirement, ranked = session.rank_adhoc(text, self.coprod.view)
        except Exception as error:  # shown as a notification, never a crash
            self.app.notify(
                f"Ranking failed: {describe_error(error)}",
                title="Ranking",
                severity="error",
                markup=False,
            )
            return
        self._show_ranked(AdhocRanked(text, requirement, ranked))

    def _session_changed(self, session: CatalogSession | None) -> None:
        if session is not None:
            self.shown_text = None  # a new catalog: the text is ranked again
            self._rank_now()

    @work(thread=True, exclusive=True, exit_on_error=False, group="adhoc")
    def rank_text(self, session: CatalogSession, view: ViewOptions, text: str) -> None:
        try:
            requirement, ranked = session.rank_adhoc(text, view)
        except Exception as error:
            self.post_message(RankFailed(f"Ranking failed: {describe_error(error)}"))
            return
        self.post_message(AdhocRanked(text, requirement, ranked))

    @on(AdhocRanked)
    def ranked(self, message: AdhocRanked) -> None:
        if message.text != self.query_one("#adhoc-input", Input).value.strip():
            return  # the user typed on; a newer ranking is coming
        if message.text == self.shown_text:
            return  # catch_up showed it already (the cursor may have moved on it)
        self._show_ranked(message)

    def _show_ranked(self, message: AdhocRanked) -> None:
        table = self.query_one("#adhoc-pairings", PairingsTable)
        self.shown_text = message.text
        self.requirement = message.requirement
        self.pairings = message.ranked.pairings
        self.ranked_now = message.ranked
        table.show(self.pairings, message.ranked.blocked_from)
        count = len(self.pairings)
        if message.ranked.truncated:
            caption = Text(f"Top {count} pairings (more exist) for ", style="bold")
        else:
            caption = Text(f"{count} pairing{'s' * (count != 1)} for ", style="bold")
        caption.append(literal(message.text, "italic"))
        caption.append(" · ")
        caption.append(literal(self.coprod.view.describe(), "dim"))
        self.query_one("#adhoc-caption", Label).update(caption)
        detail = self.query_one("#adhoc-detail", PairingDetail)
        if self.pairings:
            self._show(self.pairings[0])
        else:
            detail.show_message("No partner in the catalog matches this text.")

    @on(RankFailed)
    def rank_failed(self, message: RankFailed) -> None:
        self.app.notify(message.message, title="Ranking", severity="error", markup=False)

    def _show(self, pairing: Pairing) -> None:
        ranked = getattr(self, "ranked_now", None)
        others = ranked.others_of(pairing) if ranked is not None else ()
        self.query_one("#adhoc-detail", PairingDetail).show(
            pairing, self.coprod.catalog, self.requirement, others
        )

    @on(DataTable.RowHighlighted, "#adhoc-pairings")
    def highlighted(self) -> None:
        # By row key (the blocked group's title row shifts the rows after it).
        pairing = self.query_one("#adhoc-pairings", PairingsTable).selected_pairing()
        if pairing is not None:
            self._show(pairing)

    @on(DataTable.RowSelected, "#adhoc-pairings")
    def selected(self, event: DataTable.RowSelected) -> None:
        pairing = self.query_one("#adhoc-pairings", PairingsTable).pairing_for(event.row_key.value)
        if pairing is None:
            return
        if self.has_class("-narrow"):
            self.app.post_message(OpenDetail(pairing, self.requirement))
        else:
            self.query_one("#adhoc-detail", PairingDetail).focus()

    def action_focus_table(self) -> None:
        # set_focus, not focus(): that waits for the queue, and keys typed fast behind
        # ↓ or Enter would go to the field meanwhile.
        self.set_focus(self.query_one("#adhoc-pairings", PairingsTable))

    def action_shortlist_add(self) -> None:
        self.catch_up()
        pairing = self.query_one("#adhoc-pairings", PairingsTable).selected_pairing()
        if self.requirement is None or pairing is None:
            self.app.notify("Select a pairing first.", severity="warning", timeout=2)
            return
        self.app.post_message(AddToShortlist(self.requirement, pairing))
