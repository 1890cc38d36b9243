"""The catalog: one DuckDB file built from CSV/Parquet input, read by everything else.

- `load_catalog` opens the file READ-ONLY, reads every table in bulk into a
  `model.Catalog` and closes it again, so many readers can share the file while
  a refresh swaps a new one in (a reader that still has the old file open keeps
  reading the old data). A small catalog's tables are also cached beside it
  (coprod.tablecache), so loads need neither duckdb nor a connection.
  `read_requirements` reads only the requirements.
- `refresh_catalog` (coprod.catalogbuild, also importable from here) validates
  the input and swaps a new file in atomically.

Note for long-lived readers (the TUI): DuckDB caches one database instance per
path inside a process. After a refresh, close every connection to the catalog
and reconnect (or simply call `load_catalog` again, which opens and closes its
own connection); a connection kept open across the refresh keeps seeing the old
file.

The order in which rows are read here is the order the matching index is built
in: coprod.indexcache hashes this module's code into the index's key.
"""

from __future__ import annotations

import dataclasses
from itertools import repeat, starmap
from pathlib import Path

from coprod import tablecache
from coprod.catalogschema import (
    KNOWLEDGE_COLUMNS,
    KNOWLEDGE_MERGED,
    KNOWLEDGE_TABLES,
    REQUIRED_TABLES,
    SCHEMA_VERSION,
    TABLES,
)
from coprod.errors import DataError, first_line
from coprod.gcpause import paused_cyclic_gc
from coprod.knowledge import Knowledge
from coprod.model import (
    Capability,
    CapabilityColumns,
    Catalog,
    CountryPosture,
    Partner,
    Requirement,
    Synonym,
)

__all__ = [
    "KNOWLEDGE_MERGED",
    "KNOWLEDGE_TABLES",
    "REQUIRED_TABLES",
    "SCHEMA_VERSION",
    "TABLES",
    "cache_new_catalog",
    "ensure_catalog",
    "load_catalog",
    "read_meta",
    "read_requirements",
]


def _open_read_only(db_path: Path):
    import duckdb

    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        raise DataError(
            f"{db_path} is not a coprod catalog ({first_line(error)}); "
            f"rebuild it with `coprod refresh --db {db_path}`"
        ) from error


def _damaged(db_path: Path, error: BaseException) -> DataError:
    """One sentence for a catalog file DuckDB cannot read (a damaged block, ...)."""
    return DataError(
        f"{db_path} cannot be read ({first_line(error)}); "
        f"rebuild it with `coprod refresh --db {db_path}`"
    )


def read_meta(con, db_path: Path) -> dict[str, str]:
    """The catalog's meta table, after checking that this is a catalog this coprod can read."""
    import duckdb

    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error as error:
        raise DataError(
            f"{db_path} is not a coprod catalog (no meta table); "
            f"rebuild it with `coprod refresh --db {db_path}`"
        ) from error
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DataError(
            f"{db_path} has catalog schema version {version or 'unknown'}, this coprod reads "
            f"version {SCHEMA_VERSION}: run `coprod refresh --db {db_path}` to rebuild it"
        )
    return meta


def load_catalog(db_path: Path) -> Catalog:
    """The whole catalog in memory (builds it from the shipped data on first use).

    Opens the file read-only and closes it before returning. A small catalog
    is served from its tables cache when one matches the file (coprod.tablecache).
    """
    db_path = ensure_catalog(db_path)
    meta, tables = tablecache.read_cached_tables(db_path) or _read_catalog_file(db_path)
    with paused_cyclic_gc():
        return _catalog_of(meta, tables)


def _read_catalog_file(db_path: Path) -> tuple[dict[str, str], dict[str, list]]:
    """(meta, tables) from the DuckDB file; a small catalog's tables cache is written too."""
    import duckdb

    key_when_read = tablecache.file_key(db_path)
    con = _open_read_only(db_path)
    try:
        meta = read_meta(con, db_path)
        with paused_cyclic_gc():
            tables = _fetch_tables(con)
    except duckdb.Error as error:
        raise _damaged(db_path, error) from error
    finally:
        con.close()
    if len(tables["capabilities"][0]) <= tablecache.MAX_CACHED_LINES:
        tablecache.write_cached_tables(db_path, key_when_read, meta, tables)
    return meta, tables


def read_requirements(db_path: Path) -> dict[str, Requirement]:
    """Only the catalog's requirements, by id in file order (builds the catalog on first use).

    Cheap next to `load_catalog` on a big catalog: the capability lines are not
    read, so a caller can list requirements while the rest loads. Same checks
    and errors as `load_catalog`; opens the file read-only and closes it.
    """
    db_path = ensure_catalog(db_path)
    cached = tablecache.read_cached_tables(db_path)
    if cached is not None:
        return _requirements_of(cached[1]["requirements"])
    import duckdb

    con = _open_read_only(db_path)
    try:
        read_meta(con, db_path)
        return _requirements_of(_rows(con, _REQUIREMENTS_SQL))
    except duckdb.Error as error:
        raise _damaged(db_path, error) from error
    finally:
        con.close()


def cache_new_catalog(db_path: Path, capability_lines: int) -> None:
    """Right after a refresh: drop the old catalog's tables cache and matching index (the
    index would be rebuilt anyway, its key no longer matches; deleting it frees as much
    disk as the catalog takes) and, for a small catalog, write the new tables cache, so
    that even the first load after a refresh needs no DuckDB."""
    import duckdb

    from coprod.indexcache import sidecar_path

    try:
        # A reader that has the old index mapped keeps reading it: unlinking a
        # mapped file leaves its pages in place until they are unmapped.
        sidecar_path(db_path).unlink(missing_ok=True)
        tablecache.cache_path(db_path).unlink(missing_ok=True)
        if capability_lines <= tablecache.MAX_CACHED_LINES:
            _read_catalog_file(db_path)
    except (OSError, DataError, duckdb.Error):
        pass  # the catalog itself is in place; the next load reads it from DuckDB


def ensure_catalog(db_path: Path) -> Path:
    """The catalog at db_path, built from the shipped data first if it does not exist yet.

    Safe if two processes race: each builds its own temp file and the last
    atomic rename wins; both results are complete catalogs.
    """
    db_path = Path(db_path).expanduser()
    if not db_path.exists():
        # imported only to build: every later load skips its modules
        from coprod.catalogbuild import refresh_catalog

        refresh_catalog(None, db_path)
    return db_path


# Refreshing lives in coprod.catalogbuild, which imports this module; these names
# are served from there on first use so `from coprod.catalog import refresh_catalog`
# keeps working without a circular import or the cost of loading it for readers.
_FROM_CATALOGBUILD = ("RefreshReport", "refresh_catalog")


def __getattr__(name: str) -> object:
    if name in _FROM_CATALOGBUILD:
        from coprod import catalogbuild

        return getattr(catalogbuild, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _columns(con, cls: type, table: str, order_by: str | None = None) -> list[list]:
    """The columns of `table` named like the fields of dataclass `cls`, as Python lists.

    No ORDER BY: a plain scan keeps insertion order, and sorting a big table
    would cost a good share of the load; `order_by` (a column of 0..n-1) is checked
    instead and the rows put in order only if needed. Column-wise fetching
    (fetchnumpy) is faster than row tuples for big tables.
    """
    import numpy as np

    names = ", ".join(field.name for field in dataclasses.fields(cls))
    result = con.execute(f"SELECT {names} FROM {table}").fetchnumpy()
    if order_by is not None:
        positions = np.asarray(result[order_by])
        if not np.array_equal(positions, np.arange(len(positions))):
            order = np.argsort(positions, kind="stable")
            result = {name: np.asarray(column)[order] for name, column in result.items()}
    return [column.tolist() for column in result.values()]


def _instances(cls: type, columns: list[list]) -> list:
    """Instances of a frozen, slotted dataclass from its columns, in bulk.

    A frozen dataclass's __init__ sets each field through object.__setattr__;
    setting the slots directly, column by column, makes the same objects (same class,
    fields, equality and hash) several times faster, which matters for a big catalog.
    Falls back to __init__ for a class with a __post_init__ or without slots.
    """
    names = [field.name for field in dataclasses.fields(cls)]
    slots = getattr(cls, "__slots__", ())
    if hasattr(cls, "__post_init__") or tuple(slots) != tuple(names):
        return list(map(cls, *columns))
    count = len(columns[0]) if columns else 0
    made = list(map(object.__new__, repeat(cls, count)))
    for name, column in zip(names, columns, strict=True):
        # map() drives the slot setter from C; the loop only drains it.
        for _ in map(cls.__dict__[name].__set__, made, column):
            pass
    return made


_REQUIREMENTS_SQL = (
    "SELECT requirement_id, title, description, category, quantity, unit, priority, "
    "source FROM requirements ORDER BY rowid"
)


# The small tables, read as rows (partners and capabilities are read as columns).
_TABLE_QUERIES = {
    "partners": None,
    "capabilities": None,
    "codevelopers": "SELECT system, partner_id FROM codevelopers ORDER BY rowid",
    "countries": "SELECT country, posture, note, source FROM countries ORDER BY rowid",
    "requirements": _REQUIREMENTS_SQL,
    "synonyms": "SELECT term, canonical FROM synonyms ORDER BY rowid",
    "concepts": "SELECT concept_id, label, alt_labels, broader, labels_zh, category, source "
    "FROM concepts ORDER BY rowid",
    "systems": "SELECT system_id, name, aliases, labels_zh, concepts, makers, country, source "
    "FROM systems ORDER BY rowid",
    "system_relations": "SELECT system_id, organisation, country, role, source "
    "FROM system_relations ORDER BY rowid",
}


def _fetch_tables(con) -> dict[str, list]:
    """Every table as read: partners and capabilities as columns, the small ones as rows."""
    tables = {
        "partners": _columns(con, Partner, "partners"),
        "capabilities": _columns(con, Capability, "capabilities", order_by="capability_id"),
    }
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for table, sql in _TABLE_QUERIES.items():
        if sql is None:
            continue
        # a catalog built before the knowledge base had its tables: it has none
        tables[table] = _rows(con, sql) if table in present else []
    return tables


def _requirements_of(rows: list[tuple]) -> dict[str, Requirement]:
    return {row[0]: Requirement(*row) for row in rows}


def _catalog_of(meta: dict[str, str], tables: dict[str, list]) -> Catalog:
    partner_columns = tables["partners"]
    partners = dict(zip(partner_columns[0], _instances(Partner, partner_columns), strict=True))
    # Columnar: Capability objects are made only for the lines a caller looks at.
    capabilities = CapabilityColumns(
        dict(zip(CapabilityColumns.FIELDS, tables["capabilities"], strict=True))
    )
    codevelopers: dict[str, tuple[str, ...]] = {}
    for system, partner_id in tables["codevelopers"]:
        key = system.strip().casefold()
        if partner_id not in codevelopers.get(key, ()):
            codevelopers[key] = (*codevelopers.get(key, ()), partner_id)
    return Catalog(
        partners=partners,
        capabilities=capabilities,
        codevelopers=codevelopers,
        countries={row[0]: CountryPosture(*row) for row in tables["countries"]},
        requirements=_requirements_of(tables["requirements"]),
        synonyms=list(starmap(Synonym, tables["synonyms"])),
        meta=meta,
        knowledge=_knowledge_of(tables, meta),
    )


def _knowledge_of(tables: dict[str, list], meta: dict[str, str]) -> Knowledge:
    """The catalog's knowledge tables, which refresh filled with the shipped knowledge
    base and the user's rows; a catalog built before them uses the shipped one."""
    from coprod.knowledge import shipped_knowledge

    rows = {table: tables.get(table, []) for table in KNOWLEDGE_COLUMNS}  # cells in this order
    own = Knowledge.from_table_rows(rows["concepts"], rows["systems"], rows["system_relations"])
    if meta.get("knowledge") == KNOWLEDGE_MERGED:
        return own
    return shipped_knowledge().merged(own)
