"""The delegation planner screen: a meeting schedule built from the shortlist.

Open it with::

    PlannerScreen(catalog, pairings)                       # delegation = every
    PlannerScreen(catalog, pairings, delegation=("rtx",),  # foreign firm in `pairings`
                  days="2026-05-04..2026-05-06", slots="09:00-17:00/45m", rooms=6)

From the app's shortlist (ad hoc requirements are not in the catalog, so pass
them for their titles)::

    PlannerScreen(catalog, [e.pairing for e in shortlist.entries],
                  requirements={e.requirement.requirement_id: e.requirement
                                for e in shortlist.entries})

`catalog` is a coprod.model.Catalog, `pairings` the shortlisted
coprod.model.Pairing objects (blocked ones are left out and listed);
`min_meetings` (default 0) is how many meetings each member gets first, where
possible. The screen shows the visit settings (days, slots, rooms, meetings
per member first, each labelled; edit and press Enter or ctrl+r to re-plan),
the plan in words (coprod.planner.summary, the same sentences as `coprod
plan`'s table), the schedule as a grid with the rooms as columns (firm names
shortened to fit and never two alike, runs of free slots folded into one
row, scrolling sideways when the rooms do not fit) and the highlighted firm's agenda beside it (on a
narrow terminal `a` swaps the grid and the agendas), what did not fit and
why, and the delegation (tick or untick members; the plan follows). `e` asks
for a file name and exports the plan (.md agenda, .csv, .json or .ics, chosen
by the extension through coprod.formats; any other is refused); what the
export did is said on the message line and in a notification, never over the
summary. Escape goes back. Its styles are in app.tcss.

Solving runs in a thread worker (CP-SAT, short time limit); the worker only
posts messages, and any error is shown on the status line, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Header,
    Input,
    Label,
    OptionList,
    SelectionList,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from coprod.errors import CoprodError, describe_error
from coprod.formats import PLAN_FORMATS, extensions_for, format_for_output
from coprod.model import Catalog, Pairing, Requirement
from coprod.planner import PlanResult
from coprod.safe import printable
from coprod.tui.messages import PlanFailed, PlanReady
from coprod.tui.render import literal, literal_block
from coprod.tui.widgets.footer import CoprodFooter

MEMBERS_DEBOUNCE_S = 0.4
# Below this width the agendas leave the grid's side and `a` swaps the two.
SIDE_BY_SIDE_WIDTH = 110
# A meeting's cell holds two lines (the member, then "× the Taiwanese firm"), so a
# room's column can be narrow: 14 cells keep "Teledyne FLIR" whole and four rooms fit 80.
ROOM_COLUMN_MIN = 14
ROOM_COLUMN_MAX = 30
DAY_WIDTH = 6  # "Mon 04"
TIME_WIDTH = 5  # "09:00"
FIRM_LIST_NAME = 32  # a firm's name in the agenda panel's list
AGENDA_NAME = 16  # the other firm's name in an agenda row
CONSENT_MARK = " ⚑"  # after a member's name: the meeting needs export consent
# Words a firm's name can lose first when its cell is narrow.
NAME_NOISE = frozenset(
    {"ab", "as", "asa", "co", "co.", "company", "corp", "corp.", "corporation", "gmbh", "inc"}
    | {"inc.", "limited", "ltd", "ltd.", "plc", "sa", "s.a.", "spa", "s.p.a.", "the"}
)
# What write_plan writes: every plan format but the text table (the CLI renders that).
PLAN_FILE_FORMATS = tuple(fmt for fmt in PLAN_FORMATS if fmt != "table")
CONSENT_STYLE = "bold #c98a00"


def _next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def default_days(today: date | None = None) -> str:
    first = _next_monday(today)
    return f"{first.isoformat()}..{(first + timedelta(days=2)).isoformat()}"


def short_name(name: str, width: int) -> str:
    """A firm's name in at most `width` cells, still recognisable: the parenthesis and
    company-form words go first ("RTX (Raytheon)" -> "RTX", "Saab AB" -> "Saab"), then
    words from the end, then the last word is cut with "…"."""
    shown = printable(name).strip()
    if len(shown) <= width:
        return shown
    base = shown.split(" (", 1)[0].strip() or shown
    words = [w for w in base.replace(",", " ").split() if w.casefold() not in NAME_NOISE]
    words = words or base.split()
    while len(words) > 1 and len(" ".join(words)) > width:
        words.pop()
    while len(words) > 1 and not any(ch.isalnum() for ch in words[-1]):
        words.pop()  # "Kongsberg Defence &" -> "Kongsberg Defence"
    short = " ".join(words)
    if len(short) > width:
        short = short[: max(width - 1, 1)] + "…"
    return short


def _name_words(name: str) -> list[str]:
    """A name's words without its parenthesis and company-form words (as short_name)."""
    base = printable(name).strip().split(" (", 1)[0].strip() or printable(name).strip()
    words = [w for w in base.replace(",", " ").split() if w.casefold() not in NAME_NOISE]
    return words or base.split()


def _acronym(words: Sequence[str]) -> str:
    """ "Unmanned Aerial Systems" -> "UAS"; a single word stays whole."""
    return words[0] if len(words) == 1 else "".join(w[0] for w in words if w[:1].isalnum())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def distinct_short_names(names: Mapping[str, str], width: int) -> dict[str, str]:
    """Each firm's name (by id) shortened to `width` cells (short_name), two firms never
    alike: firms whose short forms meet ("Teledyne FLIR" and "Teledyne FLIR Unmanned
    Aerial Systems AS" both give "Teledyne" in 12 cells) keep what sets each apart —
    the words after the part their names share, whole or as initials ("Teledyne UAS")
    — and the one whose name is only the shared part keeps its own short form. Any
    still alike (two firms of one name) end in a number ("Acme…2")."""
    shorts = {key: short_name(name, width) for key, name in names.items()}
    groups: dict[str, list[str]] = {}
    for key, short in shorts.items():
        groups.setdefault(short, []).append(key)
    for group in groups.values():
        if len(group) < 2:
            continue
        words = {key: _name_words(names[key]) for key in group}
        shared = 0
        while all(len(w) > shared for w in words.values()) and (
            len({w[shared].casefold() for w in words.values()}) == 1
        ):
            shared += 1
        for key in group:
            own = words[key][shared:]
            if not own:
                continue  # the shared part itself: its own short form says it
            prefix, lead, initials = words[key][:shared], words[key][:shared][:1], _acronym(own)
            options = [
                " ".join(prefix + own),
                " ".join(prefix + [initials]),
                " ".join(lead + own),
                " ".join(lead + [initials]),
            ]
            room = width - len(initials) - 1  # for a cut lead word before the initials
            if lead and room >= 3:
                options.append(f"{_cut(lead[0], room)} {initials}")
            fitting = next((o for o in options if len(o) <= width), None)
            shorts[key] = fitting or _cut(" ".join(lead + own), width)
    seen: dict[str, int] = {}
    for key, short in shorts.items():
        seen[short] = seen.get(short, 0) + 1
        if seen[short] > 1:
            number = str(seen[short])
            shorts[key] = short[: max(width - len(number) - 1, 1)] + "…" + number
    return shorts


def room_label(room: int, width: int) -> str:
    return f"Room {room}" if width >= len(f"Room {room}") else f"R{room}"


def _whole_number(text: str, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise CoprodError(f"{what}: {printable(text.strip())!r} is not a whole number") from None
    if value < 0:
        raise CoprodError(f"{what}: cannot be negative, got {value}")
    return value


class PlannerScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "replan", "Re-plan"),
        Binding("e", "export", "Export"),
        Binding("a", "swap_agendas", "Agendas", tooltip="Show the agendas or the grid"),
    ]

    def __init__(
        self,
        catalog: Catalog,
        pairings: Sequence[Pairing],
        *,
        delegation: Sequence[str] | None = None,
        days: str | None = None,
        slots: str = "09:00-17:00/45m",
        rooms: int = 4,
        min_meetings: int = 0,
        requirements: Mapping[str, Requirement] | None = None,
        time_limit: float = 5.0,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.pairings = tuple(pairings)
        if delegation is None:
            delegation = [
                p.foreign.partner_id
                for p in self.pairings
                if p.foreign is not None and p.foreign.partner_id in catalog.partners
            ]
        self.delegation = tuple(dict.fromkeys(delegation))
        self.initial_days = days or default_days()
        self.initial_slots = slots
        self.initial_rooms = rooms
        self.initial_min_meetings = min_meetings
        self.requirements = dict(requirements or {})
        self.time_limit = time_limit
        self.result: PlanResult | None = None
        self._members_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="plan-settings"):
            yield Label("Days", classes="plan-label")
            yield Input(self.initial_days, id="plan-days", compact=True, tooltip="Visit days")
            yield Label("Slots", classes="plan-label")
            yield Input(
                self.initial_slots,
                id="plan-slots",
                compact=True,
                tooltip="START-END/LENGTH[+BREAK], several joined by commas",
            )
            yield Label("Rooms", classes="plan-label")
            yield Input(str(self.initial_rooms), id="plan-rooms", compact=True)
            yield Label("Min/member", classes="plan-label")
            yield Input(
                str(self.initial_min_meetings),
                id="plan-min",
                compact=True,
                tooltip="Meetings each member gets first, where possible (0: value only)",
            )
        yield Label(Text("Planning...", style="dim"), id="plan-status")
        yield Label("", id="plan-message")
        with TabbedContent(id="plan-tabs"):
            with TabPane("Schedule", id="tab-grid"), Horizontal(id="plan-schedule"):
                yield DataTable(id="plan-grid", cursor_type="cell")
                with Vertical(id="plan-side"):
                    yield OptionList(id="plan-firms")
                    yield DataTable(id="plan-agenda", cursor_type="row")
            with TabPane("Not scheduled", id="tab-missed"):
                yield DataTable(id="plan-missed", cursor_type="row")
            with TabPane("Delegation", id="tab-delegation"):
                yield SelectionList[str](
                    *(
                        Selection(self._member_label(pid), pid, initial_state=True)
                        for pid in self.delegation
                    ),
                    id="plan-delegation",
                )
        yield Input(placeholder="export to file (.md, .csv, .json, .ics)", id="plan-export")
        yield CoprodFooter(compact=True)

    def _member_label(self, partner_id: str) -> Text:
        partner = self.catalog.partners.get(partner_id)
        label = literal(partner.name if partner else partner_id)
        if partner is not None:
            label.append(f"  {printable(partner.country)}", style="dim")
        return label

    def on_mount(self) -> None:
        self.title = "Delegation planner"
        self.query_one("#plan-grid", DataTable).focus()
        self._fit_layout(self.size.width)
        self.action_replan()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_layout(event.size.width)
        if self.result is not None:
            self._fill_grid(self.result)

    def _fit_layout(self, width: int) -> None:
        """Side by side when wide; on a narrow terminal the agendas wait behind `a`."""
        narrow = width < SIDE_BY_SIDE_WIDTH
        schedule = self.query_one("#plan-schedule")
        if narrow != schedule.has_class("-narrow"):
            schedule.set_class(narrow, "-narrow")
            schedule.remove_class("-agendas")

    def action_swap_agendas(self) -> None:
        schedule = self.query_one("#plan-schedule")
        self.query_one("#plan-tabs", TabbedContent).active = "tab-grid"
        if not schedule.has_class("-narrow"):
            self.query_one("#plan-firms", OptionList).focus()
            return
        schedule.toggle_class("-agendas")
        shown = "#plan-firms" if schedule.has_class("-agendas") else "#plan-grid"
        self.query_one(shown).focus()

    @on(SelectionList.SelectedChanged, "#plan-delegation")
    def _members_changed(self) -> None:
        # Re-plan shortly after the last toggle, not on every key press.
        if self._members_timer is not None:
            self._members_timer.stop()
        self._members_timer = self.set_timer(MEMBERS_DEBOUNCE_S, self.action_replan)

    def members(self) -> tuple[str, ...]:
        """The delegation members currently ticked, in shortlist order."""
        ticked = set(self.query_one("#plan-delegation", SelectionList).selected)
        return tuple(pid for pid in self.delegation if pid in ticked)

    # ------------------------------------------------------------ planning

    def action_back(self) -> None:
        export = self.query_one("#plan-export", Input)
        if export.has_class("-visible"):
            export.remove_class("-visible")
            self.query_one("#plan-grid", DataTable).focus()
            return
        self.app.pop_screen()

    @on(Input.Submitted, "#plan-days, #plan-slots, #plan-rooms, #plan-min")
    def action_replan(self) -> None:
        days = self.query_one("#plan-days", Input).value
        slots = self.query_one("#plan-slots", Input).value
        rooms = self.query_one("#plan-rooms", Input).value
        min_meetings = self.query_one("#plan-min", Input).value
        members = self.members()
        self.sub_title = f"{len(members)} of {len(self.delegation)} delegation member(s)"
        self._status(Text("Planning...", style="dim"))
        self._solve(days, slots, rooms, min_meetings, members)

    @work(thread=True, exclusive=True, exit_on_error=False, group="planner")
    def _solve(
        self,
        days_text: str,
        slots_text: str,
        rooms_text: str,
        min_text: str,
        members: tuple[str, ...],
    ) -> None:
        from coprod.planner import (
            PlanRequest,
            candidates_from_pairings,
            parse_days,
            parse_rooms,
            parse_slots,
            plan,
        )

        try:
            rooms = _whole_number(rooms_text, "rooms")
            min_meetings = _whole_number(min_text or "0", "min meetings per member")
            days = parse_days(days_text)
            request = PlanRequest(
                members, parse_slots(slots_text, days), parse_rooms(rooms), (), min_meetings
            )
            if not members:
                raise CoprodError(
                    "no delegation member: tick some in the Delegation tab"
                    if self.delegation
                    else "no foreign firm in the shortlist: nothing to plan"
                )
            candidates = candidates_from_pairings(
                self.pairings, self.catalog, members, requirements=self.requirements
            )
            result = plan(request, candidates, self.catalog.partners, time_limit=self.time_limit)
        except CoprodError as error:
            self.post_message(PlanFailed(str(error)))
        except Exception as error:  # a solver failure must not take the TUI down
            self.post_message(PlanFailed(f"planner failed: {describe_error(error)}"))
        else:
            self.post_message(PlanReady(result))

    @on(PlanFailed)
    def _show_failure(self, message: PlanFailed) -> None:
        self._status(literal(message.message, "bold #d64545"))

    @on(PlanReady)
    def _show_plan(self, message: PlanReady) -> None:
        from coprod.planner import plan_summary

        result = message.result
        self.result = result
        self._status(literal_block("\n".join(plan_summary(result))))
        self._fill_grid(result)
        self._fill_firms(result)
        self._fill_missed(result)

    def _status(self, text: Text) -> None:
        """The plan's summary (or why there is none): only planning writes here."""
        self.query_one("#plan-status", Label).update(text)

    def _say(self, text: Text, *, error: bool = False) -> None:
        """What an action did (an export, a refused file name): its own line and a toast,
        so the summary above stays."""
        self.query_one("#plan-message", Label).update(text)
        self.app.notify(
            text.plain, title="Planner", severity="error" if error else "information", markup=False
        )

    # ------------------------------------------------------------ views

    def _room_width(self, rooms: int) -> int:
        """Each room's column: an equal share of the grid's width, within bounds (the grid
        scrolls sideways when the rooms need more)."""
        grid = self.query_one("#plan-grid", DataTable)
        # Every column takes its width plus a cell of padding each side; 1 for the scrollbar.
        room_for_rooms = max(grid.size.width, 40) - (DAY_WIDTH + 2) - (TIME_WIDTH + 2) - 1
        share = room_for_rooms // max(rooms, 1) - 2
        return max(ROOM_COLUMN_MIN, min(ROOM_COLUMN_MAX, share))

    def _fill_grid(self, result: PlanResult) -> None:
        grid = self.query_one("#plan-grid", DataTable)
        grid.clear(columns=True)
        rooms = result.request.rooms
        width = self._room_width(rooms)
        grid.add_column("Day", width=DAY_WIDTH)
        grid.add_column("Time", width=TIME_WIDTH)
        for room in range(1, rooms + 1):
            grid.add_column(room_label(room, width), width=width)
        by_place = {(m.slot, m.room): m for m in result.meetings}
        used = {m.slot for m in result.meetings}
        # Shortened as sets, so two firms never read alike in a narrow cell; every
        # member in the width left beside a consent mark, so one firm reads the same
        # in every cell.
        marked = any(m.candidate.consent_countries for m in result.meetings)
        members = distinct_short_names(
            {m.candidate.foreign_id: result.name(m.candidate.foreign_id) for m in result.meetings},
            width - len(CONSENT_MARK) * marked,
        )
        met = distinct_short_names(
            {m.candidate.local_id: result.name(m.candidate.local_id) for m in result.meetings},
            width - 2,
        )
        shown_day = None
        free_run: list = []

        def day_cell(slot) -> Text:
            nonlocal shown_day
            if slot.day == shown_day:
                return Text("")
            shown_day = slot.day
            return Text(f"{slot.day:%a %d}", style="bold")

        def flush_free() -> None:
            if not free_run:
                return
            first, last = free_run[0], free_run[-1]
            words = f"{len(free_run)} free slot{'s' * (len(free_run) != 1)}"
            until = Text(f"until {last.end:%H:%M}", style="dim") if rooms > 1 else Text("")
            grid.add_row(
                day_cell(first),
                Text(f"{first.start:%H:%M}", style="dim"),
                Text(words, style="dim italic"),
                *([until] if rooms > 1 else []),
                *(Text("") for _ in range(rooms - 2)),
            )
            free_run.clear()

        for slot in result.request.slots:
            if free_run and free_run[-1].day != slot.day:
                flush_free()
            if slot not in used:
                free_run.append(slot)
                continue
            flush_free()
            cells: list[Text] = [day_cell(slot), Text(f"{slot.start:%H:%M}")]
            for room in range(1, rooms + 1):
                meeting = by_place.get((slot, room))
                if meeting is None:
                    cells.append(Text("·", style="dim"))
                    continue
                cells.append(self._meeting_cell(meeting, members, met))
            grid.add_row(*cells, height=2)
        flush_free()

    @staticmethod
    def _meeting_cell(meeting, members: Mapping[str, str], met: Mapping[str, str]) -> Text:
        """The member on the first line, "× the Taiwanese firm" on the second, each name
        as shortened for the column; ⚑ marks a meeting that needs export consent."""
        candidate = meeting.candidate
        cell = Text(members[candidate.foreign_id], "bold")
        if candidate.consent_countries:
            cell.append(CONSENT_MARK, style=CONSENT_STYLE)
        cell.append("\n× ")
        cell.append(met[candidate.local_id])
        return cell

    def _fill_firms(self, result: PlanResult) -> None:
        firms = self.query_one("#plan-firms", OptionList)
        firms.clear_options()
        shown = distinct_short_names({f: result.name(f) for f in result.firms()}, FIRM_LIST_NAME)
        for firm in result.firms():
            count = len(result.agenda(firm))
            label = literal(shown[firm])
            label.append(f"  {count}", style="dim")
            firms.add_option(Option(label, id=firm))
        if firms.option_count:
            firms.highlighted = 0
            self._fill_agenda(result.firms()[0])

    @on(OptionList.OptionHighlighted, "#plan-firms")
    def _firm_chosen(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._fill_agenda(event.option.id)

    def _fill_agenda(self, firm: str) -> None:
        result = self.result
        if result is None:
            return
        agenda = self.query_one("#plan-agenda", DataTable)
        agenda.clear(columns=True)
        agenda.add_columns("When", "Rm", "With", "Covers")
        meetings = result.agenda(firm)
        others = {
            (m.candidate.local_id if firm == m.candidate.foreign_id else m.candidate.foreign_id)
            for m in meetings
        }
        with_names = distinct_short_names({o: result.name(o) for o in others}, AGENDA_NAME)
        for meeting in meetings:
            candidate = meeting.candidate
            other = candidate.local_id if firm == candidate.foreign_id else candidate.foreign_id
            covers = Text()
            for index, topic in enumerate(candidate.topics):
                if index:
                    covers.append(", ")
                covers.append(printable(topic.requirement_id), style="bold")
            if candidate.consent_countries:
                covers.append(" ⚑ consent: ", style=CONSENT_STYLE)
                covers.append(printable(", ".join(candidate.consent_countries)), CONSENT_STYLE)
            agenda.add_row(
                Text(f"{meeting.slot.day:%a} {meeting.slot.start:%H:%M}"),
                str(meeting.room),
                literal(with_names[other]),
                covers,
            )

    def _fill_missed(self, result: PlanResult) -> None:
        missed = self.query_one("#plan-missed", DataTable)
        missed.clear(columns=True)
        missed.add_columns("Delegation member", "Taiwanese firm", "Value", "Why")
        for item in result.unscheduled:
            missed.add_row(
                literal(result.name(item.candidate.foreign_id)),
                literal(result.name(item.candidate.local_id)),
                f"{item.candidate.value:.1f}",
                literal(item.reason),
            )
        for excluded in result.excluded:
            missed.add_row(
                literal(result.name(excluded.foreign_id)),
                literal(result.name(excluded.local_id) if excluded.local_id else "-"),
                "-",
                literal(f"{excluded.requirement_id}: {excluded.reason}"),
            )

    # ------------------------------------------------------------ export

    def action_export(self) -> None:
        export = self.query_one("#plan-export", Input)
        if not export.value:
            export.value = "plan.md"
        export.add_class("-visible")
        export.focus()

    @on(Input.Submitted, "#plan-export")
    def _export(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        try:
            if not event.value.strip():
                known = ", ".join(extensions_for(PLAN_FILE_FORMATS))
                raise CoprodError(f"type a file name ({known})")
            fmt = format_for_output(path, PLAN_FILE_FORMATS)
        except CoprodError as error:
            self._say(literal(f"Export: {error}", "bold #d64545"), error=True)
            return
        if self.result is None:
            self._say(Text("Nothing to export yet: the plan is still being made.", style="dim"))
            return
        self._write_export(self.result, path, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-export")
    def _write_export(self, result: PlanResult, path: Path, fmt: str) -> None:
        from coprod.files import write_atomically
        from coprod.planner import write_plan

        try:
            write_atomically(path, lambda stream: write_plan(result, fmt, stream))
        except (CoprodError, OSError) as error:
            self.app.call_from_thread(self._exported, literal(f"Export failed: {error}"), False)
            return
        count = len(result.meetings)
        done = literal(f"Exported {count} meeting{'s' * (count != 1)} to {path} ({fmt}).")
        self.app.call_from_thread(self._exported, done, True)

    def _exported(self, text: Text, ok: bool) -> None:
        if ok:
            self.query_one("#plan-export", Input).remove_class("-visible")
            self.query_one("#plan-grid", DataTable).focus()
        else:
            text.stylize("bold #d64545")
        self._say(text, error=not ok)
