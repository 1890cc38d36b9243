"""The shared vocabulary of coprod, as plain dataclasses.

Everything above the catalog (matching, ranking, CLI, TUI, planner) speaks in
these types. See ../README.md and data/README.md for what each field means.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from coprod import LOCAL_COUNTRY
from coprod.knowledge import Knowledge

POSTURES: tuple[str, ...] = ("open", "case_by_case", "reluctant", "blocked")

FEASIBILITIES: tuple[str, ...] = ("ok", "consent_required", "blocked")

PRIORITIES: tuple[str, ...] = ("high", "medium", "low")

# Every dataclass of this module (and of coprod.knowledge, coprod.config) has a
# docstring: for one without, @dataclass writes one through inspect.signature at
# import, a cost on every run's start-up (benchmarks/README.md, rank -r start-up).


@dataclass(frozen=True, slots=True)
class Partner:
    """An organisation that can make things, in a country (Taiwanese: a local co-producer)."""

    partner_id: str
    name: str
    country: str
    kind: str
    description: str
    source: str = ""

    @property
    def is_local(self) -> bool:
        return self.country == LOCAL_COUNTRY


@dataclass(frozen=True, slots=True)
class Capability:
    """One free-text line of what a partner makes."""

    capability_id: int  # position in the catalog's capabilities table, stable per build
    partner_id: str
    capability: str
    category: str  # "" when the brochure gives none
    system: str  # "" when no named system
    source: str = ""


class CapabilityColumns(Sequence[Capability]):
    """Capability lines stored column by column; a `Capability` is made only when asked.

    Behaves as a read-only list of `Capability` (len, index, slice, iteration,
    equality with a list). A big catalog loads several times faster this way, and
    the matcher reads the columns (`columns`) without any objects.
    """

    __slots__ = ("columns",)
    FIELDS: tuple[str, ...] = (
        "capability_id",
        "partner_id",
        "capability",
        "category",
        "system",
        "source",
    )

    def __init__(self, columns: dict[str, list]) -> None:
        # field name -> list of values, every list the same length
        self.columns = {name: columns[name] for name in self.FIELDS}

    @classmethod
    def of(cls, capabilities: Sequence[Capability]) -> CapabilityColumns:
        """The columns of any sequence of capabilities (returned as is when already columnar)."""
        if isinstance(capabilities, CapabilityColumns):
            return capabilities
        return cls({name: [getattr(c, name) for c in capabilities] for name in cls.FIELDS})

    def __len__(self) -> int:
        return len(self.columns["capability_id"])

    @overload
    def __getitem__(self, index: int) -> Capability: ...
    @overload
    def __getitem__(self, index: slice) -> list[Capability]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        columns = self.columns
        return Capability(*(columns[name][index] for name in self.FIELDS))

    def __iter__(self) -> Iterator[Capability]:
        return map(Capability, *(self.columns[name] for name in self.FIELDS))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __repr__(self) -> str:
        return f"CapabilityColumns({len(self):,} lines)"


@dataclass(frozen=True, slots=True)
class CountryPosture:
    """A country's stance on arms and co-production with Taiwan, with its basis."""

    country: str
    posture: str  # one of POSTURES
    note: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Requirement:
    """Something Taiwan needs."""

    requirement_id: str
    title: str
    description: str
    category: str
    quantity: float | None  # None: no public figure
    unit: str
    priority: str  # one of PRIORITIES
    source: str = ""


@dataclass(frozen=True, slots=True)
class Synonym:
    """`term` is read as `canonical` before matching (e.g. "uav" -> "uas")."""

    term: str
    canonical: str


@dataclass
class Catalog:
    """A whole catalog in memory, as loaded from the DuckDB file."""

    partners: dict[str, Partner]
    capabilities: list[Capability]  # or a CapabilityColumns (load_catalog), read-only
    # system name casefolded -> ids of the partners that co-developed it
    codevelopers: dict[str, tuple[str, ...]]
    countries: dict[str, CountryPosture]
    requirements: dict[str, Requirement]  # in catalog order
    synonyms: list[Synonym] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    # the knowledge base in force: shipped rows extended by the catalog's own
    knowledge: Knowledge = field(default_factory=Knowledge)

    def codevelopers_of(self, system: str) -> tuple[str, ...]:
        return self.codevelopers.get(system.strip().casefold(), ())

    def posture_of(self, country: str) -> CountryPosture | None:
        return self.countries.get(country)


@dataclass(frozen=True, slots=True)
class Match:
    """One side of a pairing: a partner and the capability line that matched best."""

    partner_id: str
    partner_name: str
    country: str
    capability_id: int
    capability: str
    category: str
    system: str
    fit: float  # 0..100, how well this capability meets the requirement
    matched_tokens: tuple[str, ...]  # requirement tokens (normalised) found in the capability
    # in words, what the requirement and the line have in common through the knowledge
    # base: "guided artillery projectile: Excalibur is one"
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentStep:
    """One government in an export-consent chain."""

    country: str
    posture: str  # one of POSTURES, or "unknown" when the catalog has none
    note: str  # the posture's basis, from the countries table
    reason: str  # why this government is asked, e.g. "co-developer BAE Systems Bofors of Excalibur"
    blocks: bool  # True when this government's posture is blocked
    source: str = ""  # where a reason from the knowledge base comes from


@dataclass(frozen=True)
class Pairing:
    """A ranked candidate for one requirement.

    `foreign` is None for a local-only candidate (Taiwanese industry alone);
    `local` is None when no Taiwanese firm fits (said plainly in outputs).
    """

    requirement_id: str
    rank: int  # 1 = best, per requirement
    score: float  # 0..100
    feasibility: str  # one of FEASIBILITIES
    foreign: Match | None
    local: Match | None
    components: dict[str, float]  # name -> contribution; explains `score`
    consent_chain: tuple[ConsentStep, ...] = ()

    @property
    def consent_countries(self) -> tuple[str, ...]:
        return tuple(step.country for step in self.consent_chain if not step.blocks)

    @property
    def blocked_by(self) -> tuple[str, ...]:
        return tuple(step.country for step in self.consent_chain if step.blocks)
