"""The analyst's saved work: shortlisted pairings, their notes and decisions, settings.

The store is a SQLite file of its own in the user data directory
(coprod.paths.resolve_state_path), never inside the catalog: `refresh`
replaces the catalog file and must not take the analyst's work with it.

Why SQLite and not DuckDB: several processes write this store at the same
time (two TUI windows, the CLI reading it while a window saves). DuckDB lets
only one process open a file read-write, and a read-write open fails while
another process holds it. SQLite in WAL mode gives one writer and many
readers at once, and a second writer waits for the lock (the busy timeout)
instead of failing. Every write is one short transaction (`BEGIN IMMEDIATE`:
the write lock is taken at the start, so two writers never deadlock on an
upgrade from read to write).

The schema's version is `PRAGMA user_version`; MIGRATIONS lists the steps
from version 0 (an empty file) to the current one, applied in order, each in
its own transaction. A store written by a newer coprod is refused, never
rewritten.

A connection is opened per operation: the TUI calls these functions from its
worker threads, and a connection is never shared between threads.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from coprod.errors import DataError
from coprod.model import ConsentStep, Match, Pairing, Requirement

# How long a writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 10_000

# requirement id, foreign partner id ("" for local-only), local partner id ("" for none):
# the same proposal in any catalog file that has the same ids.
PairingKey = tuple[str, str, str]

# The decision an analyst records per pairing ("" = none yet), with the words shown for it.
DECISIONS: dict[str, str] = {
    "": "no decision",
    "candidate": "candidate",
    "contacted": "contacted",
    "meeting_set": "meeting set",
    "dropped": "dropped",
}


def pairing_key(pairing: Pairing) -> PairingKey:
    foreign = pairing.foreign.partner_id if pairing.foreign else ""
    local = pairing.local.partner_id if pairing.local else ""
    return (pairing.requirement_id, foreign, local)


@dataclass(frozen=True)
class Annotation:
    """What the analyst wrote about one pairing."""

    decision: str = ""  # a key of DECISIONS
    reason: str = ""  # why that decision ("no answer since May", "blocked by Sweden")
    note: str = ""  # anything else: who was contacted, what was said

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            known = ", ".join(d for d in DECISIONS if d)
            raise DataError(f"unknown decision {self.decision!r} (one of: {known})")

    @property
    def empty(self) -> bool:
        return not (self.decision or self.reason or self.note)


@dataclass(frozen=True)
class SavedPairing:
    """A shortlisted pairing as saved: what it was at save time and what was written on it."""

    requirement: Requirement
    pairing: Pairing
    catalog_path: str = ""  # the catalog it was shortlisted from
    saved_at: float = 0.0  # time.time()
    annotation: Annotation = field(default_factory=Annotation)

    @property
    def key(self) -> PairingKey:
        return pairing_key(self.pairing)

    @property
    def score(self) -> float:
        return self.pairing.score

    @property
    def feasibility(self) -> str:
        return self.pairing.feasibility


# ------------------------------------------------------------------ (de)serialising


def requirement_to_json(requirement: Requirement) -> str:
    return json.dumps(asdict(requirement), ensure_ascii=False, sort_keys=True)


def requirement_from_json(text: str) -> Requirement:
    data = json.loads(text)
    return Requirement(**data)


def _match_from(data: Mapping[str, object] | None) -> Match | None:
    if data is None:
        return None
    values = dict(data)
    values["matched_tokens"] = tuple(values.get("matched_tokens") or ())  # type: ignore[arg-type]
    values["concepts"] = tuple(values.get("concepts") or ())  # type: ignore[arg-type]
    return Match(**values)  # type: ignore[arg-type]


def pairing_to_json(pairing: Pairing) -> str:
    return json.dumps(asdict(pairing), ensure_ascii=False, sort_keys=True)


def pairing_from_json(text: str) -> Pairing:
    data = json.loads(text)
    return Pairing(
        requirement_id=data["requirement_id"],
        rank=int(data["rank"]),
        score=float(data["score"]),
        feasibility=data["feasibility"],
        foreign=_match_from(data.get("foreign")),
        local=_match_from(data.get("local")),
        components={str(k): float(v) for k, v in data.get("components", {}).items()},
        consent_chain=tuple(ConsentStep(**step) for step in data.get("consent_chain", ())),
    )


# ------------------------------------------------------------------------ schema


def _create_v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE pairings (
            requirement_id TEXT NOT NULL,
            foreign_partner_id TEXT NOT NULL,
            local_partner_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            requirement_json TEXT NOT NULL,
            pairing_json TEXT NOT NULL,
            score REAL NOT NULL,
            feasibility TEXT NOT NULL,
            catalog_path TEXT NOT NULL DEFAULT '',
            saved_at REAL NOT NULL,
            decision TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (requirement_id, foreign_partner_id, local_partner_id)
        )"""
    )
    conn.execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _add_decision_reason_v2(conn: sqlite3.Connection) -> None:
    # A decision ("dropped") wants its reason apart from the free note.
    conn.execute("ALTER TABLE pairings ADD COLUMN reason TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE pairings ADD COLUMN updated_at REAL NOT NULL DEFAULT 0")


# MIGRATIONS[n] takes a store from version n to n + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _create_v1,
    _add_decision_reason_v2,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path | str = "") -> int:
    """Bring the store to SCHEMA_VERSION, one step per transaction; returns the old version.

    Two processes opening an old store at once: each step re-reads the version
    under the write lock, so a step is applied once.
    """
    start = schema_version(conn)
    if start > SCHEMA_VERSION:
        raise DataError(
            f"{path}: the saved work was written by a newer coprod (schema {start}, this one "
            f"knows {SCHEMA_VERSION}); upgrade coprod or set $COPROD_STATE to another file"
        )
    _use_wal(conn)
    while True:
        with _transaction(conn):
            version = schema_version(conn)
            if version >= SCHEMA_VERSION:
                return start
            MIGRATIONS[version](conn)
            # PRAGMA takes no parameters; the value is our own integer.
            conn.execute(f"PRAGMA user_version = {version + 1:d}")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _open(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun explicitly (_transaction).
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL mode (kept in the file once set). Where the file system cannot share memory
    (some network folders) SQLite stays with its rollback journal, which still
    serialises writers; only readers wait more."""
    conn.execute("PRAGMA journal_mode = WAL")


def _problem(path: Path, error: sqlite3.Error) -> DataError:
    return DataError(
        f"{path}: cannot use the saved work ({error}); move the file away to start afresh"
    )


# ------------------------------------------------------------------------- store


class StateStore:
    """The store at `path`: every method opens a connection, does one thing, closes it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._migrated = False

    def exists(self) -> bool:
        return self.path.is_file()

    @contextmanager
    def _connect(self, *, create: bool = True) -> Iterator[sqlite3.Connection]:
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = _open(self.path)
        except sqlite3.Error as error:
            raise _problem(self.path, error) from None
        try:
            if not self._migrated:
                migrate(conn, self.path)
                self._migrated = True
            yield conn
        except sqlite3.Error as error:
            raise _problem(self.path, error) from None
        finally:
            conn.close()

    # ----- pairings

    def pairings(self) -> list[SavedPairing]:
        """Every saved pairing, in the order it was shortlisted."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT requirement_json, pairing_json, catalog_path, saved_at, decision,"
                " reason, note FROM pairings ORDER BY position"
            ).fetchall()
        return [_saved_of(row) for row in rows]

    def add(self, saved: SavedPairing, before: PairingKey | None = None) -> bool:
        """Save a pairing at the end, or just before the saved pairing `before` (an undone
        remove goes back where it was, also for the next start); False (and nothing
        changed) when its key is there. A `before` no longer saved means the end."""
        requirement_id, foreign, local = saved.key
        with self._connect() as conn, _transaction(conn):
            if conn.execute(
                "SELECT 1 FROM pairings WHERE requirement_id = ? AND foreign_partner_id = ?"
                " AND local_partner_id = ?",
                saved.key,
            ).fetchone():
                return False
            row = None
            if before is not None:
                row = conn.execute(
                    "SELECT position FROM pairings WHERE requirement_id = ?"
                    " AND foreign_partner_id = ? AND local_partner_id = ?",
                    before,
                ).fetchone()
            if row is not None:
                # Those from `before` on move one down; the pairing takes its place.
                conn.execute(
                    "UPDATE pairings SET position = position + 1 WHERE position >= ?", (row[0],)
                )
                position = conn.execute("SELECT ?", (row[0],))
            else:
                position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM pairings")
            cursor = conn.execute(
                "INSERT OR IGNORE INTO pairings (requirement_id, foreign_partner_id,"
                " local_partner_id, position, requirement_json, pairing_json, score,"
                " feasibility, catalog_path, saved_at, decision, reason, note, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    requirement_id,
                    foreign,
                    local,
                    position.fetchone()[0],
                    requirement_to_json(saved.requirement),
                    pairing_to_json(saved.pairing),
                    float(saved.pairing.score),
                    saved.pairing.feasibility,
                    saved.catalog_path,
                    saved.saved_at or time.time(),
                    saved.annotation.decision,
                    saved.annotation.reason,
                    saved.annotation.note,
                    time.time(),
                ),
            )
            return cursor.rowcount == 1

    def remove(self, key: PairingKey) -> bool:
        """Forget a pairing with its note; False when it was not saved."""
        with self._connect() as conn, _transaction(conn):
            cursor = conn.execute(
                "DELETE FROM pairings WHERE requirement_id = ? AND foreign_partner_id = ?"
                " AND local_partner_id = ?",
                key,
            )
            return cursor.rowcount == 1

    def annotate(self, key: PairingKey, annotation: Annotation) -> bool:
        """Replace a saved pairing's decision, reason and note; False when it is not saved."""
        with self._connect() as conn, _transaction(conn):
            cursor = conn.execute(
                "UPDATE pairings SET decision = ?, reason = ?, note = ?, updated_at = ?"
                " WHERE requirement_id = ? AND foreign_partner_id = ? AND local_partner_id = ?",
                (annotation.decision, annotation.reason, annotation.note, time.time(), *key),
            )
            return cursor.rowcount == 1

    def annotations(self) -> dict[PairingKey, Annotation]:
        """The non-empty annotations by key; {} (and no file made) when there is no store."""
        if not self.exists():
            return {}
        with self._connect(create=False) as conn:
            rows = conn.execute(
                "SELECT requirement_id, foreign_partner_id, local_partner_id, decision, reason,"
                " note FROM pairings WHERE decision != '' OR reason != '' OR note != ''"
            ).fetchall()
        return {(r[0], r[1], r[2]): _annotation_of(r[3], r[4], r[5]) for r in rows}

    # ----- settings

    def settings(self) -> dict[str, object]:
        """Every saved setting (JSON values), e.g. {"view.hide_blocked": True}."""
        with self._connect() as conn:
            rows = conn.execute("SELECT name, value FROM settings").fetchall()
        return {name: json.loads(value) for name, value in rows}

    def setting(self, name: str, default: object = None) -> object:
        return self.settings().get(name, default)

    def save_settings(self, values: Mapping[str, object]) -> None:
        """Set several settings in one transaction (None deletes one)."""
        with self._connect() as conn, _transaction(conn):
            for name, value in values.items():
                if value is None:
                    conn.execute("DELETE FROM settings WHERE name = ?", (name,))
                else:
                    conn.execute(
                        "INSERT INTO settings (name, value) VALUES (?, ?)"
                        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                        (name, json.dumps(value, ensure_ascii=False)),
                    )


def _annotation_of(decision: str, reason: str, note: str) -> Annotation:
    # A decision a later coprod added is kept as a note rather than refused.
    if decision not in DECISIONS:
        note = f"[{decision}] {note}".strip()
        decision = ""
    return Annotation(decision, reason, note)


def _saved_of(row: Sequence) -> SavedPairing:
    requirement_json, pairing_json, catalog_path, saved_at, decision, reason, note = row
    return SavedPairing(
        requirement=requirement_from_json(requirement_json),
        pairing=pairing_from_json(pairing_json),
        catalog_path=catalog_path,
        saved_at=float(saved_at),
        annotation=_annotation_of(decision, reason, note),
    )


def saved_pairing(
    requirement: Requirement, pairing: Pairing, catalog_path: Path | str = ""
) -> SavedPairing:
    """A pairing to save now, with no annotation yet."""
    return SavedPairing(requirement, pairing, str(catalog_path), time.time())


def with_annotation(saved: SavedPairing, annotation: Annotation) -> SavedPairing:
    return replace(saved, annotation=annotation)


# Setting names the TUI saves (values: JSON).
FILTER_TEXT = "view.filter"
HIDE_BLOCKED = "view.hide_blocked"
COUNTRY = "view.country"
EXPORT_FOLDER = "export.folder"
