"""Shared fixtures: a small, valid catalog folder and a real DuckDB catalog built from it.

Fixtures (all under tmp_path, real files, real DuckDB):
- `catalog_folder`: a folder of CSV files in the catalog format (see data/README.md).
- `catalog_db`: a DuckDB catalog built from `catalog_folder` with `refresh_catalog`.
- `catalog`: that catalog loaded with `load_catalog` (a model.Catalog).
- `built_catalog` (session): the same catalog built once per test process; never
  opened by an app (no saved matching index beside it): copy it.
- `shared_catalog` (session): one copy of it that tests which only read a catalog
  share; the first app saves the matching index beside it and the others read it,
  so each start-up after the first skips the index build.
- `private_catalog`: a test's own copy of `built_catalog` (no saved index yet), for a
  test that refreshes or breaks its catalog or times a first start.
- `hostile`: the untrusted strings stored in the hostile partner, for assertions.
- `write_catalog_folder(folder, **overrides)`: the plain function behind
  `catalog_folder`; pass e.g. `partners=[...]` (a list of dicts) to replace a table,
  or `countries=None` to leave that file out. `write_csv(path, rows)` writes one
  table file. Import them with `from conftest import write_catalog_folder`; the row
  lists (PARTNERS, CAPABILITIES, ...) and HOSTILE_* strings are importable too.
- `private_user_dirs` (autouse): $XDG_DATA_HOME and $XDG_CONFIG_HOME point into a
  temporary folder, so the user's saved work and config are never read or touched.
- For big synthetic catalogs use benchmarks/generate_catalog.py's generate_catalog().

The data are small but shaped like the real thing: partners in Taiwan, the
United States, Sweden, Norway and Japan; Excalibur co-developed by RTX with a
Swedish co-developer (BAE Systems Bofors) whose country is blocked; Javelin by
Lockheed Martin with RTX; and one partner whose text is hostile (Rich markup, an
ANSI escape, quotes, an `=cmd` spreadsheet formula, an embedded newline).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

HOSTILE_NAME = '[bold red]X[/] \x1b[31mRed Corp\x1b[0m "Quoted", Ltd'
HOSTILE_DESCRIPTION = "=cmd|' /C calc'!A0\nsecond line, with a comma"
HOSTILE_CAPABILITY = "=cmd|' /C calc'!A0 [link=http://x]155 mm[/link] \x1b[2J shells"

PARTNERS: list[dict[str, str]] = [
    {
        "partner_id": "ncsist",
        "name": "National Chung-Shan Institute of Science and Technology",
        "country": "Taiwan",
        "kind": "research institute",
        "description": "Taiwan's main defence R&D institute: missiles, UAVs, rocket motors.",
    },
    {
        "partner_id": "aidc",
        "name": "Aerospace Industrial Development Corporation",
        "country": "Taiwan",
        "kind": "manufacturer",
        "description": "Aircraft and drone airframes.",
    },
    {
        "partner_id": "thunder-tiger",
        "name": "Thunder Tiger",
        "country": "Taiwan",
        "kind": "manufacturer",
        "description": "Small multirotor and VTOL drones.",
    },
    {
        "partner_id": "mnd-205-arsenal",
        "name": "MND 205th Arsenal",
        "country": "Taiwan",
        "kind": "state arsenal",
        "description": "Small-arms and artillery ammunition.",
    },
    {
        "partner_id": "rtx",
        "name": "RTX (Raytheon)",
        "country": "United States",
        "kind": "prime contractor",
        "description": "Missiles and guided munitions.",
    },
    {
        "partner_id": "lockheed-martin",
        "name": "Lockheed Martin",
        "country": "United States",
        "kind": "prime contractor",
        "description": "Missiles, rocket artillery.",
    },
    {
        "partner_id": "anduril",
        "name": "Anduril Industries",
        "country": "United States",
        "kind": "manufacturer",
        "description": "Loitering munitions and counter-UAS.",
    },
    {
        "partner_id": "bae-bofors",
        "name": "BAE Systems Bofors",
        "country": "Sweden",
        "kind": "manufacturer",
        "description": "Artillery systems and ammunition.",
    },
    {
        "partner_id": "saab",
        "name": "Saab",
        "country": "Sweden",
        "kind": "prime contractor",
        "description": "Anti-tank weapons, radar.",
    },
    {
        "partner_id": "nammo",
        "name": "Nammo",
        "country": "Norway",
        "kind": "manufacturer",
        "description": "Ammunition, rocket motors.",
    },
    {
        "partner_id": "kongsberg",
        "name": "Kongsberg Defence & Aerospace",
        "country": "Norway",
        "kind": "prime contractor",
        "description": "Naval Strike Missile, NASAMS.",
    },
    {
        "partner_id": "mhi",
        "name": "Mitsubishi Heavy Industries",
        "country": "Japan",
        "kind": "prime contractor",
        "description": "Missiles and armoured vehicles.",
    },
    {
        "partner_id": "hostile-co",
        "name": HOSTILE_NAME,
        "country": "United States",
        "kind": "manufacturer",
        "description": HOSTILE_DESCRIPTION,
    },
]

CAPABILITIES: list[dict[str, str]] = [
    {
        "partner_id": "ncsist",
        "capability": "Chien Hsiang loitering munition",
        "category": "loitering_munition",
        "system": "Chien Hsiang",
    },
    {
        "partner_id": "ncsist",
        "capability": "Hsiung Feng II/III anti-ship missiles",
        "category": "anti_ship_missile",
        "system": "Hsiung Feng",
    },
    {
        "partner_id": "ncsist",
        "capability": "solid rocket motors and propellant",
        "category": "energetics",
        "system": "",
    },
    {"partner_id": "aidc", "capability": "tactical UAV airframes", "category": "uas", "system": ""},
    {
        "partner_id": "thunder-tiger",
        "capability": "small multirotor drones (quadcopter)",
        "category": "",
        "system": "",
    },
    {
        "partner_id": "mnd-205-arsenal",
        "capability": "5.56mm and 7.62 mm small arms ammunition",
        "category": "small_arms_ammunition",
        "system": "",
    },
    {
        "partner_id": "mnd-205-arsenal",
        "capability": "155mm artillery shells, 120 mm mortar rounds",
        "category": "artillery_ammunition",
        "system": "",
    },
    {
        "partner_id": "rtx",
        "capability": "Excalibur 155 mm precision guided projectile",
        "category": "precision_artillery",
        "system": "Excalibur",
    },
    {
        "partner_id": "rtx",
        "capability": "Stinger MANPADS",
        "category": "air_defence_missile",
        "system": "Stinger",
    },
    {
        "partner_id": "lockheed-martin",
        "capability": "Javelin ATGM",
        "category": "anti_tank_missile",
        "system": "Javelin",
    },
    {
        "partner_id": "lockheed-martin",
        "capability": "HIMARS rocket artillery, GMLRS rockets",
        "category": "rocket_artillery",
        "system": "HIMARS",
    },
    {
        "partner_id": "anduril",
        "capability": "Altius loitering munition; counter-UAS interceptors",
        "category": "counter_uas",
        "system": "",
    },
    {
        "partner_id": "bae-bofors",
        "capability": "Archer self-propelled howitzer",
        "category": "artillery_system",
        "system": "Archer",
    },
    {
        "partner_id": "bae-bofors",
        "capability": "Excalibur 155mm guided shell (co-developer)",
        "category": "precision_artillery",
        "system": "Excalibur",
    },
    {
        "partner_id": "saab",
        "capability": "Carl-Gustaf recoilless rifle ammunition",
        "category": "anti_tank_missile",
        "system": "Carl-Gustaf",
    },
    {
        "partner_id": "nammo",
        "capability": "155 mm artillery ammunition and propellant charges",
        "category": "artillery_ammunition",
        "system": "",
    },
    {
        "partner_id": "kongsberg",
        "capability": "Naval Strike Missile coastal defence",
        "category": "anti_ship_missile",
        "system": "NSM",
    },
    {
        "partner_id": "mhi",
        "capability": "Type 12 surface-to-ship missile",
        "category": "anti_ship_missile",
        "system": "Type 12",
    },
    {
        "partner_id": "hostile-co",
        "capability": HOSTILE_CAPABILITY,
        "category": "artillery_ammunition",
        "system": "",
    },
]

CODEVELOPERS: list[dict[str, str]] = [
    {"system": "Excalibur", "partner_id": "rtx"},
    {"system": "Excalibur", "partner_id": "bae-bofors"},
    {"system": "Javelin", "partner_id": "lockheed-martin"},
    {"system": "Javelin", "partner_id": "rtx"},
]

COUNTRIES: list[dict[str, str]] = [
    {"country": "Taiwan", "posture": "open", "note": "local co-producers"},
    {
        "country": "United States",
        "posture": "case_by_case",
        "note": "Foreign Military Sales; Taiwan Relations Act",
    },
    {
        "country": "Sweden",
        "posture": "blocked",
        "note": "Refused consent for Excalibur exports to Taiwan",
    },
    {"country": "Norway", "posture": "reluctant", "note": "Strict export policy"},
    {"country": "Japan", "posture": "case_by_case", "note": "Three principles on transfers"},
]

REQUIREMENTS: list[dict[str, str]] = [
    {
        "requirement_id": "req-155-guided",
        "title": "Precision-guided 155 mm rounds",
        "description": "GPS-guided shells for self-propelled howitzers",
        "category": "precision_artillery",
        "quantity": "1200",
        "unit": "rounds",
        "priority": "high",
    },
    {
        "requirement_id": "req-small-drones",
        "title": "Small tactical drones",
        "description": "Quadcopters for squad reconnaissance",
        "category": "uas",
        "quantity": "3200",
        "unit": "airframes",
        "priority": "high",
    },
    {
        "requirement_id": "req-atgm",
        "title": "Man-portable anti-tank missiles",
        "description": "Javelin-class fire-and-forget",
        "category": "anti_tank_missile",
        "quantity": "",
        "unit": "",
        "priority": "medium",
    },
    {
        "requirement_id": "req-coastal",
        "title": "Coastal anti-ship missiles",
        "description": "Truck-mounted launchers",
        "category": "anti_ship_missile",
        "quantity": "100",
        "unit": "missiles",
        "priority": "high",
    },
    {
        "requirement_id": "req-5-56",
        "title": "5.56 mm rifle ammunition",
        "description": "Ball ammunition",
        "category": "small_arms_ammunition",
        "quantity": "2.5e7",
        "unit": "rounds",
        "priority": "low",
    },
]

SYNONYMS: list[dict[str, str]] = [
    {"term": "uav", "canonical": "uas"},
    {"term": "drone", "canonical": "uas"},
    {"term": "atgm", "canonical": "anti tank missile"},
]

TABLE_ROWS: dict[str, list[dict[str, str]]] = {
    "partners": PARTNERS,
    "capabilities": CAPABILITIES,
    "codevelopers": CODEVELOPERS,
    "countries": COUNTRIES,
    "requirements": REQUIREMENTS,
    "synonyms": SYNONYMS,
}


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    """An RFC 4180 CSV file (UTF-8, LF) with a `source` column unless the rows bring their own."""
    columns = columns or list(rows[0]) + ([] if "source" in rows[0] else ["source"])
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({"source": "test fixture", **row})
    return path


def write_catalog_folder(folder: Path, **overrides: list[dict[str, str]] | None) -> Path:
    """Write the fixture catalog as CSV files into `folder` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in {**TABLE_ROWS, **overrides}.items():
        if rows is not None:
            write_csv(folder / f"{table}.csv", rows)
    return folder


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test (nor a coprod process it starts) reads or writes the user's own saved work
    or config: the user data and config directories point into a temporary folder."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("COPROD_STATE", raising=False)
    monkeypatch.delenv("COPROD_CONFIG", raising=False)
    return home


@pytest.fixture
def catalog_folder(tmp_path: Path) -> Path:
    return write_catalog_folder(tmp_path / "catalog_input")


@pytest.fixture
def catalog_db(tmp_path: Path, catalog_folder: Path) -> Path:
    from coprod.catalog import refresh_catalog

    db_path = tmp_path / "db" / "catalog.duckdb"
    refresh_catalog([catalog_folder], db_path)
    return db_path


@pytest.fixture(scope="session")
def built_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from coprod.catalog import refresh_catalog

    db_path = tmp_path_factory.mktemp("built_db") / "catalog.duckdb"
    refresh_catalog([write_catalog_folder(tmp_path_factory.mktemp("built_input"))], db_path)
    return db_path


@pytest.fixture(scope="session")
def shared_catalog(built_catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("shared_db") / "catalog.duckdb"
    shutil.copyfile(built_catalog, db_path)
    return db_path


@pytest.fixture
def private_catalog(built_catalog: Path, tmp_path: Path) -> Path:
    # The folder `catalog_db` uses too: a test takes one of the two, never both.
    db_path = tmp_path / "db" / "catalog.duckdb"
    db_path.parent.mkdir()
    shutil.copyfile(built_catalog, db_path)
    return db_path


@pytest.fixture
def catalog(catalog_db: Path):
    from coprod.catalog import load_catalog

    return load_catalog(catalog_db)


@pytest.fixture
def hostile() -> dict[str, str]:
    return {
        "partner_id": "hostile-co",
        "name": HOSTILE_NAME,
        "description": HOSTILE_DESCRIPTION,
        "capability": HOSTILE_CAPABILITY,
    }
