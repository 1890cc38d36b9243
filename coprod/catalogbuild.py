"""Refreshing the catalog: validate every input file, then build the new file and swap it in.

`refresh_catalog` validates every input file first (all problems, each with
file:line:column), then builds the new catalog in a uniquely named temporary
file beside the old one, CHECKPOINTs, closes it and swaps it in with
`os.replace`. A failure or an interrupt (KeyboardInterrupt; the CLI turns
SIGTERM into one) at any point leaves the old file byte-identical and removes
the temporary file.

coprod.csvinput (reading input into DuckDB staging tables) and
coprod.tablechecks are imported where a refresh needs them: a command that only
reads a catalog does not pay for them at start-up.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coprod import __version__
from coprod.catalog import cache_new_catalog
from coprod.catalogschema import (
    KNOWLEDGE_COLUMNS,
    KNOWLEDGE_MERGED,
    KNOWLEDGE_TABLES,
    REQUIRED_TABLES,
    SCHEMA_VERSION,
    TABLES,
)
from coprod.errors import CatalogValidationError, DataError, Problem, UsageError, first_line
from coprod.files import remove_stale_temps, temp_path_beside
from coprod.knowledge import Knowledge

if TYPE_CHECKING:
    from coprod.csvinput import SourceFile, StagedTable

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
    from coprod.tablechecks import check_tables

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
    # Uncompressed storage: compressing the lines costs more than reading them, and
    # an uncompressed file also loads faster; the price is a larger file.
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
        problems += check_tables(con, staged)
        if shipped_staged is not None:
            problems += check_tables(con, {"synonyms": shipped_staged})
        problems.sort(key=_problem_order)
        if any(p.severity == "error" for p in problems):
            raise CatalogValidationError(problems)
        row_counts = {table: (staged[table].rows if table in staged else 0) for table in TABLES}
        if not dry_run:
            assert temp_path is not None
            step("writing catalog")
            # One transaction: each statement committed on its own would write and
            # sync the file's write-ahead log, one small insert at a time.
            con.execute("BEGIN TRANSACTION")
            row_counts = _finish_catalog(con, staged, shipped_staged, paths)
            con.execute("COMMIT")
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
        raise DataError(f"cannot build the catalog at {db_path}: {first_line(error)}") from error
    except OSError as error:
        raise DataError(
            f"cannot build the catalog at {db_path}: {error.strerror or error}"
        ) from error
    finally:
        con.close()
        _remove_temp(temp_path)
    if not dry_run:
        cache_new_catalog(db_path, row_counts["capabilities"])
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

    Big tables are renamed rather than copied: copying a table costs as much as
    reading it. Their columns keep the input file's order (select
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
    _insert_rows(con, "fresh.meta", 2, list(meta.items()))
    return row_counts


def _finish_knowledge(con, staged: dict[str, StagedTable]) -> None:
    """The knowledge tables hold the shipped knowledge base extended by the user's rows
    (theirs win by id; a system's relations in their file replace the shipped ones), so
    loading the catalog needs no other file."""
    from coprod.knowledge import LIST_SEPARATOR, shipped_knowledge
    from coprod.tablechecks import staged_rows

    rows = {
        table: staged_rows(con, staged[table], with_source=True) if table in staged else []
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
        columns = KNOWLEDGE_COLUMNS[table]
        listed = ", ".join(f"{name} VARCHAR" for name in columns)
        con.execute(f"CREATE TABLE fresh.{table} ({listed})")
        _insert_rows(con, f"fresh.{table}", len(columns), values)


def _insert_rows(con, table: str, width: int, rows: Sequence[tuple[str, ...]]) -> None:
    """Insert text rows, in order, with one statement: a column each as a list parameter.

    executemany runs one INSERT per row, which costs far more than the rows do.
    """
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    listed = ", ".join("unnest(CAST(? AS VARCHAR[]))" for _ in range(width))
    con.execute(f"INSERT INTO {table} SELECT {listed}", columns)


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
