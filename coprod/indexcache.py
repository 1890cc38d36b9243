"""The persisted matching index: one sidecar file beside the catalog, read with mmap.

Building the matching index of a big catalog is most of a first ranking
(text normalisation, token arrays, partner maps; figures in
benchmarks/README.md). The index is a pure function of the catalog file, the
synonym table and coprod's own code, so it is saved once beside the catalog
(`catalog.duckdb` -> `catalog.duckdb.index`) and mapped back in by every later
`coprod rank`, `eval`, `plan` and TUI start.

File layout (little-endian, no pickle: reading a sidecar can never run code):

    b"COPRODIX"                 magic
    uint64                      header length in bytes
    header                      UTF-8 JSON: format, key, payload size and crc32,
                                the array and string-list directories, small values
    padding to 64 bytes
    payload                     arrays (each 64-byte aligned) and string blobs

Numeric arrays come back as read-only `np.frombuffer` views of the mapping
(nothing is copied, and a fork shares the pages); string lists are one UTF-8
blob each, joined by newlines, split once. The header's `key` must equal the
key of the catalog in hand (`cache_key`): it holds INDEX_FORMAT, coprod's
version and a fingerprint of the modules whose code shapes the index, the
catalog's meta (`built_at`, row counts...), the file's size and mtime_ns, a
sample of the catalog in memory, and hashes of the synonyms in use. So a
refreshed catalog, an edited synonym table or a new coprod never reuses an
old sidecar.

`saved_index_state` is the one answer to "is the saved index current?" before
the catalog is loaded (the TUI deciding whether to start the index builder,
`coprod rank` saying what it is about to do): it compares the part of the key
that needs no catalog in memory (`file_key`) with the sidecar's header.

Any problem reading (missing, other key, truncated, corrupt, unreadable)
gives `None` and the caller rebuilds; any problem writing (read-only folder,
full disk) gives `False` and the caller carries on without a sidecar. A
sidecar is written to a unique temp file in the same folder and moved into
place with `os.replace`, so a reader never sees half a file and two
processes racing both leave a valid one. Deleting a sidecar is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from coprod.files import remove_stale_temps, temp_path_beside
from coprod.model import CapabilityColumns, Catalog, Synonym
from coprod.paths import match_permissions, open_regular_file

if TYPE_CHECKING:
    from coprod.knowledge import Knowledge

# Bump when the layout or the meaning of any saved array changes.
INDEX_FORMAT = 2
SUFFIX = ".index"
MAGIC = b"COPRODIX"
ALIGN = 64
_HEADER_LENGTH_BYTES = 8
# Rows sampled into the key: enough to tell two catalogs apart, cheap at any size.
SAMPLE_ROWS = 2048
# Modules whose code decides what the saved arrays hold, the catalog loader included
# (row order): their bytes go into the key, so an edited normaliser or loader
# invalidates sidecars even when the version is unchanged.
_CODE_MODULES = (
    "coprod.rawtokens",
    "coprod.text",
    "coprod.chinese",
    "coprod.purpose",
    "coprod.senses",
    "coprod.labelcompiler",
    "coprod.workers.normaliser",
    "coprod.indexbuild",
    "coprod.matching",
    "coprod.queries",
    "coprod.ranking",
    "coprod.indexcache",
    "coprod.catalog",
    "coprod.catalogschema",
    "coprod.model",
    "coprod.knowledge",
)

_WRITE_ERRORS = (OSError, ValueError, TypeError, OverflowError, UnicodeError, MemoryError)


# "current": written for this very catalog file by this coprod; "stale": a sidecar is
# there but was written for another file or coprod (or cannot be read); "none": no sidecar.
SavedIndexState = Literal["current", "stale", "none"]


@dataclass
class SavedIndex:
    """What a sidecar holds: named numeric arrays, string lists and small JSON values."""

    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    strings: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)


def sidecar_path(catalog_path: Path) -> Path:
    """Where the index of a catalog file lives: beside it, `<catalog>.index`."""
    catalog_path = Path(catalog_path)
    return catalog_path.with_name(catalog_path.name + SUFFIX)


# ------------------------------------------------------------------------ key


def file_key(catalog_path: Path) -> dict[str, object] | None:
    """The part of the key known without loading the catalog: coprod, its code and
    tables, and the catalog file's size and mtime (None: no file to key on)."""
    try:
        stat = os.stat(catalog_path)
    except OSError:
        return None
    return {
        "format": INDEX_FORMAT,
        "coprod_version": _coprod_version(),
        "code": _code_fingerprint(),
        "numpy": np.__version__.split(".")[0],
        # NFKC, casefold() and \\w follow the interpreter's Unicode tables
        "unicode": unicodedata.unidata_version,
        "catalog_size": stat.st_size,
        "catalog_mtime_ns": stat.st_mtime_ns,
    }


def cache_key(
    catalog: Catalog,
    catalog_path: Path,
    synonyms: Sequence[Synonym],
    shipped_synonyms: str,
    build_options: Mapping[str, object] | None = None,
) -> dict[str, object] | None:
    """Everything the saved index depends on, as a JSON-able dict (None: no file to key on).

    `synonyms` are the catalog's own rows the synonym table was built from and
    `shipped_synonyms` the digest of the shipped ones (coprod.text.shipped_synonyms_digest);
    `build_options` any index option that changes the built arrays.
    """
    key = file_key(catalog_path)
    if key is None:
        return None
    key.update(
        {
            "catalog_meta": dict(sorted(catalog.meta.items())),
            "catalog_sample": _catalog_fingerprint(catalog),
            "synonyms": _synonyms_fingerprint(synonyms),
            "shipped_synonyms": shipped_synonyms,
            "knowledge": _knowledge_fingerprint(catalog.knowledge),
            "build_options": dict(sorted((build_options or {}).items())),
        }
    )
    return key


def saved_index_state(catalog_path: Path) -> SavedIndexState:
    """Whether the index saved beside `catalog_path` is current (see SavedIndexState).

    Reads only the sidecar's header and compares `file_key`. Loading compares
    the whole key (the catalog's content, synonyms, knowledge), so a "current"
    sidecar can still be refused then; the Ranker rebuilds it and says so.
    """
    try:
        header = _read_header(sidecar_path(catalog_path))
    except FileNotFoundError:
        return "none"
    except Exception:  # noqa: BLE001 - unreadable or damaged: as good as stale
        return "stale"
    expected = file_key(catalog_path)
    saved = header.get("key") if header is not None else None
    if expected is None or not isinstance(saved, dict):
        return "stale"
    expected = _json_roundtrip(expected)
    assert isinstance(expected, dict)
    matches = all(saved.get(name) == value for name, value in expected.items())
    return "current" if matches else "stale"


def _coprod_version() -> str:
    from coprod import __version__

    return __version__


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    import importlib.util

    digest = hashlib.sha256()
    for name in _CODE_MODULES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            digest.update(Path(origin).read_bytes() if origin else name.encode())
        except OSError:
            digest.update(name.encode())  # e.g. a zip import: the version still counts
    return digest.hexdigest()


def _catalog_fingerprint(catalog: Catalog) -> str:
    """Sizes and a strided sample of the catalog in memory (what the index is built from).

    The meta and file stat identify the file; this catches a Catalog that is not
    what the file holds (filtered or edited in memory) at a cost of microseconds.
    """
    digest = hashlib.sha256()
    columns = CapabilityColumns.of(catalog.capabilities).columns
    row_count = len(columns["capability"])
    partner_ids = list(catalog.partners)
    sizes = [row_count, len(partner_ids), len(catalog.codevelopers), len(catalog.countries)]
    digest.update(json.dumps(sizes).encode())
    step = max(1, row_count // SAMPLE_ROWS)
    for name in ("partner_id", "capability", "category", "system"):
        digest.update(_joined(columns[name][::step]))
    if row_count:
        digest.update(_joined([columns[name][-1] for name in ("partner_id", "capability")]))
    partner_step = max(1, len(partner_ids) // SAMPLE_ROWS)
    sampled = partner_ids[::partner_step]
    digest.update(_joined(sampled))
    digest.update(_joined([catalog.partners[p].country for p in sampled]))
    digest.update(_joined(sorted(catalog.codevelopers)))
    return digest.hexdigest()


def _knowledge_fingerprint(knowledge: Knowledge) -> str:
    """A digest of everything matching reads from the knowledge base (what
    Knowledge.fingerprint covers), as one JSON text: hashing it row by row was a
    large share of every warm start (benchmarks/README.md). In the order the catalog
    loads them, not sorted (sorting was a third of the cost): the same catalog
    always loads in the same order, and another order could only cost a rebuild."""
    concepts = [
        (c.concept_id, c.label, c.alt_labels, c.broader, c.labels_zh)
        for c in knowledge.concepts.values()
    ]
    systems = [
        (s.system_id, s.name, s.aliases, s.labels_zh, s.concepts)
        for s in knowledge.systems.values()
    ]
    return hashlib.sha256(json.dumps([concepts, systems]).encode()).hexdigest()


def _synonyms_fingerprint(synonyms: Sequence[Synonym]) -> str:
    rows = [[synonym.term, synonym.canonical] for synonym in synonyms]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def _joined(values: Sequence[str]) -> bytes:
    # json keeps every string apart whatever characters it holds
    return json.dumps(list(values)).encode()


# ---------------------------------------------------------------------- write


def save(
    path: Path, key: Mapping[str, object], saved: SavedIndex, *, catalog_path: Path | None = None
) -> bool:
    """Write a sidecar atomically; False (and no file left behind) on any failure.

    With `catalog_path`, the sidecar gets the catalog file's permission bits.
    """
    path = Path(path)
    temp: Path | None = None
    try:
        remove_stale_temps(path)
        header, chunks = _layout(key, saved)
        temp = temp_path_beside(path)
        with open(temp, "xb") as out:
            out.write(MAGIC)
            out.write(len(header).to_bytes(_HEADER_LENGTH_BYTES, "little"))
            out.write(header)
            out.write(b"\0" * _padding(len(MAGIC) + _HEADER_LENGTH_BYTES + len(header)))
            for chunk in chunks:
                out.write(chunk)
        if catalog_path is not None:
            match_permissions(temp, catalog_path)
        # No fsync: after a crash a half-written sidecar fails its crc32 and is rebuilt,
        # so syncing a file as big as the catalog would only slow the first ranking.
        os.replace(temp, path)
        temp = None
        return True
    except _WRITE_ERRORS:
        return False
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)


def _layout(key: Mapping[str, object], saved: SavedIndex) -> tuple[bytes, list[memoryview]]:
    """The header (JSON) and the payload chunks, offsets relative to the payload start."""
    chunks: list[memoryview] = []
    offset = 0
    crc = 0

    def add(data: memoryview) -> int:
        nonlocal offset, crc
        start = offset
        chunks.append(data)
        crc = zlib.crc32(data, crc)
        offset += data.nbytes
        pad = _padding(offset)
        if pad:
            filler = memoryview(b"\0" * pad)
            chunks.append(filler)
            crc = zlib.crc32(filler, crc)
            offset += pad
        return start

    arrays: dict[str, list] = {}
    for name, array in saved.arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.hasobject:
            raise TypeError(f"array {name} holds objects")
        arrays[name] = [array.dtype.str, list(array.shape), add(memoryview(array).cast("B"))]
    strings: dict[str, list[int]] = {}
    for name, values in saved.strings.items():
        blob = "\n".join(values).encode("utf-8")
        if values and blob.count(b"\n") != len(values) - 1:
            raise ValueError(f"a string in {name} holds a newline")
        strings[name] = [add(memoryview(blob)), len(blob), len(values)]
    header = {
        "format": INDEX_FORMAT,
        "key": key,
        "payload_bytes": offset,
        "crc32": crc,
        "arrays": arrays,
        "strings": strings,
        "values": saved.values,
    }
    return json.dumps(header, allow_nan=False).encode("utf-8"), chunks


def _padding(size: int) -> int:
    return -size % ALIGN


# ----------------------------------------------------------------------- read


def load(path: Path, key: Mapping[str, object]) -> SavedIndex | None:
    """The index saved in a sidecar whose key equals `key`; None on any mismatch or damage."""
    try:
        return _load(Path(path), key)
    except Exception:  # noqa: BLE001 - only a cache: whatever is wrong with it, rebuild
        return None


def _map(path: Path) -> mmap.mmap:
    # Only a regular file: a FIFO would block the open for ever, a device read without end.
    with os.fdopen(open_regular_file(path), "rb") as file:
        # The mapping keeps its own reference to the file: no descriptor stays open
        # here, and a fork shares the pages.
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)


def _header(mapped: mmap.mmap) -> tuple[dict, int] | None:
    """The header of a mapped sidecar and where its payload starts; None if it is not one."""
    prefix = len(MAGIC) + _HEADER_LENGTH_BYTES
    if len(mapped) < prefix or mapped[: len(MAGIC)] != MAGIC:
        return None
    header_length = int.from_bytes(mapped[len(MAGIC) : prefix], "little")
    if header_length > len(mapped) - prefix:
        return None
    header = json.loads(mapped[prefix : prefix + header_length].decode("utf-8"))
    if not isinstance(header, dict) or header.get("format") != INDEX_FORMAT:
        return None
    start = prefix + header_length
    return header, start + _padding(start)


def _read_header(path: Path) -> dict | None:
    """The header of the sidecar at `path` (raises FileNotFoundError when there is none)."""
    mapped = _map(path)
    try:
        found = _header(mapped)
    finally:
        mapped.close()
    return found[0] if found is not None else None


def _load(path: Path, key: Mapping[str, object]) -> SavedIndex | None:
    mapped = _map(path)
    found = _header(mapped)
    if found is None:
        return None
    header, start = found
    if header.get("key") != _json_roundtrip(key):
        return None
    payload_bytes = int(header["payload_bytes"])
    if start + payload_bytes != len(mapped):
        return None  # truncated, or something appended
    payload = memoryview(mapped)[start:]
    if zlib.crc32(payload) != header["crc32"]:
        return None
    saved = SavedIndex(values=dict(header["values"]))
    for name, (dtype_str, shape, offset) in header["arrays"].items():
        dtype = np.dtype(dtype_str)
        if dtype.hasobject:
            return None
        count = int(np.prod(shape, dtype=np.int64))
        if offset < 0 or count < 0 or offset + count * dtype.itemsize > payload_bytes:
            return None
        if count == 0:  # frombuffer refuses an offset at the very end
            saved.arrays[name] = np.empty(shape, dtype=dtype)
            continue
        array = np.frombuffer(payload, dtype=dtype, count=count, offset=offset)
        saved.arrays[name] = array.reshape(shape)
    for name, (offset, nbytes, count) in header["strings"].items():
        if offset < 0 or offset + nbytes > payload_bytes:
            return None
        values = str(payload[offset : offset + nbytes], "utf-8").split("\n") if count else []
        if len(values) != count:
            return None
        saved.strings[name] = values
    return saved


def _json_roundtrip(value: object) -> object:
    """`value` as it reads back from JSON (tuples become lists), for comparing keys."""
    return json.loads(json.dumps(value))
