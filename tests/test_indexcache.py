"""The persisted matching index (coprod/indexcache.py): a sidecar file beside the catalog.

Real DuckDB catalogs under tmp_path; a Ranker built with `cache_path` writes the
sidecar, the next one maps it back in (`loaded_from_cache`), and every ranking
must equal a freshly built index's, whatever happened to the file in between.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import CAPABILITIES, SYNONYMS, write_catalog_folder

from coprod import indexcache, paths, text
from coprod.catalog import load_catalog, refresh_catalog
from coprod.indexbuild import STATE_ARRAYS
from coprod.model import Capability, Catalog
from coprod.ranking import Ranker, RankOptions, adhoc_requirement

OPTIONS = (
    RankOptions(),
    RankOptions(top=25, per_partner=1, locals_per_foreign=0),
    RankOptions(top=3, exclude_blocked=True, min_score=20.0),
    RankOptions(top=50, per_partner=5, locals_per_foreign=5, countries=("United States",)),
)
ADHOC = (
    adhoc_requirement("155 mm shells", "artillery_ammunition"),
    adhoc_requirement("Javelin missiles"),
    adhoc_requirement("quadcopter drones ärtillerie 炮彈", "uas"),
    adhoc_requirement(""),
)


def sidecar(db: Path) -> Path:
    return indexcache.sidecar_path(db)


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def rankings(ranker: Ranker, catalog: Catalog) -> list[dict]:
    requirements = [*catalog.requirements.values(), *ADHOC]
    return [ranker.rank_many(requirements, options) for options in OPTIONS]


def assert_same_index(built: Ranker, loaded: Ranker) -> None:
    for name in STATE_ARRAYS:
        assert np.array_equal(getattr(built.index, name), getattr(loaded.index, name)), name
    assert built.index.texts == loaded.index.texts
    assert built.index.fuzzy_texts == loaded.index.fuzzy_texts
    assert built.index.sorted_texts == loaded.index.sorted_texts
    assert built.index.vocabulary == loaded.index.vocabulary
    assert list(built.index.text_tokens) == list(loaded.index.text_tokens)
    assert built.index.system_token_sets == loaded.index.system_token_sets
    assert built.index.designation_bases == loaded.index.designation_bases
    assert np.array_equal(built.row_codeveloped, loaded.row_codeveloped)
    assert np.array_equal(built.partner_of_capability, loaded.partner_of_capability)
    assert built.country_names == loaded.country_names


def test_cold_build_writes_sidecar_and_warm_load_ranks_identically(catalog_db: Path) -> None:
    catalog = load_catalog(catalog_db)
    assert not sidecar(catalog_db).exists()
    cold = Ranker(catalog, cache_path=catalog_db)
    assert not cold.loaded_from_cache
    assert sidecar(catalog_db).is_file()
    warm = Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    assert warm.loaded_from_cache
    fresh = Ranker(catalog)
    assert rankings(warm, catalog) == rankings(fresh, catalog) == rankings(cold, catalog)
    assert_same_index(fresh, warm)
    for row in range(len(catalog.capabilities)):
        requirement = catalog.requirements["req-155-guided"]
        assert warm.explain_tokens(requirement, row) == fresh.explain_tokens(requirement, row)
        assert warm.named_system(row) == fresh.named_system(row)
    assert temp_files(catalog_db.parent) == []


def test_without_cache_path_no_sidecar_is_written(catalog_db: Path) -> None:
    catalog = load_catalog(catalog_db)
    before = sorted(catalog_db.parent.iterdir())
    Ranker(catalog).rank_many(catalog.requirements.values())
    assert sorted(catalog_db.parent.iterdir()) == before
    assert not sidecar(catalog_db).exists()


def test_loaded_arrays_are_read_only_views(catalog_db: Path) -> None:
    catalog = load_catalog(catalog_db)
    Ranker(catalog, cache_path=catalog_db)
    warm = Ranker(catalog, cache_path=catalog_db)
    assert warm.loaded_from_cache
    with pytest.raises(ValueError):
        warm.index.idf[0] = 0.0  # a ranking can never scribble on the shared mapping
    saved = sidecar(catalog_db).read_bytes()
    rankings(warm, catalog)
    assert sidecar(catalog_db).read_bytes() == saved


def test_query_time_options_reuse_the_sidecar(catalog_db: Path) -> None:
    catalog = load_catalog(catalog_db)
    Ranker(catalog, cache_path=catalog_db)
    warm = Ranker(catalog, cache_path=catalog_db, candidate_limit=2, posting_budget=3)
    assert warm.loaded_from_cache
    fresh = Ranker(catalog, candidate_limit=2, posting_budget=3)
    assert rankings(warm, catalog) == rankings(fresh, catalog)


@pytest.mark.parametrize(
    "change",
    ["new capability line", "same sizes, other words", "other synonyms", "same data"],
)
def test_refreshed_catalog_never_uses_the_old_sidecar(
    tmp_path: Path, catalog_folder: Path, catalog_db: Path, change: str
) -> None:
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    old_sidecar = sidecar(catalog_db).read_bytes()
    capabilities = [dict(row) for row in CAPABILITIES]
    synonyms = [dict(row) for row in SYNONYMS]
    if change == "new capability line":
        capabilities.append(
            {"partner_id": "aidc", "capability": "coastal radar", "category": "", "system": ""}
        )
    elif change == "same sizes, other words":
        # one word swapped for another of the same length: row counts and (likely) the
        # file size stay the same; only the text differs
        row = next(r for r in capabilities if "drones" in r["capability"])
        row["capability"] = row["capability"].replace("drones", "rocket")
    elif change == "other synonyms":
        synonyms[1] = {"term": "drone", "canonical": "quadcopter"}
    folder = write_catalog_folder(
        tmp_path / "changed", capabilities=capabilities, synonyms=synonyms
    )
    refresh_catalog([folder], catalog_db)
    assert not sidecar(catalog_db).exists()  # the refresh drops the old index at once
    catalog = load_catalog(catalog_db)
    ranker = Ranker(catalog, cache_path=catalog_db)
    assert not ranker.loaded_from_cache
    assert sidecar(catalog_db).read_bytes() != old_sidecar
    assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)
    again = Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    assert again.loaded_from_cache
    assert rankings(again, catalog) == rankings(Ranker(catalog), catalog)


def test_other_shipped_synonyms_never_use_the_old_sidecar(
    tmp_path: Path, catalog_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # coprod upgraded in place with the same version string but a new data/synonyms.csv:
    # the key holds the shipped file's digest, not its parsed rows
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    original = (paths.shipped_data_dir() / "synonyms.csv").read_text(encoding="utf-8")
    (shipped / "synonyms.csv").write_text(
        original.rstrip("\n") + "\nquadcopter,small uas\n", encoding="utf-8"
    )
    cached = (text.shipped_synonyms, text.shipped_synonyms_digest)
    monkeypatch.setattr(paths, "shipped_data_dir", lambda: shipped)
    for function in cached:
        function.cache_clear()
    try:
        catalog = load_catalog(catalog_db)
        ranker = Ranker(catalog, cache_path=catalog_db)
        assert not ranker.loaded_from_cache
        assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)
        assert Ranker(load_catalog(catalog_db), cache_path=catalog_db).loaded_from_cache
    finally:
        monkeypatch.undo()
        for function in cached:
            function.cache_clear()


def test_catalog_edited_in_memory_does_not_use_the_files_sidecar(catalog_db: Path) -> None:
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    edited = load_catalog(catalog_db)
    edited.capabilities = [
        *edited.capabilities,
        Capability(len(edited.capabilities), "aidc", "155 mm shells", "", ""),
    ]
    ranker = Ranker(edited, cache_path=catalog_db)
    assert not ranker.loaded_from_cache
    assert rankings(ranker, edited) == rankings(Ranker(edited), edited)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _flipped_payload_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))


def _appended(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\0" * 64)


def _rewrite_header(path: Path, edit, edit_text=lambda text: text) -> None:
    """The same payload under an edited header, laid out as indexcache writes it."""
    data = path.read_bytes()
    start = len(indexcache.MAGIC) + 8
    length = int.from_bytes(data[len(indexcache.MAGIC) : start], "little")
    payload = data[start + length + (-(start + length) % indexcache.ALIGN) :]
    header = json.loads(data[start : start + length])
    edit(header)
    new_header = edit_text(json.dumps(header)).encode()
    padding = b"\0" * (-(start + len(new_header)) % indexcache.ALIGN)
    path.write_bytes(
        indexcache.MAGIC + len(new_header).to_bytes(8, "little") + new_header + padding + payload
    )


def _other_key(path: Path) -> None:
    """A well-formed sidecar whose key differs (as if built by another coprod)."""
    _rewrite_header(path, lambda header: header["key"].update(coprod_version="0.0.0-other"))


def _lying_lengths(path: Path) -> None:
    """Valid key and checksum, but an array directory that points past the payload."""

    def edit(header: dict) -> None:
        dtype, shape, offset = header["arrays"]["doc_tokens"]
        header["arrays"]["doc_tokens"] = [dtype, [shape[0] * 1000], offset]

    _rewrite_header(path, edit)


def _swapped_arrays(path: Path) -> None:
    """Valid key and checksum, arrays in range of the payload but not an index."""

    def edit(header: dict) -> None:
        arrays = header["arrays"]
        arrays["doc_indptr"], arrays["capability_indptr"] = (
            arrays["capability_indptr"],
            arrays["doc_indptr"],
        )
        arrays["text_of_capability"] = arrays["category_of_capability"]

    _rewrite_header(path, edit)


def _directory_of_the_wrong_shape(path: Path) -> None:
    """Valid key and checksum (both are public), a header that is not what we write."""

    def edit(header: dict) -> None:
        header["arrays"] = [["doc_tokens"]]
        header["strings"] = "texts"

    _rewrite_header(path, edit)


def _deeply_nested_values(path: Path) -> None:
    """JSON nested deeper than Python's recursion limit: decoding it raises RecursionError."""
    nested = "[" * 100_000 + "]" * 100_000
    _rewrite_header(
        path,
        lambda header: header.update(values="NESTED"),
        lambda text: text.replace('"NESTED"', nested),
    )


def test_rewritten_header_with_nothing_changed_still_loads(catalog_db: Path) -> None:
    """The damage helpers above rewrite headers correctly: unedited, the sidecar loads."""
    catalog = load_catalog(catalog_db)
    Ranker(catalog, cache_path=catalog_db)
    _rewrite_header(sidecar(catalog_db), lambda header: None)
    assert Ranker(catalog, cache_path=catalog_db).loaded_from_cache


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        _garbage,
        _empty,
        _flipped_payload_byte,
        _appended,
        _other_key,
        _lying_lengths,
        _swapped_arrays,
        _directory_of_the_wrong_shape,
        _deeply_nested_values,
    ],
)
def test_damaged_sidecar_is_ignored_and_replaced(catalog_db: Path, damage) -> None:
    catalog = load_catalog(catalog_db)
    Ranker(catalog, cache_path=catalog_db)
    damage(sidecar(catalog_db))
    ranker = Ranker(catalog, cache_path=catalog_db)
    assert not ranker.loaded_from_cache
    assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)
    repaired = Ranker(catalog, cache_path=catalog_db)
    assert repaired.loaded_from_cache
    assert temp_files(catalog_db.parent) == []


def test_sidecar_of_another_catalog_is_not_used(tmp_path: Path, catalog_db: Path) -> None:
    other_folder = write_catalog_folder(tmp_path / "other", synonyms=SYNONYMS[:1])
    other_db = tmp_path / "other_db" / "catalog.duckdb"
    refresh_catalog([other_folder], other_db)
    Ranker(load_catalog(other_db), cache_path=other_db)
    shutil.copyfile(sidecar(other_db), sidecar(catalog_db))
    catalog = load_catalog(catalog_db)
    ranker = Ranker(catalog, cache_path=catalog_db)
    assert not ranker.loaded_from_cache
    assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)


def test_unwritable_sidecar_place_still_ranks(catalog_db: Path) -> None:
    # A directory where the sidecar should be: reading fails and os.replace fails, even
    # for root (for whom a read-only folder is no obstacle).
    sidecar(catalog_db).mkdir()
    catalog = load_catalog(catalog_db)
    ranker = Ranker(catalog, cache_path=catalog_db)
    assert not ranker.loaded_from_cache
    assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)
    assert sidecar(catalog_db).is_dir()
    assert temp_files(catalog_db.parent) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder_still_ranks(catalog_db: Path) -> None:
    catalog = load_catalog(catalog_db)
    folder = catalog_db.parent
    folder.chmod(0o555)
    try:
        ranker = Ranker(catalog, cache_path=catalog_db)
        assert not ranker.loaded_from_cache
        assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)
        assert not sidecar(catalog_db).exists()
    finally:
        folder.chmod(0o755)


def test_missing_catalog_file_builds_in_memory(tmp_path: Path, catalog: Catalog) -> None:
    nowhere = tmp_path / "gone" / "catalog.duckdb"
    ranker = Ranker(catalog, cache_path=nowhere)
    assert not ranker.loaded_from_cache
    assert not nowhere.parent.exists()
    assert rankings(ranker, catalog) == rankings(Ranker(catalog), catalog)


def test_stale_temps_of_dead_writers_are_removed_live_ones_kept(catalog_db: Path) -> None:
    folder = catalog_db.parent
    name = sidecar(catalog_db).name
    dead = folder / f".{name}.{2**22 + 1}.deadbeef.tmp"  # above any Linux pid_max default
    alive = folder / f".{name}.{os.getpid()}.cafecafe.tmp"
    dead.write_bytes(b"half a sidecar")
    alive.write_bytes(b"being written")
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    assert not dead.exists()
    assert alive.exists()
    alive.unlink()
    assert temp_files(folder) == []


HOSTILE_ROWS = [
    {
        "partner_id": "hostile-co",
        "capability": "Ｆｏｒｇｉｎｇ ärtillerie 炮彈\u2028 155\u00a0mm\tshells «quoted» 'x' \"y\"",
        "category": "artillery_ammunition",
        "system": "Syst\u0117m\nNewline [bold]X[/]",
    },
    {
        "partner_id": "aidc",
        "capability": "=cmd|' /C calc'!A0 \x1b[2J quadcopter drones",
        "category": "uas",
        "system": "",
    },
]


def lines_of(catalog) -> list[str]:
    return [c.capability for c in catalog.capabilities]


def test_hostile_text_round_trips_exactly(tmp_path: Path, hostile: dict[str, str]) -> None:
    folder = write_catalog_folder(tmp_path / "hostile", capabilities=CAPABILITIES + HOSTILE_ROWS)
    db = tmp_path / "hostile_db" / "catalog.duckdb"
    refresh_catalog([folder], db)
    catalog = load_catalog(db)
    assert hostile["capability"] in [c.capability for c in catalog.capabilities]
    cold = Ranker(catalog, cache_path=db)
    warm = Ranker(load_catalog(db), cache_path=db)
    assert not cold.loaded_from_cache and warm.loaded_from_cache
    fresh = Ranker(catalog)
    assert_same_index(fresh, warm)
    assert warm.index._system_id_of_name == fresh.index._system_id_of_name
    assert rankings(warm, catalog) == rankings(fresh, catalog)
    shells = warm.fits(adhoc_requirement("155 mm shells"))
    assert hostile["capability"] in {lines_of(catalog)[row] for row in shells.capability_ids}
    lines = [c.capability for c in catalog.capabilities]
    for row in HOSTILE_ROWS:
        found = warm.fits(adhoc_requirement(row["capability"]))
        assert lines.index(row["capability"]) in found.capability_ids.tolist()


RACE_SCRIPT = """
import sys
import time
from pathlib import Path
from coprod.catalog import load_catalog
from coprod.ranking import Ranker
db = Path(sys.argv[1])
ranker = Ranker(load_catalog(db), cache_path=db)
print(ranker.loaded_from_cache)
"""


def test_two_processes_racing_both_leave_a_valid_sidecar(catalog_db: Path) -> None:
    load_catalog(catalog_db)  # the catalog file exists and is final before the race
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE_SCRIPT, str(catalog_db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for racer in racers:
        out, err = racer.communicate(timeout=60)
        assert racer.returncode == 0, err
        assert out.strip() in {"True", "False"}
    catalog = load_catalog(catalog_db)
    warm = Ranker(catalog, cache_path=catalog_db)
    assert warm.loaded_from_cache
    assert rankings(warm, catalog) == rankings(Ranker(catalog), catalog)
    assert temp_files(catalog_db.parent) == []


def test_eval_and_plan_rankings_use_the_sidecar_when_given_the_catalog_file(
    catalog_db: Path,
) -> None:
    from coprod.evaluation import coprod_rankings
    from coprod.planner import ranked_pairings

    catalog = load_catalog(catalog_db)
    requirement_ids = list(catalog.requirements)
    plain = coprod_rankings(catalog, requirement_ids)
    assert coprod_rankings(catalog, requirement_ids, cache_path=catalog_db) == plain
    assert sidecar(catalog_db).is_file()  # written by the first call with the path
    assert coprod_rankings(catalog, requirement_ids, cache_path=catalog_db) == plain
    delegation = ["rtx", "lockheed-martin"]
    assert ranked_pairings(catalog, delegation, 5, cache_path=catalog_db) == ranked_pairings(
        catalog, delegation, 5
    )


def test_bench_index_cache_runs_and_finds_identical_rankings(catalog_db: Path) -> None:
    """The benchmark script cannot rot: one run per mode on the fixture catalog."""
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_index_cache.py"
    done = subprocess.run(
        [sys.executable, str(script), str(catalog_db), "--runs", "1", "--requirements", "5"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["identical"] is True
    assert figures["sidecar_mb"] > 0
    assert {"build_s", "write_s", "load_s", "build_vs_load"} <= figures.keys()
    assert not sidecar(catalog_db).exists()  # it measured a copy, not the original


def test_empty_arrays_and_odd_strings_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "x.index"
    saved = indexcache.SavedIndex(
        arrays={
            "empty": np.empty(0, dtype=np.int32),
            "flags": np.array([True, False]),
            "last": np.arange(3, dtype=np.float64),
        },
        strings={"none": [], "blank": [""], "odd": ["", "ü 炮 \u2028 \r", "\t", "x"]},
        values={"names": {"a\nb": 1, "\x1b[2J": 2}},
    )
    key = {"format": indexcache.INDEX_FORMAT, "anything": [1, "two"]}
    assert indexcache.save(path, key, saved)
    loaded = indexcache.load(path, key)
    assert loaded is not None
    for name, array in saved.arrays.items():
        assert loaded.arrays[name].dtype == array.dtype
        assert np.array_equal(loaded.arrays[name], array)
    assert loaded.strings == saved.strings
    assert loaded.values == saved.values
    assert indexcache.load(path, {**key, "anything": [1, "three"]}) is None
    assert indexcache.load(tmp_path / "missing.index", key) is None


def test_a_string_with_a_newline_is_not_saved_rather_than_split_wrong(tmp_path: Path) -> None:
    path = tmp_path / "x.index"
    saved = indexcache.SavedIndex(strings={"texts": ["one\ntwo"]})
    assert not indexcache.save(path, {"k": 1}, saved)
    assert not path.exists()
    assert temp_files(tmp_path) == []


def test_sidecar_gets_the_catalogs_permission_bits(catalog_db: Path) -> None:
    """It holds the catalog's text: no one who may not read the catalog may read it."""
    os.chmod(catalog_db, 0o600)
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    assert sidecar(catalog_db).stat().st_mode & 0o777 == 0o600


def test_saved_index_state_reads_the_key_not_the_file_times(catalog_db: Path) -> None:
    """The one answer to "is the saved index current?" before a catalog is loaded: the
    sidecar's key must name this very catalog file and this coprod."""
    assert indexcache.saved_index_state(catalog_db) == "none"
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    assert indexcache.saved_index_state(catalog_db) == "current"
    # A sidecar newer than the catalog, but written by another coprod: stale.
    _other_key(sidecar(catalog_db))
    future = time.time_ns() + 10**9
    os.utime(sidecar(catalog_db), ns=(future, future))
    assert indexcache.saved_index_state(catalog_db) == "stale"
    Ranker(load_catalog(catalog_db), cache_path=catalog_db)  # rebuilt and saved again
    assert indexcache.saved_index_state(catalog_db) == "current"
    # The catalog file touched (same bytes, other mtime): its sidecar no longer names it.
    os.utime(catalog_db, ns=(future + 10**9, future + 10**9))
    assert indexcache.saved_index_state(catalog_db) == "stale"
    # Not a sidecar at all, or one cut short: stale, never an error.
    sidecar(catalog_db).write_bytes(b"")
    assert indexcache.saved_index_state(catalog_db) == "stale"
    sidecar(catalog_db).write_bytes(indexcache.MAGIC + (10**9).to_bytes(8, "little"))
    assert indexcache.saved_index_state(catalog_db) == "stale"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_saved_index_state_never_waits_on_a_fifo(catalog_db: Path) -> None:
    os.mkfifo(sidecar(catalog_db))
    assert indexcache.saved_index_state(catalog_db) == "stale"


def test_the_synonym_table_is_saved_as_bytes_and_a_catalog_requirement_needs_none_of_it(
    catalog_db: Path,
) -> None:
    """Index format 2: the table's maps are UTF-8 byte arrays and the system token sets
    string lists in the payload, not JSON in the header; ranking a requirement of the
    catalog from a warm index decodes none of the table's large maps, and ranks as a
    fresh index does."""
    catalog = load_catalog(catalog_db)
    Ranker(catalog, cache_path=catalog_db)
    header = indexcache._read_header(sidecar(catalog_db))
    assert header is not None and header["format"] == indexcache.INDEX_FORMAT == 2
    assert "ranker.table" not in header["values"]
    assert "system_token_sets" not in header["values"]
    assert "system_token_sets" in header["strings"]
    for name in ("ranker.table.phrases", "ranker.table.known_texts"):
        assert header["arrays"][name][0] == "|u1", name
    warm = Ranker(load_catalog(catalog_db), cache_path=catalog_db)
    fresh = Ranker(catalog)
    assert warm.loaded_from_cache
    assert warm.index.system_token_sets == fresh.index.system_token_sets
    for requirement in catalog.requirements.values():
        assert warm.rank(requirement, RankOptions()) == fresh.rank(requirement, RankOptions())
    assert not {"words", "phrases", "gapped", "chinese"} & set(vars(warm.table))
    # an ad-hoc text is read through the maps, decoded then, and ranks the same
    for requirement in ADHOC:
        assert warm.rank(requirement, RankOptions()) == fresh.rank(requirement, RankOptions())
