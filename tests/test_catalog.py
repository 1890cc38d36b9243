"""The catalog: exact problem places, atomic rebuilds, bulk loading (real files, real DuckDB)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import duckdb
import pytest
from conftest import (
    CAPABILITIES,
    CODEVELOPERS,
    COUNTRIES,
    PARTNERS,
    REQUIREMENTS,
    write_catalog_folder,
    write_csv,
)

from coprod.catalog import (
    SCHEMA_VERSION,
    TABLES,
    ensure_catalog,
    load_catalog,
    read_requirements,
    refresh_catalog,
)
from coprod.errors import CatalogValidationError, DataError
from coprod.model import Capability
from coprod.paths import shipped_data_dir
from coprod.tablecache import cache_path

SHIPPED = Path(__file__).resolve().parent.parent / "data"


# A catalog and its tables cache (coprod/tablecache.py), written by a refresh
# or a load of a small catalog; anything else beside them would be a leftover.
CATALOG_FILES = ["catalog.duckdb", "catalog.duckdb.snapshot"]


def _files_beside(db_path: Path) -> list[str]:
    return sorted(os.listdir(db_path.parent))


# ---------------------------------------------------------------- round trips


def test_round_trip_of_fixture_folder(catalog_folder: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "out" / "catalog.duckdb"
    report = refresh_catalog([catalog_folder], db_path)
    assert report.row_counts["partners"] == len(PARTNERS)
    assert report.row_counts["capabilities"] == len(CAPABILITIES)
    assert report.warnings == []
    assert not report.dry_run

    catalog = load_catalog(db_path)
    assert list(catalog.partners) == [row["partner_id"] for row in PARTNERS]
    for row in PARTNERS:
        partner = catalog.partners[row["partner_id"]]
        assert (partner.name, partner.country, partner.kind, partner.description) == (
            row["name"],
            row["country"],
            row["kind"],
            row["description"],
        )
        assert partner.source == "test fixture"
    assert [c.capability_id for c in catalog.capabilities] == list(range(len(CAPABILITIES)))
    # Built in bulk, the objects are indistinguishable from ones made by their __init__.
    first = CAPABILITIES[0]
    made = Capability(
        0,
        first["partner_id"],
        first["capability"],
        first["category"],
        first["system"],
        "test fixture",
    )
    assert catalog.capabilities[0] == made and hash(catalog.capabilities[0]) == hash(made)
    assert type(catalog.capabilities[0]) is Capability
    assert [(c.partner_id, c.capability, c.category, c.system) for c in catalog.capabilities] == [
        (row["partner_id"], row["capability"], row["category"], row["system"])
        for row in CAPABILITIES
    ]
    assert catalog.codevelopers_of("excalibur") == ("rtx", "bae-bofors")
    assert catalog.codevelopers_of(" Javelin ") == ("lockheed-martin", "rtx")
    assert sum(len(ids) for ids in catalog.codevelopers.values()) == len(CODEVELOPERS)
    assert {c: p.posture for c, p in catalog.countries.items()} == {
        row["country"]: row["posture"] for row in COUNTRIES
    }
    assert catalog.posture_of("Sweden").posture == "blocked"
    assert list(catalog.requirements) == [row["requirement_id"] for row in REQUIREMENTS]
    assert catalog.requirements["req-155-guided"].quantity == 1200.0
    assert catalog.requirements["req-atgm"].quantity is None
    assert catalog.requirements["req-5-56"].quantity == 2.5e7
    terms = {s.term: s.canonical for s in catalog.synonyms}
    assert terms["atgm"] == "anti tank missile"  # the user's row wins over the shipped one
    assert catalog.meta["schema_version"] == SCHEMA_VERSION
    assert catalog.meta["rows.capabilities"] == str(len(CAPABILITIES))
    assert catalog.meta["built_at"].endswith("+00:00")


def _read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.skipif(
    not all((SHIPPED / f"{table}.csv").exists() for table in TABLES),
    reason="data/ does not hold every catalog file yet (the data helper is writing them)",
)
def test_round_trip_of_shipped_data(tmp_path: Path) -> None:
    """Everything shipped loads, compared against Python's own csv reading of the files."""
    assert shipped_data_dir().resolve() == SHIPPED.resolve()
    db_path = tmp_path / "catalog.duckdb"
    report = refresh_catalog(None, db_path)
    catalog = load_catalog(db_path)

    partners = _read_csv_rows(SHIPPED / "partners.csv")
    assert report.row_counts["partners"] == len(partners) == len(catalog.partners)
    for row in partners:
        partner = catalog.partners[row["partner_id"].strip()]
        assert (partner.name, partner.description, partner.source) == (
            row["name"],
            row["description"],
            row["source"],
        )
    capabilities = _read_csv_rows(SHIPPED / "capabilities.csv")
    assert [c.capability for c in catalog.capabilities] == [r["capability"] for r in capabilities]
    assert [c.capability_id for c in catalog.capabilities] == list(range(len(capabilities)))
    requirements = _read_csv_rows(SHIPPED / "requirements.csv")
    assert [r.title for r in catalog.requirements.values()] == [r["title"] for r in requirements]
    for row in requirements:
        quantity = catalog.requirements[row["requirement_id"].strip()].quantity
        assert quantity == (float(row["quantity"]) if row["quantity"].strip() else None)
    countries = _read_csv_rows(SHIPPED / "countries.csv")
    assert {c: p.posture for c, p in catalog.countries.items()} == {
        r["country"].strip(): r["posture"].strip() for r in countries
    }
    codevelopers = _read_csv_rows(SHIPPED / "codevelopers.csv")
    assert sum(len(ids) for ids in catalog.codevelopers.values()) == len(
        {(r["system"].strip().casefold(), r["partner_id"].strip()) for r in codevelopers}
    )
    assert "bae-bofors" in catalog.codevelopers_of("Excalibur")
    synonyms = _read_csv_rows(SHIPPED / "synonyms.csv")
    assert len(catalog.synonyms) == len(synonyms)
    # The minimums for the shipped catalog.
    assert len(catalog.partners) >= 60
    assert sum(p.is_local for p in catalog.partners.values()) >= 15
    assert len({p.country for p in catalog.partners.values()}) >= 10
    assert len(catalog.capabilities) >= 150
    assert len(catalog.requirements) >= 25


def test_ensure_catalog_builds_shipped_data_on_first_use(tmp_path: Path) -> None:
    db_path = tmp_path / "deep" / "er" / "catalog.duckdb"
    assert ensure_catalog(db_path) == db_path
    assert db_path.exists()
    before = db_path.read_bytes()
    ensure_catalog(db_path)  # already there: untouched
    assert db_path.read_bytes() == before
    assert _files_beside(db_path) == CATALOG_FILES


def test_two_processes_racing_to_build_both_succeed(tmp_path: Path) -> None:
    db_path = tmp_path / "catalog.duckdb"
    code = (
        "import sys; from pathlib import Path; from coprod.catalog import load_catalog; "
        "print(len(load_catalog(Path(sys.argv[1])).partners))"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(db_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0] and int(outputs[0][0]) > 0
    # No temp file of either is left.
    assert _files_beside(db_path) == CATALOG_FILES


def test_hostile_text_survives_storage_unchanged(catalog, catalog_db: Path, hostile) -> None:
    partner = catalog.partners[hostile["partner_id"]]
    assert partner.name == hostile["name"]
    assert partner.description == hostile["description"]
    texts = [c.capability for c in catalog.capabilities if c.partner_id == hostile["partner_id"]]
    assert texts == [hostile["capability"]]
    with duckdb.connect(str(catalog_db), read_only=True) as con:
        stored = con.execute(
            "SELECT name, description FROM partners WHERE partner_id = ?", [hostile["partner_id"]]
        ).fetchone()
    assert stored == (hostile["name"], hostile["description"])


def test_bom_crlf_and_quoted_newlines_are_accepted(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    text = (folder / "capabilities.csv").read_text(encoding="utf-8")
    (folder / "capabilities.csv").write_bytes(
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    )
    catalog = load_catalog(_built(folder, tmp_path))
    assert [c.capability for c in catalog.capabilities] == [r["capability"] for r in CAPABILITIES]
    hostile = [c for c in catalog.capabilities if c.partner_id == "hostile-co"]
    assert hostile[0].capability == CAPABILITIES[-1]["capability"]


def _built(folder: Path, tmp_path: Path) -> Path:
    db_path = tmp_path / "built" / "catalog.duckdb"
    refresh_catalog([folder], db_path)
    return db_path


def test_extra_columns_are_kept_and_reported(tmp_path: Path) -> None:
    partners = [{**row, "website": f"https://{row['partner_id']}.example"} for row in PARTNERS]
    folder = write_catalog_folder(tmp_path / "in", partners=partners)
    db_path = tmp_path / "catalog.duckdb"
    report = refresh_catalog([folder], db_path)
    assert [str(w) for w in report.warnings] == [
        f"{folder / 'partners.csv'}:1:42: warning: extra column 'website' is kept as text "
        "but not used by coprod"
    ]
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("SELECT website FROM partners WHERE partner_id = 'rtx'").fetchone() == (
            "https://rtx.example",
        )


def test_parquet_input_with_the_same_columns(catalog_folder: Path, tmp_path: Path) -> None:
    parquet_folder = tmp_path / "parquet"
    parquet_folder.mkdir()
    with duckdb.connect() as con:
        for table in TABLES:
            if not (catalog_folder / f"{table}.csv").is_file():
                continue  # the knowledge tables are optional
            con.execute(
                f"COPY (SELECT * FROM read_csv(?, all_varchar = true)) TO '{parquet_folder}/"
                f"{table}.parquet' (FORMAT parquet)",
                [str(catalog_folder / f"{table}.csv")],
            )
    from_csv = load_catalog(_built(catalog_folder, tmp_path / "a"))
    from_parquet = load_catalog(_built(parquet_folder, tmp_path / "b"))
    assert from_parquet.partners == from_csv.partners
    assert from_parquet.capabilities == from_csv.capabilities
    assert from_parquet.requirements == from_csv.requirements
    assert from_parquet.codevelopers == from_csv.codevelopers


def test_parquet_problems_name_the_row(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in", countries=None)
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT 'Sweden' AS country, 'hostile' AS posture, '' AS note) TO "
            f"'{folder}/countries.parquet' (FORMAT parquet)"
        )
    problems = [p for p in _problems(folder, tmp_path / "catalog.duckdb") if "warning" not in p]
    assert problems == [
        f"{folder / 'countries.parquet'}: row 1, column 'posture': unknown posture 'hostile': "
        "expected one of open, case_by_case, reluctant, blocked"
    ]


def test_dry_run_writes_nothing(catalog_folder: Path, catalog_db: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "never" / "catalog.duckdb"
    report = refresh_catalog([catalog_folder], fresh, dry_run=True)
    assert report.dry_run and report.row_counts["partners"] == len(PARTNERS)
    assert not fresh.parent.exists()
    before = catalog_db.read_bytes()
    refresh_catalog([catalog_folder], catalog_db, dry_run=True)
    assert catalog_db.read_bytes() == before


# ---------------------------------------------------------------- bad input


def _problems(folder: Path, db_path: Path) -> list[str]:
    with pytest.raises(CatalogValidationError) as raised:
        refresh_catalog([folder], db_path)
    return [str(problem) for problem in raised.value.problems]


MULTILINE_FIRST = (
    'partner_id,capability,category,system\nrtx,"three\nline\nfield",,\nnobody,shells,,\n'
)

# (file, bytes written to it, expected problem as "line:column: message" after "file:")
BAD_INPUT = {
    "missing column": (
        "partners.csv",
        b"partner_id,name,kind,description\nrtx,RTX,x,y\n",
        "1: missing column 'country' (required columns: partner_id, name, country, kind, "
        "description)",
    ),
    "misspelt column": (
        "partners.csv",
        b"partner_id,nmae,country,kind,description\nrtx,RTX,United States,x,y\n",
        "1:12: unknown column 'nmae': did you mean 'name'? (required column 'name' is missing)",
    ),
    "duplicate id": (
        "countries.csv",
        b"country,posture,note\nSweden,blocked,a\nNorway,open,b\n Sweden ,open,c\n",
        "4:1: duplicate country 'Sweden' (first at line 2)",
    ),
    "unknown partner in capabilities": (
        "capabilities.csv",
        b"partner_id,capability,category,system\nrtx,Stinger,,\nraytheon,Javelin,,\n",
        "3:1: unknown partner_id 'raytheon' (not in partners.csv)",
    ),
    "unknown partner in codevelopers": (
        "codevelopers.csv",
        b"system,partner_id\nExcalibur,rtx\nExcalibur,bofors\nJavelin,lockheed-martn\n",
        "3:11: unknown partner_id 'bofors' (not in partners.csv); did you mean 'bae-bofors'?",
    ),
    "misspelt partner": (
        "codevelopers.csv",
        b"system,partner_id\nExcalibur,rtx\nJavelin,lockheed-martn\n",
        "3:9: unknown partner_id 'lockheed-martn' (not in partners.csv); did you mean "
        "'lockheed-martin'?",
    ),
    "unknown posture": (
        "countries.csv",
        b"country,posture,note\nSweden,blokced,x\n",
        "2:8: unknown posture 'blokced': expected one of open, case_by_case, reluctant, "
        "blocked; did you mean 'blocked'?",
    ),
    "unknown priority": (
        "requirements.csv",
        b"requirement_id,title,description,category,quantity,unit,priority\n"
        b"r1,Drones,,uas,,,urgent\n",
        "2:18: unknown priority 'urgent': expected one of high, medium, low",
    ),
    "empty required text": (
        "capabilities.csv",
        b"partner_id,capability,category,system\nrtx,Stinger,,\nrtx,   ,uas,\n",
        "3:5: empty capability",
    ),
    "negative quantity": (
        "requirements.csv",
        b"requirement_id,title,description,category,quantity,unit,priority\n"
        b"r1,Shells,,x,-40,rounds,high\n",
        "2:14: quantity must not be negative (found -40)",
    ),
    "non-numeric quantity": (
        "requirements.csv",
        b"requirement_id,title,description,category,quantity,unit,priority\n"
        b'r1,Shells,"a, b",x,"1,200",rounds,high\n',
        "2:20: quantity '1,200' is not a number (write digits only, e.g. 1200, or leave it "
        "empty when no figure is public)",
    ),
    "unterminated quote": (
        "capabilities.csv",
        b'partner_id,capability,category,system\nrtx,Stinger,,\nrtx,"Javelin,,\nrtx,x,,\n',
        "3:5: unterminated quote: this quoted field is never closed (it runs to the end of "
        "the file)",
    ),
    "text after a closing quote": (
        "capabilities.csv",
        b'partner_id,capability,category,system\nrtx,"Stinger" MANPADS,,\n',
        "2:14: unexpected ' ' after a closing quote: a quoted field must end at a comma or at "
        "the end of the line",
    ),
    "quote inside an unquoted field is literal": (
        "capabilities.csv",
        b'partner_id,capability,category,system\nrtx,5" guns,,\nrtx,"a ""b""\nc",,\nnone,x,,\n',
        "5:1: unknown partner_id 'none' (not in partners.csv)",
    ),
    "carriage returns only": (
        "countries.csv",
        b"country,posture,note\nSweden,blocked,x\rNorway,open,y\n",
        "2:17: a carriage return without a line feed: save the file with LF or CRLF line ends",
    ),
    "too few fields": (
        "capabilities.csv",
        b"partner_id,capability,category,system\nrtx,Stinger,uas\n",
        "2: 3 field(s), expected 4",
    ),
    "too many fields": (
        "capabilities.csv",
        b"partner_id,capability,category,system\nrtx,155 mm, 39 cal,,\n",
        '2:21: 5 fields, expected 4: an unquoted comma? put the field in double quotes ("...")',
    ),
    "undecodable byte": (
        "partners.csv",
        "partner_id,name,country,kind,description\nrtx,Caf\u00e9,United States,x,y\n"
        "saab,S\u00e5ab,Sweden,x,y\n".encode("utf-8").replace("S\u00e5".encode(), b"S\xe5"),
        "3:7: undecodable byte 0xe5 at byte offset 75: the file must be UTF-8 (re-save it as "
        "'CSV UTF-8')",
    ),
    "empty file": (
        "codevelopers.csv",
        b"",
        "file is empty: expected a header line 'system,partner_id'",
    ),
    "row after a multi-line field": (
        "capabilities.csv",
        MULTILINE_FIRST.encode("utf-8"),
        "5:1: unknown partner_id 'nobody' (not in partners.csv)",
    ),
    "bom and crlf": (
        "capabilities.csv",
        b'\xef\xbb\xbfpartner_id,capability,category,system\r\nrtx,"a\r\nb",,\r\nrtx,,uas,\r\n',
        "4:5: empty capability",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_pinned_and_changes_nothing(
    case: str, catalog_folder: Path, catalog_db: Path
) -> None:
    file_name, content, expected = BAD_INPUT[case]
    if file_name == "partners.csv" and case != "undecodable byte":
        # Without partners every capability would be unknown: keep them consistent.
        for table in ("capabilities", "codevelopers"):
            (catalog_folder / f"{table}.csv").write_text(
                "partner_id,capability,category,system\n"
                if table == "capabilities"
                else "system,partner_id\n",
                encoding="utf-8",
            )
    (catalog_folder / file_name).write_bytes(content)
    before = catalog_db.read_bytes()
    problems = _problems(catalog_folder, catalog_db)
    wanted = f"{catalog_folder / file_name}:{expected}"
    if case == "empty file":
        wanted = f"{catalog_folder / file_name}: {expected}"
    assert wanted in problems, "\n".join(problems)
    assert catalog_db.read_bytes() == before
    assert _files_beside(catalog_db) == CATALOG_FILES


def test_every_problem_is_reported_not_only_the_first(catalog_folder: Path, tmp_path: Path) -> None:
    write_csv(
        catalog_folder / "countries.csv",
        [*COUNTRIES, {"country": "Narnia", "posture": "hostile", "note": ""}],
    )
    write_csv(
        catalog_folder / "requirements.csv",
        [{**REQUIREMENTS[0], "quantity": "-1"}, {**REQUIREMENTS[1], "title": ""}],
    )
    (catalog_folder / "codevelopers.csv").write_bytes(b"system,partner_id\nX,\xff\n")
    problems = _problems(catalog_folder, tmp_path / "catalog.duckdb")
    assert len(problems) == 4, problems
    second_line = (catalog_folder / "requirements.csv").read_text(encoding="utf-8").splitlines()[1]
    quantity_column = second_line.index(",-1,") + 2
    assert [p.split(": ", 1)[0].rsplit("/", 1)[1] for p in problems] == [
        "codevelopers.csv:2:3",
        "countries.csv:7:8",
        f"requirements.csv:2:{quantity_column}",
        f"requirements.csv:3:{len(REQUIREMENTS[1]['requirement_id']) + 2}",
    ]


def test_many_bad_rows_are_listed_then_counted(catalog_folder: Path, tmp_path: Path) -> None:
    rows = [
        {"partner_id": f"ghost-{i}", "capability": "x", "category": "", "system": ""}
        for i in range(120)
    ]
    write_csv(catalog_folder / "capabilities.csv", rows)
    problems = _problems(catalog_folder, tmp_path / "catalog.duckdb")
    assert len(problems) == 51
    assert problems[0].endswith(
        "capabilities.csv:2:1: unknown partner_id 'ghost-0' (not in partners.csv)"
    )
    assert problems[-1].endswith("... and 70 more like the above in column 'partner_id'")


def test_missing_required_file_and_unknown_file_name(catalog_folder: Path, tmp_path: Path) -> None:
    (catalog_folder / "capabilities.csv").unlink()
    (catalog_folder / "requirments.csv").write_text("x\n", encoding="utf-8")
    problems = _problems(catalog_folder, tmp_path / "catalog.duckdb")
    assert any("no capabilities.csv or capabilities.parquet found" in p for p in problems)
    assert any(
        p.startswith(f"{catalog_folder / 'requirments.csv'}: warning: file name is not a catalog")
        and "did you mean 'requirements.csv'?" in p
        for p in problems
    )


# ---------------------------------------------------------------- atomic swap


def test_refresh_while_another_process_reads_the_old_catalog(
    catalog_db: Path, tmp_path: Path
) -> None:
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys, duckdb
                con = duckdb.connect(sys.argv[1], read_only=True)
                print(con.execute("SELECT count(*) FROM partners").fetchone()[0], flush=True)
                sys.stdin.readline()
                print(con.execute("SELECT count(*) FROM partners").fetchone()[0], flush=True)
                """
            ),
            str(catalog_db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == str(len(PARTNERS))
        smaller = write_catalog_folder(
            tmp_path / "smaller", partners=PARTNERS[:-1], capabilities=CAPABILITIES[:-1]
        )
        report = refresh_catalog([smaller], catalog_db)
        assert report.row_counts["partners"] == len(PARTNERS) - 1
        reader.stdin.write("go\n")
        reader.stdin.flush()
        # The reader keeps its old, complete catalog.
        assert reader.stdout.readline().strip() == str(len(PARTNERS))
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0
    assert len(load_catalog(catalog_db).partners) == len(PARTNERS) - 1
    assert _files_beside(catalog_db) == CATALOG_FILES


@pytest.mark.parametrize(
    "stage",
    [
        "reading capabilities.csv",
        "checking",
        "writing catalog",
        "saving",
        "swapping in the new catalog",
    ],
)
def test_interrupt_at_any_stage_leaves_old_catalog(
    stage: str, catalog_db: Path, tmp_path: Path
) -> None:
    before = catalog_db.read_bytes()
    other = write_catalog_folder(
        tmp_path / "other", partners=PARTNERS[:-1], capabilities=CAPABILITIES[:-1]
    )
    seen: list[str] = []

    def progress(current: str, done: int, total: int) -> None:
        seen.append(current)
        if current == stage:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        refresh_catalog([other], catalog_db, progress=progress)
    assert seen[-1] == stage
    assert catalog_db.read_bytes() == before
    assert _files_beside(catalog_db) == CATALOG_FILES


def test_interrupt_while_writing_the_final_tables_leaves_old_catalog(
    catalog_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The final tables are written in one transaction: an interrupt half-way through
    it (some tables renamed and created, others not) still changes nothing."""
    from coprod import catalogbuild

    before = catalog_db.read_bytes()
    other = write_catalog_folder(tmp_path / "other", capabilities=CAPABILITIES[:-1])

    def interrupted(con, staged):
        con.execute("CREATE TABLE fresh.half_written (x INTEGER)")
        raise KeyboardInterrupt

    monkeypatch.setattr(catalogbuild, "_finish_knowledge", interrupted)
    with pytest.raises(KeyboardInterrupt):
        refresh_catalog([other], catalog_db)
    assert catalog_db.read_bytes() == before
    assert _files_beside(catalog_db) == CATALOG_FILES


# ---------------------------------------------------------------- loading


def test_not_a_catalog_is_a_clear_data_error(tmp_path: Path) -> None:
    random_file = tmp_path / "random.duckdb"
    random_file.write_bytes(os.urandom(4096))
    with pytest.raises(DataError, match="is not a coprod catalog"):
        load_catalog(random_file)
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with pytest.raises(DataError, match=r"not a coprod catalog .*coprod refresh"):
        load_catalog(other)


def test_older_schema_asks_for_a_refresh(catalog_db: Path) -> None:
    with duckdb.connect(str(catalog_db)) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(DataError, match=r"schema version 0, .* run `coprod refresh"):
        load_catalog(catalog_db)


def test_temp_files_of_killed_refreshes_are_cleaned_up(
    catalog_folder: Path, tmp_path: Path
) -> None:
    db_path = tmp_path / "catalog.duckdb"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".catalog.duckdb.{dead.stdout.strip()}.0badc0de.tmp"
    stale.write_bytes(b"left by a refresh killed with SIGKILL")
    mine = tmp_path / f".catalog.duckdb.{os.getpid()}.12345678.tmp"  # a live process's
    mine.write_bytes(b"in progress")
    refresh_catalog([catalog_folder], db_path)
    assert sorted(os.listdir(tmp_path)) == sorted([*CATALOG_FILES, mine.name, catalog_folder.name])


def test_read_requirements_is_the_catalogs_requirements_alone(catalog_db: Path) -> None:
    requirements = read_requirements(catalog_db)
    assert list(requirements) == [row["requirement_id"] for row in REQUIREMENTS]
    assert requirements == load_catalog(catalog_db).requirements
    # Read-only and closed again: a writer can lock the file at once.
    with duckdb.connect(str(catalog_db)) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(DataError, match=r"schema version 0, .* run `coprod refresh"):
        read_requirements(catalog_db)


def test_read_requirements_builds_on_first_use_and_rejects_non_catalogs(tmp_path: Path) -> None:
    db_path = tmp_path / "new" / "catalog.duckdb"
    requirements = read_requirements(db_path)
    assert db_path.is_file()
    assert requirements == load_catalog(db_path).requirements
    assert len(requirements) == len(_read_csv_rows(SHIPPED / "requirements.csv"))
    random_file = tmp_path / "random.duckdb"
    random_file.write_bytes(os.urandom(4096))
    with pytest.raises(DataError, match="is not a coprod catalog"):
        read_requirements(random_file)


def test_loading_is_read_only_and_closes(catalog_db: Path) -> None:
    load_catalog(catalog_db)
    # A writer could not lock the file if a connection were still open in this process.
    with duckdb.connect(str(catalog_db)) as con:
        assert con.execute("SELECT count(*) FROM capabilities").fetchone()[0] == len(CAPABILITIES)


def test_a_quote_inside_an_unquoted_field_is_kept_literally(tmp_path: Path) -> None:
    folder = write_catalog_folder(tmp_path / "in")
    (folder / "capabilities.csv").write_text(
        'partner_id,capability,category,system\nrtx,5" naval guns,naval,\n', encoding="utf-8"
    )
    catalog = load_catalog(_built(folder, tmp_path))
    assert [c.capability for c in catalog.capabilities] == ['5" naval guns']


def test_reloading_in_the_same_process_sees_the_new_catalog(catalog_db: Path, tmp_path: Path):
    assert len(load_catalog(catalog_db).partners) == len(PARTNERS)
    smaller = write_catalog_folder(
        tmp_path / "smaller", partners=PARTNERS[:-1], capabilities=CAPABILITIES[:-1]
    )
    refresh_catalog([smaller], catalog_db)
    # load_catalog closes its connection, so DuckDB's per-path instance cache is not stale.
    assert len(load_catalog(catalog_db).partners) == len(PARTNERS) - 1


def test_rows_after_a_broken_row_keep_their_lines(catalog_folder: Path, tmp_path: Path) -> None:
    """DuckDB drops the broken row; the row problems after it still point at the right line."""
    (catalog_folder / "capabilities.csv").write_text(
        "partner_id,capability,category,system\n"
        'rtx,"Stinger\nMANPADS",,\n'
        'rtx,"Javelin" ATGM,,\n'
        "rtx,too,many,fields,here\n"
        "ghost,Excalibur,,\n",
        encoding="utf-8",
    )
    problems = _problems(catalog_folder, tmp_path / "catalog.duckdb")
    file = catalog_folder / "capabilities.csv"
    assert problems == [
        f"{file}:4:14: unexpected ' ' after a closing quote: a quoted field must end at a "
        "comma or at the end of the line",
        f"{file}:5:21: 5 fields, expected 4: an unquoted comma? put the field in double "
        'quotes ("...")',
        f"{file}:6:1: unknown partner_id 'ghost' (not in partners.csv)",
    ]


# ---------------------------------------------------------------- tables cache


def _catalog_fields(catalog) -> tuple:
    return (
        catalog.partners,
        list(catalog.capabilities),
        catalog.codevelopers,
        catalog.countries,
        catalog.requirements,
        catalog.synonyms,
        catalog.meta,
    )


def test_a_small_catalog_loads_from_its_tables_cache_without_duckdb(catalog_db: Path) -> None:
    # The refresh that built the catalog wrote its cache: even the first load skips DuckDB.
    code = (
        "import sys; from pathlib import Path; from coprod.catalog import load_catalog; "
        "catalog = load_catalog(Path(sys.argv[1])); "
        "print(len(catalog.partners), len(catalog.capabilities), 'duckdb' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(catalog_db)], capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == [str(len(PARTNERS)), str(len(CAPABILITIES)), "False"]
    from_cache = load_catalog(catalog_db)
    cache = cache_path(catalog_db).read_bytes()
    cache_path(catalog_db).unlink()
    from_duckdb = load_catalog(catalog_db)
    assert _catalog_fields(from_cache) == _catalog_fields(from_duckdb)
    assert cache_path(catalog_db).read_bytes() == cache  # written again by the load
    assert read_requirements(catalog_db) == from_duckdb.requirements


def test_a_catalog_changed_in_place_is_read_again(catalog_db: Path) -> None:
    load_catalog(catalog_db)
    with duckdb.connect(str(catalog_db)) as con:
        con.execute("UPDATE partners SET name = 'Renamed' WHERE partner_id = 'rtx'")
    assert load_catalog(catalog_db).partners["rtx"].name == "Renamed"
    assert load_catalog(catalog_db).partners["rtx"].name == "Renamed"  # the new cache
    with duckdb.connect(str(catalog_db)) as con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(DataError, match=r"schema version 0, .* run `coprod refresh"):
        load_catalog(catalog_db)
    with pytest.raises(DataError, match=r"schema version 0"):
        read_requirements(catalog_db)


def _cache_json(data: bytes) -> dict:
    """A cache file as one dict: its header line's fields plus meta and tables."""
    header_line, _, body = data.partition(b"\n")
    return {**json.loads(header_line), **json.loads(body)}


def _cache_bytes(cache: dict) -> bytes:
    """A cache file with a correct checksum for whatever `cache` holds."""
    body = json.dumps(
        {"meta": cache["meta"], "tables": cache["tables"], **cache.get("extra", {})},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    header = {"tag": cache["tag"], "file": cache["file"]}
    header.update(length=len(body), crc32=zlib.crc32(body))
    return json.dumps(header).encode() + b"\n" + body


def test_a_damaged_or_foreign_tables_cache_is_ignored_and_replaced(catalog_db: Path) -> None:
    expected = _catalog_fields(load_catalog(catalog_db))
    good = cache_path(catalog_db).read_bytes()
    assert _cache_bytes(_cache_json(good)) == good
    truncated_tables = _cache_json(good)
    del truncated_tables["tables"]["synonyms"]
    other_version = _cache_json(good)
    other_version["tag"][-1] = "0.0.0"
    # Right tag, file and checksum, wrong contents (edited by hand): never served.
    title_a_list = _cache_json(good)
    title_a_list["tables"]["requirements"][0][1] = ["not", "a", "title"]
    title_a_number = _cache_json(good)
    title_a_number["tables"]["requirements"][0][1] = 5
    short_column = _cache_json(good)
    short_column["tables"]["partners"][1].pop()
    meta_not_text = _cache_json(good)
    meta_not_text["meta"]["built_at"] = {"x": 1}
    header_line, _, body = good.partition(b"\n")
    deeply_nested = _cache_bytes(_cache_json(good))
    deeply_nested = deeply_nested.replace(
        b'"meta":', b'"nested":' + b"[" * 100_000 + b"]" * 100_000 + b',"meta":'
    )
    nested_header = b"[" * 100_000 + b"]" * 100_000 + b"\n" + body
    # One flipped bit in a title: the checksum no longer matches.
    flipped = bytearray(good)
    flipped[good.index(b"Excalibur", len(header_line))] ^= 0x01
    for damaged in (
        b"",
        b"not json",
        good[: len(good) // 2],
        b"\x00" * 64,
        b"[1, 2]",
        body,
        _cache_bytes(truncated_tables),
        _cache_bytes(other_version),
        _cache_bytes(title_a_list),
        _cache_bytes(title_a_number),
        _cache_bytes(short_column),
        _cache_bytes(meta_not_text),
        deeply_nested,
        nested_header,
        bytes(flipped),
    ):
        cache_path(catalog_db).write_bytes(damaged)
        assert _catalog_fields(load_catalog(catalog_db)) == expected
        assert cache_path(catalog_db).read_bytes() == good
    # A cache of another catalog file (here: a copy elsewhere) is never used for this one.
    other_db = catalog_db.with_name("other.duckdb")
    other_db.write_bytes(catalog_db.read_bytes())
    cache_path(other_db).write_bytes(good)
    with duckdb.connect(str(other_db)) as con:
        con.execute("UPDATE partners SET name = 'Other' WHERE partner_id = 'rtx'")
    assert load_catalog(other_db).partners["rtx"].name == "Other"


def test_big_catalogs_get_no_tables_cache(catalog_db: Path, catalog_folder: Path, monkeypatch):
    import coprod.tablecache

    assert _files_beside(catalog_db) == CATALOG_FILES
    monkeypatch.setattr(coprod.tablecache, "MAX_CACHED_LINES", len(CAPABILITIES) - 1)
    refresh_catalog([catalog_folder], catalog_db)  # drops the old catalog's cache
    assert _files_beside(catalog_db) == [CATALOG_FILES[0]]
    assert len(load_catalog(catalog_db).capabilities) == len(CAPABILITIES)
    assert _files_beside(catalog_db) == [CATALOG_FILES[0]]


def test_the_tables_cache_gets_the_catalogs_permission_bits(catalog_db: Path) -> None:
    """It holds the catalog's text: no one who may not read the catalog may read it."""
    os.chmod(catalog_db, 0o600)
    cache_path(catalog_db).unlink()
    load_catalog(catalog_db)
    assert cache_path(catalog_db).stat().st_mode & 0o777 == 0o600


def _first_long_line_by_splitting(data: bytes, limit: int) -> tuple[int, int] | None:
    start = 0
    for line in data.split(b"\n"):
        if len(line) > limit:
            return start, len(line)
        start += len(line) + 1
    return None


def test_first_long_line_agrees_with_splitting_the_lines():
    """The block search finds exactly the first over-long line, wherever it is."""
    import random

    from coprod.csvinput import first_long_line

    rng = random.Random(7)
    for _ in range(5_000):
        limit = rng.randint(1, 12)
        data = bytes(rng.choice(b"ab\n\r") for _ in range(rng.randint(0, 60)))
        assert first_long_line(data, limit) == _first_long_line_by_splitting(data, limit)


def test_refresh_writes_the_final_tables_in_order(tmp_path):
    """The knowledge tables and meta are inserted column-wise in one statement each:
    their rows keep the merged knowledge base's order."""
    from coprod.knowledge import shipped_knowledge

    db = tmp_path / "catalog.duckdb"
    refresh_catalog(None, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        concepts = con.execute("SELECT concept_id FROM concepts ORDER BY rowid").fetchall()
        meta = con.execute("SELECT key FROM meta ORDER BY rowid").fetchall()
    finally:
        con.close()
    assert [row[0] for row in concepts] == list(shipped_knowledge().concepts)
    assert [row[0] for row in meta][:3] == ["schema_version", "built_at", "coprod_version"]
