"""Export-consent feasibility: can this capability reach Taiwan, and whose consent does it need?

Rules (one ConsentStep per government, reasons merged when a government is
asked for several reasons):

- The supplier's own government (when the supplier is foreign): a `blocked`
  posture blocks; `case_by_case`, `reluctant` or no posture on record
  ("unknown") needs its consent; `open` adds no step.
- Every co-developer of the capability's named system
  (`Catalog.codevelopers_of`), other than the supplier itself, outside
  Taiwan and outside the supplier's own country when that country is
  `open`: its government blocks when `blocked`, and otherwise must consent
  whatever its posture (re-export of a co-developed system needs each
  partner government's agreement).
- Systems the knowledge base knows (coprod.knowledge), named by the line's
  system column or text: where the catalog's codevelopers table has no row for
  the system, the knowledge base's co-developers enter the chain the same
  way, each reason marked "(knowledge base)" with its source. A licensor's
  government must consent to licence production; when the supplier builds the
  system under licence, its own government is asked too (both governments
  are named), whatever its posture.
- Verdict: `blocked` if any step blocks, `consent_required` if there is any
  step, else `ok`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from coprod import LOCAL_COUNTRY
from coprod.knowledge import (
    KnownSystem,
    organisation_key,
    same_organisation,
    same_organisation_keys,
)
from coprod.model import Catalog, ConsentStep, Partner

UNKNOWN_POSTURE = "unknown"
NEEDS_CONSENT = frozenset({"case_by_case", "reluctant", UNKNOWN_POSTURE})


@dataclass(frozen=True)
class Verdict:
    feasibility: str  # ok | consent_required | blocked
    chain: tuple[ConsentStep, ...]

    @property
    def blocked(self) -> bool:
        return self.feasibility == "blocked"


def assess(
    catalog: Catalog,
    supplier: Partner,
    system: str = "",
    known_systems: tuple[KnownSystem, ...] = (),
) -> Verdict:
    """The feasibility of `supplier` delivering a capability (of named `system`) to Taiwan.

    `known_systems`: knowledge-base systems the capability names (its system
    column's, looked up by name or alias, is added here).
    """
    reasons: dict[str, list[str]] = {}
    postures: dict[str, tuple[str, str]] = {}
    sources: dict[str, list[str]] = {}

    def ask(country: str, reason: str, source: str = "") -> None:
        if country not in postures:
            posture = catalog.posture_of(country)
            postures[country] = (
                (posture.posture, posture.note)
                if posture is not None
                else (UNKNOWN_POSTURE, "no posture on record")
            )
        reasons.setdefault(country, [])
        if reason not in reasons[country]:
            reasons[country].append(reason)
        if source and source not in sources.setdefault(country, []):
            sources[country].append(source)

    supplier_country = supplier.country
    supplier_posture = _posture(catalog, supplier_country)
    if supplier_country != LOCAL_COUNTRY and (
        supplier_posture == "blocked" or supplier_posture in NEEDS_CONSENT
    ):
        ask(supplier_country, f"home of the supplier {supplier.name}")

    system_name = system.strip()
    for partner_id in catalog.codevelopers_of(system_name) if system_name else ():
        if partner_id == supplier.partner_id:
            continue
        codeveloper = catalog.partners.get(partner_id)
        if codeveloper is None or codeveloper.country == LOCAL_COUNTRY:
            continue
        if codeveloper.country == supplier_country and supplier_posture == "open":
            continue
        ask(codeveloper.country, f"home of co-developer {codeveloper.name} of {system_name}")

    for known in _named_systems(catalog, system_name, known_systems):
        _ask_knowledge(catalog, supplier, supplier_posture, known, ask)

    chain = tuple(
        ConsentStep(
            country=country,
            posture=postures[country][0],
            note=postures[country][1],
            reason="; ".join(reasons[country]),
            blocks=postures[country][0] == "blocked",
            source="; ".join(sources.get(country, ())),
        )
        for country in reasons
    )
    if any(step.blocks for step in chain):
        return Verdict("blocked", chain)
    if chain:
        return Verdict("consent_required", chain)
    return Verdict("ok", ())


@dataclass(frozen=True)
class SystemParties:
    """The organisations a capability's systems name: the catalog's co-developers
    (partner ids) and every organisation the knowledge base relates to them.

    `assess` treats a supplier among them apart (it never asks consent of itself, and a
    licence producer's own government is asked); any other supplier gets the verdict
    every supplier from its country gets, but for its name in the reasons.
    """

    codeveloper_ids: frozenset[str]
    organisations: tuple[str, ...]
    # what `_is_supplier` compares of each organisation, made once (the ranker asks
    # `include` for every partner offering a line of these systems)
    _folded: frozenset[str] = field(init=False, repr=False, compare=False)
    _keys: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = self.organisations
        object.__setattr__(self, "_folded", frozenset(o.strip().casefold() for o in names))
        object.__setattr__(self, "_keys", tuple(organisation_key(o) for o in names))

    def include(self, supplier: Partner) -> bool:
        """Whether `assess` would find `supplier` among these organisations (as
        `_is_supplier` does: the same organisation by name, or its partner id)."""
        if supplier.partner_id in self.codeveloper_ids:
            return True
        if supplier.partner_id.casefold() in self._folded:
            return True
        own = organisation_key(supplier.name)
        return any(same_organisation_keys(key, own) for key in self._keys)


def system_parties(
    catalog: Catalog, system: str = "", known_systems: tuple[KnownSystem, ...] = ()
) -> SystemParties:
    """Who `assess(catalog, supplier, system, known_systems)` checks the supplier against."""
    system_name = system.strip()
    codevelopers = catalog.codevelopers_of(system_name) if system_name else ()
    relations = catalog.knowledge.relations_of
    return SystemParties(
        codeveloper_ids=frozenset(codevelopers),
        organisations=tuple(
            dict.fromkeys(
                relation.organisation
                for known in _named_systems(catalog, system_name, known_systems)
                for relation in relations(known.system_id)
            )
        ),
    )


def _named_systems(
    catalog: Catalog, system_name: str, known_systems: tuple[KnownSystem, ...]
) -> list[KnownSystem]:
    """The knowledge-base systems a line names: its system column's first, then its text's."""
    named = list(known_systems)
    column_system = (
        catalog.knowledge.system_by_name.get(_fold(system_name)) if system_name else None
    )
    if column_system is not None and column_system not in named:
        named.insert(0, column_system)
    return named


def _ask_knowledge(catalog: Catalog, supplier: Partner, supplier_posture: str, known, ask) -> None:
    """The knowledge base's co-developers and licensors of `known` (see module doc)."""
    relations = catalog.knowledge.relations_of(known.system_id)
    in_catalog = bool(catalog.codevelopers_of(known.name)) or any(
        catalog.codevelopers_of(alias) for alias in known.aliases
    )
    is_supplier = _is_supplier(supplier)
    licensee = any(r.role == "licensee" and is_supplier(r.organisation) for r in relations)
    for relation in relations:
        if not relation.country or relation.country == LOCAL_COUNTRY:
            continue
        if is_supplier(relation.organisation):
            continue
        if relation.country == supplier.country and supplier_posture == "open":
            continue
        if relation.role == "co_developer":
            if in_catalog:
                continue  # the catalog's own co-developers stand for this system
            reason = f"home of co-developer {relation.organisation} of {known.name}"
        elif relation.role == "licensor":
            reason = f"home of licensor {relation.organisation} of {known.name}"
        else:
            continue
        ask(relation.country, f"{reason} (knowledge base)", relation.source)
    if licensee and supplier.country != LOCAL_COUNTRY:
        ask(
            supplier.country,
            f"home of the licence producer {supplier.name} of {known.name} (knowledge base)",
            next((r.source for r in relations if r.role == "licensee"), ""),
        )


def _is_supplier(supplier: Partner):
    def check(organisation: str) -> bool:
        return same_organisation(organisation, supplier.name) or (
            organisation.strip().casefold() == supplier.partner_id.casefold()
        )

    return check


@lru_cache(maxsize=4096)  # the same few system names, for every partner assessed
def _fold(name: str) -> str:
    from coprod.knowledge import fold

    return fold(name)


def _posture(catalog: Catalog, country: str) -> str:
    posture = catalog.posture_of(country)
    return posture.posture if posture is not None else UNKNOWN_POSTURE


def describe(feasibility: str, chain: tuple[ConsentStep, ...]) -> str:
    """One plain sentence: "blocked by Sweden (home of co-developer ...: note)"."""
    if feasibility == "ok":
        return "ok: no foreign government's consent needed beyond a normal export licence"
    blockers = [step for step in chain if step.blocks]
    consents = [step for step in chain if not step.blocks]
    parts = []
    if blockers:
        parts.append(
            "blocked by " + "; ".join(f"{step.country} ({_because(step)})" for step in blockers)
        )
    if consents:
        parts.append(
            "needs consent of "
            + "; ".join(f"{step.country} ({_because(step)})" for step in consents)
        )
    return ", and ".join(parts)


def _because(step: ConsentStep) -> str:
    text = f"{step.reason}, posture {step.posture}"
    if step.note:
        text += f": {step.note}"
    return text
