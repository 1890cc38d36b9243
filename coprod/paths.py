"""Where the catalog, the user state and the config live, and where the shipped data is."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_ENV_VAR = "COPROD_DB"
DB_FILENAME = "catalog.duckdb"
STATE_ENV_VAR = "COPROD_STATE"
STATE_FILENAME = "state.sqlite3"
CONFIG_ENV_VAR = "COPROD_CONFIG"
CONFIG_FILENAME = "config.toml"


def user_data_path(filename: str) -> Path:
    """A file of coprod's in the user's data directory (platformdirs' user_data_dir)."""
    folder = _xdg_folder("XDG_DATA_HOME", "~/.local/share")
    if folder is None:
        from platformdirs import user_data_dir

        folder = user_data_dir("coprod", appauthor=False)
    return Path(folder) / filename


def _xdg_folder(variable: str, default: str) -> str | None:
    """coprod's folder under an XDG base directory as platformdirs finds it on Linux,
    without importing platformdirs (it pulls in tempfile, shutil, bz2, lzma and random:
    ~5 ms of every `coprod rank`); None where platformdirs must decide.

    Only the plain case, which every platformdirs >= 4.0 answers alike: Linux (not
    Android), an absolute $HOME, and the variable unset or an absolute path without
    surrounding spaces (used as it is; else ~/`default`). Anything else (macOS,
    Windows, a relative or missing $HOME, a relative XDG value, which platformdirs
    versions treat differently) is left to platformdirs.
    """
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel"):
        return None
    environ = os.environ
    if environ.get("ANDROID_DATA") == "/data" and environ.get("ANDROID_ROOT") == "/system":
        return None
    if not environ.get("HOME", "").startswith("/"):
        return None
    value = environ.get(variable, "")
    if not value:
        return os.path.join(os.path.expanduser(default), "coprod")
    if value.startswith("/") and value == value.strip():
        return os.path.join(value, "coprod")
    return None


def _chosen_path(explicit: str | os.PathLike[str] | None, env_var: str, filename: str) -> Path:
    """A flag's path wins, then the environment variable's, then the user data directory's."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(env_var)
    if from_env:
        return Path(from_env).expanduser()
    return user_data_path(filename)


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` wins, then $COPROD_DB, then the user data directory."""
    return _chosen_path(explicit, DB_ENV_VAR, DB_FILENAME)


def resolve_state_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--state PATH` wins, then $COPROD_STATE, then the user data directory: beside the
    default catalog, but in a file of its own, so a refresh replaces the catalog, never this."""
    return _chosen_path(explicit, STATE_ENV_VAR, STATE_FILENAME)


def resolve_config_path() -> Path:
    """$COPROD_CONFIG, else config.toml in the user config directory
    ($XDG_CONFIG_HOME/coprod on Linux)."""
    from_env = os.environ.get(CONFIG_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    folder = _xdg_folder("XDG_CONFIG_HOME", "~/.config")
    if folder is None:
        from platformdirs import user_config_dir

        folder = user_config_dir("coprod", appauthor=False)
    return Path(folder) / CONFIG_FILENAME


def shipped_data_dir() -> Path:
    """The shipped catalog folder: inside the installed package, or data/ in a checkout."""
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "data"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"shipped catalog not found (looked in {packaged} and {checkout})")


def match_permissions(cache_file: Path, catalog: Path) -> None:
    """Give a cache file beside a catalog the catalog's read/write permission bits:
    it holds the catalog's text, so whoever may not read the catalog may not read it."""
    import stat

    os.chmod(cache_file, stat.S_IMODE(os.stat(catalog).st_mode) & 0o666)


class NotARegularFile(OSError):
    """A cache path that is a FIFO, a device, a folder or absurdly big: never read it."""


def open_regular_file(path: Path, *, max_bytes: int | None = None) -> int:
    """A read-only descriptor on `path`, only if it is a regular file of at most max_bytes.

    Opened with O_NONBLOCK, so a FIFO put in place of a cache cannot make the open
    wait for a writer for ever; then fstat decides (no race between a check and
    the open): a FIFO, a device (a link to /dev/zero) or a folder raises
    NotARegularFile, as does a file over `max_bytes`. The caller closes the descriptor.
    """
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(f"{path} is not a regular file")
        if max_bytes is not None and status.st_size > max_bytes:
            raise NotARegularFile(f"{path} is over {max_bytes:,} bytes")
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular_file(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most max_bytes (see open_regular_file)."""
    fd = open_regular_file(path, max_bytes=max_bytes)
    with os.fdopen(fd, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew since fstat
        raise NotARegularFile(f"{path} is over {max_bytes:,} bytes")
    return data
