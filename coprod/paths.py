"""Where the catalog lives and where the shipped data is."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV_VAR = "COPROD_DB"
DB_FILENAME = "catalog.duckdb"


def default_db_path() -> Path:
    """The catalog in the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("coprod", appauthor=False)) / DB_FILENAME


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH` wins, then $COPROD_DB, then the user data directory."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_db_path()


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
