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
  reading the old data).

Note for long-lived readers (the TUI): DuckDB caches one database instance per
path inside a process. After a refresh, close every connection to the catalog
and reconnect (or simply call `load_catalog` again, which opens and closes its
own connection); a connection kept open across the refresh keeps seeing the old
file.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import starmap
from pathlib import Path

from coprod import __version__
from coprod.csvinput import (
    TABLE_SPECS,
    SourceFile,
    StagedTable,
    check_allowed,
    check_empty_text,
    check_quantity,
    check_references,
    check_unique,
    discover_sources,
    quote_ident,
    stage_file,
)
from coprod.errors import CatalogValidationError, DataError, Problem
from coprod.model import (
    POSTURES,
    PRIORITIES,
    Capability,
    Catalog,
    CountryPosture,
    Partner,
    Requirement,
    Synonym,
)

SCHEMA_VERSION = "1"

# Tables in build order; partners and capabilities are required in a user's folder.
TABLES: tuple[str, ...] = (
    "partners",
    "capabilities",
    "codevelopers",
    "countries",
    "requirements",
    "synonyms",
)
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


def refresh_catalog(
    sources: Sequence[Path] | None,
    db_path: Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RefreshReport:
    """Validate `sources` (None: the shipped data) and, unless dry_run, rebuild db_path atomically.

    Raises CatalogValidationError with every problem found; db_path is then untouched.
    """
    import duckdb

    from coprod.paths import shipped_data_dir

    started = time.perf_counter()
    shipped = shipped_data_dir()
    using_shipped = sources is None
    paths = [shipped] if sources is None else [Path(p) for p in sources]
    found, problems = discover_sources(paths)
    if using_shipped:
        # Other files ship beside the catalog (e.g. the eval ground truth): not a user's slip.
        problems = [p for p in problems if p.severity == "error"]
    extra_synonyms: SourceFile | None = None
    if not using_shipped:
        shipped_synonyms = shipped / "synonyms.csv"
        if shipped_synonyms.is_file():
            extra_synonyms = SourceFile("synonyms", shipped_synonyms, "csv")
    for table in REQUIRED_TABLES:
        if table not in found and not any(p.severity == "error" for p in problems):
            problems.append(
                Problem(
                    ", ".join(str(p) for p in paths),
                    None,
                    None,
                    f"no {table}.csv or {table}.parquet found: it is required",
                )
            )
    for table in TABLES:
        if table not in found and table not in REQUIRED_TABLES and table != "synonyms":
            problems.append(
                Problem(
                    ", ".join(str(p) for p in paths),
                    None,
                    None,
                    f"no {table} file: the catalog will have no {table}",
                    severity="warning",
                )
            )

    steps = len(found) + (1 if extra_synonyms else 0) + 3
    done = 0

    def step(stage: str) -> None:
        nonlocal done
        if progress is not None:
            progress(stage, done, steps)
        done += 1

    con = duckdb.connect(":memory:")
    try:
        staged: dict[str, StagedTable] = {}
        for table in TABLES:
            if table not in found:
                continue
            step(f"reading {found[table].path.name}")
            table_staged, table_problems = stage_file(con, found[table], f"stage_{table}")
            problems += table_problems
            if table_staged is not None:
                staged[table] = table_staged
        shipped_synonyms_staged = None
        if extra_synonyms is not None:
            step("reading shipped synonyms")
            shipped_synonyms_staged, table_problems = stage_file(
                con, extra_synonyms, "stage_shipped_synonyms"
            )
            problems += table_problems
        step("checking")
        problems += _check_rows(con, staged)
        if shipped_synonyms_staged is not None:
            problems += _check_rows(con, {"synonyms": shipped_synonyms_staged})
        problems.sort(key=_problem_order)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise CatalogValidationError(problems)
        warnings = [p for p in problems if p.severity == "warning"]
        row_counts = {table: (staged[table].rows if table in staged else 0) for table in TABLES}
        if not dry_run:
            step("writing catalog")
            row_counts = _write_catalog(
                con, staged, shipped_synonyms_staged, db_path, paths, progress=step
            )
        step("done")
    finally:
        con.close()
    return RefreshReport(
        db_path=db_path,
        row_counts=row_counts,
        warnings=warnings,
        dry_run=dry_run,
        seconds=time.perf_counter() - started,
    )


def _problem_order(problem: Problem) -> tuple[str, float, float]:
    """By file, then place; whole-file notes and '... and N more' after the placed ones."""
    line = problem.line if problem.line is not None else float("inf")
    column = problem.column if problem.column is not None else 0
    return problem.file, line, column


def _line_of(staged: StagedTable, row: int) -> str:
    line, _ = staged.locator.place(row, None) if staged.exact_places else (None, None)
    return f"line {line}" if line is not None else f"row {row + 1}"


def _check_rows(con, staged: dict[str, StagedTable]) -> list[Problem]:
    """Every row-level and cross-table check, in SQL over the staging tables."""
    problems: list[Problem] = []
    for table in staged.values():
        problems += check_empty_text(con, table)
        problems += check_unique(con, table, _line_of)
    partners = staged.get("partners")
    for table_name in ("capabilities", "codevelopers"):
        table = staged.get(table_name)
        if table is not None and partners is not None:
            problems += check_references(con, table, "partner_id", partners, "partner_id")
    if "countries" in staged:
        problems += check_allowed(con, staged["countries"], "posture", POSTURES)
    if "requirements" in staged:
        problems += check_allowed(con, staged["requirements"], "priority", PRIORITIES)
        problems += check_quantity(con, staged["requirements"])
    if "synonyms" in staged:
        problems += _check_synonym_terms(con, staged["synonyms"])
    if partners is not None and "countries" in staged:
        problems += _check_partner_countries(con, partners, staged["countries"])
    return problems


def _check_synonym_terms(con, synonyms: StagedTable) -> list[Problem]:
    term = f"lower({synonyms.value('term', 's')})"
    rows = con.execute(
        f"WITH firsts AS (SELECT {term} AS k, min(rowid) AS first_row FROM {synonyms.stage} s "
        f"WHERE {term} <> '' GROUP BY k HAVING count(*) > 1) "
        f"SELECT s.rowid, f.k, f.first_row FROM {synonyms.stage} s JOIN firsts f ON {term} = f.k "
        "WHERE s.rowid <> f.first_row ORDER BY s.rowid LIMIT 50"
    ).fetchall()
    return [
        synonyms.problem(
            row, "term", f"duplicate term '{key}' (first at {_line_of(synonyms, first)})"
        )
        for row, key, first in rows
    ]


def _check_partner_countries(con, partners: StagedTable, countries: StagedTable) -> list[Problem]:
    """A partner whose country has no posture: consent cannot be judged (warning, per country)."""
    country = partners.value("country", "p")
    rows = con.execute(
        f"SELECT min(p.rowid), {country} AS c, count(*) FROM {partners.stage} p "
        f"WHERE {country} <> '' AND NOT EXISTS (SELECT 1 FROM {countries.stage} k "
        f"WHERE {countries.value('country', 'k')} = {country}) GROUP BY c ORDER BY 1 LIMIT 50"
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


def _select_list(table: str, staged: StagedTable | None) -> tuple[str, list[str]]:
    """SQL select list for a final table from its staging table (or an empty one)."""
    spec = TABLE_SPECS[table]
    columns: list[str] = []
    expressions: list[str] = []
    if table == "capabilities":
        columns.append("capability_id")
        expressions.append("CAST(rowid AS INTEGER)" if staged else "CAST(NULL AS INTEGER)")
    for column in spec.known_columns:
        columns.append(column)
        value = staged.value(column) if staged else "CAST(NULL AS VARCHAR)"
        kind = _NUMERIC_COLUMNS.get((table, column))
        if kind:
            expressions.append(f"TRY_CAST(nullif({value}, '') AS {kind})")
        else:
            expressions.append(value)
    if staged is not None:
        for extra in staged.extras:
            columns.append(extra)
            expressions.append(f"coalesce({staged.raw(extra)}, '')")
    select = ", ".join(
        f"{expr} AS {quote_ident(name)}" for expr, name in zip(expressions, columns, strict=True)
    )
    return select, columns


def _write_catalog(
    con,
    staged: dict[str, StagedTable],
    shipped_synonyms: StagedTable | None,
    db_path: Path,
    sources: Sequence[Path],
    *,
    progress: Callable[[str], None],
) -> dict[str, int]:
    """Build the catalog in a temp file beside db_path, then swap it in atomically."""
    db_path = db_path.expanduser()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temp_path = db_path.with_name(f".{db_path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    attached = False
    try:
        con.execute("ATTACH ? AS fresh", [str(temp_path)])
        attached = True
        for table in TABLES:
            progress(f"writing {table}")
            source = staged.get(table)
            select, _ = _select_list(table, source)
            if source is None:
                con.execute(f"CREATE TABLE fresh.{table} AS SELECT {select} LIMIT 0")
            elif table == "synonyms" and shipped_synonyms is not None:
                # The user's synonyms extend the shipped ones and win on the same term.
                user_term = f"lower({source.value('term', 'u')})"
                shipped_term = f"lower({shipped_synonyms.value('term', 'sh')})"
                con.execute(
                    f"CREATE TABLE fresh.synonyms AS "
                    f"SELECT {source.value('term')} AS term, "
                    f"{source.value('canonical')} AS canonical, "
                    f"{source.value('source')} AS source FROM {source.stage} "
                    f"UNION ALL SELECT {shipped_synonyms.value('term', 'sh')}, "
                    f"{shipped_synonyms.value('canonical', 'sh')}, "
                    f"{shipped_synonyms.value('source', 'sh')} "
                    f"FROM {shipped_synonyms.stage} sh WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {source.stage} u WHERE {user_term} = {shipped_term})"
                )
            else:
                con.execute(
                    f"CREATE TABLE fresh.{table} AS SELECT {select} "
                    f"FROM {source.stage} ORDER BY rowid"
                )
        if "synonyms" not in staged and shipped_synonyms is not None:
            con.execute("DROP TABLE fresh.synonyms")
            select, _ = _select_list("synonyms", shipped_synonyms)
            con.execute(
                f"CREATE TABLE fresh.synonyms AS SELECT {select} "
                f"FROM {shipped_synonyms.stage} ORDER BY rowid"
            )
        row_counts = {
            table: con.execute(f"SELECT count(*) FROM fresh.{table}").fetchone()[0]
            for table in TABLES
        }
        meta = {
            "schema_version": SCHEMA_VERSION,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "coprod_version": __version__,
            "duckdb_version": _duckdb_version(),
            "sources": json.dumps([str(Path(p).resolve()) for p in sources]),
            **{f"rows.{table}": str(count) for table, count in row_counts.items()},
        }
        con.execute("CREATE TABLE fresh.meta (key VARCHAR, value VARCHAR)")
        con.executemany("INSERT INTO fresh.meta VALUES (?, ?)", list(meta.items()))
        con.execute("CHECKPOINT fresh")
        con.execute("DETACH fresh")
        attached = False
        progress("swapping in the new catalog")
        try:
            os.replace(temp_path, db_path)
        except OSError as error:
            # Windows refuses to replace a file another process has open.
            raise DataError(
                f"cannot replace {db_path}: {error.strerror or error} "
                "(close other programs using the catalog and try again)"
            ) from error
        return row_counts
    finally:
        if attached:
            # The error that brought us here matters more than a failed detach.
            with contextlib.suppress(Exception):
                con.execute("DETACH fresh")
        for leftover in (temp_path, temp_path.with_name(temp_path.name + ".wal")):
            leftover.unlink(missing_ok=True)


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


def _open_read_only(db_path: Path):
    import duckdb

    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataError(
            f"{db_path} is not a coprod catalog ({first_line}); "
            f"rebuild it with `coprod refresh --db {db_path}`"
        ) from error


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

    Opens the file read-only and closes it before returning.
    """
    db_path = ensure_catalog(db_path)
    con = _open_read_only(db_path)
    try:
        meta = read_meta(con, db_path)
        return _read_tables(con, meta)
    finally:
        con.close()


def _rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def _read_tables(con, meta: dict[str, str]) -> Catalog:
    partners = {
        row[0]: Partner(*row)
        for row in _rows(
            con,
            "SELECT partner_id, name, country, kind, description, source "
            "FROM partners ORDER BY rowid",
        )
    }
    capabilities = list(
        starmap(
            Capability,
            _rows(
                con,
                "SELECT capability_id, partner_id, capability, category, system, source "
                "FROM capabilities ORDER BY capability_id",
            ),
        )
    )
    codevelopers: dict[str, tuple[str, ...]] = {}
    for system, partner_id in _rows(
        con, "SELECT system, partner_id FROM codevelopers ORDER BY rowid"
    ):
        key = system.strip().casefold()
        if partner_id not in codevelopers.get(key, ()):
            codevelopers[key] = (*codevelopers.get(key, ()), partner_id)
    countries = {
        row[0]: CountryPosture(*row)
        for row in _rows(con, "SELECT country, posture, note, source FROM countries ORDER BY rowid")
    }
    requirements = {
        row[0]: Requirement(*row)
        for row in _rows(
            con,
            "SELECT requirement_id, title, description, category, quantity, unit, priority, "
            "source FROM requirements ORDER BY rowid",
        )
    }
    synonyms = list(
        starmap(Synonym, _rows(con, "SELECT term, canonical FROM synonyms ORDER BY rowid"))
    )
    return Catalog(
        partners=partners,
        capabilities=capabilities,
        codevelopers=codevelopers,
        countries=countries,
        requirements=requirements,
        synonyms=synonyms,
        meta=meta,
    )
