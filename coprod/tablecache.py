"""The tables cache: a small catalog's tables as read, kept beside it as one JSON document.

Opening a DuckDB file costs tens of milliseconds even when it is tiny (the
database instance registers every built-in function), and so does importing
duckdb: most of a headless `coprod rank` on the shipped catalog. So a small
catalog's tables, as read, are also kept beside it (`catalog.duckdb.snapshot`:
JSON, so reading it can never run code) and a load reads them without importing
duckdb. It is only a cache (deleting it is always safe): it names the exact
catalog file it was read from (device, inode, size, modification time and a CRC
of the file's first 12 KiB, where DuckDB keeps its headers and checkpoint
counters) and is ignored unless the file still matches and has no write-ahead
log beside it. A refresh writes the new catalog's cache right after swapping it
in (a load writes one when it finds none that matches). Failing to read or
write one (a read-only folder) only costs time.

Not to be confused with the matching index's sidecar (coprod.indexcache).
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from pathlib import Path

from coprod import __version__
from coprod.catalogschema import SCHEMA_VERSION
from coprod.files import temp_path_beside
from coprod.paths import match_permissions, read_regular_file

MAX_CACHED_LINES = 20_000  # capability lines; bigger catalogs are read from DuckDB
# The cache is read only from a regular file of at most this size: a FIFO or a link
# to /dev/zero put in its place is ignored (never waited on, never read without end).
MAX_CACHE_BYTES = 64 << 20
# One header line (tag, file key, CRC-32 and length of the rest), then the tables:
# a flipped bit in the tables fails the CRC instead of passing as data.
_FORMAT = 2
_HEADER_BYTES = 12_288


def cache_path(db_path: Path) -> Path:
    """Where the tables cache of `db_path` lives.

    The suffix is part of the on-disk layout (refresh removes the old catalog's
    cache by this name), so it stays `.snapshot`.
    """
    return db_path.with_name(db_path.name + ".snapshot")


def file_key(db_path: Path) -> list[int] | None:
    """What identifies this exact content of the catalog file (None: cannot tell)."""
    try:
        if db_path.with_name(db_path.name + ".wal").exists():
            return None  # changes may sit in the log, not in the file
        with open(db_path, "rb") as file:
            status = os.fstat(file.fileno())
            header = file.read(_HEADER_BYTES)
    except OSError:
        return None
    place = [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns]
    return [*place, len(header), zlib.crc32(header)]


# Every table's shape may change with coprod: a cache of another version is ignored.
_TAG = ["coprod-catalog-snapshot", _FORMAT, SCHEMA_VERSION, __version__]


# What a valid catalog's tables hold, column by column, as read from DuckDB: a
# cache holding anything else (edited by hand, damaged) is ignored, not trusted.
_NUMBER_OR_NONE = (int, float, type(None))
_COLUMN_TYPES: dict[str, tuple[tuple[type, ...], ...]] = {
    "partners": ((str,),) * 6,  # as columns
    "capabilities": ((int,),) + ((str,),) * 5,  # as columns
    "codevelopers": ((str,),) * 2,  # the rest as rows
    "countries": ((str,),) * 4,
    "requirements": ((str,),) * 4 + (_NUMBER_OR_NONE,) + ((str,),) * 3,
    "synonyms": ((str,),) * 2,
    "concepts": ((str,),) * 7,
    "systems": ((str,),) * 8,
    "system_relations": ((str,),) * 5,
}
_COLUMN_TABLES = ("partners", "capabilities")


def read_cached_tables(db_path: Path) -> tuple[dict[str, str], dict[str, list]] | None:
    try:
        data = read_regular_file(cache_path(db_path), max_bytes=MAX_CACHE_BYTES)
        header_line, _, body = data.partition(b"\n")
        header = json.loads(header_line)
        if header["tag"] != _TAG or header["file"] != file_key(db_path):
            return None
        if header["length"] != len(body) or header["crc32"] != zlib.crc32(body):
            return None  # damaged: read the catalog itself (and write a fresh cache)
        cached = json.loads(body)
        meta, tables = cached["meta"], cached["tables"]
        if not _valid_tables(meta, tables):
            return None
        return meta, tables
    except Exception:  # noqa: BLE001 - only a cache: missing, damaged or not ours, read DuckDB
        return None


def _valid_tables(meta: object, tables: object) -> bool:
    """The shapes and cell types a catalog read from DuckDB has (see _COLUMN_TYPES)."""
    if not isinstance(meta, dict) or not all(
        type(k) is str and type(v) is str for k, v in meta.items()
    ):
        return False
    if not isinstance(tables, dict) or sorted(tables) != sorted(_COLUMN_TYPES):
        return False
    for name, kinds in _COLUMN_TYPES.items():
        table = tables[name]
        if not isinstance(table, list) or not all(isinstance(part, list) for part in table):
            return False
        if name in _COLUMN_TABLES:
            columns = table
            if len(columns) != len(kinds) or len({len(column) for column in columns}) > 1:
                return False
        else:
            if any(len(row) != len(kinds) for row in table):
                return False
            columns = [[row[i] for row in table] for i in range(len(kinds))]
        for column, kind in zip(columns, kinds, strict=True):
            if not all(type(value) in kind for value in column):
                return False
    return True


def write_cached_tables(
    db_path: Path, key_when_read: list[int] | None, meta: dict[str, str], tables: dict[str, list]
) -> None:
    """Atomically, and only if the file did not change while it was read."""
    if key_when_read is None or file_key(db_path) != key_when_read:
        return
    temp_path: Path | None = None
    try:
        body = json.dumps(
            {"meta": meta, "tables": tables}, ensure_ascii=False, separators=(",", ":")
        ).encode()
        header = {
            "tag": _TAG,
            "file": key_when_read,
            "length": len(body),
            "crc32": zlib.crc32(body),
        }
        data = json.dumps(header).encode() + b"\n" + body  # JSON text holds no raw newline
        if len(data) > MAX_CACHE_BYTES:
            return  # it would never be read back
        temp_path = temp_path_beside(db_path, ".snapshot")
        temp_path.write_bytes(data)
        match_permissions(temp_path, db_path)  # it holds the catalog's text
        os.replace(temp_path, cache_path(db_path))
        temp_path = None
    except (OSError, ValueError, TypeError):  # a value JSON cannot hold: no cache
        pass
    finally:  # Ctrl-C included: no temporary file is left beside the catalog
        if temp_path is not None:
            with contextlib.suppress(OSError):  # only a cache: never fail a load for it
                temp_path.unlink()
