"""The TUI driven by Textual's pilot against real DuckDB catalogs built from the fixtures.

Every binding is pressed here and the test reads what the screen then holds.
Workers are awaited (`settle`), never slept on. No pytest-asyncio here: each
test runs its scenario with asyncio.run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import HOSTILE_NAME, PARTNERS, REQUIREMENTS, write_catalog_folder
from test_tui_support import (
    NARROW,
    WIDE,
    detail_text,
    label_text,
    main_tables,
    plain,
    run,
    settle,
    started_app,
    static_text,
    table_rows,
    type_text,
)
from textual.widgets import DataTable, Input, Label, Static

from coprod.safe import printable
from coprod.tui.bindings import binding_sections
from coprod.tui.screens.adhoc import AdhocScreen
from coprod.tui.screens.detail import DetailScreen
from coprod.tui.screens.dialogs import PickerDialog, ProblemsDialog
from coprod.tui.screens.export import ExportDialog
from coprod.tui.screens.gaps import GapScreen
from coprod.tui.screens.help import HelpScreen, binding_key
from coprod.tui.screens.main import MainScreen
from coprod.tui.screens.refresh import RefreshDialog
from coprod.tui.screens.shortlist import ShortlistScreen
from coprod.tui.widgets.detail import PairingDetail

# ----- the main screen ---------------------------------------------------------------------


def test_main_screen_lists_requirements_rankings_and_detail(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            requirements, pairings = main_tables(app)
            rows = table_rows(requirements)
            ids = [r["requirement_id"] for r in REQUIREMENTS]
            # The row keys are the whole ids; a cell may clip a long one with an ellipsis.
            assert [key.value for key in requirements.rows] == ids
            for row, rid in zip(rows, ids, strict=True):
                assert row[0] == rid or (row[0].endswith("…") and rid.startswith(row[0][:-1]))
            # Every requirement got its best score and verdict from the batch ranking.
            assert all(row[4].strip() and row[4] != "…" for row in rows)
            assert {row[5] for row in rows} <= {"ok", "consent", "blocked", "—"}
            assert "Requirements · 5" in label_text(app.screen, "#req-caption")
            assert "Pairings for req-155-guided" in label_text(app.screen, "#pair-caption")
            assert pairings.row_count > 0
            text = detail_text(app)
            for heading in ("Score components", "Foreign partner", "Local co-producer"):
                assert heading in text
            assert "Consent chain" in text and "Sources" in text

    run(scenario)


def test_arrows_move_between_requirements_and_enter_reaches_the_detail(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            screen: MainScreen = app.screen
            requirements, pairings = main_tables(app)
            assert requirements.has_focus
            await pilot.press("down")
            await settle(pilot)
            assert screen.requirement_id == "req-small-drones"
            assert "req-small-drones" in label_text(screen, "#pair-caption")
            assert all(p.requirement_id == "req-small-drones" for p in screen.pairings)
            req_caption = screen.query_one("#req-caption", Label)
            pair_caption = screen.query_one("#pair-caption", Label)
            assert req_caption.has_class("-active") and not pair_caption.has_class("-active")
            await pilot.press("enter")
            await pilot.pause()
            assert pairings.has_focus
            # The caption of the list that has the keys is lit, so Enter visibly moves.
            assert pair_caption.has_class("-active") and not req_caption.has_class("-active")
            await pilot.press("down")
            await pilot.pause()
            shown = app.screen.query_one("#detail", PairingDetail).pairing
            assert shown is screen.pairings[1]
            await pilot.press("enter")
            assert app.screen.query_one("#detail", PairingDetail).has_focus

    run(scenario)


def test_narrow_terminal_opens_the_detail_on_its_own_screen(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            assert not app.screen.query_one("#detail", PairingDetail).display
            await pilot.press("enter", "enter")
            assert isinstance(app.screen, DetailScreen)
            text = detail_text(app, "#detail-full")
            assert "Score components" in text
            await pilot.press("space")
            assert len(app.shortlist) == 1
            await pilot.press("escape")
            assert isinstance(app.screen, MainScreen)

    run(scenario)


def test_detail_explains_a_blocked_pairing_with_its_consent_chain(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            screen: MainScreen = app.screen
            _, pairings = main_tables(app)
            blocked = [i for i, p in enumerate(screen.pairings) if p.feasibility == "blocked"]
            assert blocked, "the fixture blocks Excalibur through Sweden"
            pairings.focus()
            pairings.move_cursor(row=pairings.row_of(screen.pairings[blocked[0]]))
            await pilot.pause()
            text = detail_text(app)
            assert "blocked by Sweden" in text
            assert "Sweden — blocked (blocks)" in text
            assert "Refused consent for Excalibur exports to Taiwan" in text
            if screen.pairings[blocked[0]].foreign.system == "Excalibur":
                assert "Co-developers of Excalibur" in text
            assert "test fixture" in text  # the sources of the facts

    run(scenario)


def test_matched_words_are_highlighted_in_the_capability_phrase(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            detail = app.screen.query_one("#detail", PairingDetail)
            pairing = detail.pairing
            side = pairing.foreign or pairing.local
            assert side.matched_tokens
            group = detail.query_one(Static).content
            phrase = next(r for r in group.renderables if getattr(r, "plain", "").startswith("  “"))
            assert phrase.plain == "  “155mm artillery shells, 120 mm mortar rounds”"
            assert side.matched_tokens == ("155mm", "projectile", "ammunition")
            # each word read as a matched token is marked ("shells" reads as "projectile",
            # "rounds" as "ammunition"), and nothing else ("120 mm" is no match)
            highlighted = [phrase.plain[s.start : s.end] for s in phrase.spans]
            assert highlighted == ["155mm", "shells", "rounds"]

    run(scenario)


# ----- keys ------------------------------------------------------------------------------


def test_slash_filters_requirements_as_you_type_and_escape_clears(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            requirements, _ = main_tables(app)
            await pilot.press("slash")
            field = app.screen.query_one("#filter", Input)
            assert field.has_focus and field.display
            await type_text(pilot, "missiles")
            await settle(pilot, delay=0.3)
            assert [key.value for key in requirements.rows] == ["req-atgm", "req-coastal"]
            assert "2 of 5 match" in label_text(app.screen, "#req-caption")
            # Letters typed into the filter are text, not commands: "missiles" holds the
            # keys of the shortlist (s) and export (e), and "q" would quit.
            main = app.screen
            await type_text(pilot, "q")
            assert field.value == "missilesq"
            assert app.is_running and app.screen is main and len(app.screen_stack) == 1
            await pilot.press("backspace")
            await settle(pilot, delay=0.3)
            assert field.value == "missiles"
            assert [key.value for key in requirements.rows] == ["req-atgm", "req-coastal"]
            await pilot.press("enter")
            assert requirements.has_focus
            assert app.screen.requirement_id == "req-atgm"
            await pilot.press("escape")
            await pilot.pause()
            assert requirements.row_count == 5 and not field.display

    run(scenario)


def test_n_ranks_an_adhoc_requirement_as_you_type(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            await pilot.press("n")
            assert isinstance(app.screen, AdhocScreen)
            await type_text(pilot, "coastal anti ship missile")
            await settle(pilot, delay=0.35)
            screen: AdhocScreen = app.screen
            partners = {p.foreign.partner_id for p in screen.pairings if p.foreign}
            assert "kongsberg" in partners
            assert screen.requirement.title == "coastal anti ship missile"
            caption = label_text(screen, "#adhoc-caption")
            assert "for coastal anti ship missile" in caption
            # Typing on re-ranks: the answer follows the latest text only.
            await type_text(pilot, " javelin")
            await settle(pilot, delay=0.35)
            assert screen.requirement.title == "coastal anti ship missile javelin"
            await pilot.press("down", "space")
            assert len(app.shortlist) == 1
            assert app.shortlist.entries[0].requirement.requirement_id == "query-1"
            await pilot.press("escape")
            assert isinstance(app.screen, MainScreen)

    run(scenario)


def test_c_keeps_only_partners_from_one_country(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            await pilot.press("c")
            assert isinstance(app.screen, PickerDialog)
            await type_text(pilot, "norw")
            await pilot.press("enter")
            await settle(pilot)
            screen: MainScreen = app.screen
            assert screen.view.country == "Norway"
            foreign = [p.foreign.country for p in screen.pairings if p.foreign]
            assert foreign and set(foreign) == {"Norway"}
            assert "Norway" in label_text(screen, "#pair-caption")
            await pilot.press("c")
            await type_text(pilot, "all")
            await pilot.press("enter")
            await settle(pilot)
            assert screen.view.country is None
            assert len({p.foreign.country for p in screen.pairings if p.foreign}) > 1

    run(scenario)


def test_b_hides_and_shows_blocked_pairings(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            screen: MainScreen = app.screen
            assert any(p.feasibility == "blocked" for p in screen.pairings)
            await pilot.press("b")
            await settle(pilot)
            assert screen.view.hide_blocked
            assert screen.pairings and all(p.feasibility != "blocked" for p in screen.pairings)
            assert "blocked hidden" in label_text(screen, "#pair-caption")
            await pilot.press("b")
            await settle(pilot)
            assert any(p.feasibility == "blocked" for p in screen.pairings)

    run(scenario)


def test_space_s_and_e_shortlist_and_export_formula_safe_csv(
    catalog_db: Path, tmp_path: Path
) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            screen: MainScreen = app.screen
            _, pairings = main_tables(app)
            hostile_row = next(
                i
                for i, p in enumerate(screen.pairings)
                if p.foreign and p.foreign.partner_id == "hostile-co"
            )
            pairings.focus()
            pairings.move_cursor(row=pairings.row_of(screen.pairings[hostile_row]))
            await pilot.press("space", "space")  # the second is a duplicate, refused
            pairings.move_cursor(row=0)
            await pilot.press("space")
            assert len(app.shortlist) == 2
            await pilot.press("s")
            assert isinstance(app.screen, ShortlistScreen)
            rows = table_rows(app.screen.query_one("#shortlist-table", DataTable))
            assert len(rows) == 2 and rows[0][0] == "req-155-guided"
            await pilot.press("e")
            assert isinstance(app.screen, ExportDialog)
            path_input = app.screen.query_one("#export-path", Input)
            out = tmp_path / "short.csv"
            path_input.value = str(out)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ShortlistScreen)
            with out.open(encoding="utf-8", newline="") as stream:
                records = list(csv.DictReader(stream))
            assert len(records) == 2
            hostile = next(r for r in records if r["foreign_partner_id"] == "hostile-co")
            capability = hostile["foreign_capability"]
            assert capability.startswith("'=")  # a spreadsheet shows it, never runs it
            # JSON by extension; Markdown by choice.
            await pilot.press("e")
            app.screen.query_one("#export-path", Input).value = str(tmp_path / "short.json")
            await pilot.press("enter")
            await settle(pilot)
            data = json.loads((tmp_path / "short.json").read_text(encoding="utf-8"))
            assert len(data) == 2
            # x removes an entry.
            await pilot.press("x")
            assert len(app.shortlist) == 1
            # p plans a visit for the shortlisted firms.
            from coprod.tui.screens.planner import PlannerScreen

            await pilot.press("p")
            assert isinstance(app.screen, PlannerScreen)
            await settle(pilot)
            # Its export takes the format from the same map: .xlsx is refused on the status line.
            await pilot.press("e")
            app.screen.query_one("#plan-export", Input).value = str(tmp_path / "plan.xlsx")
            await pilot.press("enter")
            assert "cannot tell the format" in label_text(app.screen, "#plan-message")
            assert not (tmp_path / "plan.xlsx").exists()
            await pilot.press("escape")  # closes the export field
            await pilot.press("escape")
            assert isinstance(app.screen, ShortlistScreen)

    run(scenario)


def test_export_errors_are_shown_and_the_dialog_stays(catalog_db: Path, tmp_path: Path) -> None:
    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            await pilot.press("e")  # an empty shortlist still exports a valid file
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            dialog.query_one("#export-path", Input).value = str(tmp_path / "nowhere" / "x.csv")
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is dialog
            assert "does not exist" in label_text(dialog, "#export-error")
            dialog.query_one("#export-path", Input).value = str(tmp_path)
            await pilot.press("enter")
            await settle(pilot)
            assert "is a folder" in label_text(dialog, "#export-error")
            # An extension the shortlist cannot be written in is refused, never CSV.
            for name in ("short.xlsx", "short"):
                dialog.query_one("#export-path", Input).value = str(tmp_path / name)
                await pilot.press("enter")
                await settle(pilot)
                assert app.screen is dialog
                error = label_text(dialog, "#export-error")
                assert "cannot tell the format" in error and ".csv, .json, .md" in error
                assert not (tmp_path / name).exists()
            dialog.query_one("#export-path", Input).value = str(tmp_path / "empty.md")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert (tmp_path / "empty.md").read_text(encoding="utf-8").startswith("|")

    run(scenario)


def test_r_refreshes_from_a_folder_and_reloads(catalog_db: Path, tmp_path: Path) -> None:
    extra = {
        "requirement_id": "req-radar",
        "title": "Counter-battery radar",
        "description": "",
        "category": "sensors_electronics",
        "quantity": "",
        "unit": "",
        "priority": "medium",
    }
    folder = write_catalog_folder(tmp_path / "new", requirements=[*REQUIREMENTS, extra])

    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            old_session = app.session
            await pilot.press("r")
            dialog = app.screen
            assert isinstance(dialog, RefreshDialog)
            dialog.query_one("#refresh-path", Input).value = str(folder)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.session is not old_session
            assert "req-radar" in app.session.catalog.requirements
            requirements, _ = main_tables(app)
            assert requirements.row_count == 6

    run(scenario)


def test_a_failed_refresh_lists_problems_and_keeps_the_catalog(
    catalog_db: Path, tmp_path: Path
) -> None:
    bad = [dict(REQUIREMENTS[0], priority="urgent"), *REQUIREMENTS[1:]]
    folder = write_catalog_folder(tmp_path / "bad", requirements=bad)
    before = catalog_db.read_bytes()

    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            old_session = app.session
            await pilot.press("r")
            app.screen.query_one("#refresh-path", Input).value = str(folder)
            await pilot.press("enter")
            await settle(pilot)
            problems = app.screen
            assert isinstance(problems, ProblemsDialog)
            shown = " ".join(static_text(s, 200) for s in problems.query(Static))
            assert "requirements.csv:2" in shown and "urgent" in shown
            await pilot.press("enter")  # Enter: back to the path, to try another folder
            assert isinstance(app.screen, RefreshDialog)
            assert "Refresh failed" in label_text(app.screen, "#refresh-stage")
            # A folder that does not exist: said in the dialog.
            app.screen.query_one("#refresh-path", Input).value = str(tmp_path / "missing")
            await pilot.press("enter")
            assert "does not exist" in label_text(app.screen, "#refresh-stage")
            # The bad folder again, then Esc: out of the problems and the refresh dialog,
            # so the next r opens the dialog instead of being typed into its path.
            app.screen.query_one("#refresh-path", Input).value = str(folder)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ProblemsDialog)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            await pilot.press("r")
            assert isinstance(app.screen, RefreshDialog)
            assert not app.screen.query_one("#refresh-path", Input).value.endswith("r")
            await pilot.press("escape")
            assert app.session is old_session
            assert catalog_db.read_bytes() == before

    run(scenario)


def test_g_shows_gaps_and_the_coverage_heat_map(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            await pilot.press("g")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, GapScreen)
            report = screen.analysis
            caption = label_text(screen, "#gap-caption")
            assert not report.gaps  # the fixture covers every requirement
            assert "5 requirements" in caption and "0 all blocked · 0 no capable partner" in caption
            coverage = screen.query_one("#coverage", DataTable)
            rows = table_rows(coverage)
            categories = sorted(r["category"] for r in REQUIREMENTS)
            assert [row[0].strip() for row in rows] == categories
            headers = [plain(c.label).strip() for c in coverage.ordered_columns][1:]
            # Every partner country has a column, headed by its code, named in the legend.
            partner_countries = {p["country"] for p in PARTNERS}
            assert set(report.matrix.countries) == partner_countries
            assert len(headers) == len(report.matrix.countries)
            legend = label_text(screen, "#country-legend")
            for header, country in zip(headers, report.matrix.countries, strict=True):
                assert f"{header} {country}" in legend
            assert "USA" in headers and "TWN" in headers
            taiwan = report.matrix.countries.index("Taiwan") + 1
            small_arms = categories.index("small_arms_ammunition")
            assert rows[small_arms][taiwan].strip().isdigit()
            await pilot.press("escape")
            assert isinstance(app.screen, MainScreen)

    run(scenario)


def test_the_coverage_category_column_follows_a_resize(catalog_db: Path) -> None:
    """Narrow terminals clip long categories so more countries fit; growing the terminal
    again gives the whole names back (the column was measured once, at first fill)."""

    def category_column(screen) -> tuple[int, list[str]]:
        coverage = screen.query_one("#coverage", DataTable)
        return coverage.ordered_columns[0].width, [r[0].strip() for r in table_rows(coverage)]

    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            await pilot.press("g")
            await settle(pilot)
            wide_width, wide_names = category_column(app.screen)
            assert "small_arms_ammunition" in wide_names  # whole at 120 columns
            await pilot.resize_terminal(46, 24)
            await settle(pilot, 0.4)
            narrow_width, narrow_names = category_column(app.screen)
            assert narrow_width < wide_width
            assert "small_arms_ammunition" not in narrow_names
            assert any(name.endswith("…") for name in narrow_names)
            await pilot.resize_terminal(*WIDE)
            await settle(pilot, 0.4)
            assert category_column(app.screen) == (wide_width, wide_names)

    run(scenario)


def test_question_mark_lists_the_keys_of_the_screen_in_use(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            main = app.screen
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            text = static_text(app.screen.query_one("#help-body Static", Static), 110)
            sections = binding_sections(main)
            assert [title for title, _ in sections][:1] == ["Requirements and pairings"]
            for _, bindings in sections:
                for binding in bindings:
                    assert binding_key(binding) in text
                    assert (binding.tooltip or binding.description) in text
            assert "ctrl+p" in text
            assert "Put back the pairing removed last" not in text  # the shortlist's key
            await pilot.press("escape")
            assert isinstance(app.screen, MainScreen)
            await pilot.press("s", "question_mark")
            text = static_text(app.screen.query_one("#help-body Static", Static), 110)
            assert "Put back the pairing removed last" in text
            assert "Rank partners for a requirement you type" not in text  # main's n
            await pilot.press("escape")
            assert isinstance(app.screen, ShortlistScreen)

    run(scenario)


def test_ctrl_p_palette_offers_every_action_and_runs_it(catalog_db: Path) -> None:
    async def scenario():
        from coprod.tui.commands import CoprodCommands

        async with started_app(catalog_db) as (app, pilot):
            provider = CoprodCommands(app.screen)
            names = [name for name, _, _ in provider.commands()]
            for binding in [*app.BINDINGS, *MainScreen.BINDINGS]:
                if binding.action != "clear_filter":
                    assert any(name.startswith(binding.description) for name in names)
            await pilot.press("ctrl+p")
            await type_text(pilot, "gaps")
            await settle(pilot, delay=0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, GapScreen)

    run(scenario)


def test_q_quits(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            await pilot.press("q")
            await pilot.pause()
            assert app._exit  # the app is on its way out, cleanly

    run(scenario)


def test_t_switches_between_dark_and_light(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            dark = app.current_theme.dark
            await pilot.press("t")
            assert app.current_theme.dark is not dark
            await pilot.press("t")
            assert app.current_theme.dark is dark

    run(scenario)


def test_the_layout_follows_a_resize(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db, NARROW) as (app, pilot):
            requirements, _ = main_tables(app)
            narrow_title = requirements.ordered_columns[requirements.get_column_index("title")]
            narrow_width = narrow_title.width
            await pilot.resize_terminal(*WIDE)
            await settle(pilot, delay=0.3)
            assert app.screen.query_one("#detail", PairingDetail).display
            title = requirements.ordered_columns[requirements.get_column_index("title")]
            total = sum(c.get_render_width(requirements) for c in requirements.ordered_columns)
            # Every column fits beside the detail pane: no horizontal scrolling.
            assert total <= requirements.size.width
            assert requirements.size.width < 80 and title.width < narrow_width

    run(scenario)


# ----- untrusted text and broken catalogs ----------------------------------------------


def test_hostile_catalog_text_is_shown_literally(catalog_db: Path) -> None:
    async def scenario():
        async with started_app(catalog_db) as (app, pilot):
            screen: MainScreen = app.screen
            _, pairings = main_tables(app)
            row = pairings.row_of(
                next(
                    p for p in screen.pairings if p.foreign and p.foreign.partner_id == "hostile-co"
                )
            )
            cells = table_rows(pairings)[row]
            shown_name = cells[2].removesuffix("…")
            assert len(shown_name) > 8
            assert printable(HOSTILE_NAME).startswith(shown_name)
            pairings.move_cursor(row=row)
            await pilot.pause()
            text = detail_text(app)
            assert "[bold red]X[/] \\x1b[31mRed Corp\\x1b[0m" in text
            assert "[link=http://x]155 mm[/link] \\x1b[2J shells" in text
            assert "\x1b" not in text
            # The real screen, as a terminal would get it, carries the brackets too.
            svg = app.export_screenshot()
            assert "[bold&#160;red]X[/]" in svg  # the SVG writes its spaces as &#160;

    run(scenario)


def test_hostile_requirement_text_and_filter_are_literal(tmp_path: Path) -> None:
    from coprod.catalog import refresh_catalog

    hostile_requirement = dict(
        REQUIREMENTS[0], requirement_id="req-[red]x", title="[blink]Drones[/] \x1b[5m now"
    )
    folder = write_catalog_folder(tmp_path / "in", requirements=[hostile_requirement])
    db_path = tmp_path / "h.duckdb"
    refresh_catalog([folder], db_path)

    async def scenario():
        async with started_app(db_path) as (app, pilot):
            requirements, _ = main_tables(app)
            row = table_rows(requirements)[0]
            assert row[0] == "req-[red]x"
            # the title as written, its brackets shown, clipped to the column's width
            assert printable(hostile_requirement["title"]).startswith("[blink]Drones[/] ")
            assert row[1] == "[blink]Drones[/] …"
            await pilot.press("slash")
            await type_text(pilot, "[blink]")
            await settle(pilot, delay=0.3)
            assert requirements.row_count == 1
            assert "[blink]" in label_text(app.screen, "#req-caption")

    run(scenario)
