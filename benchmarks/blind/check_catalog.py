"""Sanity checks for the blind catalog: parse, unique ids, references, sources."""
import csv, os, re, sys
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
def rows(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        r = list(csv.reader(f))
    head, body = r[0], r[1:]
    for i, row in enumerate(body, 2):
        assert len(row) == len(head), (name, i, len(row))
    return [dict(zip(head, x)) for x in body]
err = []
P = rows("partners.csv"); C = rows("capabilities.csv"); D = rows("codevelopers.csv")
K = rows("countries.csv"); R = rows("requirements.csv"); T = rows("truth.csv")
ids = [p["partner_id"] for p in P]
dup = [k for k, v in Counter(ids).items() if v > 1]
if dup: err.append(f"duplicate partner ids {dup}")
for i in ids:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i): err.append(f"bad slug {i}")
rid = [r["requirement_id"] for r in R]
if len(set(rid)) != len(rid): err.append("duplicate requirement ids")
kc = [k["country"] for k in K]
if len(set(kc)) != len(kc): err.append("duplicate countries")
S = set(ids)
for name, tab in [("capabilities", C), ("codevelopers", D), ("truth", T)]:
    for x in tab:
        if x["partner_id"] not in S: err.append(f"{name}: unknown partner {x['partner_id']}")
for t in T:
    if t["requirement_id"] not in rid: err.append(f"truth: unknown requirement {t['requirement_id']}")
    if t["role"] not in ("foreign", "local"): err.append(f"truth: bad role {t}")
country = {p["partner_id"]: p["country"] for p in P}
for t in T:
    if (t["role"] == "local") != (country[t["partner_id"]] == "Taiwan"):
        err.append(f"truth role/country mismatch {t['requirement_id']} {t['partner_id']}")
for p in P:
    if p["country"] not in kc: err.append(f"country missing in countries.csv: {p['country']}")
for k in K:
    if k["posture"] not in ("open", "case_by_case", "reluctant", "blocked"): err.append(f"bad posture {k}")
for r in R:
    if r["priority"] not in ("high", "medium", "low"): err.append(f"bad priority {r['requirement_id']}")
    if r["quantity"] and not re.fullmatch(r"\d+(\.\d+)?", r["quantity"]): err.append(f"bad qty {r['requirement_id']}")
for name, tab in [("partners", P), ("capabilities", C), ("codevelopers", D), ("countries", K), ("requirements", R), ("truth", T)]:
    for i, x in enumerate(tab, 2):
        if not x.get("source", "").strip(): err.append(f"{name}:{i} empty source")
        for k, v in x.items():
            if k in ("partner_id", "name", "capability", "title", "system", "country", "posture", "priority", "role", "requirement_id") and k in x and x[k] != x[k].strip():
                err.append(f"{name}:{i} whitespace in {k}")
for r in rid:
    roles = {t["role"] for t in T if t["requirement_id"] == r}
    if "foreign" not in roles: err.append(f"{r}: no foreign truth")
    if "local" not in roles: print(f"note: {r} has no local truth partner")
cjk = lambda s: bool(re.search(r"[\u4e00-\u9fff]", s))
ascii_letters = lambda s: bool(re.search(r"[A-Za-z]{3,}", s))
zh_only = [r["requirement_id"] for r in R if cjk(r["title"]) and cjk(r["description"]) and not re.search(r"[A-Za-z]{4,}", r["title"])]
mixed = [r["requirement_id"] for r in R if cjk(r["title"] + r["description"]) and r["requirement_id"] not in zh_only]
nocat = [r["requirement_id"] for r in R if not r["category"]]
tw = sum(1 for p in P if p["country"] == "Taiwan")
print(f"partners {len(P)} (Taiwan {tw}, foreign {len(P)-tw}); capabilities {len(C)}; codevelopers {len(D)}; countries {len(K)}; requirements {len(R)}; truth {len(T)}")
print(f"chinese-only requirements {len(zh_only)} {zh_only}")
print(f"mixed-language requirements {len(mixed)} {mixed}")
print(f"no-category requirements {len(nocat)} {nocat}")
print(f"capabilities: empty category {sum(1 for c in C if not c['category'])}, with system {sum(1 for c in C if c['system'])}, chinese {sum(1 for c in C if cjk(c['capability']))}")
print(f"sources marked unverified: " + str(sum(1 for tab in (P,C,D,K,R,T) for x in tab if 'unverified general knowledge' in x['source'])))
if err:
    print("ERRORS:"); [print(" ", e) for e in err]; sys.exit(1)
print("OK")
