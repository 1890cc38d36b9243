"""The gap view: requirements nobody feasible can serve, and the coverage heat map."""

from __future__ import annotations

from contextlib import suppress

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Label

from coprod.errors import describe_error
from coprod.gaps import NO_CAPABLE_PARTNER
from coprod.session import CatalogSession, GapReport
from coprod.tui.host import CoprodScreen
from coprod.tui.messages import GapsReady, RankFailed
from coprod.tui.render import HEAT_STEPS, country_codes, country_legend, heat_cell, literal
from coprod.tui.widgets.tables import CoprodTable, clipped, text_width

COUNTRY_COLUMN_WIDTH = 5  # a 3-letter code, or a score like ' 84 '
CATEGORY_COLUMN_WIDTH = 20


def heat_legend() -> Text:
    legend = Text("best feasible score ", style="dim")
    for floor, colour in HEAT_STEPS:
        label = f" ≥{floor:.0f} " if floor else " <20 "
        legend.append(label, style=f"#000000 on {colour}")
    legend.append("  ·", style="dim")
    legend.append(" none feasible", style="dim")
    return legend


class GapScreen(CoprodScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Vertical(id="gap-body"):
            yield Label(Text("Gaps: computing…", style="bold"), id="gap-caption")
            yield CoprodTable(id="gap-list")
            yield Label(
                Text("Coverage: requirement category × partner country", style="bold"),
                id="coverage-caption",
            )
            yield CoprodTable(id="coverage")
            yield Label(heat_legend(), id="coverage-legend")
            yield Label(id="country-legend")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        session = self.coprod.session
        gap_list = self.query_one("#gap-list", CoprodTable)
        gap_list.focus()
        if session is None:
            self.query_one("#gap-caption", Label).update(
                Text("No catalog loaded yet.", style="bold #d64545")
            )
            return
        gap_list.loading = True
        self.query_one("#coverage", CoprodTable).loading = True
        self.compute(session)

    @work(thread=True, exclusive=True, exit_on_error=False, group="gaps")
    def compute(self, session: CatalogSession) -> None:
        def progress(done: int, total: int) -> None:
            # The screen or the app may have closed meanwhile: nothing to tell then.
            with suppress(Exception):
                self.app.call_from_thread(self._show_progress, done, total)

        try:
            report = session.gap_report(progress)
        except Exception as error:
            self.post_message(RankFailed(f"Gap analysis failed: {describe_error(error)}"))
            return
        self.post_message(GapsReady(report))

    def _show_progress(self, done: int, total: int) -> None:
        if done < total and self.is_attached:
            caption = Text("Gaps: computing… ", style="bold")
            caption.append(f"{done:,} of {total:,} requirements ranked over every partner")
            self.query_one("#gap-caption", Label).update(caption)

    @on(RankFailed)
    def failed(self, message: RankFailed) -> None:
        self.query_one("#gap-list", CoprodTable).loading = False
        self.query_one("#coverage", CoprodTable).loading = False
        self.app.notify(message.message, title="Gaps", severity="error", markup=False)

    @on(GapsReady)
    def ready(self, message: GapsReady) -> None:
        self.show_report(message.report)

    def show_report(self, report: GapReport) -> None:
        self._fill_gap_list(report)
        self._fill_coverage(report)

    def _fill_gap_list(self, report: GapReport) -> None:
        gap_list = self.query_one("#gap-list", CoprodTable)
        # Widths follow the table's width: refilled when the terminal is resized.
        gap_list.remember(lambda: self._fill_gap_list(report))
        gap_list.loading = False
        gap_list.clear(columns=True)
        ids = [gap.requirement.requirement_id for gap in report.gaps]
        id_width = text_width(ids, 2, 16)
        why_width = text_width([gap.explanation for gap in report.gaps], 3, 28)
        title_width = max(gap_list.usable_width() - id_width - 13 - why_width - 8, 12)
        gap_list.add_column("id", width=id_width)
        gap_list.add_column("title", width=title_width)
        gap_list.add_column("category", width=13)
        gap_list.add_column("why", width=why_width)
        for gap in report.gaps:
            why_style = "#d64545" if gap.reason == NO_CAPABLE_PARTNER else "#c98a00"
            gap_list.add_row(
                clipped(literal(gap.requirement.requirement_id), id_width),
                clipped(literal(gap.requirement.title), title_width),
                clipped(literal(gap.requirement.category), 13),
                clipped(literal(gap.explanation, why_style), why_width),
            )
        caption = Text("Gaps", style="bold")
        if report.gaps:
            verb = "has" if len(report.gaps) == 1 else "have"
            caption.append(
                f" · {len(report.gaps):,} of {report.requirement_count:,} requirements"
                f" {verb} no feasible pairing"
            )
        else:
            caption.append(
                f" · none: each of the {report.requirement_count:,} requirements"
                " has a feasible pairing",
                style="#2e9e5b",
            )
        gap_list.display = bool(report.gaps)
        self.query_one("#gap-caption", Label).update(caption)

    def _fill_coverage(self, report: GapReport) -> None:
        coverage = self.query_one("#coverage", CoprodTable)
        # The category column takes the room the countries leave: re-measured on resize.
        coverage.remember(lambda: self._fill_coverage(report))
        coverage.loading = False
        coverage.clear(columns=True)
        coverage.fixed_columns = 1
        coverage.cell_padding = 0  # score cells carry their own spaces; 12 countries fit in 80
        coverage.cursor_type = "cell"
        matrix = report.matrix
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
        self.query_one("#country-legend", Label).update(country_legend(codes))
        caption = Text("Coverage", style="bold")
        caption.append(f" · best feasible score, category × {len(matrix.countries)} countries")
        self.query_one("#coverage-caption", Label).update(caption)
