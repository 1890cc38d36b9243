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
per member first; edit and press Enter or ctrl+r to re-plan), the schedule as
a day x slot x room grid, each firm's agenda, what did not fit and why, and
the delegation (tick or untick members; the plan follows). `e` asks for a
file name and exports the plan (.md agenda, .csv, .json or .ics, chosen by
the extension through coprod.formats; any other is refused on the status
line). Escape goes back. Its styles are in app.tcss.

Solving runs in a thread worker (CP-SAT, short time limit); the worker only
posts messages, and any error is shown on the status line, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Footer,
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
from coprod.tui.render import literal

MEMBERS_DEBOUNCE_S = 0.4
# What write_plan writes: every plan format but the text table (the CLI renders that).
PLAN_FILE_FORMATS = tuple(fmt for fmt in PLAN_FORMATS if fmt != "table")
CONSENT_STYLE = "bold #c98a00"


def _next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def default_days(today: date | None = None) -> str:
    first = _next_monday(today)
    return f"{first.isoformat()}..{(first + timedelta(days=2)).isoformat()}"


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
            yield Input(self.initial_days, placeholder="days", id="plan-days", tooltip="Days")
            yield Input(self.initial_slots, placeholder="slots", id="plan-slots", tooltip="Slots")
            yield Input(str(self.initial_rooms), placeholder="rooms", id="plan-rooms")
            yield Input(
                str(self.initial_min_meetings),
                placeholder="min/member",
                id="plan-min",
                tooltip="Meetings each member gets first, where possible (0: value only)",
            )
        yield Label(Text("Planning...", style="dim"), id="plan-status")
        with TabbedContent(id="plan-tabs"):
            with TabPane("Schedule", id="tab-grid"):
                yield DataTable(id="plan-grid", zebra_stripes=True, cursor_type="row")
            with TabPane("Agendas", id="tab-agenda"), Horizontal():
                yield OptionList(id="plan-firms")
                with Vertical():
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
        yield Footer(compact=True)

    def _member_label(self, partner_id: str) -> Text:
        partner = self.catalog.partners.get(partner_id)
        label = literal(partner.name if partner else partner_id)
        if partner is not None:
            label.append(f"  {printable(partner.country)}", style="dim")
        return label

    def on_mount(self) -> None:
        self.title = "Delegation planner"
        self.query_one("#plan-grid", DataTable).focus()
        self.action_replan()

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
        from coprod.planner import summary_lines

        result = message.result
        self.result = result
        self._status(Text("\n".join(summary_lines(result)[:3])))
        self._fill_grid(result)
        self._fill_firms(result)
        self._fill_missed(result)

    def _status(self, text: Text) -> None:
        self.query_one("#plan-status", Label).update(text)

    # ------------------------------------------------------------ views

    def _fill_grid(self, result: PlanResult) -> None:
        grid = self.query_one("#plan-grid", DataTable)
        grid.clear(columns=True)
        grid.add_columns("Day", "Time", *(f"Room {n}" for n in range(1, result.request.rooms + 1)))
        by_place = {(m.slot, m.room): m for m in result.meetings}
        for slot in result.request.slots:
            cells: list[Text | str] = [slot.day.isoformat(), f"{slot.start:%H:%M}-{slot.end:%H:%M}"]
            for room in range(1, result.request.rooms + 1):
                meeting = by_place.get((slot, room))
                if meeting is None:
                    cells.append(Text("-", style="dim"))
                    continue
                candidate = meeting.candidate
                cell = literal(f"{result.name(candidate.foreign_id)} x ")
                cell.append(printable(result.name(candidate.local_id)))
                if candidate.consent_countries:
                    cell.append(" (consent)", style=CONSENT_STYLE)
                cells.append(cell)
            grid.add_row(*cells)

    def _fill_firms(self, result: PlanResult) -> None:
        firms = self.query_one("#plan-firms", OptionList)
        firms.clear_options()
        for firm in result.firms():
            count = len(result.agenda(firm))
            label = literal(result.name(firm))
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
        agenda.add_columns("When", "Room", "With", "Covers", "Consent")
        for meeting in result.agenda(firm):
            candidate = meeting.candidate
            other = candidate.local_id if firm == candidate.foreign_id else candidate.foreign_id
            covers = Text()
            for index, topic in enumerate(candidate.topics):
                if index:
                    covers.append("; ")
                covers.append(printable(topic.requirement_id), style="bold")
                covers.append(" " + printable(topic.requirement_title))
            consent = ", ".join(candidate.consent_countries)
            agenda.add_row(
                meeting.slot.label,
                str(meeting.room),
                literal(result.name(other)),
                covers,
                literal(consent, CONSENT_STYLE) if consent else Text("-", style="dim"),
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
        from coprod.files import write_atomically
        from coprod.planner import write_plan

        path = Path(event.value.strip()).expanduser()
        try:
            if not event.value.strip():
                known = ", ".join(extensions_for(PLAN_FILE_FORMATS))
                raise CoprodError(f"type a file name ({known})")
            fmt = format_for_output(path, PLAN_FILE_FORMATS)
        except CoprodError as error:
            self._status(literal(f"Export: {error}", "bold #d64545"))
            return
        if self.result is None:
            self._status(Text("Nothing to export yet: the plan is still being made.", style="dim"))
            return
        result = self.result
        try:
            write_atomically(path, lambda stream: write_plan(result, fmt, stream))
        except (CoprodError, OSError) as error:
            self._status(literal(f"Export failed: {error}", "bold #d64545"))
            return
        event.input.remove_class("-visible")
        self.query_one("#plan-grid", DataTable).focus()
        self._status(literal(f"Exported {len(result.meetings)} meeting(s) to {path} ({fmt})."))
