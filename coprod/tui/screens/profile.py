"""A partner's profile (`p` on a pairing, or a partner or system in the palette).

What it makes (every capability line with its system and category), what it
co-develops (the catalog's codevelopers and the knowledge base's relations,
each marked with where it comes from), its country's posture with the basis,
the sources, and every requirement it matches with the score. The profile is
read from the loaded catalog at once; the requirements are scored in a worker
(about one ranking of the whole catalog) and fill in batch by batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, Label, Static
from textual.worker import get_current_worker

from coprod.errors import describe_error
from coprod.profile import (
    KNOWLEDGE_BASE,
    PartnerProfile,
    RequirementMatch,
    matched_requirements,
    partner_profile,
)
from coprod.reasons import web_addresses
from coprod.session import CatalogSession
from coprod.tui.host import CoprodHost, CoprodScreen
from coprod.tui.render import (
    POSTURE_STYLE,
    feasibility_text,
    literal,
    literal_block,
    score_cell,
    source_lines,
)
from coprod.tui.widgets.footer import CoprodFooter
from coprod.tui.widgets.tables import CoprodTable, clipped

ROLE_NAMES = {"co_developer": "co-developer", "licensor": "licensor", "licensee": "licensee"}


@dataclass
class ProfileScored(Message):
    """A batch of the partner's requirements was scored (from the profile's worker)."""

    session: CatalogSession
    partner_id: str
    done: int
    total: int
    found: list[RequirementMatch]


@dataclass
class ProfileFailed(Message):
    message: str


def open_profile(app: App, partner_id: str) -> None:
    """Show a partner's profile (a notification when the catalog cannot say)."""
    session = getattr(app, "session", None)
    if session is None:
        app.notify("The catalog is still loading.", severity="warning", timeout=2)
        return
    if partner_id not in session.catalog.partners:
        app.notify("This pairing has no partner in the catalog.", severity="warning", timeout=2)
        return
    screen = app.screen
    if isinstance(screen, ProfileScreen) and screen.partner_id == partner_id:
        return  # already shown: a repeated key must not stack another
    app.push_screen(ProfileScreen(partner_id))


def profile_text(profile: PartnerProfile) -> Group:
    """Who the partner is, its posture, its lines and its co-developments (Text only)."""
    partner = profile.partner
    parts: list[RenderableType] = []
    head = literal(partner.name, "bold")
    head.append("  ")
    head.append(literal(partner.partner_id, "dim"))
    parts.append(head)
    where = literal(partner.country)
    if partner.kind:
        where.append(" · ")
        where.append_text(literal(partner.kind))
    parts.append(where)
    if partner.description.strip():
        parts.append(literal_block(partner.description, "italic"))
    parts.append(Text(""))
    posture = Text("Posture of ", style="bold")
    posture.append(literal(partner.country, "bold"))
    posture.append(": ")
    if profile.posture is None:
        posture.append("unknown (the catalog has no posture for this country)", style="dim")
        parts.append(posture)
    else:
        name = profile.posture.posture
        posture.append(literal(name, POSTURE_STYLE.get(name, "")))
        parts.append(posture)
        if profile.posture.note.strip():
            parts.append(literal_block(profile.posture.note))
    parts.append(Text(""))
    count = len(profile.capabilities)
    parts.append(Text(f"Capability lines ({count})", style="bold underline"))
    lines = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    lines.add_column("line", ratio=3)
    lines.add_column("system", ratio=1)
    lines.add_column("category", ratio=1)
    for line in profile.capabilities:
        lines.add_row(
            literal(line.capability),
            literal(line.system) if line.system else Text("—", style="dim"),
            literal(line.category) if line.category else Text("—", style="dim"),
        )
    parts.append(lines)
    parts.append(Text(""))
    parts.append(Text("Co-developments", style="bold underline"))
    if not profile.codevelopments:
        parts.append(Text("None on record in the catalog or the knowledge base.", style="dim"))
    system = None
    for step in profile.codevelopments:
        if step.system != system:
            system = step.system
            parts.append(literal(system, "bold"))
        row = Text("  ")
        row.append_text(literal(step.organisation, "bold" if step.is_self else ""))
        if step.country:
            row.append(" (")
            row.append_text(literal(step.country))
            row.append(")")
        row.append(" · ")
        row.append_text(literal(ROLE_NAMES.get(step.role, step.role)))
        row.append(" · ")
        row.append(step.origin, style="italic" if step.origin == KNOWLEDGE_BASE else "dim")
        if step.is_self:
            row.append(" · this partner", style="dim")
        parts.append(row)
    return Group(*parts)


def sources_text(profile: PartnerProfile) -> Group:
    parts: list[RenderableType] = [Text("Sources", style="bold underline")]
    if profile.sources:
        parts.extend(source_lines(profile.sources))
    else:
        parts.append(Text("No source named.", style="dim"))
    return Group(*parts)


class ProfileScreen(CoprodScreen):
    DEFAULT_CSS = """
    ProfileScreen #profile-body { height: 1fr; padding: 0 1; }
    ProfileScreen #profile-body:focus { background-tint: $foreground 3%; }
    ProfileScreen #profile-req-caption { height: 1; width: 1fr; padding: 0 1; background: $panel; }
    ProfileScreen #profile-requirements { height: 40%; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("u", "copy_addresses", "Copy URLs", tooltip="Copy the sources' web addresses"),
    ]

    def __init__(self, partner_id: str) -> None:
        super().__init__()
        self.partner_id = partner_id
        self.matches: list[RequirementMatch] = []
        self.scored = False  # every requirement has been scored

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with VerticalScroll(id="profile-body", can_focus=True):
            yield Static(id="profile-head")
            yield Static(id="profile-sources")
        yield Label(Text("Requirements it matches", style="bold"), id="profile-req-caption")
        yield CoprodTable(id="profile-requirements")
        yield CoprodFooter(compact=True)

    def on_mount(self) -> None:
        session = self.coprod.session
        if session is None or self.partner_id not in session.catalog.partners:
            self.query_one("#profile-head", Static).update(
                Text("This partner is not in the catalog in use.", style="dim")
            )
            return
        profile = partner_profile(session.catalog, self.partner_id)
        self.profile = profile
        self.sub_title = profile.partner.name
        self.query_one("#profile-head", Static).update(profile_text(profile))
        self.query_one("#profile-sources", Static).update(Group(Text(""), sources_text(profile)))
        self._show_matches(0, len(session.catalog.requirements))
        self.query_one("#profile-body").focus()
        self.score_requirements(session, self.partner_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def score_requirements(self, session: CatalogSession, partner_id: str) -> None:
        worker = get_current_worker()
        total = len(session.catalog.requirements)
        try:
            for done, found in matched_requirements(session.ranker, session.catalog, partner_id):
                if worker.is_cancelled:
                    return
                self.post_message(ProfileScored(session, partner_id, done, total, found))
        except Exception as error:  # shown, never a crash
            self.post_message(
                ProfileFailed(f"Scoring the requirements failed: {describe_error(error)}")
            )

    @on(ProfileScored)
    def scored_batch(self, message: ProfileScored) -> None:
        if message.session is not self.coprod.session or message.partner_id != self.partner_id:
            return
        self.matches.extend(message.found)
        self.scored = message.done >= message.total
        self._show_matches(message.done, message.total)

    @on(ProfileFailed)
    def scoring_failed(self, message: ProfileFailed) -> None:
        self.app.notify(message.message, title="Profile", severity="error", markup=False)

    def _show_matches(self, done: int, total: int) -> None:
        caption = Text("Requirements it matches", style="bold")
        caption.append(f" · {len(self.matches)}")
        if done < total:
            caption.append(f" · scoring {done}/{total}…", style="dim")
        else:
            caption.append(" · best pairing's score under its country", style="dim")
        self.query_one("#profile-req-caption", Label).update(caption)
        table = self.query_one("#profile-requirements", CoprodTable)
        keep = table.selected_key()
        table.remember(lambda: self._show_matches(done, total))
        width = table.usable_width()
        id_width = min(max((len(m.requirement_id) for m in self.matches), default=6), 14)
        rest = max(width - id_width - 10 - 9 - 10, 20)
        title_width = max(rest // 2, 12)
        line_width = max(rest - title_width, 10)
        table.clear(columns=True)
        table.add_column("id", width=id_width)
        table.add_column("title", width=title_width)
        table.add_column("score", width=10)
        table.add_column("feas.", width=8)
        table.add_column("its line", width=line_width)
        ordered = sorted(self.matches, key=lambda m: (-m.score, m.requirement_id))
        for match in ordered:
            table.add_row(
                clipped(literal(match.requirement_id), id_width),
                clipped(literal(match.title), title_width),
                score_cell(match.score, 4),
                feasibility_text(match.feasibility),
                clipped(literal(match.capability), line_width),
                key=match.requirement_id,
            )
        if keep is not None:
            index = next((i for i, m in enumerate(ordered) if m.requirement_id == keep), None)
            if index is not None:
                table.move_cursor(row=index, animate=False)

    def action_copy_addresses(self) -> None:
        profile = getattr(self, "profile", None)
        addresses = list(
            dict.fromkeys(
                a
                for _, source in (profile.sources if profile else ())
                for a in web_addresses(source)
            )
        )
        if not addresses:
            self.app.notify("This partner's sources name no web address.", title="Copy")
            return
        self.app.copy_to_clipboard("\n".join(addresses))
        count = len(addresses)
        self.app.notify(f"Copied {count} web address{'es' * (count != 1)}.", title="Copy")

    @on(DataTable.RowSelected, "#profile-requirements")
    def requirement_chosen(self, event: DataTable.RowSelected) -> None:
        rid = event.row_key.value
        if rid is not None:
            show_requirement(self.app, rid)


def show_requirement(app: App, requirement_id: str) -> None:
    """Back to the main screen with `requirement_id` selected (the filter cleared if it
    hides it)."""
    host: CoprodHost = app  # type: ignore[assignment]
    host.back_to_main()
    main = host.main_screen
    table = main.query_one("#requirements", DataTable)

    def select(tries: int = 50) -> None:
        if requirement_id not in table.rows:
            if tries:  # a long list is added a chunk at a time: wait for its row
                main.set_timer(0.02, lambda: select(tries - 1))
            else:
                app.notify("That requirement is not listed.", severity="warning", timeout=2)
            return
        table.move_cursor(row=table.get_row_index(requirement_id), animate=False, scroll=True)
        table.focus()

    if requirement_id not in table.rows:
        clear = getattr(main, "action_clear_filter", None)
        if clear is not None:
            clear()
    select()
