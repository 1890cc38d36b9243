"""Build a catalog's matching index in a child process, so the TUI stays responsive.

Building the index of a big catalog is seconds of mostly pure-Python work
(text normalisation, token arrays). In the TUI's own process it would share
the GIL with the event loop and hold typing up. A child process
(`python -m coprod.workers.indexer CATALOG`) builds it instead and saves it
beside the catalog (coprod.indexcache); the TUI, which meanwhile reads the
capability lines itself, then reads the saved index back like any other.

Whenever the child cannot help (cannot start, fails, the folder is
read-only, the catalog changed meanwhile) the TUI builds the index itself:
the child only ever saves time. No textual here.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coprod.indexcache import SavedIndexState

POLL_S = 0.2
# Catalog files from this size get the helper. A smaller catalog indexes in-process
# faster than a new Python process could even import numpy and DuckDB.
HELPER_FROM_BYTES = 16 * 1024 * 1024


class IndexBuilder:
    """A child process building and saving the index of one catalog file."""

    def __init__(self, process: subprocess.Popen, saved_before: SavedIndexState) -> None:
        self.process = process
        self.saved_before = saved_before  # saved_index_state() when it started

    @classmethod
    def start_if_needed(cls, db_path: Path) -> IndexBuilder | None:
        """Start a child when the catalog is big, has no current saved index, and one can
        be saved beside it."""
        try:
            if db_path.stat().st_size < HELPER_FROM_BYTES:
                return None
        except OSError:
            return None
        from coprod.indexcache import saved_index_state

        saved = saved_index_state(db_path)
        if saved == "current" or not os.access(db_path.parent, os.W_OK):
            return None
        from coprod.processes import child_python_env

        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "coprod.workers.indexer", str(db_path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=child_python_env(),
            )
        except OSError:
            return None
        return cls(process, saved)

    def wait(self, cancelled: Callable[[], bool]) -> bool:
        """Wait for the child; True when it saved the index. Stops it if `cancelled()`."""
        while True:
            try:
                code = self.process.wait(timeout=POLL_S)
            except subprocess.TimeoutExpired:
                if cancelled():
                    self.stop()
                    return False
                continue
            return code == 0

    def stop(self) -> None:
        """End the child if it still runs (the app closes, or the load failed)."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def build_and_save(db_path: Path) -> bool:
    """The child's work: load the catalog, build its index, save it beside the catalog."""
    from coprod.catalog import load_catalog
    from coprod.indexcache import saved_index_state
    from coprod.ranking import Ranker

    Ranker(load_catalog(db_path), cache_path=db_path)
    return saved_index_state(db_path) == "current"


def main(argv: list[str]) -> int:
    import gc

    if len(argv) != 1:
        return 2
    gc.disable()  # millions of long-lived acyclic objects; this process ends soon after
    # Background work: on a busy machine the TUI's own thread should get the CPU first.
    with contextlib.suppress(OSError):
        os.nice(5)
    try:
        return 0 if build_and_save(Path(argv[0])) else 1
    except Exception:  # the TUI builds the index itself then; nobody reads this output
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
