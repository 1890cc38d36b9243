"""Validate the blind3 catalog CSVs and print counts.

Run:  python3 check_catalog.py      (exit 1 on any problem)
"""

from __future__ import annotations

import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CATEGORIES = {
    "uas", "loitering_munition", "counter_uas", "artillery_ammunition", "precision_artillery",
    "small_arms_ammunition", "mortar_ammunition", "anti_tank_missile", "air_defence_missile",
    "artillery_system", "rocket_artillery", "anti_ship_missile", "energetics", "sensors_electronics",
    "naval", "aircraft", "vehicles", "components",
}
HEADERS = {
    "partners.csv": ["partner_id", "name", "country", "kind", "description", "source"],
    "capabilities.csv": ["partner_id", "capability", "category", "system", "source"],
    "codevelopers.csv": ["system", "partner_id", "source"],
    "countries.csv": ["country", "posture", "note", "source"],
    "requirements.csv": ["requirement_id", "title", "description", "category", "quantity", "unit", "priority", "source"],
    "truth.csv": ["requirement_id", "partner_id", "role", "source"],
}
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
# words too generic to count as a leak of a partner's name
STOP = {"national", "general", "israel", "maritime", "aerospace", "industrial", "industries", "systems",
        "technology", "technologies", "taiwan", "corp", "corporation", "defence", "defense", "the",
        "intelligence", "research", "institute", "tactical", "aeronautical", "ordnance", "group",
        "information", "robotics", "intelligent", "aviation", "shipbuilding", "electronics", "mitsubishi"}

problems: list[str] = []


def _norm(text: str) -> str:
    """Lower-case; every run of non-alphanumeric characters becomes one space (so URL slugs match)."""
    return " " + re.sub(r"[^0-9a-z\u3400-\u9fff]+", " ", text.lower()).strip() + " "


def load(name: str) -> list[dict[str, str]]:
    path = os.path.join(HERE, name)
    raw = open(path, "rb").read()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"{name}: not UTF-8 ({e})")
    if b"\r" in raw:
        problems.append(f"{name}: contains CR; expected LF line endings")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if rows[0] != HEADERS[name]:
        problems.append(f"{name}: header {rows[0]} != {HEADERS[name]}")
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(rows[0]):
            problems.append(f"{name}:{i}: {len(r)} fields, expected {len(rows[0])}")
            continue
        d = dict(zip(rows[0], r))
        if not d["source"].strip():
            problems.append(f"{name}:{i}: empty source")
        out.append(d)
    return out


def main() -> int:
    partners = load("partners.csv")
    caps = load("capabilities.csv")
    codev = load("codevelopers.csv")
    countries = load("countries.csv")
    reqs = load("requirements.csv")
    truth = load("truth.csv")

    pid = {p["partner_id"]: p for p in partners}
    if len(pid) != len(partners):
        problems.append("duplicate partner_id")
    rid = {r["requirement_id"]: r for r in reqs}
    if len(rid) != len(reqs):
        problems.append("duplicate requirement_id")
    cset = {c["country"] for c in countries}
    for p in partners:
        if p["country"] not in cset:
            problems.append(f"partner {p['partner_id']}: country {p['country']!r} not in countries.csv")
        for f in ("partner_id", "name", "country"):
            if not p[f].strip():
                problems.append(f"partner {p['partner_id']}: empty {f}")
    for c in caps:
        if c["partner_id"] not in pid:
            problems.append(f"capability names unknown partner {c['partner_id']}")
        if c["category"] and c["category"] not in CATEGORIES:
            problems.append(f"capability category {c['category']!r} not in vocabulary")
        if not c["capability"].strip():
            problems.append("empty capability")
    for c in codev:
        if c["partner_id"] not in pid:
            problems.append(f"codeveloper names unknown partner {c['partner_id']}")
    for c in countries:
        if c["posture"] not in {"open", "case_by_case", "reluctant", "blocked"}:
            problems.append(f"country {c['country']}: bad posture")
    for r in reqs:
        if r["priority"] not in {"high", "medium", "low"}:
            problems.append(f"{r['requirement_id']}: bad priority")
        if r["category"] and r["category"] not in CATEGORIES:
            problems.append(f"{r['requirement_id']}: category {r['category']!r} not in vocabulary")
        if r["quantity"] and not re.fullmatch(r"\d+(\.\d+)?([eE]\d+)?", r["quantity"]):
            problems.append(f"{r['requirement_id']}: bad quantity {r['quantity']!r}")
        if not r["title"].strip():
            problems.append(f"{r['requirement_id']}: empty title")

    # truth integrity
    seen = set()
    for t in truth:
        key = (t["requirement_id"], t["partner_id"])
        if key in seen:
            problems.append(f"duplicate truth row {key}")
        seen.add(key)
        if t["requirement_id"] not in rid:
            problems.append(f"truth names unknown requirement {t['requirement_id']}")
        p = pid.get(t["partner_id"])
        if p is None:
            problems.append(f"truth names unknown partner {t['partner_id']}")
            continue
        if t["role"] not in {"foreign", "local"}:
            problems.append(f"truth {key}: bad role {t['role']!r}")
        if t["role"] == "local" and p["country"] != "Taiwan":
            problems.append(f"truth {key}: local partner not in Taiwan")
        if t["role"] == "foreign" and p["country"] == "Taiwan":
            problems.append(f"truth {key}: foreign partner is in Taiwan")

    # requirement text must not name a truth partner or its products
    systems: dict[str, set[str]] = {}
    for c in caps:
        if c["system"]:
            systems.setdefault(c["partner_id"], set()).add(c["system"])
    for t in truth:
        r = rid.get(t["requirement_id"])
        p = pid.get(t["partner_id"])
        if not r or not p:
            continue
        text = _norm(r["title"] + " " + r["description"] + " " + r["source"])
        aliases = set(systems.get(p["partner_id"], set()))
        m = re.match(r"^([\u3400-\u9fff]+)", p["name"])
        if m:
            aliases.add(m.group(1))
        for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]+", p["name"]):
            if len(w) >= 4 and w.lower() not in STOP:
                aliases.add(w)
        for a in aliases:
            if len(a) >= 2 and _norm(a) in text:
                problems.append(f"{r['requirement_id']} text names truth partner {p['partner_id']} ({a!r})")

    # counts
    tw_partners = sum(p["country"] == "Taiwan" for p in partners)
    zh_only = [r for r in reqs if not LATIN.search(r["title"] + r["description"]) and CJK.search(r["title"])]
    mixed = [r for r in reqs if LATIN.search(r["title"]) and CJK.search(r["title"])]
    empty_cat = [r for r in reqs if not r["category"]]
    roles: dict[str, set[str]] = {}
    for t in truth:
        roles.setdefault(t["requirement_id"], set()).add(t["role"])
    both = [k for k, v in roles.items() if v == {"foreign", "local"}]
    no_truth = [r["requirement_id"] for r in reqs if r["requirement_id"] not in roles]
    unverified = sum("unverified general knowledge" in row["source"]
                     for table in (partners, caps, codev, countries, reqs, truth) for row in table)
    zh_caps = sum(bool(CJK.search(c["capability"])) for c in caps)
    empty_cap_cat = sum(not c["category"] for c in caps)
    sys_only = sum(bool(c["system"]) and c["capability"].strip() == c["system"] for c in caps)

    print(f"partners            {len(partners)} ({tw_partners} Taiwan, {len(partners) - tw_partners} foreign)")
    print(f"capabilities        {len(caps)} ({zh_caps} with Chinese, {empty_cap_cat} empty category, {sys_only} bare system name)")
    print(f"codevelopers        {len(codev)}")
    print(f"countries           {len(countries)}")
    print(f"requirements        {len(reqs)} ({len(zh_only)} wholly Chinese, {len(mixed)} mixed-script titles, "
          f"{len(empty_cat)} empty category = {len(empty_cat) / len(reqs):.0%})")
    print(f"truth rows          {len(truth)} ({sum(t['role'] == 'foreign' for t in truth)} foreign, "
          f"{sum(t['role'] == 'local' for t in truth)} local)")
    print(f"reqs with both roles {len(both)} / {len(reqs)}; reqs with no truth: {no_truth}")
    print(f"rows citing 'unverified general knowledge': {unverified}")

    minimums = [
        (len(reqs) >= 35, "at least 35 requirements"),
        (len(zh_only) >= 10, "at least 10 wholly Chinese requirements"),
        (len(empty_cat) * 3 >= len(reqs), "at least a third with empty category"),
        (len(partners) >= 80, "at least 80 partners"),
        (tw_partners >= 25, "at least 25 Taiwanese partners"),
        (len(truth) >= 100, "at least 100 truth rows"),
        (len(both) * 2 > len(reqs), "most requirements have both roles"),
        (not no_truth, "every requirement has a truth row"),
    ]
    for ok, what in minimums:
        if not ok:
            problems.append("minimum not met: " + what)

    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        return 1
    print("\nOK: no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
