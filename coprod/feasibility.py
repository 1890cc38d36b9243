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
- Verdict: `blocked` if any step blocks, `consent_required` if there is any
  step, else `ok`.
"""

from __future__ import annotations

from dataclasses import dataclass

from coprod import LOCAL_COUNTRY
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


def assess(catalog: Catalog, supplier: Partner, system: str = "") -> Verdict:
    """The feasibility of `supplier` delivering a capability (of named `system`) to Taiwan."""
    reasons: dict[str, list[str]] = {}
    postures: dict[str, tuple[str, str]] = {}

    def ask(country: str, reason: str) -> None:
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

    chain = tuple(
        ConsentStep(
            country=country,
            posture=postures[country][0],
            note=postures[country][1],
            reason="; ".join(reasons[country]),
            blocks=postures[country][0] == "blocked",
        )
        for country in reasons
    )
    if any(step.blocks for step in chain):
        return Verdict("blocked", chain)
    if chain:
        return Verdict("consent_required", chain)
    return Verdict("ok", ())


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
