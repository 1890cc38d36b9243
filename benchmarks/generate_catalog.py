"""Generate a realistic synthetic catalog of any size, in the catalog format (see data/README.md).

Seeded and offline. The text is written the way supplier brochures and
procurement officers write: one defence-manufacturing vocabulary with
variants ("UAV"/"drone"/"unmanned aerial vehicle"), abbreviations (ATGM,
MANPADS, C-UAS), units written several ways ("155 mm", "155mm", "155-mm"),
activity phrases, certifications, a few typos, and occasional quoted fields
with commas or embedded newlines.

Use as a module:

    from benchmarks.generate_catalog import generate_catalog   # or importlib by path
    counts = generate_catalog(Path("out"), partners=100_000, capabilities=500_000,
                              requirements=1_000, seed=7)

or as a script:

    python benchmarks/generate_catalog.py OUTDIR [--partners N] [--capabilities N]
        [--requirements N] [--seed S]

Writes partners.csv, capabilities.csv, codevelopers.csv, countries.csv and
requirements.csv into OUTDIR (synonyms come from the shipped data).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

DEFAULT_PARTNERS = 100_000
DEFAULT_CAPABILITIES = 500_000
DEFAULT_REQUIREMENTS = 1_000

# category -> (item phrases as brochures write them, procurement phrasing for requirements)
VOCABULARY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uas": (
        (
            "UAS",
            "UAV",
            "drones",
            "unmanned aerial vehicles",
            "unmanned aircraft systems",
            "RPAS",
            "quadcopter drones",
            "multirotor UAVs",
            "fixed-wing UAV",
            "VTOL UAS",
            "tactical UAV",
            "MALE UAS",
            "micro drones",
            "small UAS (sUAS)",
            "ISR drone",
        ),
        (
            "small reconnaissance drones",
            "tactical unmanned aircraft",
            "long-endurance surveillance UAV",
            "micro drones for infantry squads",
            "ship-launched VTOL unmanned aircraft",
        ),
    ),
    "loitering_munition": (
        (
            "loitering munitions",
            "kamikaze drones",
            "one-way attack drones",
            "loitering attack munition",
            "suicide UAV",
            "switchblade-class loitering munition",
        ),
        ("man-portable loitering munitions", "long-range one-way attack drones"),
    ),
    "counter_uas": (
        (
            "counter-UAS",
            "C-UAS systems",
            "anti-drone jammers",
            "counter-drone radar",
            "RF jammer for UAS",
            "drone detection and mitigation",
            "C-UAV interceptor",
        ),
        ("counter-drone systems for bases", "portable drone jammers"),
    ),
    "artillery_ammunition": (
        (
            "155 mm shells",
            "155mm artillery ammunition",
            "155-mm HE projectiles",
            "105 mm rounds",
            "artillery shells",
            "M107 155mm projectile",
            "propellant charges",
            "modular charge system",
            "155 mm ammunition (NATO JBMoU)",
        ),
        ("155 mm high-explosive artillery rounds", "propelling charges for 155 mm guns"),
    ),
    "precision_artillery": (
        (
            "precision guided 155 mm projectile",
            "PGK fuze",
            "precision guidance kit",
            "GPS-guided artillery shell",
            "guided 155mm round",
            "course-correcting fuze",
        ),
        ("precision-guided 155 mm shells", "GPS guidance kits for artillery rounds"),
    ),
    "small_arms_ammunition": (
        (
            "5.56 mm ammunition",
            "5.56x45mm NATO ball",
            "7.62mm cartridges",
            "12.7 mm / .50 cal ammunition",
            "9mm pistol ammunition",
            "small-calibre ammunition",
            "small arms ammo",
        ),
        ("5.56 mm rifle ammunition", "7.62 mm machine-gun ammunition"),
    ),
    "mortar_ammunition": (
        ("81 mm mortar bombs", "120mm mortar rounds", "60 mm mortar ammunition", "mortar shells"),
        ("120 mm mortar bombs", "81 mm mortar ammunition"),
    ),
    "anti_tank_missile": (
        (
            "ATGM",
            "anti-tank guided missiles",
            "Javelin-class missile",
            "anti-armour missile",
            "fire-and-forget ATGW",
            "anti tank guided weapon",
        ),
        ("man-portable anti-tank missiles", "vehicle-mounted anti-armour missiles"),
    ),
    "air_defence_missile": (
        (
            "MANPADS",
            "man-portable air defence system",
            "SHORAD missile",
            "surface-to-air missile",
            "SAM",
            "VSHORAD",
            "Stinger-class MANPADS",
        ),
        ("shoulder-fired air defence missiles", "short-range air defence missiles"),
    ),
    "artillery_system": (
        (
            "self-propelled howitzer",
            "SPH",
            "towed howitzer",
            "155 mm/52 cal gun",
            "truck-mounted howitzer",
            "wheeled self propelled artillery",
        ),
        ("self-propelled 155 mm howitzers", "truck-mounted artillery"),
    ),
    "rocket_artillery": (
        (
            "MLRS",
            "multiple launch rocket system",
            "guided rockets",
            "GMLRS",
            "227 mm rockets",
            "rocket launcher",
            "HIMARS-class launcher",
        ),
        ("mobile rocket artillery", "guided rockets for multiple launchers"),
    ),
    "anti_ship_missile": (
        (
            "anti-ship missile",
            "AShM",
            "coastal defence missile",
            "anti-ship cruise missile",
            "sea-skimming missile",
            "coastal anti ship missile battery",
        ),
        ("coastal anti-ship missile batteries", "truck-launched anti-ship missiles"),
    ),
    "energetics": (
        (
            "TNT",
            "RDX",
            "HMX",
            "nitrocellulose propellant",
            "solid rocket motors",
            "energetic materials",
            "explosives",
            "double-base propellant",
            "PBX fill",
        ),
        ("explosive fill for shells", "solid rocket motors"),
    ),
    "sensors_electronics": (
        (
            "radar",
            "EO/IR sensor",
            "electro-optical/infrared turret",
            "seeker",
            "datalink",
            "thermal imager",
            "AESA radar",
            "IR seeker",
            "fire control radar",
        ),
        ("EO/IR seekers", "secure tactical datalinks"),
    ),
    "naval": (
        (
            "patrol boats",
            "fast attack craft",
            "USV",
            "unmanned surface vessel",
            "naval mines",
            "torpedo",
        ),
        ("unmanned surface vessels", "naval mines"),
    ),
    "aircraft": (
        ("trainer aircraft", "helicopter MRO", "airframes", "aerostructures"),
        ("aircraft maintenance",),
    ),
    "vehicles": (
        (
            "armoured personnel carrier",
            "APC",
            "IFV",
            "tactical trucks",
            "8x8 wheeled vehicle",
            "MRAP",
        ),
        ("wheeled armoured vehicles",),
    ),
    "components": (
        (
            "fuzes",
            "fuze",
            "metal castings",
            "CNC machining",
            "precision machining",
            "forgings",
            "shell casings",
            "printed circuit boards",
            "wire harnesses",
            "gearboxes",
        ),
        ("artillery fuzes", "shell body forgings"),
    ),
}
CATEGORIES = tuple(VOCABULARY)

ACTIVITIES = (
    "",
    "",
    "manufacture of ",
    "production of ",
    "design and manufacture of ",
    "supplier of ",
    "licensed production of ",
    "maintenance and repair of ",
    "assembly of ",
    "R&D on ",
    "components for ",
    "subcontractor for ",
    "MRO for ",
    "integration of ",
)
SUFFIXES = (
    "",
    "",
    "",
    " (NATO standard)",
    ", AQAP 2110 certified",
    " for export",
    ", small batches",
    ", high volume",
    " - ITAR free",
    " incl. testing",
    ", up to 10,000 per year",
)
COUNTRIES: tuple[tuple[str, str, float], ...] = (
    ("Taiwan", "open", 0.20),
    ("United States", "open", 0.18),
    ("United Kingdom", "case_by_case", 0.06),
    ("Germany", "reluctant", 0.06),
    ("France", "reluctant", 0.05),
    ("Sweden", "blocked", 0.04),
    ("Norway", "case_by_case", 0.03),
    ("Finland", "reluctant", 0.03),
    ("Poland", "case_by_case", 0.04),
    ("Czech Republic", "case_by_case", 0.04),
    ("Italy", "reluctant", 0.04),
    ("Japan", "case_by_case", 0.05),
    ("South Korea", "reluctant", 0.05),
    ("Israel", "reluctant", 0.04),
    ("Australia", "case_by_case", 0.03),
    ("Turkey", "blocked", 0.02),
    ("Canada", "case_by_case", 0.02),
    ("Netherlands", "case_by_case", 0.02),
)
KINDS = (
    "manufacturer",
    "manufacturer",
    "sme",
    "prime_contractor",
    "state_enterprise",
    "research_institute",
    "military_arsenal",
)
NAME_SYLLABLES = (
    "ar",
    "bel",
    "cor",
    "dan",
    "el",
    "fal",
    "gar",
    "hel",
    "ion",
    "jor",
    "kal",
    "lum",
    "mar",
    "nor",
    "or",
    "pra",
    "quin",
    "ros",
    "sol",
    "tor",
    "ul",
    "ver",
    "wen",
    "xan",
    "yor",
    "zen",
    "tai",
    "hsin",
    "chung",
    "kuo",
    "lin",
)
NAME_WORDS = (
    "Defence",
    "Industries",
    "Aerospace",
    "Munitions",
    "Systems",
    "Precision",
    "Dynamics",
    "Arsenal",
    "Technologies",
    "Ordnance",
    "Robotics",
    "Electronics",
)
NAME_FORMS = ("Ltd", "AB", "GmbH", "Corp.", "S.p.A.", "Co., Ltd.", "Inc.", "a.s.", "Oy", "AS")
PRIORITIES = ("high", "high", "medium", "medium", "medium", "low")
UNITS = {
    "uas": "airframes",
    "loitering_munition": "munitions",
    "artillery_ammunition": "rounds",
    "precision_artillery": "rounds",
    "small_arms_ammunition": "rounds",
    "mortar_ammunition": "rounds",
    "anti_tank_missile": "missiles",
    "air_defence_missile": "missiles",
    "anti_ship_missile": "missiles",
    "rocket_artillery": "launchers",
    "artillery_system": "guns",
}
REQUIREMENT_FRAMES = (
    "{item}",
    "Procure {item}",
    "{item} for the Army",
    "Domestic production of {item}",
    "{item} for coastal defence brigades",
    "Rapid acquisition: {item}",
)
SYSTEM_NAMES = (
    "Excalibur",
    "Javelin",
    "Stinger",
    "HIMARS",
    "Harpoon",
    "NASAMS",
    "Switchblade",
    "Altius",
    "Archer",
    "Carl-Gustaf",
    "NSM",
    "Hsiung Feng",
    "Tien Kung",
)


def _typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in a word of 4+ letters: swap, drop or double a letter."""
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 4 and word.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        word = word[: j - 1] + word[j] + word[j - 1] + word[j + 1 :]
    elif kind == 1:
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def _partner_name(rng: random.Random, index: int) -> str:
    stem = "".join(rng.choice(NAME_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{stem} {rng.choice(NAME_WORDS)} {rng.choice(NAME_FORMS)} #{index}"


def _capability_text(rng: random.Random, category: str, typo_rate: float) -> str:
    items = VOCABULARY[category][0]
    text = rng.choice(ACTIVITIES) + rng.choice(items)
    if rng.random() < 0.3:
        other = VOCABULARY[rng.choice(CATEGORIES)][0]
        text += rng.choice((", ", " and ", "; ", " / ")) + rng.choice(other)
    text += rng.choice(SUFFIXES)
    if rng.random() < 0.15:
        text = text.upper() if rng.random() < 0.3 else text.lower()
    if rng.random() < typo_rate:
        text = _typo(rng, text)
    if rng.random() < 0.001:
        text += "\nsee datasheet, rev. B"  # a brochure line break, quoted in the CSV
    return text


def generate_catalog(
    out_dir: Path,
    *,
    partners: int = DEFAULT_PARTNERS,
    capabilities: int = DEFAULT_CAPABILITIES,
    requirements: int = DEFAULT_REQUIREMENTS,
    seed: int = 7,
    typo_rate: float = 0.05,
) -> dict[str, int]:
    """Write a synthetic catalog to out_dir; returns rows written per table."""
    if partners < 1 or capabilities < 0 or requirements < 0:
        raise ValueError("partners must be >= 1, capabilities and requirements >= 0")
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    country_names = [c[0] for c in COUNTRIES]
    country_weights = [c[2] for c in COUNTRIES]

    partner_ids = [f"p{index:07d}" for index in range(partners)]
    partner_country = rng.choices(country_names, country_weights, k=partners)
    # Each partner specialises in one or two categories; most of its lines come from them.
    specialities = [(rng.choice(CATEGORIES), rng.choice(CATEGORIES)) for _ in range(partners)]
    with (out_dir / "partners.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["partner_id", "name", "country", "kind", "description", "source"])
        writer.writerows(
            [
                partner_ids[i],
                _partner_name(rng, i),
                partner_country[i],
                rng.choice(KINDS),
                f"Makes {VOCABULARY[specialities[i][0]][0][0]} and "
                f"{VOCABULARY[specialities[i][1]][0][0]}",
                "synthetic",
            ]
            for i in range(partners)
        )

    systems = [f"{name}" for name in SYSTEM_NAMES] + [
        f"{rng.choice(NAME_SYLLABLES).upper()}-{n}" for n in range(max(1, partners // 200))
    ]
    system_category = {system: rng.choice(CATEGORIES) for system in systems}
    codevelopers: list[tuple[str, str]] = []
    for system in systems:
        for partner_index in rng.sample(range(partners), k=min(partners, rng.randint(1, 3))):
            codevelopers.append((system, partner_ids[partner_index]))
    system_of_partner: dict[int, list[str]] = {}
    for system, partner_id in codevelopers:
        system_of_partner.setdefault(int(partner_id[1:]), []).append(system)

    with (out_dir / "capabilities.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["partner_id", "capability", "category", "system", "source"])
        batch: list[list[str]] = []
        for line in range(capabilities):
            # every partner gets at least one line, the rest are spread at random
            owner = line if line < partners else rng.randrange(partners)
            system = ""
            owned = system_of_partner.get(owner)
            if owned and rng.random() < 0.5:
                system = rng.choice(owned)
                category = system_category[system]
                text = f"{system} {rng.choice(VOCABULARY[category][0])}"
            else:
                roll = rng.random()
                if roll < 0.8:
                    category = specialities[owner][0 if roll < 0.55 else 1]
                else:
                    category = rng.choice(CATEGORIES)
                text = _capability_text(rng, category, typo_rate)
            shown_category = category if rng.random() < 0.6 else ""
            batch.append([partner_ids[owner], text, shown_category, system, "synthetic"])
            if len(batch) >= 50_000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)

    with (out_dir / "codevelopers.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["system", "partner_id", "source"])
        writer.writerows([system, partner_id, "synthetic"] for system, partner_id in codevelopers)

    with (out_dir / "countries.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["country", "posture", "note", "source"])
        writer.writerows(
            [name, posture, f"synthetic posture for {name}", "synthetic"]
            for name, posture, _ in COUNTRIES
        )

    with (out_dir / "requirements.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(
            [
                "requirement_id",
                "title",
                "description",
                "category",
                "quantity",
                "unit",
                "priority",
                "source",
            ]
        )
        for index in range(requirements):
            category = rng.choice(CATEGORIES)
            item = rng.choice(VOCABULARY[category][1])
            title = rng.choice(REQUIREMENT_FRAMES).format(item=item)
            title = title[0].upper() + title[1:]
            detail = rng.choice(VOCABULARY[category][0])
            description = (
                f"Taiwan needs {item}, e.g. {detail}, produced with a local co-producer"
                + rng.choice(
                    (
                        "",
                        " within 24 months",
                        ", with technology transfer",
                        ", non-PRC supply chain",
                    )
                )
            )
            has_figure = rng.random() < 0.7
            quantity = (
                str(rng.choice((50, 100, 400, 1200, 3200, 10000, 250000))) if has_figure else ""
            )
            unit = UNITS.get(category, "units") if has_figure else ""
            writer.writerow(
                [
                    f"REQ-{index + 1:05d}",
                    title,
                    description,
                    category,
                    quantity,
                    unit,
                    rng.choice(PRIORITIES),
                    "synthetic",
                ]
            )
    return {
        "partners": partners,
        "capabilities": capabilities,
        "codevelopers": len(codevelopers),
        "countries": len(COUNTRIES),
        "requirements": requirements,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--partners", type=int, default=DEFAULT_PARTNERS)
    parser.add_argument("--capabilities", type=int, default=DEFAULT_CAPABILITIES)
    parser.add_argument("--requirements", type=int, default=DEFAULT_REQUIREMENTS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate_catalog(
        args.out_dir,
        partners=args.partners,
        capabilities=args.capabilities,
        requirements=args.requirements,
        seed=args.seed,
    )
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    print(f"wrote {summary} to {args.out_dir} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
