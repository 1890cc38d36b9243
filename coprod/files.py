"""Writing files so that a reader never sees half of one, and cleaning up after writers that died.

Every file coprod writes (catalog, catalog snapshot, index sidecar, exports,
user state) is written to a temporary file beside its target, named
`.{target}.{pid}.{random}.tmp` plus an optional kind, then renamed over it.
A writer killed outright (SIGKILL, power loss) leaves its temporary file;
`remove_stale_temps` removes those whose process no longer runs.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from coprod.errors import DataError


def temp_path_beside(target: Path, kind: str = "") -> Path:
    """A fresh temporary path in the target's folder, so a rename over it is atomic."""
    import secrets

    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp{kind}")


def remove_stale_temps(target: Path) -> None:
    """Remove the temporary files of writers of `target` that died mid-write.

    Only files whose process id no longer runs are removed, so a writer running
    in parallel keeps its own.
    """
    if os.name != "posix":  # os.kill(pid, 0) is only a liveness probe on POSIX
        return
    try:
        leftovers = list(target.parent.glob(f".{target.name}.*.tmp*"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name[len(target.name) + 2 :].split(".")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass  # alive but not ours to signal


@functools.cache
def _umask() -> int:
    # The only way to read the umask is to set it; doing it once keeps the window
    # in which another thread (the TUI's workers) could see umask 0 to one call.
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Call `write` on a temporary text file beside `path`, then rename it over `path`.

    Readers see the old file or the whole new one, never half of it; if
    `write` fails the temporary file is removed and `path` is untouched.
    `-` writes to standard output; a FIFO or device is written into directly;
    a symlink is kept and the file it names replaced.
    Raises DataError when the folder cannot be written.
    """
    if str(path) == "-":
        write(sys.stdout)
        return
    if path.is_symlink():
        path = path.resolve()
    try:
        special = path.exists() and not path.is_file()
    except OSError:
        special = False
    if special and not path.is_dir():
        # A FIFO, a device, /dev/stdout: a rename would replace it with a regular
        # file (as root, -o /dev/null would replace /dev/null).
        try:
            with open(path, "w", encoding="utf-8", newline="") as stream:
                write(stream)
        except OSError as error:
            raise DataError(f"cannot write {path}: {error.strerror or error}") from None
        return

    temp_path = temp_path_beside(path if str(path.parent) else Path(".") / path)
    try:
        handle = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise DataError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with open(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        # The temporary file is private (0600): keep the replaced file's mode, or
        # give a new file the mode open() would have.
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(temp_path, mode)
        os.replace(temp_path, path)
    except OSError as error:
        temp_path.unlink(missing_ok=True)
        raise DataError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
