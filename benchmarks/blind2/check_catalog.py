#!/usr/bin/env python3
"""Check the blind2 catalog: parse, unique ids, references, truth roles vs country,
postures/priorities, non-empty sources; print counts."""
import csv, os, re, sys
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
errors = []
def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        head = next(r)
        rows = []
        for i, row in enumerate(r, start=2):
            if len(row) != len(head):
                errors.append(f"{name}:{i}: {len(row)} fields, expected {len(head)}")
                continue
            rows.append(dict(zip(head, row)))
    for i, row in enumerate(rows, start=2):
        if not row.get("source", "").strip():
            errors.append(f"{name}:{i}: empty source")
        for piece in row.get("source", "").split("; "):
            if piece != "unverified general knowledge" and not re.match(r"^.+ (\d{4}-\d{2}-\d{2}|n\.d\.) \(.+\), https?://\S+$", piece):
                errors.append(f"{name}:{i}: source not in 'Publisher YYYY-MM-DD (what), URL' form: {piece[:80]}")
    return rows

P = load("partners.csv"); C = load("capabilities.csv"); D = load("codevelopers.csv")
K = load("countries.csv"); R = load("requirements.csv"); T = load("truth.csv")

def uniq(rows, key, name):
    c = Counter(r[key] for r in rows)
    for k, n in c.items():
        if n > 1: errors.append(f"{name}: duplicate {key} {k}")
uniq(P, "partner_id", "partners.csv"); uniq(K, "country", "countries.csv"); uniq(R, "requirement_id", "requirements.csv")
pid = {r["partner_id"]: r for r in P}
countries = {r["country"] for r in K}
for r in P:
    if r["country"] not in countries: errors.append(f"partners.csv: {r['partner_id']} country {r['country']} not in countries.csv")
    for k in ("partner_id", "name", "country"):
        if not r[k].strip(): errors.append(f"partners.csv: empty {k}")
for name, rows in (("capabilities.csv", C), ("codevelopers.csv", D), ("truth.csv", T)):
    for r in rows:
        if r["partner_id"] not in pid: errors.append(f"{name}: unknown partner {r['partner_id']}")
for r in C:
    if not r["capability"].strip(): errors.append("capabilities.csv: empty capability")
syscap = {r["system"].lower() for r in C if r["system"]}
for r in D:
    if r["system"].lower() not in syscap: errors.append(f"codevelopers.csv: system {r['system']} not named in capabilities")
for r in K:
    if r["posture"] not in ("open", "case_by_case", "reluctant", "blocked"): errors.append(f"countries.csv: bad posture {r['posture']}")
for r in R:
    if r["priority"] not in ("high", "medium", "low"): errors.append(f"requirements.csv: bad priority {r['priority']}")
    q = r["quantity"].strip()
    if q and not re.fullmatch(r"\d+(\.\d+)?(e\d+)?", q): errors.append(f"requirements.csv: bad quantity {q}")
rid = {r["requirement_id"] for r in R}
seen = Counter()
for r in T:
    if r["requirement_id"] not in rid: errors.append(f"truth.csv: unknown requirement {r['requirement_id']}")
    if r["role"] not in ("foreign", "local"): errors.append(f"truth.csv: bad role {r['role']}")
    p = pid.get(r["partner_id"])
    if p:
        tw = p["country"] == "Taiwan"
        if r["role"] == "local" and not tw: errors.append(f"truth.csv: local partner {r['partner_id']} not Taiwanese")
        if r["role"] == "foreign" and tw: errors.append(f"truth.csv: foreign partner {r['partner_id']} is Taiwanese")
    seen[(r["requirement_id"], r["partner_id"])] += 1
for k, n in seen.items():
    if n > 1: errors.append(f"truth.csv: duplicate row {k}")
for q in rid:
    if not any(t["requirement_id"] == q and t["role"] == "foreign" for t in T): errors.append(f"truth.csv: {q} has no foreign row")
# truth partners should describe something (at least one capability line)
capp = {r["partner_id"] for r in C}
for r in T:
    if r["partner_id"] not in capp: errors.append(f"truth.csv: {r['partner_id']} has no capability line")

zh = lambda s: any("\u4e00" <= ch <= "\u9fff" for ch in s)
ascii_letters = lambda s: re.search(r"[A-Za-z]{3,}", s) is not None
zh_req = [r for r in R if zh(r["title"]) and not ascii_letters(r["title"] + r["description"])]
mix_req = [r for r in R if zh(r["title"]) and ascii_letters(r["title"])]
local_req = {t["requirement_id"] for t in T if t["role"] == "local"}
print(f"partners={len(P)} (Taiwan {sum(p['country']=='Taiwan' for p in P)}, foreign {sum(p['country']!='Taiwan' for p in P)})")
print(f"capabilities={len(C)} (Chinese {sum(zh(r['capability']) for r in C)}, empty category {sum(not r['category'] for r in C)}, unverified-only {sum(r['source']=='unverified general knowledge' for r in C)})")
print(f"codevelopers={len(D)} countries={len(K)} postures={dict(Counter(r['posture'] for r in K))}")
print(f"requirements={len(R)} (wholly Chinese {len(zh_req)}, mixed {len(mix_req)}, empty category {sum(not r['category'] for r in R)}, with local truth {len(local_req & rid)})")
print(f"truth={len(T)} (foreign {sum(t['role']=='foreign' for t in T)}, local {sum(t['role']=='local' for t in T)})")
print(f"categories={dict(Counter(r['category'] or '(empty)' for r in R))}")
unv = sum("unverified general knowledge" in r["source"] for rows in (P, C, D, K, R, T) for r in rows)
print(f"rows citing 'unverified general knowledge' (alone or with a page): {unv}")
if errors:
    print(f"{len(errors)} ERRORS:"); [print("  " + e) for e in errors[:80]]; sys.exit(1)
print("OK")
