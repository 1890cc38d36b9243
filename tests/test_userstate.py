"""The user-state store (coprod.userstate): a real SQLite file under tmp_path, migrations
from every older version, and several processes writing at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coprod.errors import DataError
from coprod.model import ConsentStep, Match, Pairing, Requirement
from coprod.userstate import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Annotation,
    StateStore,
    pairing_from_json,
    pairing_to_json,
    saved_pairing,
)

REQUIREMENT = Requirement(
    "req-155", "155 mm guided shells", "", "artillery", 400.0, "rounds", "high"
)


def make_pairing(foreign: str = "rtx", local: str | None = "ncsist", score: float = 72.3):
    def side(partner_id: str, country: str) -> Match:
        return Match(
            partner_id,
            partner_id.upper(),
            country,
            7,
            "Excalibur shells",
            "artillery",
            "Excalibur",
            80.0,
            ("155mm", "guided"),
            ("guided artillery projectile",),
        )

    return Pairing(
        requirement_id="req-155",
        rank=1,
        score=score,
        feasibility="blocked",
        foreign=side(foreign, "United States"),
        local=side(local, "Taiwan") if local else None,
        components={"foreign_fit": 60.0, "feasibility": -10.0},
        consent_chain=(ConsentStep("Sweden", "blocked", "basis", "co-developer", True, "src"),),
    )


def test_pairing_round_trips_through_json():
    pairing = make_pairing(local=None)
    assert pairing_from_json(pairing_to_json(pairing)) == pairing
    full = make_pairing()
    assert pairing_from_json(pairing_to_json(full)) == full


def test_add_list_remove_annotate(tmp_path):
    store = StateStore(tmp_path / "deep" / "state.sqlite3")
    assert store.add(saved_pairing(REQUIREMENT, make_pairing(), "/cat.duckdb"))
    assert not store.add(saved_pairing(REQUIREMENT, make_pairing(score=1.0)))  # same key
    assert store.add(saved_pairing(REQUIREMENT, make_pairing(foreign="lockheed-martin")))
    saved = store.pairings()
    assert [s.key for s in saved] == [
        ("req-155", "rtx", "ncsist"),
        ("req-155", "lockheed-martin", "ncsist"),
    ]
    assert saved[0].score == 72.3 and saved[0].catalog_path == "/cat.duckdb"
    assert saved[0].requirement == REQUIREMENT

    assert store.annotate(saved[0].key, Annotation("dropped", "blocked by Sweden", "ask BAE"))
    assert not store.annotate(("nope", "", ""), Annotation(note="x"))
    assert store.annotations() == {
        ("req-155", "rtx", "ncsist"): Annotation("dropped", "blocked by Sweden", "ask BAE")
    }
    assert store.remove(saved[0].key)
    assert not store.remove(saved[0].key)
    assert [s.key for s in store.pairings()] == [("req-155", "lockheed-martin", "ncsist")]
    assert store.annotations() == {}


def test_a_pairing_added_before_another_keeps_that_place_after_a_restart(tmp_path):
    """An undone remove is saved before the pairing that followed it; a new StateStore on
    the file (a restart) lists it there. A `before` no longer saved puts it last."""
    path = tmp_path / "state.sqlite3"
    store = StateStore(path)
    partners = ["rtx", "lockheed-martin", "saab", "kongsberg"]
    for partner in partners:
        assert store.add(saved_pairing(REQUIREMENT, make_pairing(foreign=partner)))
    keys = [s.key for s in store.pairings()]
    assert store.remove(keys[1])
    assert store.add(saved_pairing(REQUIREMENT, make_pairing(foreign="lockheed-martin")), keys[2])
    assert [s.key for s in StateStore(path).pairings()] == keys
    # Already saved: nothing changes, wherever it was asked to go.
    assert not store.add(saved_pairing(REQUIREMENT, make_pairing(foreign="saab")), keys[0])
    assert [s.key for s in StateStore(path).pairings()] == keys
    # Before the first one; and before a pairing removed meanwhile (another window): last.
    assert store.remove(keys[0])
    assert store.add(saved_pairing(REQUIREMENT, make_pairing(foreign="rtx")), keys[1])
    assert store.remove(keys[2])
    assert store.add(saved_pairing(REQUIREMENT, make_pairing(foreign="bae")), keys[2])
    assert [s.key for s in StateStore(path).pairings()] == [
        keys[0],
        keys[1],
        keys[3],
        ("req-155", "bae", "ncsist"),
    ]


def test_unknown_decision_is_refused():
    with pytest.raises(DataError, match="unknown decision 'maybe'"):
        Annotation("maybe")


def test_settings_round_trip_and_delete(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    store.save_settings({"view.hide_blocked": True, "view.filter": "drone 無人機", "n": 3})
    assert StateStore(store.path).settings() == {
        "view.hide_blocked": True,
        "view.filter": "drone 無人機",
        "n": 3,
    }
    store.save_settings({"n": None, "view.hide_blocked": False})
    assert store.settings() == {"view.hide_blocked": False, "view.filter": "drone 無人機"}
    assert store.setting("missing", "default") == "default"


def test_reading_annotations_of_a_missing_store_creates_nothing(tmp_path):
    store = StateStore(tmp_path / "none" / "state.sqlite3")
    assert store.annotations() == {}
    assert not (tmp_path / "none").exists()


def test_store_is_in_wal_mode_with_schema_version(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    store.settings()
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_migration_from_version_1_keeps_rows(tmp_path):
    path = tmp_path / "state.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO pairings VALUES (?, ?, ?, 1, ?, ?, 72.3, 'blocked', '/old.duckdb', 5.0,"
        " 'contacted', 'met at TADTE')",
        (
            "req-155",
            "rtx",
            "ncsist",
            '{"requirement_id": "req-155", "title": "155 mm guided shells", "description": "",'
            ' "category": "artillery", "quantity": 400.0, "unit": "rounds", "priority": "high",'
            ' "source": ""}',
            pairing_to_json(make_pairing()),
        ),
    )
    conn.close()
    saved = StateStore(path).pairings()
    assert len(saved) == 1
    assert saved[0].annotation == Annotation("contacted", "", "met at TADTE")
    assert saved[0].catalog_path == "/old.duckdb"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    conn.close()


def test_migration_from_an_empty_file(tmp_path):
    path = tmp_path / "state.sqlite3"
    path.touch()
    store = StateStore(path)
    assert store.pairings() == []
    store.add(saved_pairing(REQUIREMENT, make_pairing()))
    assert len(store.pairings()) == 1


def test_a_store_from_a_newer_coprod_is_refused_untouched(tmp_path):
    path = tmp_path / "state.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DataError, match="newer coprod"):
        StateStore(path).pairings()
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_says_so(tmp_path):
    path = tmp_path / "state.sqlite3"
    path.write_text("not a database at all, just text " * 100)
    with pytest.raises(DataError, match="cannot use the saved work"):
        StateStore(path).pairings()


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from pathlib import Path
    from test_userstate import REQUIREMENT, make_pairing
    from coprod.userstate import Annotation, StateStore, saved_pairing

    store = StateStore(Path(sys.argv[1]))
    name = sys.argv[2]
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    sys.stdin.readline()  # start together
    for number in range(40):
        saved = saved_pairing(REQUIREMENT, make_pairing(foreign=f"{{name}}-{{number}}"))
        assert store.add(saved)
        store.annotate(saved.key, Annotation("contacted", "", f"{{name}} {{number}}"))
        store.save_settings({{f"{{name}}.last": number}})
    """
)


def test_two_processes_write_at_once_and_nothing_is_lost(tmp_path):
    path = tmp_path / "state.sqlite3"
    StateStore(path).settings()  # created first, as the TUI does at start
    code = WRITER.format(tests=str(Path(__file__).parent))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("left", "right")
    ]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    store = StateStore(path)
    saved = store.pairings()
    assert len(saved) == 80
    assert len({s.key for s in saved}) == 80
    assert len(store.annotations()) == 80
    assert store.settings() == {"left.last": 39, "right.last": 39}


def test_two_connections_in_one_process_interleave(tmp_path):
    """A reader holding a snapshot open does not stop a writer (WAL)."""
    path = tmp_path / "state.sqlite3"
    writer = StateStore(path)
    writer.add(saved_pairing(REQUIREMENT, make_pairing()))
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM pairings").fetchone()[0] == 1
    assert writer.add(saved_pairing(REQUIREMENT, make_pairing(foreign="saab")))
    # the reader's transaction still sees its snapshot; a new one sees the write
    assert reader.execute("SELECT count(*) FROM pairings").fetchone()[0] == 1
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM pairings").fetchone()[0] == 2
    reader.close()


# ------------------------------------------------------------------ re-check


def _ranked(db: Path, requirement_id: str):
    from coprod.catalog import load_catalog
    from coprod.ranking import Ranker

    catalog = load_catalog(db)
    ranker = Ranker(catalog)
    requirement = catalog.requirements[requirement_id]
    return catalog, ranker, requirement, ranker.rank(requirement)


def _rebuilt(tmp_path: Path, name: str, **overrides) -> Path:
    from conftest import write_catalog_folder

    from coprod.catalog import refresh_catalog

    db = tmp_path / name / "catalog.duckdb"
    refresh_catalog([write_catalog_folder(tmp_path / f"{name}-in", **overrides)], db)
    return db


def _by_partner(pairings, foreign_id):
    return next(p for p in pairings if p.foreign and p.foreign.partner_id == foreign_id)


def test_recheck_on_the_same_catalog_changes_nothing(catalog_db):
    from coprod.shortlist import recheck_with_ranker

    catalog, ranker, requirement, pairings = _ranked(catalog_db, "req-155-guided")
    saved = [(requirement, p) for p in pairings[:4]]
    checks = recheck_with_ranker(saved, catalog, ranker)
    assert [c.status for c in checks] == ["unchanged"] * 4
    assert [c.describe() for c in checks] == [""] * 4
    assert [c.current.score for c in checks] == [p.score for p in pairings[:4]]


def test_recheck_says_what_changed_and_keeps_every_pairing(tmp_path, catalog_db):
    """Sweden no longer blocks (Excalibur via RTX: blocked -> consent), Nammo's line is gone
    (score of nothing: gone), Lockheed left the catalog, a requirement left it."""
    from conftest import CAPABILITIES, COUNTRIES, PARTNERS, REQUIREMENTS

    from coprod.catalog import load_catalog
    from coprod.ranking import Ranker
    from coprod.shortlist import recheck_with_ranker

    _, _, guided, pairings = _ranked(catalog_db, "req-155-guided")
    rtx = _by_partner(pairings, "rtx")
    assert rtx.feasibility == "blocked"
    nammo = _by_partner(pairings, "nammo")
    _, _, atgm, atgm_pairings = _ranked(catalog_db, "req-atgm")
    lockheed = _by_partner(atgm_pairings, "lockheed-martin")
    _, _, coastal, coastal_pairings = _ranked(catalog_db, "req-coastal")

    countries = [
        {**c, "posture": "case_by_case"} if c["country"] == "Sweden" else c for c in COUNTRIES
    ]
    capabilities = [c for c in CAPABILITIES if c["partner_id"] not in ("nammo", "lockheed-martin")]
    partners = [p for p in PARTNERS if p["partner_id"] != "lockheed-martin"]
    requirements = [r for r in REQUIREMENTS if r["requirement_id"] != "req-coastal"]
    codevelopers = [
        {"system": "Excalibur", "partner_id": "rtx"},
        {"system": "Excalibur", "partner_id": "bae-bofors"},
    ]
    db = _rebuilt(
        tmp_path,
        "after",
        countries=countries,
        capabilities=capabilities,
        partners=partners,
        requirements=requirements,
        codevelopers=codevelopers,
    )
    catalog = load_catalog(db)
    saved = [
        (guided, rtx),
        (guided, nammo),
        (atgm, lockheed),
        (coastal, coastal_pairings[0]),
    ]
    checks = recheck_with_ranker(saved, catalog, Ranker(catalog))
    assert len(checks) == 4  # never silently dropped
    verdict, no_line, no_partner, no_requirement = checks
    assert verdict.status == "verdict_changed"
    assert verdict.current.feasibility == "consent_required"
    assert verdict.describe().startswith("now consent required, score ")
    assert verdict.current.score > rtx.score  # the blocked penalty is gone
    assert no_line.status == "gone"
    assert "no longer match" in no_line.describe()
    assert no_partner.status == "gone"
    assert no_partner.describe() == (
        "no longer in this catalog (partner lockheed-martin is not in it)"
    )
    assert no_requirement.describe() == (
        "no longer in this catalog (requirement req-coastal is not in it)"
    )


def test_recheck_describes_a_score_change():
    from coprod.shortlist import recheck

    requirement = REQUIREMENT
    saved = make_pairing(score=72.3)
    now = make_pairing(score=65.0)

    class FakeCatalog:
        requirements = {"req-155": requirement}
        partners = {"rtx": type("P", (), {"country": "United States"})(), "ncsist": object()}

    calls = []

    def rank(req, country):
        calls.append((req.requirement_id, country))
        return [now]

    [check] = recheck([(requirement, saved)], FakeCatalog(), rank)
    assert calls == [("req-155", "United States")]
    assert check.status == "score_changed"
    assert check.describe() == "score 72.3 → 65.0"


# ------------------------------------------------------ coprod rank reading the store


def _rank(db: Path, *args: str, env: dict[str, str] | None = None):
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("COPROD_")}
    return subprocess.run(
        [sys.executable, "-m", "coprod", "--db", str(db), "rank", "-r", "req-155-guided", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**environment, "COLUMNS": "200", **(env or {})},
        timeout=120,
    )


def _noted_store(tmp_path: Path, catalog_db: Path) -> tuple[Path, list]:
    _, _, requirement, pairings = _ranked(catalog_db, "req-155-guided")
    path = tmp_path / "noted" / "state.sqlite3"
    store = StateStore(path)
    for pairing in pairings[:2]:
        store.add(saved_pairing(requirement, pairing, catalog_db))
    store.annotate(
        _key(pairings[0]),
        Annotation("meeting_set", "best fit", '=HYPERLINK("x") met at TADTE'),
    )
    return path, pairings


def _key(pairing):
    from coprod.userstate import pairing_key

    return pairing_key(pairing)


def test_rank_without_saved_work_is_unchanged_and_creates_no_store(tmp_path, catalog_db):
    state = tmp_path / "empty" / "state.sqlite3"
    plain = _rank(catalog_db, "-f", "csv")
    with_state = _rank(catalog_db, "-f", "csv", "--state", str(state))
    assert plain.returncode == 0 and with_state.returncode == 0, with_state.stderr
    assert with_state.stdout == plain.stdout
    assert "decision" not in plain.stdout.splitlines()[0]
    assert not state.parent.exists()


def test_rank_carries_decisions_and_notes_in_every_format(tmp_path, catalog_db):
    import csv as csvlib
    import io
    import json

    state, pairings = _noted_store(tmp_path, catalog_db)
    first, second = _key(pairings[0]), _key(pairings[1])

    as_json = _rank(catalog_db, "-f", "json", "--state", str(state))
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    by_key = {
        (r["requirement_id"], r["foreign_partner_id"] or "", r["local_partner_id"] or ""): r
        for r in records
    }
    assert by_key[first]["decision"] == "meeting_set"
    assert by_key[first]["decision_reason"] == "best fit"
    assert by_key[first]["note"] == '=HYPERLINK("x") met at TADTE'
    assert by_key[second]["decision"] == "" and by_key[second]["note"] == ""
    assert list(records[0])[-3:] == ["decision", "decision_reason", "note"]

    via_env = _rank(catalog_db, "-f", "csv", env={"COPROD_STATE": str(state)})
    rows = list(csvlib.DictReader(io.StringIO(via_env.stdout)))
    noted = [row for row in rows if row["decision"]]
    assert len(noted) == 1
    assert noted[0]["note"].startswith("'=HYPERLINK")  # formula-safe like every cell

    table = _rank(catalog_db, "-f", "table", "--state", str(state))
    assert "decision / note" in table.stdout
    assert "meeting set: best fit" in table.stdout


def test_rank_knows_the_stores_schema_version():
    from coprod.commands.rank import STATE_SCHEMA_VERSION

    assert STATE_SCHEMA_VERSION == SCHEMA_VERSION


_ANNOTATIONS_CODE = """
import sys
from argparse import Namespace
from coprod.commands.rank import saved_annotations
found = saved_annotations(Namespace(state=sys.argv[1]))
print(len(found), "coprod.userstate" in sys.modules)
"""


def _annotations_in_a_process(state: Path) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", _ANNOTATIONS_CODE, str(state)],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.split()


def test_rank_reads_a_store_without_notes_cheaply_and_one_with_notes_fully(tmp_path, catalog_db):
    _, _, requirement, pairings = _ranked(catalog_db, "req-155-guided")
    state = tmp_path / "shortlist" / "state.sqlite3"
    store = StateStore(state)
    store.add(saved_pairing(requirement, pairings[0], catalog_db))
    store.save_settings({"view.hide_blocked": True})
    plain = _rank(catalog_db, "-f", "csv")
    shortlist_only = _rank(catalog_db, "-f", "csv", "--state", str(state))
    assert shortlist_only.returncode == 0, shortlist_only.stderr
    assert shortlist_only.stdout == plain.stdout
    assert _annotations_in_a_process(state) == ["0", "False"]
    store.annotate(_key(pairings[0]), Annotation("", "", "a note only"))
    assert _annotations_in_a_process(state) == ["1", "True"]
    noted = _rank(catalog_db, "-f", "csv", "--state", str(state))
    assert "a note only" in noted.stdout


def test_rank_refuses_a_store_from_a_newer_coprod(tmp_path, catalog_db):
    state = tmp_path / "newer.sqlite3"
    StateStore(state).pairings()  # a store of this schema, no notes
    conn = sqlite3.connect(state)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    run = _rank(catalog_db, "-f", "csv", "--state", str(state))
    assert run.returncode == 1
    assert "newer coprod" in run.stderr


def test_brief_reads_the_notes_of_a_rank_export(tmp_path, catalog_db):
    """The columns rank writes are the ones `coprod brief --shortlist` reads."""
    state, _ = _noted_store(tmp_path, catalog_db)
    export = tmp_path / "short.csv"
    written = _rank(catalog_db, "--top", "2", "-o", str(export), "--state", str(state))
    assert written.returncode == 0, written.stderr
    from coprod.brief import read_shortlist_picks

    picks = read_shortlist_picks(export)
    import csv

    with export.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # --top 2 keeps two feasible pairings; a blocked one that outscores them follows
    assert len(picks) == len(rows) >= 2
    assert [p.decision for p in picks] == ["meeting_set"] + [""] * (len(rows) - 1)
    assert picks[0].note == '=HYPERLINK("x") met at TADTE'
