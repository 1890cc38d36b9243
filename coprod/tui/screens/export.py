"""Export the shortlist to a typed path as CSV, JSON or Markdown, or as a briefing.

The format is chosen, or named by the file's extension through the map every
writer shares (coprod.formats); an extension the shortlist cannot be written
in is an error shown in the dialog. The briefing (coprod.brief, Markdown or a
self-contained HTML page) is chosen in the list; `.html` names it too, since
the shortlist has no HTML form of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from coprod.errors import CoprodError
from coprod.formats import BRIEF_FORMATS, FORMAT_LABELS, SHORTLIST_FORMATS, format_from_path
from coprod.shortlist import ShortlistEntry, export_format, export_shortlist
from coprod.tui.host import CoprodHost
from coprod.tui.messages import ExportFinished
from coprod.tui.render import literal

if TYPE_CHECKING:
    from coprod.ranking import Ranker

AUTO = "auto"
BRIEF_PREFIX = "brief:"  # a format choice "brief:md" / "brief:html": the briefing


def format_choices() -> list[tuple[str, str]]:
    """The dialog's format list: from the extension, the shortlist's formats, the briefing's."""
    return (
        [("format from extension", AUTO)]
        + [(FORMAT_LABELS[fmt], fmt) for fmt in SHORTLIST_FORMATS]
        + [(f"briefing ({FORMAT_LABELS[fmt]})", BRIEF_PREFIX + fmt) for fmt in BRIEF_FORMATS]
    )


def brief_format(path: Path, chosen: str | None) -> str | None:
    """The briefing's format when the briefing is what is asked for, else None."""
    if chosen:
        return chosen.removeprefix(BRIEF_PREFIX) if chosen.startswith(BRIEF_PREFIX) else None
    named = format_from_path(path)
    return named if named in BRIEF_FORMATS and named not in SHORTLIST_FORMATS else None


def write_shortlist_brief(
    entries: list[ShortlistEntry], host: CoprodHost, path: Path, fmt: str
) -> str:
    """The shortlist as a briefing: the document `coprod brief --saved` writes of the
    same saved shortlist (coprod.brief.compose_brief decides both), with the
    decisions and notes, the current ranking's scores and verdicts, and the
    coverage section. Returns what it holds in words ("5 shortlisted pairings (1 gone
    from the catalog)"). Runs in a worker: it ranks, and it writes a file."""
    from coprod.brief import (
        brief_date,
        catalog_label,
        compose_brief,
        saved_shortlist_label,
        saved_shortlist_picks,
        write_brief,
    )
    from coprod.config import Config, load_config
    from coprod.ranking import RankOptions

    session = host.session
    if session is None:
        raise CoprodError("no catalog loaded yet: the briefing ranks the shortlist in it")
    configured = getattr(host, "config", None)
    config = configured if isinstance(configured, Config) else load_config()
    requirements, picks = saved_shortlist_picks(entries, session.catalog)
    brief = compose_brief(
        session.catalog,
        cast("Ranker", session.ranker),
        requirements,
        RankOptions(),
        threshold=config.gap_threshold,
        date=brief_date(),
        catalog_label=catalog_label(session.db_path, session.catalog.meta),
        picks=picks,
        shortlist=saved_shortlist_label(len(picks)),
    )
    write_brief(brief, path, fmt)
    return brief.shortlist_words()


class ExportDialog(ModalScreen[bool]):
    """Type a path, pick a format (default: from the extension), Enter exports.

    A failure (unwritable folder, a path that is a folder...) is shown in the
    dialog, which stays open so the path can be fixed.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, entries: list[ShortlistEntry], default_path: str = "shortlist.csv") -> None:
        super().__init__()
        self.entries = list(entries)
        self.default_path = default_path
        self.exported_to: Path | None = None  # the file written (the app remembers its folder)

    def compose(self) -> ComposeResult:
        count = len(self.entries)
        with Vertical(classes="dialog", id="export-dialog"):
            yield Label(
                Text(f"Export the shortlist ({count} pairing{'s' * (count != 1)})", style="bold"),
                classes="dialog-title",
            )
            yield Input(value=self.default_path, placeholder="file path", id="export-path")
            with Horizontal(classes="dialog-row"):
                yield Select(
                    format_choices(),
                    value=AUTO,
                    allow_blank=False,
                    id="export-format",
                )
                yield Button("Export", variant="primary", id="export-go")
            yield Label("", id="export-error")
            yield Label(
                Text("CSV cells are made formula-safe. Enter exports · Esc cancels", style="dim")
            )

    def _start(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show_error("Type a file path first.")
            return
        chosen = self.query_one("#export-format", Select).value
        path = Path(raw).expanduser()
        self.query_one("#export-error", Label).update(Text("exporting…", style="dim"))
        self.write_file(path, None if chosen == AUTO else str(chosen))

    @on(Input.Submitted, "#export-path")
    def path_submitted(self) -> None:
        self._start()

    @on(Button.Pressed, "#export-go")
    def button_pressed(self) -> None:
        self._start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def write_file(self, path: Path, chosen: str | None) -> None:
        # The place and the format are checked here too, off the UI thread: asking
        # the file system may take a while (a network folder).
        try:
            briefing = brief_format(path, chosen)
            if briefing is not None:
                if path.is_dir():
                    raise CoprodError(f"{path} is a folder: type a file name")
                what = write_shortlist_brief(
                    self.entries, cast("CoprodHost", self.app), path, briefing
                )
                done = f"Exported a briefing ({FORMAT_LABELS[briefing]}) of {what} to {path}"
            else:
                fmt = export_format(path, chosen)
                count = export_shortlist(self.entries, path, fmt)
                done = f"Exported {count} pairing(s) as {FORMAT_LABELS[fmt]} to {path}"
        except (OSError, CoprodError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.post_message(ExportFinished(f"Could not export to {path}: {reason}", ok=False))
            return
        self.exported_to = path
        self.post_message(ExportFinished(done, True))

    @on(ExportFinished)
    def export_finished(self, message: ExportFinished) -> None:
        if message.ok:
            self.app.notify(message.message, title="Export", markup=False)
            self.dismiss(True)
        else:
            # Said inside the dialog, which stays open for another path; a toast
            # repeating it would cover the dialog at 80x24.
            self._show_error(message.message)
            self.app.bell()

    def _show_error(self, message: str) -> None:
        self.query_one("#export-error", Label).update(literal(message, "bold #d64545"))

    def action_cancel(self) -> None:
        self.dismiss(False)
