"""Checks on staged input tables, in SQL: rows, references between tables, the knowledge base.

Each table gets one scan that counts every kind of problem; only a check with a
non-zero count runs its detail query (offending rows, in file order). Then the
checks across tables: capabilities and co-developers name known partners,
partners' countries have a posture, synonym terms are unique, and the knowledge
base's rows name concepts and systems that exist (its own or the shipped ones).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coprod.catalogschema import KNOWLEDGE_TABLES
from coprod.csvinput import StagedTable, quote_ident
from coprod.errors import Problem, shortened
from coprod.knowledge import ROLES as KNOWLEDGE_ROLES
from coprod.model import POSTURES, PRIORITIES

MAX_ROWS_PER_CHECK = 50  # problems listed per check and file; the rest are counted
MAX_KEYS_FOR_SUGGESTIONS = 20_000  # "did you mean" among ids only for tables this small


def line_of(staged: StagedTable, row: int) -> str:
    line, _ = staged.locator.place(row, None) if staged.exact_places else (None, None)
    return f"line {line}" if line is not None else f"row {row + 1}"


_ALLOWED_VALUES: dict[str, dict[str, Sequence[str]]] = {
    "countries": {"posture": POSTURES},
    "requirements": {"priority": PRIORITIES},
    "system_relations": {"role": KNOWLEDGE_ROLES},
}


def check_tables(con, staged: dict[str, StagedTable]) -> list[Problem]:
    """Every row-level and cross-table check, in SQL over the staged tables."""
    problems: list[Problem] = []
    partners = staged.get("partners")
    for name, table in staged.items():
        references = []
        if name in ("capabilities", "codevelopers") and partners is not None:
            references.append(Reference("partner_id", partners, "partner_id"))
        problems += check_table(con, table, _ALLOWED_VALUES.get(name, {}), references)
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
    rows = {table: staged_rows(con, staged[table]) for table in KNOWLEDGE_TABLES if table in staged}
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


def staged_rows(con, staged: StagedTable, with_source: bool = False) -> list[dict[str, str]]:
    """A small staged table's rows as dicts, with `_row` its 0-based row number."""
    names = [*staged.spec.columns, *(("source",) if with_source else ())]
    select = ", ".join(staged.value(name) for name in names)
    result = con.execute(f"SELECT rowid, {select} FROM {staged.table} ORDER BY rowid").fetchall()
    return [{"_row": row[0], **dict(zip(names, row[1:], strict=True))} for row in result]


def _check_synonym_terms(con, synonyms: StagedTable) -> list[Problem]:
    """The same term twice is ambiguous: warn, and keep the first (see coprod.catalogbuild)."""
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
            f"duplicate term '{key}' (first at {line_of(synonyms, first)}): the first is used",
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


def _listed(
    staged: StagedTable,
    rows: list[tuple],
    total: int,
    column: str | None,
    describe: Callable[..., str],
    severity: str = "error",
) -> list[Problem]:
    """Problems for the first rows of one check, then a count of the rest."""
    problems = [
        staged.problem(row[0], column, describe(*row[1:]), severity=severity)
        for row in rows[:MAX_ROWS_PER_CHECK]
    ]
    if total > MAX_ROWS_PER_CHECK:
        problems.append(
            Problem(
                staged.file,
                None,
                None,
                f"... and {total - MAX_ROWS_PER_CHECK} more like the above"
                + (f" in column '{column}'" if column else ""),
                severity=severity,  # type: ignore[arg-type]
            )
        )
    return problems


def _first_rows(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(
        f"SELECT * FROM ({sql}) ORDER BY 1 LIMIT {MAX_ROWS_PER_CHECK}", params or []
    ).fetchall()


@dataclass(frozen=True)
class RowCheck:
    """One check on one table: a condition counted in the table's single scan."""

    column: str
    condition: str  # SQL over the table's columns; true for an offending row
    detail: str  # SQL select list after rowid, passed to describe()
    describe: Callable[..., str]
    params: tuple = ()


@dataclass(frozen=True)
class Reference:
    """`column` must name a row of `target` (e.g. a capability's partner_id in partners)."""

    column: str
    target: StagedTable
    target_column: str


def _checks_for(staged: StagedTable, allowed: dict[str, Sequence[str]]) -> list[RowCheck]:
    checks: list[RowCheck] = []
    for column in staged.spec.required_text:
        value = staged.value(column)
        # Only a value sorting before '!' (empty, or starting with a space or a control
        # character) or starting with a non-ASCII character (U+3000, U+200B, NBSP...)
        # can be blank, and that comparison reads the inlined prefix only, far cheaper
        # on a big table than `= '' OR (LIKE ' %' AND trim...)`. Blank is Unicode
        # whitespace, separators, controls and format characters (RE2 classes).
        empty = (
            f"(({value} < '!' OR {value} >= '\x80') "
            f"AND regexp_full_match({value}, '[\\s\\p{{Z}}\\p{{Cc}}\\p{{Cf}}]*'))"
        )
        checks.append(RowCheck(column, empty, "NULL", lambda _, c=column: f"empty {c}"))
    for column, values in allowed.items():
        value = staged.value(column)

        def describe(found: str, column: str = column, values: Sequence[str] = values) -> str:
            close = difflib.get_close_matches(found.casefold(), values, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            expected = ", ".join(values)
            return f"unknown {column} '{shortened(found)}': expected one of {expected}{hint}"

        listed = ", ".join(f"'{v}'" for v in values)  # constants from code, not from files
        checks.append(
            RowCheck(column, f"{value} <> '' AND {value} NOT IN ({listed})", value, describe)
        )
    if staged.spec.name == "requirements":
        value = staged.value("quantity")
        number = f"TRY_CAST({value} AS DOUBLE)"

        def describe_quantity(found: str) -> str:
            parsed = _try_float(found)
            if parsed is not None and parsed < 0:
                return f"quantity must not be negative (found {shortened(found)})"
            return (
                f"quantity '{shortened(found)}' is not a number (write digits only, e.g. 1200, "
                "or leave it empty when no figure is public)"
            )

        checks.append(
            RowCheck(
                "quantity",
                f"{value} <> '' AND ({number} IS NULL OR NOT isfinite({number}) OR {number} < 0)",
                value,
                describe_quantity,
            )
        )
    return checks


def _try_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _padded_codes(staged: StagedTable) -> tuple[str, str] | None:
    """(condition, assignments) finding and trimming codes with surrounding spaces."""
    columns = [quote_ident(n) for n in staged.header.names if n in staged.spec.trimmed]
    if not columns:
        return None
    padded = " OR ".join(f"{c} LIKE ' %' OR {c} LIKE '% '" for c in columns)
    return padded, ", ".join(f"{c} = trim({c})" for c in columns)


def check_table(
    con,
    staged: StagedTable,
    allowed: dict[str, Sequence[str]],
    references: Sequence[Reference],
) -> list[Problem]:
    """Empty required text, unknown references, values outside a fixed set, bad quantities
    and duplicate keys: one scan of the table counts them all."""
    checks = _checks_for(staged, allowed)
    counts = [f"count_if({check.condition})" for check in checks]
    for column in staged.spec.key:
        key = f"nullif({staged.value(column)}, '')"
        counts.append(f"count({key}) - count(DISTINCT {key})")
    # Codes with surrounding spaces are counted in the same scan and trimmed only if
    # there are any: trimming every value while loading would slow every refresh.
    padding = _padded_codes(staged)
    counts.append(f"count_if({padding[0]})" if padding else "0")
    scan = f"SELECT {', '.join(counts)} FROM {staged.table}"
    totals = con.execute(scan).fetchone()
    if totals[-1]:
        con.execute(f"UPDATE {staged.table} SET {padding[1]} WHERE {padding[0]}")
        totals = con.execute(scan).fetchone()
    problems: list[Problem] = []
    for check, total in zip(checks, totals, strict=False):
        if total:
            rows = _first_rows(
                con, f"SELECT rowid, {check.detail} FROM {staged.table} WHERE {check.condition}"
            )
            problems += _listed(staged, rows, total, check.column, check.describe)
    key_totals = totals[len(checks) : len(checks) + len(staged.spec.key)]
    for column, total in zip(staged.spec.key, key_totals, strict=True):
        if total:
            problems += _duplicates(con, staged, column, total)
    for reference in references:
        problems += _unknown_references(con, staged, reference)
    return problems


def _unknown_references(con, staged: StagedTable, reference: Reference) -> list[Problem]:
    # An anti join of its own: inside the counting scan (count_if(x NOT IN ...)) DuckDB
    # plans a mark join, several times slower on a big table.
    value = staged.value(reference.column, "s")
    target = reference.target
    unmatched = (
        f"FROM {staged.table} s ANTI JOIN {target.table} t "
        f"ON {value} = {target.value(reference.target_column, 't')} WHERE {value} <> ''"
    )
    offending = f"SELECT s.rowid, {value} {unmatched}"
    total = con.execute(f"SELECT count(*) {unmatched}").fetchone()[0]
    if not total:
        return []
    target_name = target.source.path.name
    known: list[str] = []
    if target.rows <= MAX_KEYS_FOR_SUGGESTIONS:
        known = [
            row[0]
            for row in con.execute(
                f"SELECT DISTINCT {target.value(reference.target_column)} FROM {target.table}"
            ).fetchall()
        ]

    def describe(found: str) -> str:
        close = difflib.get_close_matches(found, known, n=1, cutoff=0.75) if known else []
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown {reference.column} '{shortened(found)}' (not in {target_name}){hint}"

    return _listed(staged, _first_rows(con, offending), total, reference.column, describe)


def _duplicates(con, staged: StagedTable, column: str, total: int) -> list[Problem]:
    value = staged.value(column, "s")
    rows = _first_rows(
        con,
        f"WITH firsts AS (SELECT {value} AS k, min(s.rowid) AS first_row FROM {staged.table} s "
        f"WHERE {value} <> '' GROUP BY k HAVING count(*) > 1) "
        f"SELECT s.rowid, f.k, f.first_row FROM {staged.table} s "
        f"JOIN firsts f ON {value} = f.k WHERE s.rowid <> f.first_row",
    )
    return _listed(
        staged,
        rows,
        total,
        column,
        lambda key, first: (
            f"duplicate {column} '{shortened(key)}' (first at {line_of(staged, first)})"
        ),
    )
