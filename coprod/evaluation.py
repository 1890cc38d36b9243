"""Ranking quality against ground truth: recall@k and MRR, coprod vs a plain baseline.

A truth file lists, per requirement, the partners that really make the item
(columns requirement_id, partner_id, optional role = foreign | local; the
role defaults to the partner's side: Taiwanese partners are local). Each
method turns a requirement into two ranked lists of distinct partner ids,
foreign and local, and is scored on each list separately:

- recall@k: the share of a requirement's true partners found in the first k
  of its list, averaged over requirements (each requirement counts once);
- capped recall@5: the true partners found among the first 5, divided by
  min(number of true partners, 5), averaged (a requirement with 8 makers can
  still score 1 when its first five are all right);
- MRR: the mean over requirements of 1 / position of the first true partner
  (0 when none is listed).

Every figure is also given per language of the requirement (Chinese when its
title or description holds CJK characters, else English) and per category.

coprod's lists are its pairings read in score order, each partner counted
where it first appears (foreign side, local co-producer or local-only
candidate); see partners_from_pairings for why score order. The
baselines are the strongest plain rankers one would write without coprod,
both on the raw text with no synonyms, knowledge, categories or feasibility,
a partner ranked by its best line:

- `token_set`: rapidfuzz token_set_ratio (with its default processor:
  lowercase, punctuation dropped) between the requirement title and each
  capability line;
- `bm25`: Okapi BM25 (k1 1.2, b 0.75) of the requirement's title and
  description against each capability line with its system and its
  partner's description; words are lowercased, plurals folded, and runs of
  Chinese characters split into overlapping character pairs so Chinese text
  meets Chinese text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coprod.errors import CatalogValidationError, DataError, Problem
from coprod.knowledge import CJK_CLASS, has_cjk
from coprod.model import Catalog, Pairing, Requirement
from coprod.suggest import did_you_mean

ROLES: tuple[str, ...] = ("foreign", "local")
K_VALUES: tuple[int, ...] = (1, 5, 10)
CAPPED_K = 5
BASELINES: tuple[str, ...] = ("token_set", "bm25")
LANGUAGES: tuple[str, ...] = ("en", "zh")
REQUIRED_COLUMNS: tuple[str, ...] = ("requirement_id", "partner_id")
OPTIONAL_COLUMNS: tuple[str, ...] = ("role",)
NO_CATEGORY = "(none)"

# Deep enough that recall@10 sees ten distinct partners even with several
# pairings per partner; the shipped catalog has far fewer candidates.
EVAL_DEPTH = 500


class TruthFileError(CatalogValidationError):
    """The truth file has problems; each names file:line."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        errors = sum(1 for p in problems if p.severity == "error")
        self.args = (f"{errors} error(s) in truth file",)


@dataclass(frozen=True)
class Truth:
    """For each (requirement_id, role), the partner ids that really make the item."""

    path: str
    relevant: dict[tuple[str, str], frozenset[str]]

    def requirement_ids(self, role: str) -> list[str]:
        return [req for (req, r) in self.relevant if r == role]


def read_truth(path: Path, catalog: Catalog) -> Truth:
    """Parse and check a truth CSV against the catalog; every problem is reported at once."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataError(f"cannot read truth file {shown}: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise TruthFileError(
            [Problem(shown, line, None, "not UTF-8 text (undecodable bytes)")]
        ) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise TruthFileError([Problem(shown, 1, None, f"bad CSV: {error}")]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise TruthFileError([Problem(shown, 1, None, "empty file: expected a header row")])
    columns = [cell.strip().casefold() for cell in header]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    for missing in REQUIRED_COLUMNS:
        if missing not in columns:
            unknown = [c for c in columns if c not in known]
            hint = ""
            for candidate in unknown:
                if did_you_mean(candidate, [missing]):
                    hint = f" ('{candidate}' looks like a misspelling of it)"
                    break
            problems.append(Problem(shown, 1, None, f"missing column '{missing}'{hint}"))
    if problems:
        raise TruthFileError(problems)
    at = {name: columns.index(name) for name in known if name in columns}

    relevant: dict[tuple[str, str], set[str]] = defaultdict(set)
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cells = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
            problem = _check_truth_row(cells, catalog)
            if problem:
                problems.append(Problem(shown, line, None, problem))
                continue
            partner = catalog.partners[cells["partner_id"]]
            role = cells.get("role", "").casefold() or ("local" if partner.is_local else "foreign")
            relevant[(cells["requirement_id"], role)].add(partner.partner_id)
    except csv.Error as error:
        problems.append(Problem(shown, reader.line_num, None, f"bad CSV: {error}"))
    if problems:
        raise TruthFileError(problems)
    if not relevant:
        raise TruthFileError([Problem(shown, None, None, "no truth rows after the header")])
    return Truth(shown, {key: frozenset(ids) for key, ids in relevant.items()})


def _check_truth_row(cells: Mapping[str, str], catalog: Catalog) -> str | None:
    requirement_id = cells["requirement_id"]
    partner_id = cells["partner_id"]
    if not requirement_id:
        return "empty requirement_id"
    if not partner_id:
        return "empty partner_id"
    if requirement_id not in catalog.requirements:
        hint = did_you_mean(requirement_id, catalog.requirements)
        return f"unknown requirement_id {requirement_id!r}{hint}"
    partner = catalog.partners.get(partner_id)
    if partner is None:
        return f"unknown partner_id {partner_id!r}{did_you_mean(partner_id, catalog.partners)}"
    role = cells.get("role", "").casefold()
    if role and role not in ROLES:
        return f"role must be foreign or local, not {cells['role']!r}"
    if role == "local" and not partner.is_local:
        return f"role local but {partner_id!r} is in {partner.country}, not Taiwan"
    if role == "foreign" and partner.is_local:
        return f"role foreign but {partner_id!r} is Taiwanese"
    return None


# ------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Metrics:
    """Averages over `queries` requirements; None when there were none."""

    queries: int
    recall: dict[int, float | None]  # k -> recall@k
    mrr: float | None
    capped_recall: float | None = None  # capped recall@CAPPED_K

    def as_dict(self) -> dict[str, object]:
        figures: dict[str, object] = {"queries": self.queries}
        figures.update({f"recall@{k}": _round(v) for k, v in self.recall.items()})
        figures[f"capped_recall@{CAPPED_K}"] = _round(self.capped_recall)
        figures["mrr"] = _round(self.mrr)
        return figures


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_rankings(
    rankings: Mapping[str, Sequence[str]],
    relevant: Mapping[str, Iterable[str]],
    ks: Sequence[int] = K_VALUES,
) -> Metrics:
    """recall@k and MRR of ranked id lists against the relevant ids, per query then averaged.

    Only queries present in `relevant` count; a query missing from `rankings`
    ranked nothing (recall 0, reciprocal rank 0).
    """
    recall_sums = dict.fromkeys(ks, 0.0)
    reciprocal_sum = 0.0
    capped_sum = 0.0
    queries = 0
    for query, wanted_ids in relevant.items():
        wanted = set(wanted_ids)
        if not wanted:
            continue
        queries += 1
        ranked = _distinct(rankings.get(query, ()))
        for k in ks:
            recall_sums[k] += len(wanted.intersection(ranked[:k])) / len(wanted)
        capped_sum += len(wanted.intersection(ranked[:CAPPED_K])) / min(len(wanted), CAPPED_K)
        first_hit = next((i for i, pid in enumerate(ranked, start=1) if pid in wanted), None)
        reciprocal_sum += 1.0 / first_hit if first_hit else 0.0
    if not queries:
        return Metrics(0, dict.fromkeys(ks), None)
    return Metrics(
        queries,
        {k: total / queries for k, total in recall_sums.items()},
        reciprocal_sum / queries,
        capped_sum / queries,
    )


def _distinct(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# ---------------------------------------------------------- ranked partners

RoleRankings = dict[str, dict[str, list[str]]]  # role -> requirement_id -> partner ids


def partners_from_pairings(pairings: Sequence[Pairing]) -> dict[str, list[str]]:
    """Distinct foreign and local partner ids, best score first, each where it first appears.

    Score order, not display order: the display puts every blocked pairing after
    the feasible ones, which is a policy about what can be bought, while the
    truth file says who makes the item. (The feasibility gate still counts: it
    is part of the score.) Ties keep the ranker's order.
    """
    foreign: list[str] = []
    local: list[str] = []
    for pairing in sorted(pairings, key=lambda p: -p.score):
        if pairing.foreign is not None:
            foreign.append(pairing.foreign.partner_id)
        if pairing.local is not None:
            local.append(pairing.local.partner_id)
    return {"foreign": _distinct(foreign), "local": _distinct(local)}


def coprod_rankings(
    catalog: Catalog,
    requirement_ids: Sequence[str],
    *,
    cache_path: Path | None = None,
    workers: int = 1,
) -> RoleRankings:
    """coprod's partners per role and requirement; `cache_path` (the catalog's file)
    lets the Ranker reuse or write its persisted index (see coprod.indexcache);
    `workers` > 1 ranks in that many processes (coprod.batch; same results)."""
    from coprod.batch import rank_many
    from coprod.ranking import Ranker, RankOptions

    ranker = Ranker(catalog, cache_path=cache_path)
    requirements = [catalog.requirements[req] for req in requirement_ids]
    results = rank_many(ranker, requirements, RankOptions(top=EVAL_DEPTH), workers=workers)
    rankings: RoleRankings = {role: {} for role in ROLES}
    for requirement_id in requirement_ids:
        by_role = partners_from_pairings(results.get(requirement_id, []))
        for role in ROLES:
            rankings[role][requirement_id] = by_role[role]
    return rankings


def baseline_rankings(
    catalog: Catalog, requirement_ids: Sequence[str], method: str = "token_set"
) -> RoleRankings:
    """A plain baseline's partners per role and requirement (see the module docstring)."""
    import numpy as np

    capabilities = catalog.capabilities
    if not requirement_ids or not len(capabilities):
        return {role: dict.fromkeys(requirement_ids, []) for role in ROLES}
    if method == "token_set":
        scores = _token_set_scores(catalog, requirement_ids)
    elif method == "bm25":
        scores = _bm25_scores(catalog, requirement_ids)
    else:
        raise ValueError(f"unknown baseline {method!r}")
    partner_ids = list(catalog.partners)
    column_of = {pid: i for i, pid in enumerate(partner_ids)}
    line_partner = np.array([column_of[c.partner_id] for c in capabilities])
    best = np.full((len(requirement_ids), len(partner_ids)), -1.0)
    np.maximum.at(best, (slice(None), line_partner), scores)
    local_mask = np.array([catalog.partners[pid].is_local for pid in partner_ids])
    rankings: RoleRankings = {role: {} for role in ROLES}
    for row, requirement_id in enumerate(requirement_ids):
        # Stable sort: ties keep catalog order. Partners without a line never rank.
        order = np.argsort(-best[row], kind="stable")
        for role, wanted_local in (("foreign", False), ("local", True)):
            rankings[role][requirement_id] = [
                partner_ids[i] for i in order if best[row, i] >= 0 and local_mask[i] == wanted_local
            ]
    return rankings


def _token_set_scores(catalog: Catalog, requirement_ids: Sequence[str]):
    from rapidfuzz import fuzz, process, utils

    titles = [catalog.requirements[req].title for req in requirement_ids]
    lines = [capability.capability for capability in catalog.capabilities]
    return process.cdist(
        titles, lines, scorer=fuzz.token_set_ratio, processor=utils.default_process, workers=-1
    )


_WORDS = re.compile(r"[^\W_]+")


def bm25_tokens(text: str) -> list[str]:
    """Lowercased words, English plurals folded, Chinese runs as character pairs."""
    out: list[str] = []
    for word in _WORDS.findall(unicodedata.normalize("NFKC", text).casefold()):
        if has_cjk(word):
            for run in re.findall(f"[{CJK_CLASS}]+|[^{CJK_CLASS}]+", word):
                if has_cjk(run):
                    out.extend(
                        [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                    )
                else:
                    out.append(run)
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            out.append(word[:-1])
        else:
            out.append(word)
    return out


def _bm25_scores(catalog: Catalog, requirement_ids: Sequence[str], k1=1.2, b=0.75):
    import numpy as np

    documents = []
    for capability in catalog.capabilities:
        partner = catalog.partners.get(capability.partner_id)
        description = partner.description if partner is not None else ""
        documents.append(bm25_tokens(f"{capability.capability} {capability.system} {description}"))
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    for row, words in enumerate(documents):
        for word in words:
            postings[word][row] = postings[word].get(row, 0) + 1
    n_docs = len(documents)
    lengths = np.array([len(words) for words in documents], dtype=np.float64)
    norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1.0))
    scores = np.zeros((len(requirement_ids), n_docs))
    for i, requirement_id in enumerate(requirement_ids):
        requirement = catalog.requirements[requirement_id]
        for word in set(bm25_tokens(f"{requirement.title} {requirement.description}")):
            found = postings.get(word)
            if not found:
                continue
            docs = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
            tf = np.fromiter(found.values(), dtype=np.float64, count=len(found))
            idf = np.log(1 + (n_docs - len(found) + 0.5) / (len(found) + 0.5))
            scores[i, docs] += idf * tf * (k1 + 1) / (tf + norm[docs])
    return scores


def requirement_language(requirement: Requirement) -> str:
    """'zh' when the requirement is written (partly) in Chinese, else 'en'."""
    return "zh" if has_cjk(f"{requirement.title} {requirement.description}") else "en"


# ------------------------------------------------------------------- reports


@dataclass(frozen=True)
class RoleReport:
    overall: Metrics
    by_category: dict[str, Metrics] = field(default_factory=dict)
    by_language: dict[str, Metrics] = field(default_factory=dict)
    # requirement_id -> true partner id -> its 1-based position in the list (None: absent)
    positions: dict[str, dict[str, int | None]] = field(default_factory=dict)

    def misses(self, k: int) -> list[tuple[str, str, int | None]]:
        """(requirement_id, partner_id, position) of every true partner not in the first k."""
        return [
            (requirement_id, partner_id, position)
            for requirement_id, found in self.positions.items()
            for partner_id, position in sorted(found.items())
            if position is None or position > k
        ]


def truth_positions(
    rankings: Mapping[str, Sequence[str]], relevant: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, int | None]]:
    positions: dict[str, dict[str, int | None]] = {}
    for requirement_id, wanted in relevant.items():
        ranked = _distinct(rankings.get(requirement_id, ()))
        where = {partner_id: i for i, partner_id in enumerate(ranked, start=1)}
        positions[requirement_id] = {pid: where.get(pid) for pid in sorted(wanted)}
    return positions


@dataclass(frozen=True)
class MethodReport:
    method: str  # "coprod" or one of BASELINES
    roles: dict[str, RoleReport]


@dataclass(frozen=True)
class EvalReport:
    truth_path: str
    methods: list[MethodReport]

    def as_dict(self) -> dict[str, object]:
        return {
            "truth": self.truth_path,
            "k": list(K_VALUES),
            "methods": {
                method.method: {
                    role: {
                        "overall": report.overall.as_dict(),
                        "by_language": {
                            language: metrics.as_dict()
                            for language, metrics in report.by_language.items()
                        },
                        "by_category": {
                            category: metrics.as_dict()
                            for category, metrics in report.by_category.items()
                        },
                        "positions": report.positions,
                    }
                    for role, report in method.roles.items()
                }
                for method in self.methods
            },
        }


def method_report(
    method: str, rankings: RoleRankings, truth: Truth, catalog: Catalog
) -> MethodReport:
    roles: dict[str, RoleReport] = {}
    for role in ROLES:
        relevant = {req: truth.relevant[(req, role)] for req in truth.requirement_ids(role)}
        by_category: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
        by_language: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
        for requirement_id, ids in relevant.items():
            requirement = catalog.requirements[requirement_id]
            by_category[requirement.category or NO_CATEGORY][requirement_id] = ids
            by_language[requirement_language(requirement)][requirement_id] = ids
        roles[role] = RoleReport(
            overall=score_rankings(rankings[role], relevant),
            by_category={
                category: score_rankings(rankings[role], subset)
                for category, subset in sorted(by_category.items())
            },
            by_language={
                language: score_rankings(rankings[role], by_language[language])
                for language in LANGUAGES
                if language in by_language
            },
            positions=truth_positions(rankings[role], relevant),
        )
    return MethodReport(method, roles)


def evaluate(
    catalog: Catalog,
    truth: Truth,
    *,
    baseline: bool = False,
    cache_path: Path | None = None,
    workers: int = 1,
) -> EvalReport:
    """Score coprod (and, when asked, the plain baselines) on the same truth, in one run.

    `cache_path`: the catalog's DuckDB file, to reuse its persisted matching index.
    """
    requirement_ids = _distinct(req for (req, _role) in truth.relevant)
    rankings = coprod_rankings(catalog, requirement_ids, cache_path=cache_path, workers=workers)
    methods = [method_report("coprod", rankings, truth, catalog)]
    if baseline:
        for name in BASELINES:
            plain = baseline_rankings(catalog, requirement_ids, name)
            methods.append(method_report(name, plain, truth, catalog))
    return EvalReport(truth.path, methods)
