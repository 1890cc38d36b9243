"""Validate the blind4 catalog CSVs; exit 1 and list every problem found.

Checks: exact headers, unique ids, references between tables, vocabulary
(priority, posture, role, category), roles against partner country, a
non-empty source on every row, the minimum counts of the brief, and that no
requirement's title or description names one of its truth partners, their
aliases or the systems on their capability lines.

Run: ``python benchmarks/blind4/check_catalog.py``
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_catalog import PARTNERS  # noqa: E402  (aliases only; data is read from the CSVs)

HEADERS = {
    "partners.csv": ["partner_id", "name", "country", "kind", "description", "source"],
    "capabilities.csv": ["partner_id", "capability", "category", "system", "source"],
    "requirements.csv": [
        "requirement_id",
        "title",
        "description",
        "category",
        "quantity",
        "unit",
        "priority",
        "source",
    ],
    "truth.csv": ["requirement_id", "partner_id", "role", "source"],
    "codevelopers.csv": ["system", "partner_id", "source"],
    "countries.csv": ["country", "posture", "note", "source"],
}
CATEGORIES = {
    "uas",
    "loitering_munition",
    "counter_uas",
    "artillery_ammunition",
    "precision_artillery",
    "small_arms_ammunition",
    "mortar_ammunition",
    "anti_tank_missile",
    "air_defence_missile",
    "artillery_system",
    "rocket_artillery",
    "anti_ship_missile",
    "energetics",
    "sensors_electronics",
    "naval",
    "aircraft",
    "vehicles",
    "components",
}
PRIORITIES = {"high", "medium", "low"}
POSTURES = {"open", "case_by_case", "reluctant", "blocked"}
ROLES = {"foreign", "local"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

MINIMUMS = {
    "requirements": 30,
    "requirements_zh": 10,
    "requirements_mixed": 4,
    "partners": 90,
    "partners_taiwan": 35,
    "truth": 110,
}


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    raw = (HERE / name).read_bytes()
    if b"\r" in raw:
        raise SystemExit(f"{name}: CR line ends found (must be LF)")
    text = raw.decode("utf-8")
    rows = list(csv.reader(text.splitlines()))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, r, strict=True)) for r in body if len(r) == len(header)] + [
        {"__bad__": str(i + 2)} for i, r in enumerate(body) if len(r) != len(header)
    ]


def language(text: str) -> str:
    """'zh' when wholly Chinese, 'mixed' when Chinese with English words, else 'en'."""
    has_cjk = bool(CJK.search(text))
    has_latin = bool(LATIN_WORD.search(text))
    if has_cjk and not has_latin:
        return "zh"
    if has_cjk:
        return "mixed"
    return "en"


def names_in(text: str, name: str) -> bool:
    """Case-insensitive; whole words for Latin names, substring for CJK."""
    if CJK.search(name):
        return name in text
    return (
        re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text, re.IGNORECASE)
        is not None
    )


def main() -> int:
    problems: list[str] = []
    data: dict[str, list[dict[str, str]]] = {}
    for name, expected in HEADERS.items():
        header, rows = read(name)
        if header != expected:
            problems.append(f"{name}: header {header} != {expected}")
        for r in rows:
            if "__bad__" in r:
                problems.append(f"{name}:{r['__bad__']}: wrong number of fields")
        data[name] = [r for r in rows if "__bad__" not in r]
        for i, r in enumerate(data[name], start=2):
            if not r.get("source", "").strip():
                problems.append(f"{name}:{i}: empty source")

    partners = {p["partner_id"]: p for p in data["partners.csv"]}
    reqs = {r["requirement_id"]: r for r in data["requirements.csv"]}
    countries = {c["country"] for c in data["countries.csv"]}

    for name, key in (
        ("partners.csv", "partner_id"),
        ("requirements.csv", "requirement_id"),
        ("countries.csv", "country"),
    ):
        for v, n in Counter(r[key] for r in data[name]).items():
            if n > 1:
                problems.append(f"{name}: duplicate {key} {v!r}")
    for pid, p in partners.items():
        if not SLUG.match(pid):
            problems.append(f"partners.csv: partner_id {pid!r} is not a lowercase slug")
        for col in ("name", "country"):
            if not p[col].strip():
                problems.append(f"partners.csv: {pid}: empty {col}")
        if p["country"] not in countries:
            problems.append(
                f"partners.csv: {pid}: country {p['country']!r} has no countries.csv row"
            )
    for i, c in enumerate(data["capabilities.csv"], start=2):
        if c["partner_id"] not in partners:
            problems.append(f"capabilities.csv:{i}: unknown partner {c['partner_id']!r}")
        if not c["capability"].strip():
            problems.append(f"capabilities.csv:{i}: empty capability")
        if c["category"] and c["category"] not in CATEGORIES:
            problems.append(
                f"capabilities.csv:{i}: category {c['category']!r} not in the recommended list"
            )
    for i, c in enumerate(data["codevelopers.csv"], start=2):
        if c["partner_id"] not in partners:
            problems.append(f"codevelopers.csv:{i}: unknown partner {c['partner_id']!r}")
    for c in data["countries.csv"]:
        if c["posture"] not in POSTURES:
            problems.append(f"countries.csv: {c['country']}: posture {c['posture']!r}")
    for rid, r in reqs.items():
        if r["priority"] not in PRIORITIES:
            problems.append(f"requirements.csv: {rid}: priority {r['priority']!r}")
        if r["category"] and r["category"] not in CATEGORIES:
            problems.append(f"requirements.csv: {rid}: category {r['category']!r}")
        q = r["quantity"]
        if q and not re.fullmatch(r"\d+(\.\d+)?([eE]\d+)?", q):
            problems.append(f"requirements.csv: {rid}: quantity {q!r} is not a plain number")
        if not r["title"].strip():
            problems.append(f"requirements.csv: {rid}: empty title")

    # truth rows: references, roles against country, duplicates
    seen: set[tuple[str, str]] = set()
    truth_by_req: dict[str, list[dict[str, str]]] = defaultdict(list)
    for i, t in enumerate(data["truth.csv"], start=2):
        rid, pid, role = t["requirement_id"], t["partner_id"], t["role"]
        if rid not in reqs:
            problems.append(f"truth.csv:{i}: unknown requirement {rid!r}")
        if pid not in partners:
            problems.append(f"truth.csv:{i}: unknown partner {pid!r}")
            continue
        if role not in ROLES:
            problems.append(f"truth.csv:{i}: role {role!r}")
        taiwanese = partners[pid]["country"] == "Taiwan"
        if role == "local" and not taiwanese:
            problems.append(f"truth.csv:{i}: {pid} is local but not in Taiwan")
        if role == "foreign" and taiwanese:
            problems.append(f"truth.csv:{i}: {pid} is foreign but in Taiwan")
        if (rid, pid) in seen:
            problems.append(f"truth.csv:{i}: duplicate pair {rid},{pid}")
        seen.add((rid, pid))
        truth_by_req[rid].append(t)
    for rid in reqs:
        if rid not in truth_by_req:
            problems.append(f"requirements.csv: {rid} has no truth row")

    # blindness: no requirement names a truth partner or its products
    forbidden: dict[str, set[str]] = defaultdict(set)
    for p in PARTNERS:
        forbidden[p[0]].update(a for a in p[6] if a)
    for pid, p in partners.items():
        forbidden[pid].add(p["name"])
    for c in data["capabilities.csv"]:
        if c["system"]:
            forbidden[c["partner_id"]].add(c["system"])
    for c in data["codevelopers.csv"]:
        forbidden[c["partner_id"]].add(c["system"])
    for rid, rows in truth_by_req.items():
        text = reqs[rid]["title"] + "\n" + reqs[rid]["description"]
        for t in rows:
            for word in sorted(forbidden[t["partner_id"]]):
                if names_in(text, word):
                    problems.append(
                        f"requirements.csv: {rid} names {word!r} "
                        f"of its truth partner {t['partner_id']}"
                    )

    # minimum counts
    langs = Counter(language(r["title"] + " " + r["description"]) for r in reqs.values())
    empty_cat = sum(1 for r in reqs.values() if not r["category"])
    roles = Counter(t["role"] for t in data["truth.csv"])
    tw = sum(1 for p in partners.values() if p["country"] == "Taiwan")
    both = sum(1 for rows in truth_by_req.values() if {t["role"] for t in rows} == ROLES)
    counts = {
        "requirements": len(reqs),
        "requirements_zh": langs["zh"],
        "requirements_mixed": langs["mixed"],
        "partners": len(partners),
        "partners_taiwan": tw,
        "truth": len(data["truth.csv"]),
    }
    for key, minimum in MINIMUMS.items():
        if counts[key] < minimum:
            problems.append(f"count {key} = {counts[key]} < {minimum}")
    if empty_cat * 3 < len(reqs):
        problems.append(
            f"only {empty_cat} of {len(reqs)} requirements have an empty category (need a third)"
        )
    if not roles["foreign"] or not roles["local"]:
        problems.append("truth roles are not both represented")
    if both * 2 <= len(reqs):
        problems.append(
            f"only {both} of {len(reqs)} requirements have both a foreign and a local truth partner"
        )

    print(
        f"requirements {len(reqs)} (en {langs['en']}, zh {langs['zh']}, mixed {langs['mixed']}; "
        f"category empty {empty_cat}, set {len(reqs) - empty_cat}); "
        f"partners {len(partners)} (Taiwan {tw}, foreign {len(partners) - tw}); "
        f"capabilities {len(data['capabilities.csv'])}; truth {counts['truth']} "
        f"(foreign {roles['foreign']}, local {roles['local']}; "
        f"requirements with both sides {both}); "
        f"codevelopers {len(data['codevelopers.csv'])}; countries {len(countries)}"
    )
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
