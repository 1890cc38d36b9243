"""The requirements and pairings tables.

Column widths follow the table's width (the title or partner columns take
what is left), so the tables stay readable from 80 columns up. Every cell
built from catalog text goes through `render.literal`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from coprod.model import Pairing, Requirement
from coprod.session import Ranked
from coprod.tui.render import (
    feasibility_text,
    literal,
    partner_label,
    priority_text,
    score_cell,
)


def clipped(text: Text, width: int) -> Text:
    """`text` cut to `width` cells with an ellipsis (the full text is in the detail pane)."""
    text = text.copy()
    text.truncate(max(width, 1), overflow="ellipsis")
    return text


class CoprodTable(DataTable):
    """A row-cursor table whose columns follow its width.

    Subclasses fill themselves in `show()`; when the table's width changes
    (terminal resized, detail pane shown or hidden) the last `show()` is
    replayed once the resizing settles, keeping the cursor row.
    """

    RESIZE_DELAY_S = 0.1
    # As in the TUIs people know (vim keys, Home/End to the first and last row). `g`
    # stays the app's gap view: a table has the focus on nearly every screen.
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        # Called before a key moves or selects the cursor (the main screen brings its
        # pairings up to the requirement highlighted now: a key never acts on stale rows).
        self.before_key: Callable[[], None] | None = None
        self._replay: Callable[[], None] | None = None
        self._filled_width = 0
        self._resize_timer: Timer | None = None

    # Columns sorted high to low on first use (scores); the others A to Z.
    DESCENDING_FIRST: frozenset[str] = frozenset({"score", "best"})

    def _catch_up(self) -> None:
        if self.before_key is not None:
            self.before_key()

    # ----- sorting: the order is kept across refills (show() sorts what it is given)

    sort_column: str | None = None
    sort_reverse: bool = False

    def sort_by(self, column: str | None, reverse: bool | None = None) -> None:
        """Sort by `column` (None: the ranking's order) and refill, keeping the cursor's row."""
        if reverse is None:
            reverse = column in self.DESCENDING_FIRST
        self.sort_column, self.sort_reverse = column, reverse
        if self._replay is not None:
            kept = self.selected_key_item()
            self._replay()
            self.keep_cursor_on(kept)

    def cycle_sort(self) -> str:
        """The next column (after the last one: the ranking's order); says which."""
        keys = [column.value for column in self.columns]
        if self.sort_column in keys:
            following = keys.index(self.sort_column) + 1
            column = keys[following] if following < len(keys) else None
        else:
            column = keys[0] if keys else None
        self.sort_by(column)
        if column is None:
            return "the ranking's order"
        label = self.columns[ColumnKey(column)].label.plain
        return f"{label} ({'high to low' if self.sort_reverse else 'A to Z, low to high'})"

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Click a header: sort by it; click it again: the other way round."""
        event.stop()
        column = event.column_key.value
        if column == self.sort_column:
            self.sort_by(column, not self.sort_reverse)
        else:
            self.sort_by(column)

    def selected_key_item(self) -> object:
        """What the cursor is on, to find again after a refill (the row key here)."""
        return self.selected_key()

    def keep_cursor_on(self, item: object) -> None:
        if isinstance(item, str) and item in self.rows:
            self.move_cursor(row=self.get_row_index(item), animate=False)

    def sorted_items(self, items: Sequence, value: Callable[[object], object]) -> list:
        """`items` in the chosen order; `value(item)` gives the sorted column's value."""
        if self.sort_column is None:
            return list(items)
        return sorted(items, key=lambda item: _sortable(value(item)), reverse=self.sort_reverse)

    def action_cursor_down(self) -> None:
        self._catch_up()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._catch_up()
        super().action_cursor_up()

    def action_page_down(self) -> None:
        self._catch_up()
        super().action_page_down()

    def action_page_up(self) -> None:
        self._catch_up()
        super().action_page_up()

    def action_first_row(self) -> None:
        self._catch_up()
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self._catch_up()
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    action_scroll_top = action_first_row
    action_scroll_bottom = action_last_row

    def action_select_cursor(self) -> None:
        self._catch_up()
        super().action_select_cursor()

    async def _on_key(self, event: events.Key) -> None:
        # Textual hands a key to the widget focused when the app reads it, and acts on
        # a binding only once the key has bubbled up to the app, against the focus of
        # that moment. Keys typed fast after Tab or shift+tab therefore reached this
        # table while the focus was about to move (letters meant for a text field were
        # dropped). So the table runs its own keys and Tab as they come, in order
        # (nothing of its own is left bubbling when the focus moves on), and keys that
        # reach it once a text field has the focus go to that field, in order.
        screen = self.screen
        focused = screen.focused
        if focused is not self:
            # Every key, not only letters: an Enter bubbling on would reach the field's
            # bindings before the letters re-sent ahead of it were typed.
            if isinstance(focused, Input):
                event.stop()
                event.prevent_default()
                focused.post_message(events.Key(event.key, event.character))
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            screen.focus_next() if event.key == "tab" else screen.focus_previous()
            return
        own = self._bindings.key_to_bindings.get(event.key)
        if own:
            event.stop()
            event.prevent_default()
            await self.run_action(own[0].action)

    def remember(self, replay: Callable[[], None]) -> None:
        """Record how to refill the table (called by `show()`)."""
        self._replay = replay
        self._filled_width = self.size.width

    def on_resize(self, event: events.Resize) -> None:
        if self._replay is None or event.size.width == self._filled_width:
            return
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(self.RESIZE_DELAY_S, self._refit)

    def _refit(self) -> None:
        if self._replay is None or self.size.width == self._filled_width:
            return
        row = self.cursor_row
        self._replay()
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def usable_width(self) -> int:
        width = self.size.width or self.app.size.width
        # The vertical scrollbar takes 2 cells (textual's default size).
        return max(width - 2, 20)

    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:  # cursor outside the rows while the table is refilled
            return None
        return row_key.value


def _sortable(value: object) -> tuple[int, object]:
    """Numbers before text, text case-blind; None (not ranked yet) last either way."""
    if value is None:
        return (2, "")
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value).casefold())


def fill_columns(text: str, widths: Sequence[int]) -> list[str]:
    """`text` laid word by word into cells of these widths (the last cell takes the rest)."""
    words = text.split()
    pieces: list[str] = []
    for index, width in enumerate(widths):
        if index == len(widths) - 1:
            pieces.append(" ".join(words))
            break
        line: list[str] = []
        while words and cell_len(" ".join([*line, words[0]])) <= width:
            line.append(words.pop(0))
        if not line and words:  # a word longer than the cell: cut it here
            line.append(words.pop(0))
        pieces.append(" ".join(line))
    return pieces


def text_width(values: Sequence[str], floor: int, cap: int) -> int:
    """A column just wide enough for its longest value, within [floor, cap]."""
    return min(max([floor, *(cell_len(v) for v in values)]), cap)


def spread(total: int, minimum: int, weights: Sequence[int]) -> list[int]:
    """Share `total` cells between flexible columns by weight, each at least `minimum`."""
    total = max(total, minimum * len(weights))
    shares = [total * w // sum(weights) for w in weights]
    shares[0] += total - sum(shares)
    return [max(share, minimum) for share in shares]


class RequirementsTable(CoprodTable):
    BEST_BAR = 3
    # Rows added at once: more than a tall screen, so the first paint is complete, and
    # no more: every row costs the UI thread time (more while a worker holds the GIL),
    # and a filter change refills the table between two keys.
    FIRST_ROWS = 60
    CHUNK_ROWS = 50
    CHUNK_DELAY_S = 0.005

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._fill_generation = 0

    def show(
        self,
        requirements: Sequence[Requirement],
        rankings: Mapping[str, Ranked],
        keep: str | None = None,
    ) -> None:
        """Refill the table, keeping the cursor on requirement `keep` when it is still shown."""
        keep = keep if keep is not None else self.selected_key()
        self.remember(lambda: self.show(requirements, rankings, self.selected_key()))
        widths = {
            "id": text_width([r.requirement_id for r in requirements], 2, 16),
            "category": text_width([r.category for r in requirements], 8, 12),
            "priority": 4,
            "best": 6 + self.BEST_BAR,
            "feasibility": 7,
        }
        padding = 2 * (len(widths) + 1)
        # The title matters most: squeeze category, then id, before the title drops below 28.
        for column, floor in (("category", 8), ("id", 10)):
            short = 28 - (self.usable_width() - sum(widths.values()) - padding)
            if short > 0:
                widths[column] = max(widths[column] - short, min(floor, widths[column]))
        (widths["title"],) = spread(self.usable_width() - sum(widths.values()) - padding, 10, [1])
        # Room to spare (a wide terminal): the category column grows to its longest value
        # before the title takes more than its longest needs.
        spare = widths["title"] - text_width([r.title for r in requirements], 10, 10_000)
        longest_category = text_width([r.category for r in requirements], 8, 40)
        if spare > 0 and longest_category > widths["category"]:
            grow = min(spare, longest_category - widths["category"])
            widths["category"] += grow
            widths["title"] -= grow
        self.clear(columns=True)
        self.add_column("id", width=widths["id"], key="id")
        self.add_column("title", width=widths["title"], key="title")
        self.add_column("category", width=widths["category"], key="category")
        self.add_column("prio", width=widths["priority"], key="priority")
        self.add_column("best", width=widths["best"], key="best")
        self.add_column("feas.", width=widths["feasibility"], key="feasibility")
        rows = self.sorted_items(
            requirements,
            lambda r: self._sort_value(r, rankings),  # type: ignore[arg-type]
        )
        cursor_row = next((i for i, r in enumerate(rows) if r.requirement_id == keep), 0)
        self._fill_generation += 1
        first = max(self.FIRST_ROWS, cursor_row + 1)
        self._add_rows(rows[:first], rankings, widths)
        if self.row_count:
            self.move_cursor(row=cursor_row, animate=False, scroll=True)
        if first < len(rows):
            self._add_later(rows, first, rankings, widths, self._fill_generation)

    def _add_later(
        self,
        rows: list[Requirement],
        start: int,
        rankings: Mapping[str, Ranked],
        widths: dict[str, int],
        generation: int,
    ) -> None:
        """Add the rest of the rows a chunk per timer tick, so keys are handled in between:
        a long list added at once would hold the UI on every keystroke in the filter
        (the longer while a catalog is indexing in a worker)."""

        def next_chunk() -> None:
            if generation != self._fill_generation:
                return  # refilled meanwhile (filter typed, resize): this fill is stale
            stop = start + self.CHUNK_ROWS
            self._add_rows(rows[start:stop], rankings, widths)
            if stop < len(rows):
                self._add_later(rows, stop, rankings, widths, generation)

        self.set_timer(self.CHUNK_DELAY_S, next_chunk)

    def _sort_value(self, requirement: Requirement, rankings: Mapping[str, Ranked]) -> object:
        column = self.sort_column
        if column in ("best", "feasibility"):
            ranked = rankings.get(requirement.requirement_id)
            best = ranked.best if ranked is not None else None
            if best is None:
                return None
            return best.score if column == "best" else best.feasibility
        return {
            "id": requirement.requirement_id,
            "title": requirement.title,
            "category": requirement.category,
            "priority": requirement.priority,
        }.get(column or "", "")

    def _add_rows(
        self, rows: Sequence[Requirement], rankings: Mapping[str, Ranked], widths: dict[str, int]
    ) -> None:
        for requirement in rows:
            best_cell, feasibility = self.best_cells(rankings.get(requirement.requirement_id))
            self.add_row(
                clipped(literal(requirement.requirement_id), widths["id"]),
                clipped(literal(requirement.title), widths["title"]),
                clipped(literal(requirement.category), widths["category"]),
                clipped(priority_text(requirement.priority), widths["priority"]),
                best_cell,
                feasibility,
                key=requirement.requirement_id,
            )

    def best_cells(self, ranked: Ranked | None) -> tuple[Text, Text]:
        """The best-score and feasibility cells of a requirement's row."""
        if ranked is None:
            return Text("…", style="dim"), Text("")
        best = ranked.best
        if best is None:
            return Text("none", style="dim italic"), feasibility_text(None)
        return score_cell(best.score, self.BEST_BAR), feasibility_text(best.feasibility)

    def update_scores(self, rankings: Mapping[str, Ranked]) -> None:
        """Fill in the best scores of rows just ranked, without rebuilding the table."""
        for rid, ranked in rankings.items():
            if rid not in self.rows:
                continue
            best_cell, feasibility = self.best_cells(ranked)
            self.update_cell(rid, "best", best_cell)
            self.update_cell(rid, "feasibility", feasibility)


class PairingsTable(CoprodTable):
    """The pairings of one requirement. Row keys are unique per fill, so a message about a
    row (RowSelected, RowHighlighted) names the pairing that was under the cursor then,
    even if the table was refilled before the message was handled."""

    SCORE_BAR = 4

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._by_key: dict[str, Pairing] = {}
        self._fills = 0
        # Whether a pairing is in the shortlist (set by the screen): such rows are marked.
        self.is_marked: Callable[[Pairing], bool] | None = None

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        if self._on_group_row() and self.cursor_row < self.row_count - 1:
            super().action_cursor_down()  # the group's title row is stepped over

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        if self._on_group_row() and self.cursor_row > 0:
            super().action_cursor_up()

    def _on_group_row(self) -> bool:
        key = self.selected_key()
        return key is not None and key.endswith(":blocked")

    def pairing_for(self, key: str | None) -> Pairing | None:
        """The pairing of the row with this key (None: a row of an earlier fill)."""
        return self._by_key.get(key) if key is not None else None

    def _sort_value(self, pairing: object) -> object:
        assert isinstance(pairing, Pairing)
        column = self.sort_column
        if column == "rank":
            return pairing.rank
        if column == "score":
            return pairing.score
        if column == "foreign":
            return pairing.foreign.partner_name if pairing.foreign else ""
        if column == "country":
            return pairing.foreign.country if pairing.foreign else "Taiwan"
        if column == "local":
            return pairing.local.partner_name if pairing.local else ""
        return pairing.feasibility

    def selected_key_item(self) -> object:
        return self.selected_pairing()

    def keep_cursor_on(self, item: object) -> None:
        row = self.row_of(item) if isinstance(item, Pairing) else None
        if row is not None:
            self.move_cursor(row=row, animate=False)

    def row_of(self, pairing: Pairing) -> int | None:
        """The row showing `pairing` (the blocked group's title row shifts the rest)."""
        for key, shown in self._by_key.items():
            if shown == pairing:
                return self.get_row_index(key)
        return None

    def selected_pairing(self) -> Pairing | None:
        return self.pairing_for(self.selected_key())

    def show(self, pairings: Sequence[Pairing], blocked_from: int | None = None) -> None:
        """Fill the table; from `blocked_from` on, the blocked group under a row of its
        own that says in one line why (coprod.arrangement.blocked_summary)."""
        self.remember(lambda: self.show(pairings, blocked_from))
        self._fills += 1
        self._by_key = {}
        countries = [p.foreign.country if p.foreign else "Taiwan" for p in pairings]
        widths = {
            "rank": text_width([str(p.rank) for p in pairings], 1, 4) + 2,  # "✓ " mark
            "score": 6 + self.SCORE_BAR,
            "country": text_width(countries, 7, 13),
            "feasibility": 7,
        }
        padding = 2 * (len(widths) + 2)
        flexible = self.usable_width() - sum(widths.values()) - padding
        widths["foreign"], widths["local"] = spread(flexible, 8, [11, 9])
        self.clear(columns=True)
        self.add_column("#", width=widths["rank"], key="rank")
        self.add_column("score", width=widths["score"], key="score")
        self.add_column("foreign partner", width=widths["foreign"], key="foreign")
        self.add_column("country", width=widths["country"], key="country")
        self.add_column("local co-producer", width=widths["local"], key="local")
        self.add_column("feas.", width=widths["feasibility"], key="feasibility")
        # Sorted within each group: the blocked group stays last, under its title row.
        cut = len(pairings) if blocked_from is None else blocked_from
        pairings = [
            *self.sorted_items(pairings[:cut], self._sort_value),
            *self.sorted_items(pairings[cut:], self._sort_value),
        ]
        countries = [p.foreign.country if p.foreign else "Taiwan" for p in pairings]
        for index, pairing in enumerate(pairings):
            if index == blocked_from:
                self._add_group_row(pairings[index:], widths)
            self.add_row(
                self._rank_cell(pairing),
                score_cell(pairing.score, self.SCORE_BAR),
                clipped(partner_label(pairing.foreign), widths["foreign"]),
                clipped(literal(countries[index]), widths["country"]),
                clipped(partner_label(pairing.local, local=True), widths["local"]),
                feasibility_text(pairing.feasibility),
                key=self._key(pairing, index),
            )

    def _rank_cell(self, pairing: Pairing) -> Text:
        """The rank, marked ✓ when the pairing is in the shortlist."""
        cell = Text(justify="right")
        if self.is_marked is not None and self.is_marked(pairing):
            cell.append("✓ ", style="bold #3fa34d")
        cell.append(str(pairing.rank))
        return cell

    def refresh_marks(self) -> None:
        """Mark again the rows in the shortlist (after an add, or back from the shortlist)."""
        for key, pairing in self._by_key.items():
            if key in self.rows:
                self.update_cell(key, "rank", self._rank_cell(pairing))

    def _add_group_row(self, blocked: Sequence[Pairing], widths: dict[str, int]) -> None:
        """The blocked group's title: why, in one line laid across the partner columns."""
        from coprod.arrangement import blocked_summary

        style = "bold #d64545"
        summary = blocked_summary(blocked).removeprefix("blocked / needs consent: ")
        columns = ("foreign", "country", "local", "feasibility")
        room = [widths[c] for c in columns]
        if cell_len(summary) > sum(room):  # the short form; the detail says the rest
            countries = dict.fromkeys(c for p in blocked for c in p.blocked_by)
            summary = f"{', '.join(countries) or 'a government'} will not consent (see detail)"
        pieces = fill_columns(summary, room)
        self.add_row(
            Text("──", style=style),
            Text("blocked:", style=style),
            *(
                clipped(literal(piece, style), widths[column])
                for piece, column in zip(pieces, columns, strict=True)
            ),
            key=f"{self._fills}:blocked",
        )

    def _key(self, pairing: Pairing, index: int) -> str:
        key = f"{self._fills}:{index}"
        self._by_key[key] = pairing
        return key
