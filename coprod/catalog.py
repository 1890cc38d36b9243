"""The catalog: one DuckDB file built from CSV/Parquet input, read by everything else.

- `refresh_catalog` validates every input file first (all problems, each with
  file:line:column), then builds the new catalog in a uniquely named temporary
  file beside the old one, CHECKPOINTs, closes it and swaps it in with
  `os.replace`. A failure or an interrupt (KeyboardInterrupt; the CLI turns
  SIGTERM into one) at any point leaves the old file byte-identical and removes
  the temporary file.
- `load_catalog` opens the file READ-ONLY, reads every table in bulk into a
  `model.Catalog` and closes it again, so many readers can share the file while
  a refresh swaps a new one in (a reader that still has the old file open keeps
  reading the old data). A small catalog's tables are also cached beside it
  (`catalog.duckdb.snapshot`, written by the refresh, see "snapshots" below),
  so loads need neither duckdb nor a connection. `read_requirements` reads
  only the requirements.

Note for long-lived readers (the TUI): DuckDB caches one database instance per
path inside a process. After a refresh, close every connection to the catalog
and reconnect (or simply call `load_catalog` again, which opens and closes its
own connection); a connection kept open across the refresh keeps seeing the old
file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import os
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat, starmap
from pathlib import Path
from typing import TYPE_CHECKING

from coprod import __version__
from coprod.errors import CatalogValidationError, DataError, Problem, UsageError
from coprod.files import remove_stale_temps, temp_path_beside
from coprod.knowledge import (
    CONCEPT_COLUMNS,
    RELATION_COLUMNS,
    SYSTEM_COLUMNS,
    Knowledge,
)
from coprod.knowledge import ROLES as KNOWLEDGE_ROLES
from coprod.model import (
    POSTURES,
    PRIORITIES,
    Capability,
    CapabilityColumns,
    Catalog,
    CountryPosture,
    Partner,
    Requirement,
    Synonym,
)
from coprod.paths import match_permissions, read_regular_file

if TYPE_CHECKING:
    from coprod.csvinput import SourceFile, StagedTable

# coprod.csvinput (the CSV scanner) is imported where a refresh needs it: a command
# that only reads a catalog does not pay for it at start-up.

SCHEMA_VERSION = "1"

# Tables in build order; partners and capabilities are required in a user's folder.
TABLES: tuple[str, ...] = (
    "partners",
    "capabilities",
    "codevelopers",
    "countries",
    "requirements",
    "synonyms",
    "concepts",
    "systems",
    "system_relations",
)
# The knowledge base's tables: a catalog without them uses the shipped knowledge base.
KNOWLEDGE_TABLES: tuple[str, ...] = ("concepts", "systems", "system_relations")
# meta "knowledge": the tables hold the shipped knowledge base merged with the user's
KNOWLEDGE_MERGED = "shipped+own"
REQUIRED_TABLES: tuple[str, ...] = ("partners", "capabilities")

# Final column types; every other column is VARCHAR.
_NUMERIC_COLUMNS = {("requirements", "quantity"): "DOUBLE"}

Progress = Callable[[str, int, int], None]


@dataclass
class RefreshReport:
    db_path: Path
    row_counts: dict[str, int]
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0


# ---------------------------------------------------------------- refresh


def _discard(path: Path) -> None:
    """Remove a temporary file if it is there. In a read-only folder unlink fails with
    EROFS even for a file that was never created: that is not an error either."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        if path.exists():
            raise


def _remove_temp(temp_path: Path | None) -> None:
    if temp_path is not None:
        for leftover in (temp_path, temp_path.with_name(temp_path.name + ".wal")):
            _discard(leftover)


def refresh_catalog(
    sources: Sequence[Path] | None,
    db_path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RefreshReport:
    """Validate `sources` (None: the shipped data) and, unless dry_run, rebuild db_path atomically.

    Input is read straight into a uniquely named temporary DuckDB file beside
    db_path (an in-memory database for a dry run) and checked there; only a
    fully valid catalog is CHECKPOINTed and renamed onto db_path. On any
    problem, exception or interrupt the temporary file is removed and db_path is
    byte-identical. Raises CatalogValidationError carrying every problem found.
    """
    import duckdb

    from coprod.csvinput import SourceFile, discover_sources, stage_file
    from coprod.paths import shipped_data_dir

    if sources is not None and not sources:
        raise UsageError("no input files or folders given (None means the shipped data)")
    started = time.perf_counter()
    shipped = shipped_data_dir()
    using_shipped = sources is None
    paths = [shipped] if sources is None else [Path(p) for p in sources]
    found, problems = discover_sources(paths)
    if using_shipped:
        # Other files ship beside the catalog (e.g. the eval ground truth): not a user's slip.
        problems = [p for p in problems if p.severity == "error"]
    shipped_synonyms: SourceFile | None = None
    if not using_shipped and (shipped / "synonyms.csv").is_file():
        shipped_synonyms = SourceFile("synonyms", shipped / "synonyms.csv", "csv")
    problems += _missing_tables(found, paths, any(p.severity == "error" for p in problems))

    steps = len(found) + (1 if shipped_synonyms else 0) + (2 if dry_run else 4)
    done = 0

    def step(stage: str) -> None:
        nonlocal done
        if progress is not None:
            progress(stage, done, steps)
        done += 1

    db_path = Path(db_path).expanduser()
    temp_path: Path | None = None
    # Uncompressed storage: compressing 500,000 lines costs more than reading them
    # (measured: the load takes ~1.6x as long), and an uncompressed file also loads
    # faster; the price is a file about 3x larger.
    con = duckdb.connect(":memory:", config={"force_compression": "uncompressed"})
    try:
        if dry_run:
            con.execute("ATTACH ':memory:' AS fresh")
        else:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temps(db_path)
            temp_path = temp_path_beside(db_path)
            con.execute("ATTACH ? AS fresh", [str(temp_path)])
        staged: dict[str, StagedTable] = {}
        for table in TABLES:
            if table in found:
                step(f"reading {found[table].path.name}")
                table_staged, table_problems = stage_file(con, found[table], f"fresh.stage_{table}")
                problems += table_problems
                if table_staged is not None:
                    staged[table] = table_staged
        shipped_staged = None
        if shipped_synonyms is not None:
            step("reading shipped synonyms")
            shipped_staged, table_problems = stage_file(
                con, shipped_synonyms, "fresh.stage_shipped_synonyms"
            )
            problems += table_problems
        step("checking")
        problems += _check_rows(con, staged)
        if shipped_staged is not None:
            problems += _check_rows(con, {"synonyms": shipped_staged})
        problems.sort(key=_problem_order)
        if any(p.severity == "error" for p in problems):
            raise CatalogValidationError(problems)
        row_counts = {table: (staged[table].rows if table in staged else 0) for table in TABLES}
        if not dry_run:
            assert temp_path is not None
            step("writing catalog")
            row_counts = _finish_catalog(con, staged, shipped_staged, paths)
            step("saving")
            con.execute("CHECKPOINT fresh")
            con.execute("DETACH fresh")
            con.close()
            step("swapping in the new catalog")
            _swap(temp_path, db_path)
        step("done")
    except duckdb.InterruptException as error:
        raise KeyboardInterrupt from error
    except RuntimeError as error:
        # DuckDB answers Ctrl-C inside a query with RuntimeError("Query interrupted").
        if "interrupted" in str(error).lower():
            raise KeyboardInterrupt from error
        raise
    except duckdb.Error as error:
        raise DataError(f"cannot build the catalog at {db_path}: {_first_line(error)}") from error
    except OSError as error:
        raise DataError(
            f"cannot build the catalog at {db_path}: {error.strerror or error}"
        ) from error
    finally:
        con.close()
        _remove_temp(temp_path)
    if not dry_run:
        _snapshot_new_catalog(db_path, row_counts["capabilities"])
    return RefreshReport(
        db_path=db_path,
        row_counts=row_counts,
        warnings=[p for p in problems if p.severity == "warning"],
        dry_run=dry_run,
        seconds=time.perf_counter() - started,
    )


def _missing_tables(
    found: dict[str, SourceFile], paths: Sequence[Path], other_errors: bool
) -> list[Problem]:
    where = ", ".join(str(p) for p in paths)
    problems: list[Problem] = []
    for table in TABLES:
        if table in found or table == "synonyms" or table in KNOWLEDGE_TABLES:
            continue
        if table in REQUIRED_TABLES:
            if not other_errors:
                message = f"no {table}.csv or {table}.parquet found: it is required"
                problems.append(Problem(where, None, None, message))
        else:
            message = f"no {table} file: the catalog will have no {table}"
            problems.append(Problem(where, None, None, message, severity="warning"))
    return problems


def _swap(temp_path: Path, db_path: Path) -> None:
    try:
        os.replace(temp_path, db_path)
    except OSError as error:
        # Windows refuses to replace a file another process has open.
        raise DataError(
            f"cannot replace {db_path}: {error.strerror or error} "
            "(close other programs using the catalog and try again)"
        ) from error


def _problem_order(problem: Problem) -> tuple[str, float, float]:
    """By file, then place; whole-file notes and '... and N more' after the placed ones."""
    line = problem.line if problem.line is not None else float("inf")
    column = problem.column if problem.column is not None else 0
    return problem.file, line, column


def _line_of(staged: StagedTable, row: int) -> str:
    line, _ = staged.locator.place(row, None) if staged.exact_places else (None, None)
    return f"line {line}" if line is not None else f"row {row + 1}"


_ALLOWED_VALUES: dict[str, dict[str, Sequence[str]]] = {
    "countries": {"posture": POSTURES},
    "requirements": {"priority": PRIORITIES},
    "system_relations": {"role": KNOWLEDGE_ROLES},
}


def _check_rows(con, staged: dict[str, StagedTable]) -> list[Problem]:
    """Every row-level and cross-table check, in SQL over the staged tables."""
    from coprod.csvinput import Reference, check_table

    problems: list[Problem] = []
    partners = staged.get("partners")
    for name, table in staged.items():
        references = []
        if name in ("capabilities", "codevelopers") and partners is not None:
            references.append(Reference("partner_id", partners, "partner_id"))
        problems += check_table(con, table, _ALLOWED_VALUES.get(name, {}), references, _line_of)
    if "synonyms" in staged:
        problems += _check_synonym_terms(con, staged["synonyms"])
    problems += _check_knowledge(con, staged)
    if partners is not None and "countries" in staged:
        problems += _check_partner_countries(con, partners, staged["countries"])
    return problems


def _check_knowledge(con, staged: dict[str, StagedTable]) -> list[Problem]:
    """References inside the knowledge base: a catalog's rows may name shipped ids.

    A broader concept, a system's concepts and a relation's system must exist in
    the catalog's own rows or the shipped knowledge base; broader links must not
    form a cycle.
    """
    from coprod.knowledge import shipped_knowledge, split_list
    from coprod.suggest import did_you_mean

    shipped = shipped_knowledge()
    rows = {
        table: _staged_rows(con, staged[table]) for table in KNOWLEDGE_TABLES if table in staged
    }
    concept_ids = set(shipped.concepts) | {r["concept_id"] for r in rows.get("concepts", [])}
    system_ids = set(shipped.systems) | {r["system_id"] for r in rows.get("systems", [])}
    problems: list[Problem] = []
    if "concepts" in rows:
        table = staged["concepts"]
        parent = {c.concept_id: c.broader for c in shipped.concepts.values()}
        parent.update({r["concept_id"]: r["broader"] for r in rows["concepts"]})
        for row in rows["concepts"]:
            broader = row["broader"]
            if broader and broader not in concept_ids:
                hint = did_you_mean(broader, sorted(concept_ids))
                problems.append(
                    table.problem(row["_row"], "broader", f"unknown concept '{broader}'{hint}")
                )
            elif broader:
                seen, current = {row["concept_id"]}, broader
                while current and current not in seen and len(seen) < 64:
                    seen.add(current)
                    current = parent.get(current, "")
                if current in seen and current:
                    problems.append(
                        table.problem(
                            row["_row"],
                            "broader",
                            f"'{row['concept_id']}' is its own broader concept (a cycle)",
                        )
                    )
    if "systems" in rows:
        table = staged["systems"]
        for row in rows["systems"]:
            for concept in split_list(row["concepts"]):
                if concept not in concept_ids:
                    hint = did_you_mean(concept, sorted(concept_ids))
                    problems.append(
                        table.problem(row["_row"], "concepts", f"unknown concept '{concept}'{hint}")
                    )
    if "system_relations" in rows:
        table = staged["system_relations"]
        for row in rows["system_relations"]:
            if row["system_id"] and row["system_id"] not in system_ids:
                hint = did_you_mean(row["system_id"], sorted(system_ids))
                problems.append(
                    table.problem(
                        row["_row"], "system_id", f"unknown system '{row['system_id']}'{hint}"
                    )
                )
    return problems[:200]


def _staged_rows(con, staged: StagedTable, with_source: bool = False) -> list[dict[str, str]]:
    """A small staged table's rows as dicts, with `_row` its 0-based row number."""
    names = [*staged.spec.columns, *(("source",) if with_source else ())]
    select = ", ".join(staged.value(name) for name in names)
    result = con.execute(f"SELECT rowid, {select} FROM {staged.table} ORDER BY rowid").fetchall()
    return [{"_row": row[0], **dict(zip(names, row[1:], strict=True))} for row in result]


def _check_synonym_terms(con, synonyms: StagedTable) -> list[Problem]:
    """The same term twice is ambiguous: warn, and keep the first (see _finish_synonyms)."""
    term = f"lower({synonyms.value('term', 's')})"
    rows = con.execute(
        f"WITH firsts AS (SELECT {term} AS k, min(s.rowid) AS first_row FROM {synonyms.table} s "
        f"WHERE {term} <> '' GROUP BY k HAVING count(*) > 1) "
        f"SELECT s.rowid, f.k, f.first_row FROM {synonyms.table} s JOIN firsts f ON {term} = f.k "
        "WHERE s.rowid <> f.first_row ORDER BY s.rowid LIMIT 50"
    ).fetchall()
    return [
        synonyms.problem(
            row,
            "term",
            f"duplicate term '{key}' (first at {_line_of(synonyms, first)}): the first is used",
            severity="warning",
        )
        for row, key, first in rows
    ]


def _check_partner_countries(con, partners: StagedTable, countries: StagedTable) -> list[Problem]:
    """A partner whose country has no posture: consent cannot be judged (warning, per country)."""
    country = partners.value("country", "p")
    rows = con.execute(
        f"SELECT min(p.rowid), {country} AS c, count(*) FROM {partners.table} p "
        f"WHERE {country} <> '' AND {country} NOT IN "
        f"(SELECT {countries.value('country')} FROM {countries.table}) "
        "GROUP BY c ORDER BY 1 LIMIT 50"
    ).fetchall()
    return [
        partners.problem(
            row,
            "country",
            f"country '{name}' has no posture in {countries.source.path.name} "
            f"({count} partner(s)): its consent will show as unknown",
            severity="warning",
        )
        for row, name, count in rows
    ]


# ---------------------------------------------------------------- writing


def _stored_name(table: str) -> str:
    """Where a table's rows live: capabilities is a view over capability_lines."""
    return "capability_lines" if table == "capabilities" else table


def _empty_table(table: str) -> str:
    from coprod.csvinput import TABLE_SPECS, quote_ident

    columns = [
        (name, _NUMERIC_COLUMNS.get((table, name), "VARCHAR"))
        for name in TABLE_SPECS[table].known_columns
    ]
    listed = ", ".join(f"{quote_ident(name)} {kind}" for name, kind in columns)
    return f"CREATE TABLE fresh.{_stored_name(table)} ({listed})"


def _finish_catalog(
    con,
    staged: dict[str, StagedTable],
    shipped_synonyms: StagedTable | None,
    sources: Sequence[Path],
) -> dict[str, int]:
    """Turn the staged tables into the final ones, in place where they are big, and add meta.

    Big tables are renamed rather than copied: copying 500,000 rows costs as
    much as reading them. Their columns keep the input file's order (select
    them by name); a missing `source` column is added empty.
    """
    from datetime import UTC, datetime

    from coprod.csvinput import quote_ident

    for table in TABLES:
        source = staged.get(table)
        if table == "synonyms":
            _finish_synonyms(con, source, shipped_synonyms)
        elif table in KNOWLEDGE_TABLES:
            continue  # all three at once, below
        elif source is None:
            con.execute(_empty_table(table))
        elif table == "requirements":
            select = ", ".join(
                "TRY_CAST(nullif(quantity, '') AS DOUBLE) AS quantity"
                if name == "quantity"
                else quote_ident(name)
                for name in source.header.names
            )
            con.execute(
                f"CREATE TABLE fresh.requirements AS SELECT {select} "
                f"FROM {source.table} ORDER BY rowid"
            )
            con.execute(f"DROP TABLE {source.table}")
        else:
            con.execute(f"ALTER TABLE {source.table} RENAME TO {_stored_name(table)}")
        if source is not None and table != "synonyms" and not source.has("source"):
            con.execute(
                f"ALTER TABLE fresh.{_stored_name(table)} ADD COLUMN source VARCHAR DEFAULT ''"
            )
    _finish_knowledge(con, staged)
    # capability_id is the line's position: the rowid of the stored table, which a
    # view exposes as a column (writing it as a real column would cost an UPDATE of
    # every row).
    con.execute(
        "CREATE VIEW fresh.capabilities AS SELECT CAST(rowid AS INTEGER) AS capability_id, * "
        "FROM fresh.capability_lines"
    )
    row_counts = {
        table: con.execute(f"SELECT count(*) FROM fresh.{table}").fetchone()[0] for table in TABLES
    }
    meta = {
        "schema_version": SCHEMA_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "coprod_version": __version__,
        "duckdb_version": _duckdb_version(),
        "sources": json.dumps([str(Path(p).resolve()) for p in sources]),
        "knowledge": KNOWLEDGE_MERGED,
        **{f"rows.{table}": str(count) for table, count in row_counts.items()},
    }
    con.execute("CREATE TABLE fresh.meta (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO fresh.meta VALUES (?, ?)", list(meta.items()))
    return row_counts


def _finish_knowledge(con, staged: dict[str, StagedTable]) -> None:
    """The knowledge tables hold the shipped knowledge base extended by the user's rows
    (theirs win by id; a system's relations in their file replace the shipped ones), so
    loading the catalog needs no other file."""
    from coprod.knowledge import LIST_SEPARATOR, shipped_knowledge

    rows = {
        table: _staged_rows(con, staged[table], with_source=True) if table in staged else []
        for table in KNOWLEDGE_TABLES
    }
    own = Knowledge.from_rows(rows["concepts"], rows["systems"], rows["system_relations"])
    merged = shipped_knowledge().merged(own)
    joined = f" {LIST_SEPARATOR} ".join
    tables = {
        "concepts": [
            (
                c.concept_id,
                c.label,
                joined(c.alt_labels),
                c.broader,
                joined(c.labels_zh),
                c.category,
                c.source,
            )
            for c in merged.concepts.values()
        ],
        "systems": [
            (
                s.system_id,
                s.name,
                joined(s.aliases),
                joined(s.labels_zh),
                joined(s.concepts),
                joined(s.makers),
                s.country,
                s.source,
            )
            for s in merged.systems.values()
        ],
        "system_relations": [
            (r.system_id, r.organisation, r.country, r.role, r.source)
            for relations in merged.relations.values()
            for r in relations
        ],
    }
    for table, values in tables.items():
        if table in staged:
            con.execute(f"DROP TABLE {staged[table].table}")
        columns = _KNOWLEDGE_COLUMNS[table]
        listed = ", ".join(f"{name} VARCHAR" for name in columns)
        con.execute(f"CREATE TABLE fresh.{table} ({listed})")
        if values:
            marks = ", ".join("?" * len(columns))
            con.executemany(f"INSERT INTO fresh.{table} VALUES ({marks})", values)


def _finish_synonyms(con, user: StagedTable | None, shipped: StagedTable | None) -> None:
    """The user's synonyms extend the shipped ones and win on the same term."""
    parts = []
    if user is not None:
        parts.append(
            f"SELECT {user.value('term')} AS term, {user.value('canonical')} AS canonical, "
            f"{user.value('source')} AS source, 0 AS part, rowid AS position FROM {user.table}"
        )
    if shipped is not None:
        unless_user = ""
        if user is not None:
            unless_user = (
                f"WHERE lower({shipped.value('term', 'sh')}) NOT IN "
                f"(SELECT lower({user.value('term')}) FROM {user.table})"
            )
        parts.append(
            f"SELECT {shipped.value('term', 'sh')} AS term, "
            f"{shipped.value('canonical', 'sh')} AS canonical, "
            f"{shipped.value('source', 'sh')} AS source, 1 AS part, sh.rowid AS position "
            f"FROM {shipped.table} sh {unless_user}"
        )
    if not parts:
        con.execute(_empty_table("synonyms"))
        return
    con.execute(
        "CREATE TABLE fresh.synonyms AS SELECT term, canonical, source FROM ("
        + " UNION ALL ".join(parts)
        + ") QUALIFY row_number() OVER (PARTITION BY lower(term) ORDER BY part, position) = 1 "
        "ORDER BY part, position"
    )
    for staged in (user, shipped):
        if staged is not None:
            con.execute(f"DROP TABLE {staged.table}")


def _duckdb_version() -> str:
    import duckdb

    return duckdb.__version__


def ensure_catalog(db_path: Path) -> Path:
    """The catalog at db_path, built from the shipped data first if it does not exist yet.

    Safe if two processes race: each builds its own temp file and the last
    atomic rename wins; both results are complete catalogs.
    """
    db_path = Path(db_path).expanduser()
    if not db_path.exists():
        refresh_catalog(None, db_path)
    return db_path


# ---------------------------------------------------------------- loading


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _open_read_only(db_path: Path):
    import duckdb

    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        raise DataError(
            f"{db_path} is not a coprod catalog ({_first_line(error)}); "
            f"rebuild it with `coprod refresh --db {db_path}`"
        ) from error


def _damaged(db_path: Path, error: BaseException) -> DataError:
    """One sentence for a catalog file DuckDB cannot read (a damaged block, ...)."""
    return DataError(
        f"{db_path} cannot be read ({_first_line(error)}); "
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
    is served from its snapshot when one matches the file (see below).
    """
    db_path = ensure_catalog(db_path)
    meta, tables = _read_snapshot(db_path) or _read_catalog_file(db_path)
    with _no_cyclic_gc():
        return _catalog_of(meta, tables)


def _read_catalog_file(db_path: Path) -> tuple[dict[str, str], dict[str, list]]:
    """(meta, tables) from the DuckDB file; a small catalog's snapshot is written too."""
    import duckdb

    file_key = _file_key(db_path)
    con = _open_read_only(db_path)
    try:
        meta = read_meta(con, db_path)
        with _no_cyclic_gc():
            tables = _fetch_tables(con)
    except duckdb.Error as error:
        raise _damaged(db_path, error) from error
    finally:
        con.close()
    if len(tables["capabilities"][0]) <= SNAPSHOT_MAX_LINES:
        _write_snapshot(db_path, file_key, meta, tables)
    return meta, tables


def read_requirements(db_path: Path) -> dict[str, Requirement]:
    """Only the catalog's requirements, by id in file order (builds the catalog on first use).

    Cheap next to `load_catalog` on a big catalog: the capability lines are not
    read, so a caller can list requirements while the rest loads. Same checks
    and errors as `load_catalog`; opens the file read-only and closes it.
    """
    db_path = ensure_catalog(db_path)
    snapshot = _read_snapshot(db_path)
    if snapshot is not None:
        return _requirements_of(snapshot[1]["requirements"])
    import duckdb

    con = _open_read_only(db_path)
    try:
        read_meta(con, db_path)
        return _requirements_of(_rows(con, _REQUIREMENTS_SQL))
    except duckdb.Error as error:
        raise _damaged(db_path, error) from error
    finally:
        con.close()


# -------------------------------------------------------------- snapshots
#
# Opening a DuckDB file costs ~30 ms even when it is tiny (the database instance
# registers every built-in function), and importing duckdb ~75 ms: most of a
# headless `coprod rank` on the shipped catalog. So a small catalog's tables, as
# read, are also kept beside it (`catalog.duckdb.snapshot`, one JSON document:
# reading it can never run code) and a load reads them in about a millisecond
# without importing duckdb. The snapshot is only a cache (deleting it is always
# safe): it names the exact catalog file it was read from (device, inode, size,
# modification time and a CRC of the file's first 12 KiB, where DuckDB keeps its
# headers and checkpoint counters) and is ignored unless the file still matches
# and has no write-ahead log beside it. A refresh writes the new catalog's
# snapshot right after swapping it in (a load writes one when it finds none that
# matches). Failing to read or write one (a read-only folder) only costs time.

SNAPSHOT_MAX_LINES = 20_000  # capability lines; bigger catalogs are read from DuckDB
# A snapshot is read only from a regular file of at most this size: a FIFO or a link
# to /dev/zero put in its place is ignored (never waited on, never read without end).
SNAPSHOT_MAX_BYTES = 64 << 20
# Format 2: one header line (tag, file key, CRC-32 and length of the rest), then the
# tables; a flipped bit in the tables no longer passes as data.
_SNAPSHOT_FORMAT = 2
_HEADER_BYTES = 12_288


def snapshot_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".snapshot")


def _file_key(db_path: Path) -> list[int] | None:
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


# Every table's shape may change with coprod: a snapshot of another version is ignored.
_SNAPSHOT_TAG = ["coprod-catalog-snapshot", _SNAPSHOT_FORMAT, SCHEMA_VERSION, __version__]


# What a valid catalog's tables hold, column by column, as read from DuckDB: a
# snapshot holding anything else (edited by hand, damaged) is ignored, not trusted.
_NUMBER_OR_NONE = (int, float, type(None))
_SNAPSHOT_COLUMNS: dict[str, tuple[tuple[type, ...], ...]] = {
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


def _read_snapshot(db_path: Path) -> tuple[dict[str, str], dict[str, list]] | None:
    try:
        data = read_regular_file(snapshot_path(db_path), max_bytes=SNAPSHOT_MAX_BYTES)
        header_line, _, body = data.partition(b"\n")
        header = json.loads(header_line)
        if header["tag"] != _SNAPSHOT_TAG or header["file"] != _file_key(db_path):
            return None
        if header["length"] != len(body) or header["crc32"] != zlib.crc32(body):
            return None  # damaged: read the catalog itself (and write a fresh snapshot)
        snapshot = json.loads(body)
        meta, tables = snapshot["meta"], snapshot["tables"]
        if not _valid_snapshot(meta, tables):
            return None
        return meta, tables
    except Exception:  # noqa: BLE001 - only a cache: missing, damaged or not ours, read DuckDB
        return None


def _valid_snapshot(meta: object, tables: object) -> bool:
    """The shapes and cell types a catalog read from DuckDB has (see _SNAPSHOT_COLUMNS)."""
    if not isinstance(meta, dict) or not all(
        type(k) is str and type(v) is str for k, v in meta.items()
    ):
        return False
    if not isinstance(tables, dict) or sorted(tables) != sorted(_SNAPSHOT_COLUMNS):
        return False
    for name, kinds in _SNAPSHOT_COLUMNS.items():
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


def _snapshot_new_catalog(db_path: Path, capability_lines: int) -> None:
    """Right after a refresh: drop the old catalog's snapshot and matching index (the
    index would be rebuilt anyway, its key no longer matches; deleting it frees as much
    disk as the catalog takes) and, for a small catalog, write the new snapshot, so
    that even the first load after a refresh needs no DuckDB."""
    import duckdb

    from coprod.indexcache import sidecar_path

    try:
        # A reader that has the old index mapped keeps reading it: unlinking a
        # mapped file leaves its pages in place until they are unmapped.
        sidecar_path(db_path).unlink(missing_ok=True)
        snapshot_path(db_path).unlink(missing_ok=True)
        if capability_lines <= SNAPSHOT_MAX_LINES:
            _read_catalog_file(db_path)
    except (OSError, DataError, duckdb.Error):
        pass  # the catalog itself is in place; the next load reads it from DuckDB


def _write_snapshot(
    db_path: Path, file_key: list[int] | None, meta: dict[str, str], tables: dict[str, list]
) -> None:
    """Atomically, and only if the file did not change while it was read."""
    if file_key is None or _file_key(db_path) != file_key:
        return
    temp_path: Path | None = None
    try:
        body = json.dumps(
            {"meta": meta, "tables": tables}, ensure_ascii=False, separators=(",", ":")
        ).encode()
        header = {
            "tag": _SNAPSHOT_TAG,
            "file": file_key,
            "length": len(body),
            "crc32": zlib.crc32(body),
        }
        data = json.dumps(header).encode() + b"\n" + body  # JSON text holds no raw newline
        if len(data) > SNAPSHOT_MAX_BYTES:
            return  # it would never be read back
        temp_path = temp_path_beside(db_path, ".snapshot")
        temp_path.write_bytes(data)
        match_permissions(temp_path, db_path)  # it holds the catalog's text
        os.replace(temp_path, snapshot_path(db_path))
        temp_path = None
    except (OSError, ValueError, TypeError):  # a value JSON cannot hold: no snapshot
        pass
    finally:  # Ctrl-C included: no temporary file is left beside the catalog
        if temp_path is not None:
            with contextlib.suppress(OSError):  # only a cache: never fail a load for it
                _discard(temp_path)


# ---------------------------------------------------------------- reading


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while building many acyclic objects.

    Creating 600,000 dataclass instances triggers hundreds of collections that
    find nothing to free: measured as half of load_catalog's time at 500,000 lines.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _columns(con, cls: type, table: str, order_by: str | None = None) -> list[list]:
    """The columns of `table` named like the fields of dataclass `cls`, as Python lists.

    No ORDER BY: a plain scan keeps insertion order, and sorting 500,000 rows
    would cost a fifth of the load; `order_by` (a column of 0..n-1) is checked
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
    fields, equality and hash) 2-3x faster, which matters at 500,000 capability lines.
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
_KNOWLEDGE_COLUMNS = {
    "concepts": (*CONCEPT_COLUMNS, "source"),
    "systems": (*SYSTEM_COLUMNS, "source"),
    "system_relations": (*RELATION_COLUMNS, "source"),
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

    rows = {
        table: [dict(zip(columns, row, strict=True)) for row in tables.get(table, [])]
        for table, columns in _KNOWLEDGE_COLUMNS.items()
    }
    own = Knowledge.from_rows(rows["concepts"], rows["systems"], rows["system_relations"])
    if meta.get("knowledge") == KNOWLEDGE_MERGED:
        return own
    return shipped_knowledge().merged(own)
