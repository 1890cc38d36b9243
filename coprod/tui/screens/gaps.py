"""The gap view: how well each requirement is covered, and the coverage heat map.

A requirement is covered only when a feasible pairing reaches the coverage
threshold (the config file's `gap_threshold` when it sets one, else
coprod.gaps.DEFAULT_COVERAGE_THRESHOLD, as for `coprod brief`; the field at
the top changes it, and only the states are judged again, nothing is ranked
again). The view follows
the main screen's country filter. Every requirement not covered is listed
with its state (weakly covered, all blocked, no capable partner); Enter or a
click on a heat-map cell opens the requirements and partners behind it.
"""

from __future__ import annotations

import weakref
from contextlib import suppress

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Label, Static

from coprod.errors import describe_error
from coprod.gaps import (
    ALL_BLOCKED,
    COVERED,
    DEFAULT_COVERAGE_THRESHOLD,
    NO_CAPABLE_PARTNER,
    WEAKLY_COVERED,
    Analysis,
    CellContents,
)
from coprod.model import Requirement
from coprod.session import CatalogSession
from coprod.tui.host import CoprodScreen
from coprod.tui.messages import CoverageReady, RankFailed
from coprod.tui.render import HEAT_STEPS, country_codes, country_legend, heat_cell, literal
from coprod.tui.widgets.footer import CoprodFooter
from coprod.tui.widgets.tables import CoprodTable, clipped, text_width

COUNTRY_COLUMN_WIDTH = 5  # a 3-letter code, or a score like ' 84 '
CATEGORY_COLUMN_WIDTH = 20
STATE_STYLE = {
    COVERED: "#2e9e5b",
    WEAKLY_COVERED: "#c98a00",
    ALL_BLOCKED: "#d67a2e",
    NO_CAPABLE_PARTNER: "#d64545",
}
STATE_WORDS = {
    COVERED: "covered",
    WEAKLY_COVERED: "weakly covered",
    ALL_BLOCKED: "all blocked",
    NO_CAPABLE_PARTNER: "no capable partner",
}
CELL_PARTNERS_SHOWN = 12

# One analysis per (session, country filter): it ranks every requirement over the whole
# catalog, so reopening the view or changing the threshold must not pay for it again.
_ANALYSES: weakref.WeakKeyDictionary[CatalogSession, dict[str | None, Analysis]] = (
    weakref.WeakKeyDictionary()
)


def heat_legend() -> Text:
    legend = Text("best feasible score ", style="dim")
    for floor, colour in HEAT_STEPS:
        label = f" ≥{floor:.0f} " if floor else " <20 "
        legend.append(label, style=f"#000000 on {colour}")
    legend.append("  ·", style="dim")
    legend.append(" none feasible · Enter on a cell: what is behind it", style="dim")
    return legend


def parse_threshold(text: str) -> float | None:
    """A threshold typed in the view: a number from 0 to 100, else None."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if 0.0 <= value <= 100.0 else None


def coverage_words(analysis: Analysis, total: int, country: str | None) -> Text:
    """ "Coverage of 34 requirements (covered: a feasible pairing scores ≥ 50): 31 covered ·
    2 weakly covered · 1 with no capable partner"."""
    caption = Text("Coverage", style="bold")
    where = f" by partners from {country}" if country else ""
    caption.append(
        f" of {total:,} requirements{where} (covered: a feasible pairing scores"
        f" ≥ {analysis.threshold:g}): "
    )
    for index, state in enumerate((COVERED, WEAKLY_COVERED, ALL_BLOCKED, NO_CAPABLE_PARTNER)):
        count = analysis.count(state)
        if index:
            caption.append(" · ", style="dim")
        caption.append(
            f"{count:,} {STATE_WORDS[state]}", style=STATE_STYLE[state] if count else "dim"
        )
    return caption


def cell_report(contents: CellContents) -> RenderableType:
    """What a heat-map cell stands for: the category's requirements with their best
    pairing from the country, and the country's partners behind them."""
    parts: list[RenderableType] = []
    head = literal(contents.category, "bold")
    head.append(" × ")
    head.append_text(literal(contents.country, "bold"))
    best = contents.score
    head.append(f"  best feasible {best:.1f}" if best is not None else "  none feasible", "dim")
    parts.append(head)
    parts.append(Text(""))
    parts.append(Text("Requirements", style="bold underline"))
    for requirement, pairing in contents.requirements:
        line = literal(requirement.requirement_id, "bold")
        line.append(" ")
        line.append_text(literal(requirement.title))
        if pairing is None:
            line.append("  no feasible pairing from here", style="dim italic")
        else:
            line.append(f"  {pairing.score:.1f}", style="bold")
            side = pairing.foreign or pairing.local
            if side is not None:
                line.append(" with ", style="dim")
                line.append_text(literal(side.partner_name))
        parts.append(line)
    parts.append(Text(""))
    parts.append(Text("Partners", style="bold underline"))
    if not contents.partners:
        parts.append(Text("No partner from here has a feasible pairing.", style="italic"))
    for partner in contents.partners[:CELL_PARTNERS_SHOWN]:
        line = literal(partner.name, "bold")
        line.append(f"  best {partner.best_score:.1f} · ", style="dim")
        line.append_text(literal(", ".join(partner.requirement_ids), "dim"))
        parts.append(line)
    hidden = len(contents.partners) - CELL_PARTNERS_SHOWN
    if hidden > 0:
        parts.append(Text(f"… and {hidden:,} more", style="dim"))
    return Group(*parts)


class CellScreen(ModalScreen[None]):
    """The requirements and partners behind one heat-map cell."""

    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, contents: CellContents) -> None:
        super().__init__()
        self.contents = contents

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="cell-dialog"):
            yield Static(cell_report(self.contents), id="cell-report")
            yield Label(Text("Esc closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#cell-dialog").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class GapScreen(CoprodScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    # The list first, not the threshold field (the first focusable widget).
    AUTO_FOCUS = "#gap-list"

    def __init__(self) -> None:
        super().__init__()
        self.analysis: Analysis | None = None
        self.requirements: list[Requirement] = []
        self.country: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Vertical(id="gap-body"):
            with Horizontal(id="gap-settings"):
                yield Label("Covered from score", classes="gap-label")
                yield Input(
                    f"{self._threshold():g}",
                    id="gap-threshold",
                    compact=True,
                    tooltip="A requirement is covered when a feasible pairing scores this or more",
                )
                yield Label("", id="gap-filter")
            yield Label(Text("Coverage: computing…", style="bold"), id="gap-caption")
            yield CoprodTable(id="gap-list")
            yield Label(
                Text("Coverage: requirement category × partner country", style="bold"),
                id="coverage-caption",
            )
            yield CoprodTable(id="coverage")
            yield Label(heat_legend(), id="coverage-legend")
            yield Label(id="country-legend")
        yield CoprodFooter(compact=True)

    def _threshold(self) -> float:
        """The config file's gap_threshold (the app's `config`, read at start) when it
        sets one, else the documented default."""
        from coprod.config import Config

        config = getattr(self.app, "config", None)
        if isinstance(config, Config) and config.from_file("gap_threshold"):
            # The config checked it is a number from 0 to 100.
            return config.gap_threshold
        return DEFAULT_COVERAGE_THRESHOLD

    def on_mount(self) -> None:
        session = self.coprod.session
        self.country = self.coprod.view.country
        self.query_one("#gap-filter", Label).update(
            Text("· partners from ", style="dim").append_text(literal(self.country))
            if self.country
            else Text("· all partner countries", style="dim")
        )
        gap_list = self.query_one("#gap-list", CoprodTable)
        gap_list.focus()
        if session is None:
            self.query_one("#gap-caption", Label).update(
                Text("No catalog loaded yet.", style="bold #d64545")
            )
            return
        known = _ANALYSES.get(session, {}).get(self.country)
        if known is not None:
            self._show(
                known.with_threshold(session.requirements, self._threshold()), session.requirements
            )
            return
        gap_list.loading = True
        self.query_one("#coverage", CoprodTable).loading = True
        self.compute(session, self.country, self._threshold())

    @work(thread=True, exclusive=True, exit_on_error=False, group="gaps")
    def compute(self, session: CatalogSession, country: str | None, threshold: float) -> None:
        from coprod.gaps import analyse

        def progress(done: int, total: int) -> None:
            # The screen or the app may have closed meanwhile: nothing to tell then.
            with suppress(Exception):
                self.app.call_from_thread(self._show_progress, done, total)

        requirements = session.requirements
        countries = sorted({p.country for p in session.catalog.partners.values()})
        try:
            analysis = analyse(
                session.ranker,  # type: ignore[arg-type]
                requirements,
                countries,
                progress=progress,
                threshold=threshold,
                only_countries=(country,) if country else (),
            )
        except Exception as error:
            self.post_message(RankFailed(f"Gap analysis failed: {describe_error(error)}"))
            return
        _ANALYSES.setdefault(session, {})[country] = analysis
        self.post_message(CoverageReady(analysis, requirements, country))

    def _show_progress(self, done: int, total: int) -> None:
        if done < total and self.is_attached:
            caption = Text("Coverage: computing… ", style="bold")
            caption.append(f"{done:,} of {total:,} requirements ranked over every partner")
            self.query_one("#gap-caption", Label).update(caption)

    @on(RankFailed)
    def failed(self, message: RankFailed) -> None:
        self.query_one("#gap-list", CoprodTable).loading = False
        self.query_one("#coverage", CoprodTable).loading = False
        self.app.notify(message.message, title="Gaps", severity="error", markup=False)

    @on(CoverageReady)
    def ready(self, message: CoverageReady) -> None:
        threshold = parse_threshold(self.query_one("#gap-threshold", Input).value)
        analysis = message.analysis
        if threshold is not None and threshold != analysis.threshold:
            analysis = analysis.with_threshold(message.requirements, threshold)
        self._show(analysis, message.requirements)

    def _show(self, analysis: Analysis, requirements: list[Requirement]) -> None:
        self.analysis = analysis
        self.requirements = requirements
        self._fill_gap_list(analysis)
        self._fill_coverage(analysis)

    @on(Input.Changed, "#gap-threshold")
    def threshold_changed(self, event: Input.Changed) -> None:
        threshold = parse_threshold(event.value)
        event.input.set_class(threshold is None, "-invalid")
        if threshold is None or self.analysis is None or threshold == self.analysis.threshold:
            return
        self.analysis = self.analysis.with_threshold(self.requirements, threshold)
        self._fill_gap_list(self.analysis)

    def _fill_gap_list(self, analysis: Analysis) -> None:
        gap_list = self.query_one("#gap-list", CoprodTable)
        # Widths follow the table's width: refilled when the terminal is resized.
        gap_list.remember(lambda: self._fill_gap_list(analysis))
        gap_list.loading = False
        gap_list.clear(columns=True)
        uncovered = analysis.uncovered
        ids = [c.requirement.requirement_id for c in uncovered]
        id_width = text_width(ids, 2, 16)
        why_width = text_width([c.explanation for c in uncovered], 3, 38)
        title_width = max(gap_list.usable_width() - id_width - 13 - why_width - 8, 12)
        gap_list.add_column("id", width=id_width)
        gap_list.add_column("title", width=title_width)
        gap_list.add_column("category", width=13)
        gap_list.add_column("state", width=why_width)
        for coverage in uncovered:
            requirement = coverage.requirement
            gap_list.add_row(
                clipped(literal(requirement.requirement_id), id_width),
                clipped(literal(requirement.title), title_width),
                clipped(literal(requirement.category), 13),
                clipped(literal(coverage.explanation, STATE_STYLE[coverage.state]), why_width),
            )
        gap_list.display = bool(uncovered)
        if not uncovered and gap_list.has_focus:
            self.query_one("#coverage", CoprodTable).focus()
        caption = coverage_words(analysis, len(analysis.coverage), self.country)
        if not uncovered:
            caption.append(" — every requirement is covered", style="#2e9e5b")
        self.query_one("#gap-caption", Label).update(caption)

    def _fill_coverage(self, analysis: Analysis) -> None:
        coverage = self.query_one("#coverage", CoprodTable)
        # The category column takes the room the countries leave: re-measured on resize.
        coverage.remember(lambda: self._fill_coverage(analysis))
        coverage.loading = False
        coverage.clear(columns=True)
        coverage.fixed_columns = 1
        coverage.cell_padding = 0  # score cells carry their own spaces; 12 countries fit in 80
        coverage.cursor_type = "cell"
        matrix = analysis.matrix
        # Narrow terminals clip long categories so more countries fit; wide ones need not.
        room = coverage.usable_width() - 1 - COUNTRY_COLUMN_WIDTH * len(matrix.countries)
        category_width = text_width(matrix.categories, 8, max(CATEGORY_COLUMN_WIDTH, room))
        codes = country_codes(matrix.countries)
        coverage.add_column(" category", width=category_width + 1)
        for country in matrix.countries:
            header = Text(codes[country], justify="center")
            coverage.add_column(header, width=COUNTRY_COLUMN_WIDTH)
        for category in matrix.categories:
            coverage.add_row(
                Text(" ").append_text(clipped(literal(category), category_width)),
                *(heat_cell(matrix.score(category, country)) for country in matrix.countries),
            )
        if matrix.countries:
            coverage.move_cursor(column=1)
        self.query_one("#country-legend", Label).update(country_legend(codes))
        caption = Text("Heat map", style="bold")
        caption.append(f" · best feasible score, category × {len(matrix.countries)} countries")
        self.query_one("#coverage-caption", Label).update(caption)

    def cell_at(self, row: int, column: int) -> CellContents | None:
        """The contents of the heat map's cell at (row, column); None on the category column."""
        analysis = self.analysis
        if analysis is None or column < 1 or row < 0:
            return None
        matrix = analysis.matrix
        if row >= len(matrix.categories) or column > len(matrix.countries):
            return None
        return analysis.cell(
            self.requirements, matrix.categories[row], matrix.countries[column - 1]
        )

    @on(DataTable.CellSelected, "#coverage")
    def open_cell(self, event: DataTable.CellSelected) -> None:
        contents = self.cell_at(event.coordinate.row, event.coordinate.column)
        if contents is not None:
            self.app.push_screen(CellScreen(contents))
