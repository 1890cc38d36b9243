"""A progress bar for long CLI work: on stderr, on terminals only, after a second."""

from __future__ import annotations

PROGRESS_DELAY_S = 1.0  # a progress bar only for work long enough to look hung


class DelayedProgress:
    """A rich progress bar on stderr that appears only once the work has taken a second.

    Call it with (stage, done, total) as the work moves. A timer thread starts
    the display, so it shows (and its elapsed time ticks) even while one long
    step (a DuckDB read, an index build) runs without calling back. Stage names
    may carry file names: they are shown as plain text, never as Rich markup.
    """

    def __init__(self, console, *, unit: str, delay_s: float = PROGRESS_DELAY_S):
        import threading

        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TextColumn("{task.fields[count]}", markup=False),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._unit = unit
        self._lock = threading.Lock()
        self._state = ("starting", 0, 1)
        self._task = None
        self._closed = False
        self._timer = threading.Timer(delay_s, self._show)
        self._timer.daemon = True
        if console.is_terminal:
            self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._closed:
                return
            stage, done, total = self._state
            self._progress.start()
            self._task = self._progress.add_task(
                _safe(stage), total=total, completed=done, count=self._count(done, total)
            )

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        """`total` None: a step of unknown length (a pulsing bar, no count)."""
        with self._lock:
            self._state = (stage, done, total)
            if self._task is not None:
                self._progress.update(
                    self._task,
                    description=_safe(stage),
                    completed=done,
                    total=total,
                    count=self._count(done, total),
                )

    def _count(self, done: int, total: int | None) -> str:
        return f"{done:,}/{total:,} {self._unit}" if total is not None else ""

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._task is not None:
                self._progress.stop()

    def __enter__(self) -> DelayedProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _safe(text: str) -> str:
    """No control character may reach the terminal."""
    from coprod.safe import printable

    return printable(text)
