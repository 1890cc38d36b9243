"""Refresh the catalog from a folder of CSV/Parquet files, with a progress bar.

The catalog module validates everything first and swaps the new file in
atomically, so a failed refresh leaves the catalog in use untouched; the
problems are listed in a dialog and this one stays open to try again.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar

from coprod.errors import CatalogValidationError, CoprodError, describe_error
from coprod.tui.messages import RefreshFailed, RefreshProgress, RefreshSucceeded
from coprod.tui.render import literal
from coprod.tui.screens.dialogs import ProblemsDialog


class RefreshDialog(ModalScreen[bool]):
    """Dismissed with True after a successful refresh (the app then reloads)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, db_path: Path, folder: str = "") -> None:
        super().__init__()
        self.db_path = db_path
        self.folder = folder
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="refresh-dialog"):
            yield Label(
                Text("Refresh the catalog from a folder", style="bold"), classes="dialog-title"
            )
            yield Input(
                value=self.folder, placeholder="folder with partners.csv, …", id="refresh-path"
            )
            yield ProgressBar(total=None, show_eta=False, id="refresh-progress")
            yield Label("", id="refresh-stage")
            yield Label(
                Text("Enter starts · Esc cancels · on failure nothing changes", style="dim")
            )

    @on(Input.Submitted, "#refresh-path")
    def path_submitted(self, event: Input.Submitted) -> None:
        if self.running:
            return
        raw = event.value.strip()
        if not raw:
            self._stage("Type the folder holding the catalog files.", error=True)
            return
        folder = Path(raw).expanduser()
        if not folder.exists():
            self._stage(f"{folder} does not exist.", error=True)
            return
        self.running = True
        bar = self.query_one("#refresh-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._stage("validating…")
        self.run_refresh(folder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="refresh")
    def run_refresh(self, folder: Path) -> None:
        from coprod.catalog import refresh_catalog

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(RefreshProgress(stage, done, total))

        try:
            report = refresh_catalog([folder], self.db_path, progress=progress)
        except CatalogValidationError as error:
            self.post_message(RefreshFailed(str(error), list(error.problems)))
            return
        except (CoprodError, OSError) as error:
            self.post_message(RefreshFailed(str(error), []))
            return
        except Exception as error:  # a bug or a DuckDB error: shown, never a crash
            self.post_message(RefreshFailed(f"{describe_error(error)}", []))
            return
        counts = ", ".join(f"{n:,} {table}" for table, n in report.row_counts.items())
        summary = f"Catalog refreshed in {report.seconds:.1f} s: {counts}"
        self.post_message(RefreshSucceeded(summary, list(report.warnings)))

    @on(RefreshProgress)
    def progressed(self, message: RefreshProgress) -> None:
        bar = self.query_one("#refresh-progress", ProgressBar)
        if message.total > 0:
            bar.update(total=message.total, progress=message.done)
        self._stage(f"{message.stage} {message.done:,}/{message.total:,}")

    @on(RefreshSucceeded)
    def succeeded(self, message: RefreshSucceeded) -> None:
        self.running = False
        self.app.notify(message.summary, title="Refresh", markup=False)
        if message.warnings:
            self.app.notify(
                f"{len(message.warnings)} warning(s); first: {message.warnings[0]}",
                title="Refresh warnings",
                severity="warning",
                markup=False,
            )
        self.dismiss(True)

    @on(RefreshFailed)
    def failed(self, message: RefreshFailed) -> None:
        self.running = False
        self.query_one("#refresh-progress", ProgressBar).display = False
        self._stage(f"Refresh failed: {message.message}", error=True)
        if message.problems:

            def closed(back_out: bool | None) -> None:
                if back_out:
                    self.dismiss(False)  # Esc: back to the main screen, not the path field

            self.app.push_screen(
                ProblemsDialog(
                    "Refresh failed: the files have problems", message.message, message.problems
                ),
                closed,
            )
        else:
            self.app.notify(message.message, title="Refresh failed", severity="error", markup=False)

    def _stage(self, text: str, error: bool = False) -> None:
        self.query_one("#refresh-stage", Label).update(
            literal(text, "bold #d64545" if error else "dim")
        )

    def on_mount(self) -> None:
        # Shown once a refresh runs: an idle indeterminate bar would animate for nothing.
        self.query_one("#refresh-progress", ProgressBar).display = False

    def action_cancel(self) -> None:
        if self.running:
            # The refresh is atomic and cannot be stopped halfway; its result must be loaded.
            self.app.notify("The refresh is running; it will finish in a moment.", timeout=3)
            return
        self.dismiss(False)
