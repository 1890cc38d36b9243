"""Rough timing of the matching core on a synthetic catalog (the matcher's own check).

    python benchmarks/bench_match.py [--lines 500000] [--requirements 1000] [--sample 40]

Prints, on the same normalised strings in one run: index build time, the
batch ranking time (`Ranker.rank_many`, top 10, feasibility included), the
exhaustive `process.cdist(QRatio)` kernel over requirements x capability
lines (the speed limit, chunked by 50k columns), their ratio, the top-10
recall of the candidate index against the exhaustive capability-line fit on a
sample of requirements, and ad-hoc re-rank latency (p50/p95) as the TUI does
while a user types. The full issue-5 benchmark lives elsewhere; this one is
seeded and needs no files. CPU seconds are printed beside wall seconds: on a
shared machine they are the steadier figure (the kernel uses both cores, so
its CPU time is about twice its wall time when the machine is idle).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod.model import Capability, Catalog, CountryPosture, Partner, Requirement  # noqa: E402
from coprod.ranking import Ranker, RankOptions, adhoc_requirement  # noqa: E402

CALIBRES = [
    "5.56 mm",
    "5.56x45mm",
    "7.62mm",
    "12.7 mm",
    ".50 cal",
    "30 mm",
    "35mm",
    "40 mm",
    "81mm",
    "105 mm",
    "120 mm",
    "155 mm",
    "155-mm",
    "155mm",
    "122mm",
    "227 mm",
]
ITEMS = [
    "artillery shells",
    "projectiles",
    "rounds",
    "cartridges",
    "ammunition",
    "ammo",
    "rocket motors",
    "fuzes",
    "loitering munitions",
    "kamikaze drones",
    "UAV airframes",
    "drones",
    "quadcopters",
    "unmanned aircraft",
    "counter-drone radar",
    "C-UAS jammers",
    "MANPADS",
    "man-portable air defence missiles",
    "ATGM",
    "anti-tank guided missiles",
    "howitzers",
    "self-propelled howitzers",
    "MLRS",
    "rocket launchers",
    "anti-ship missiles",
    "propellant charges",
    "TNT",
    "RDX",
    "steel castings",
    "forgings",
    "datalinks",
    "EO/IR gimbals",
    "thermal imagers",
    "seekers",
    "warheads",
    "shell bodies",
    "mortar bombs",
    "grenades",
    "rifles",
    "machine guns",
    "radars",
    "armoured vehicles",
    "patrol boats",
    "USVs",
    "helicopter parts",
    "composite structures",
    "batteries",
    "electric motors",
    "servo actuators",
    "inertial navigation units",
    "GPS receivers",
]
MODIFIERS = [
    "high-explosive",
    "guided",
    "precision-guided",
    "GPS-guided",
    "extended-range",
    "base-bleed",
    "tactical",
    "small",
    "long-endurance",
    "medium-range",
    "short-range",
    "lightweight",
    "heavy",
    "modular",
    "low-cost",
    "insensitive",
    "smart",
    "NATO-standard",
    "fire-and-forget",
    "wire-guided",
    "thermal",
    "maritime",
    "coastal",
    "mobile",
    "vehicle-mounted",
    "man-portable",
    "ruggedised",
    "autonomous",
    "AI-enabled",
]
PROCESSES = [
    "production",
    "manufacturing",
    "assembly",
    "loading",
    "forging",
    "machining",
    "supply",
    "design",
    "integration",
    "MRO",
    "testing",
    "licensed production of",
    "development of",
    "maker of",
    "components for",
    "parts for",
    "upgrades of",
]
FILLER = [
    "advanced",
    "systems",
    "solutions",
    "high-quality",
    "certified",
    "ISO 9001",
    "for defence",
    "and services",
    "turnkey",
    "industrial",
    "export",
    "NATO",
]
COUNTRIES = [
    "United States",
    "Sweden",
    "United Kingdom",
    "Germany",
    "France",
    "Norway",
    "Japan",
    "South Korea",
    "Israel",
    "Poland",
    "Czech Republic",
    "Turkey",
    "Australia",
    "Italy",
    "Finland",
]
POSTURES = [
    "open",
    "blocked",
    "case_by_case",
    "case_by_case",
    "reluctant",
    "reluctant",
    "reluctant",
    "reluctant",
    "case_by_case",
    "case_by_case",
    "case_by_case",
    "reluctant",
    "case_by_case",
    "case_by_case",
    "case_by_case",
]


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or rng.random() > 0.04:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


def phrase(rng: random.Random, words: int) -> str:
    parts = []
    if rng.random() < 0.5:
        parts.append(rng.choice(PROCESSES))
    if rng.random() < 0.5:
        parts.append(rng.choice(CALIBRES))
    parts.append(rng.choice(MODIFIERS))
    parts.append(rng.choice(ITEMS))
    while len(" ".join(parts).split()) < words:
        pick = rng.random()
        if pick < 0.3:
            parts.append(rng.choice(FILLER))
        elif pick < 0.6:
            parts.append(rng.choice(MODIFIERS))
        elif pick < 0.8:
            parts.append(rng.choice(ITEMS))
        else:
            parts.append(f"{rng.choice('MKXTA')}{rng.randrange(1, 999)}")
    return " ".join(typo(w, rng) for w in " ".join(parts).split())


def synthetic_catalog(lines: int, requirements: int, seed: int = 7) -> Catalog:
    rng = random.Random(seed)
    n_partners = max(lines // 5, 10)
    partners = {}
    for i in range(n_partners):
        country = "Taiwan" if rng.random() < 0.15 else rng.choice(COUNTRIES)
        partners[f"p{i}"] = Partner(f"p{i}", f"Partner {i}", country, "company", "")
    partner_ids = list(partners)
    capabilities = [
        Capability(i, rng.choice(partner_ids), phrase(rng, rng.randint(3, 10)), "", "")
        for i in range(lines)
    ]
    countries = {c: CountryPosture(c, p, "") for c, p in zip(COUNTRIES, POSTURES, strict=True)}
    countries["Taiwan"] = CountryPosture("Taiwan", "open", "")
    reqs = {
        f"R{i}": Requirement(f"R{i}", phrase(rng, rng.randint(2, 6)), "", "", None, "", "high")
        for i in range(requirements)
    }
    return Catalog(partners, capabilities, {}, countries, reqs)


def kernel_fast_seconds(query_texts: list[str], choice_texts: list[str]) -> float:
    start = time.perf_counter()
    for begin in range(0, len(choice_texts), 50_000):
        process.cdist(
            query_texts,
            choice_texts[begin : begin + 50_000],
            scorer=fuzz.QRatio,
            dtype=np.uint8,
            workers=-1,
        )
    return time.perf_counter() - start


def top10_recall(ranker: Ranker, requirements: list[Requirement]) -> float:
    """Share of the exhaustive top 10 capability lines (full fit, category and system
    included, as the ranking orders them) that the pruned candidates still reach."""
    index = ranker.index
    every_text = np.arange(len(index.texts), dtype=np.int32)
    shares = []
    for requirement in requirements:
        query = index.query(requirement)
        exhaustive = index.score(query, every_text).fit
        if not len(exhaustive):
            continue
        tenth = np.sort(exhaustive)[-min(10, len(exhaustive))]
        candidate_ids, _ = index.candidates(query)
        pruned = index.score(query, candidate_ids).fit
        # Ties at the tenth place are interchangeable: count any pick scoring as well.
        found = int(np.sum(pruned >= tenth - 1e-9))
        shares.append(min(found, 10) / min(10, len(exhaustive)))
    return float(np.mean(shares)) if shares else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--requirements", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=40, help="requirements for the recall check")
    parser.add_argument("--adhoc-lines", type=int, default=50_000)
    args = parser.parse_args(argv)

    figures: dict[str, float] = {}
    start = time.perf_counter()
    catalog = synthetic_catalog(args.lines, args.requirements)
    figures["generate_s"] = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    ranker = Ranker(catalog)
    figures["index_build_s"] = time.perf_counter() - start
    figures["index_build_cpu_s"] = time.process_time() - cpu
    figures["unique_texts"] = len(ranker.index.texts)

    requirements = list(catalog.requirements.values())
    start, cpu = time.perf_counter(), time.process_time()
    results = ranker.rank_many(requirements, RankOptions(top=10))
    figures["batch_s"] = time.perf_counter() - start
    figures["batch_cpu_s"] = time.process_time() - cpu
    figures["per_requirement_ms"] = 1000 * figures["batch_s"] / len(requirements)
    assert len(results) == len(requirements)

    query_texts = [ranker.query(r).text for r in requirements]
    line_texts = [ranker.index.texts[i] for i in ranker.index.text_of_capability.tolist()]
    cpu = time.process_time()
    figures["kernel_fast_s"] = kernel_fast_seconds(query_texts, line_texts)
    figures["kernel_fast_cpu_s"] = time.process_time() - cpu
    figures["batch_vs_fast_kernel"] = figures["batch_s"] / figures["kernel_fast_s"]

    rng = random.Random(3)
    sample = rng.sample(requirements, min(args.sample, len(requirements)))
    start = time.perf_counter()
    figures["top10_recall_vs_exhaustive"] = top10_recall(ranker, sample)
    figures["recall_check_s"] = time.perf_counter() - start

    small = synthetic_catalog(args.adhoc_lines, 10, seed=11)
    small_ranker = Ranker(small)
    typed = [r.title for r in small.requirements.values()]
    latencies = []
    for text in typed * 5:
        for end in range(3, len(text) + 1, 4):  # the user typing, a few keystrokes at a time
            begin = time.perf_counter()
            small_ranker.rank(adhoc_requirement(text[:end]))
            latencies.append(1000 * (time.perf_counter() - begin))
    figures["interactive_p50_ms"] = statistics.median(latencies)
    figures["interactive_p95_ms"] = float(np.percentile(latencies, 95))

    for name, value in figures.items():
        print(f"{name:>28}  {value:12.3f}")
    print(json.dumps({name: round(value, 4) for name, value in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
