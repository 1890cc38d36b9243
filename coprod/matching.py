"""The capability index and the fit scorer: which capability lines meet a requirement.

Build once per catalog (`CapabilityIndex(catalog, table)`), then ask for the
fit of every plausible capability line for a requirement. Nothing here loops
over (requirement, capability) pairs in Python:

1. **Index build** (coprod.indexbuild). Every capability line (plus its named system, when the
   line does not already name it) is normalised once (`coprod.text`) and
   identical normalised strings are deduplicated into *texts*. Tokens get
   ids and IDF weights (`idf = ln(1 + n_texts / df)`, a fifth of that for
   filler words such as "systems" or "production"), and two CSR arrays are
   built with argsort: text -> token ids and token -> text ids (the inverted
   index).
2. **Candidates** (`candidates`). The requirement's tokens are weighted
   (title 1.0, description-only 0.35) times IDF (a word the catalog never
   uses counts at half the highest IDF). Their posting lists are summed with
   one `np.bincount` (rarest first, up to a generous `posting_budget`) into
   a cheap upper bound of what the fit is sure to give each text without
   rapidfuzz; the `POOL_FACTOR` x `candidate_limit` best bounds are then
   scored exactly so (`score` with the fuzzy part left out: IDF coverage,
   concepts, calibre, category, named system of the text's best line), and
   the `candidate_limit` best, shorter texts first on ties (fewer unrelated
   characters, as token_sort_ratio would), go on to scoring.
   How much of the exhaustive top 10 they keep is bench_scale's
   `top10_recall_vs_exhaustive` (benchmarks/README.md).
3. **Fit** (`score`). On the candidate texts, vectorised: rapidfuzz
   `process.cpdist` with `token_set_ratio` and `ratio` on pre-sorted tokens
   (= `token_sort_ratio`) over the normalised strings without filler words,
   the exact IDF coverage of the requirement's tokens, calibre and
   designation features from the gathered token ids; then per capability
   row the category agreement and the named-system match.

Fit of one capability line, 0..100, is a sum of named components:

    weight     = {text_fit: 35, idf_coverage: 35, category: 10, system: 10, calibre: 10}
    applicable = text_fit, idf_coverage always; category when the requirement
                 has one; system when it names a catalog system or a
                 designation (M982, FGM-148); calibre when it names one
    points     = weight * scale, scale = 100 / sum(applicable weights)
    text_fit     = points * (0.7 * token_set_ratio + 0.3 * token_sort_ratio) / 100
    idf_coverage = points * (0.8 * share of the title's IDF weight found in the line
                             + 0.2 * share of the description-only words' IDF weight)
    category     = points * (1 same | 0.5 related | 0.4 capability has none | 0 other)
    system       = points * (1 if the line's system or designation is named, else 0)
    calibre      = points * (1 same calibre | 0 line names none | -1 other calibre only),
                   floored so the fit never drops below 0

token_set_ratio alone scores a long generic line 100 whenever it contains
all of the requirement's words ("artillery" vs "artillery anything"); the
token_sort_ratio share and the IDF coverage break those ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from coprod.indexbuild import IndexData, members
from coprod.indexcache import SavedIndex
from coprod.knowledge import (
    ACCESSORY_PREFIX,
    ANCESTOR_PREFIX,
    CONCEPT_PREFIX,
    QUALIFIER,
    SYSTEM_PREFIX,
    Knowledge,
    KnownSystem,
    has_cjk,
)
from coprod.model import Catalog
from coprod.queries import Query, QueryReading
from coprod.reasons import A_KIND_OF_IT, ARE_ONE, IS_ONE, NAMED_IN_THE_LINE
from coprod.text import (
    SynonymTable,
)

COMPONENTS: tuple[str, ...] = (
    "text_fit",
    "idf_coverage",
    "concept",
    "category",
    "system",
    "calibre",
)
WEIGHTS: dict[str, float] = {
    "text_fit": 35.0,
    "idf_coverage": 35.0,
    "concept": 35.0,
    "category": 10.0,
    "system": 10.0,
    "calibre": 10.0,
}
TOKEN_SET_SHARE = 0.7
DESCRIPTION_SHARE = 0.2  # of idf_coverage earned by description-only tokens
UNKNOWN_CATEGORY_CREDIT = 0.4
RELATED_CATEGORY_CREDIT = 0.5

# Categories close enough that a line in one half-meets a requirement in the other.
RELATED_CATEGORIES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("uas", "loitering_munition"),
        ("counter_uas", "air_defence_missile"),
        ("counter_uas", "sensors_electronics"),
        ("artillery_ammunition", "precision_artillery"),
        ("artillery_ammunition", "mortar_ammunition"),
        ("artillery_ammunition", "energetics"),
        ("artillery_ammunition", "components"),
        ("precision_artillery", "components"),
        ("precision_artillery", "rocket_artillery"),
        ("small_arms_ammunition", "energetics"),
        ("mortar_ammunition", "energetics"),
        ("artillery_system", "rocket_artillery"),
        ("anti_ship_missile", "rocket_artillery"),
        ("anti_tank_missile", "air_defence_missile"),
        ("energetics", "components"),
    )
)

DEFAULT_CANDIDATE_LIMIT = 400
# Texts scored exactly (without rapidfuzz) per text kept: see `candidates`.
POOL_FACTOR = 4
MAX_CACHED_CATEGORIES = 64
PARALLEL_PAIRS = 20_000
DEFAULT_POSTING_BUDGET = 2_000_000
# Equal overlaps go to the shorter line (token_sort_ratio prefers it too).
TIE_BREAK = 1e-7


# token_features' result: per text id asked, in that order, one value a name.
Features = dict[str, np.ndarray]


@dataclass
class Fits:
    """Fit of every candidate capability row for one requirement (parallel arrays)."""

    query: Query
    capability_ids: np.ndarray  # int32 rows of catalog.capabilities
    text_ids: np.ndarray  # int32
    fit: np.ndarray  # float64 0..100
    components: dict[str, np.ndarray]  # name -> float64 points, summing to fit


class CapabilityIndex(QueryReading, IndexData):
    """Normalised, deduplicated capability texts with an IDF-weighted inverted index.

    Its arrays are `IndexData`'s (coprod.indexbuild). `candidates()`, `score_texts()`
    and `score()` are the steps a benchmark may time or check separately.

    `state()` gives everything built from the catalog as arrays and string lists;
    `from_state()` makes an index from them without the build (coprod.indexcache
    saves them beside the catalog). A restored index ranks exactly as the built one.
    """

    def __init__(
        self,
        catalog: Catalog,
        table: SynonymTable,
        *,
        candidate_limit: int = DEFAULT_CANDIDATE_LIMIT,
        posting_budget: int = DEFAULT_POSTING_BUDGET,
    ) -> None:
        self._configure(table, candidate_limit, posting_budget)
        self._build(catalog)
        self._derive()

    @classmethod
    def from_state(
        cls,
        state: SavedIndex,
        table: SynonymTable,
        row_count: int,
        *,
        candidate_limit: int = DEFAULT_CANDIDATE_LIMIT,
        posting_budget: int = DEFAULT_POSTING_BUDGET,
    ) -> CapabilityIndex:
        """An index from the arrays `state()` gave (e.g. read back from a sidecar file).

        `table` must be the synonym table the state was built with and `row_count`
        the catalog's number of capability lines. Raises ValueError when the state
        is not a consistent index for that many lines; ranks exactly as the index
        that was saved.
        """
        index = cls.__new__(cls)
        index._configure(table, candidate_limit, posting_budget)
        index._restore(state, row_count)
        index._derive()
        return index

    def _configure(self, table: SynonymTable, candidate_limit: int, posting_budget: int) -> None:
        self.table = table
        self.candidate_limit = candidate_limit
        self.posting_budget = posting_budget

    def _derive(self) -> None:
        """Cheap state computed from the rest, whether built or restored."""
        self._tie_break = TIE_BREAK * self.doc_chars
        self._best_category_points: dict[str, np.ndarray] = {}
        self._credit_of_category: dict[str, np.ndarray] = {}
        self._pair_starts: tuple[np.ndarray | None] | None = None
        self._texts_of_system: dict[int, np.ndarray] = {}
        # plain word -> its qualified forms in the catalog ("chain" -> ["chain@autocannon"])
        self._qualified_by_plain: dict[str, list[str]] = {}
        # matched_tokens' per-query part, for the last query asked (a ranking asks it
        # for each shown line of one requirement in turn): (query, its token ids, per
        # query word the ids of its qualified forms)
        self._matched_memo: tuple[Query, set[int], list[tuple[str, list[int | None]]]] | None = None
        marks: set[str] = set()
        for token in self.vocabulary:
            if QUALIFIER in token:
                plain, _, mark = token.partition(QUALIFIER)
                self._qualified_by_plain.setdefault(plain, []).append(token)
                marks.add(mark)
        self._concepts_with_marks = sorted(marks & self.table.concept_parent.keys())
        self._marks_cache: tuple[dict[str, list[str]], dict[str, list[str]], bool] | None = None
        self._fuzzy_text_arrays: tuple[np.ndarray, np.ndarray] | None = None
        self._system_ids_by_token: dict[str, list[int]] = {}
        for system_id, key in enumerate(self.system_token_sets):
            for token in key:
                self._system_ids_by_token.setdefault(token, []).append(system_id)

    # -------------------------------------------------------------- candidates

    def candidates(self, query: Query, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Text ids worth scoring, with the fit points they are sure to earn (see
        `candidates_with_features`)."""
        text_ids, points, _ = self.candidates_with_features(query, limit)
        return text_ids, points

    def candidates_with_features(
        self, query: Query, limit: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, Features | None]:
        """Text ids worth scoring, the fit points they are sure to earn, and their
        `token_features` (None when there are no candidates): `score` takes them instead
        of gathering the same tokens again.

        A text's candidate score is the fit `score` gives its best line with
        the rapidfuzz part left out (IDF coverage capped at 1, concept points
        with the best credit per concept, calibre, category and named-system
        points). Exact scoring gathers each text's tokens and lines, too dear
        for every text sharing a word on a big catalog, so a cheap upper bound
        of it (posting lists summed with one bincount: every crediting token's
        concept points added, a calibre match counted, no penalty, the best
        category among the text's lines, named-system points for a line of a
        named system or naming one) picks `POOL_FACTOR` x `limit`
        texts; a text the exact score would keep is lost only when more than
        that many others bound above it. Posting lists are added rarest token first;
        once `posting_budget` postings are in, commoner tokens are left out of
        the *selection* (the exact score still counts them). Returns at most
        `limit` (default `candidate_limit`) ids, best candidate score first,
        shorter texts first on ties.
        """
        limit = self.candidate_limit if limit is None else limit
        if not (len(query.token_ids) or len(query.concept_token_ids)) or not len(self.texts):
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float64), None
        # One array of len(texts) for the whole bound, added to in place: a bound part
        # that does not apply (most requirements name no calibre, no system) costs
        # nothing, where a zeros array and its sum cost ~1 ms at 500,000 lines.
        coverage = self._concept_candidate_points(query)
        self._add_calibre_bound(query, coverage)
        self._add_system_bound(query, coverage)
        if not len(query.token_ids):
            return self._best_candidates(query, coverage, limit)
        df = self.df[query.token_ids]
        order = np.argsort(df, kind="stable")
        cumulative = np.cumsum(df[order])
        keep = max(1, int(np.searchsorted(cumulative, self.posting_budget, side="right")))
        chosen = order[:keep]
        starts = self.post_indptr[query.token_ids[chosen]]
        ends = self.post_indptr[query.token_ids[chosen] + 1]
        postings = _gather_ranges(self.post_texts, starts, ends)
        scale = _scale(query)
        token_points = WEIGHTS["idf_coverage"] * scale * _coverage_weights(query)
        weights = np.repeat(token_points[chosen], ends - starts)
        coverage += np.bincount(postings, weights=weights, minlength=len(self.texts))
        return self._best_candidates(query, coverage, limit)

    def _add_system_bound(self, query: Query, points: np.ndarray) -> None:
        """Add to `points` (per text) the named-system points a text can earn: a line of
        a named system, a named designation or system among its words."""
        if not query.applicable["system"]:
            return
        named = [self._system_texts(system_id) for system_id in query.system_keys]
        token_ids = query.system_token_ids.tolist()
        base_ids = [self.designation_bases.get(base, -2) for base in query.designation_bases]
        if base_ids:
            token_ids += np.flatnonzero(np.isin(self.designation_base_of_token, base_ids)).tolist()
        if token_ids:
            ids = np.asarray(token_ids, dtype=np.int64)
            named.append(
                _gather_ranges(self.post_texts, self.post_indptr[ids], self.post_indptr[ids + 1])
            )
        if named:
            # a text named twice still earns the points once: a fancy-indexed += reads
            # every position before it writes any
            points[np.concatenate(named)] += WEIGHTS["system"] * _scale(query)

    def _system_texts(self, system_id: int) -> np.ndarray:
        """Texts of the lines whose system column names `system_id`, or whose words do."""
        texts = self._texts_of_system.get(system_id)
        if texts is None:
            own = self.text_of_capability[self.system_of_capability == system_id]
            in_words = np.flatnonzero(self.texts_with_all(self.system_token_sets[system_id]))
            texts = np.union1d(own, in_words).astype(np.int64)
            self._texts_of_system[system_id] = texts
        return texts

    def _add_calibre_bound(self, query: Query, points: np.ndarray) -> None:
        """Add to `points` (per text) the calibre points a text can earn at most (a
        calibre the requirement names), once per text."""
        if not (query.applicable["calibre"] and len(query.calibre_ids)):
            return
        starts = self.post_indptr[query.calibre_ids]
        ends = self.post_indptr[query.calibre_ids + 1]
        points[_gather_ranges(self.post_texts, starts, ends)] += WEIGHTS["calibre"] * _scale(query)

    def _concept_candidate_points(self, query: Query) -> np.ndarray:
        """Per text, an upper bound of its concept points (every crediting token added)."""
        if not len(query.concept_token_ids):
            return np.zeros(len(self.texts))
        share = query.concept_weights / query.concept_weights.sum()
        item_points = (
            WEIGHTS["concept"] * _scale(query) * share[query.concept_of_item] * query.credit_of_item
        )
        starts = self.post_indptr[query.concept_token_ids]
        ends = self.post_indptr[query.concept_token_ids + 1]
        postings = _gather_ranges(self.post_texts, starts, ends)
        weights = np.repeat(item_points, ends - starts)
        # the bound's one array of len(texts): the other parts are added to it in place
        return np.bincount(postings, weights=weights, minlength=len(self.texts))

    def _best_candidates(
        self, query: Query, bound: np.ndarray, limit: int
    ) -> tuple[np.ndarray, np.ndarray, Features | None]:
        # Every text sharing a weighted token: one pass over the texts is cheaper than
        # partitioning or deduplicating the postings, which are many on a big catalog.
        # On a bool mask, as nonzero() on float64 is much slower.
        touched = np.flatnonzero(bound > 0)
        scores = bound[touched]
        if query.applicable["category"]:
            scores += self._category_points(query.category)[touched] * _scale(query)
        pool = POOL_FACTOR * limit
        if len(touched) > pool:
            touched = touched[self._best_of(touched, scores, pool)]
        if not len(touched):
            return touched.astype(np.int32), np.empty(0, dtype=np.float64), None
        features = self.token_features(query, touched)
        scores = self._sure_points(query, touched, features)
        kept = np.arange(len(touched))
        if len(touched) > limit:
            kept = self._best_of(touched, scores, limit)
            touched, scores = touched[kept], scores[kept]
        order = np.lexsort((touched, self.doc_chars[touched], -scores))
        kept = kept[order]
        # per text, so the kept texts' features are the pool's at their positions
        features = {name: values[kept] for name, values in features.items()}
        return touched[order].astype(np.int32), scores[order], features

    def _best_of(self, text_ids: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
        """Positions of the `count` best scores; ties (same points) go to shorter texts."""
        return np.argpartition(self._tie_break[text_ids] - scores, count - 1)[:count]

    def _sure_points(
        self, query: Query, text_ids: np.ndarray, features: Features | None = None
    ) -> np.ndarray:
        """Per text, the fit `score` gives its best line with the rapidfuzz part left out."""
        if not len(text_ids):
            return np.empty(0, dtype=np.float64)
        fit = self.score(query, text_ids, fuzzy=np.zeros(len(text_ids)), features=features).fit
        # score() lists each text's lines together, in text_ids order, at least one each
        counts = self.capability_indptr[text_ids + 1] - self.capability_indptr[text_ids]
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        return np.maximum.reduceat(fit, starts)

    def _category_points(self, category: str) -> np.ndarray:
        """Per text, the best category points (before scaling) among its capability lines."""
        cached = self._best_category_points.get(category)
        if cached is None:
            points = WEIGHTS["category"] * self._category_credit(category)[self._pair_category]
            starts = self._pair_text_starts()
            if starts is not None:
                cached = np.maximum(np.maximum.reduceat(points, starts), 0.0)
            else:
                cached = np.zeros(len(self.texts))
                np.maximum.at(cached, self._pair_text, points)
            if len(self._best_category_points) >= MAX_CACHED_CATEGORIES:
                self._best_category_points.clear()  # categories typed ad hoc in the TUI
            self._best_category_points[category] = cached
        return cached

    def _pair_text_starts(self) -> np.ndarray | None:
        """Where each text's (text, category) pairs start, when the pairs are sorted by
        text and every text has some (as the build makes them): a reduceat then gives the
        best per text at a fraction of np.maximum.at's cost. None otherwise."""
        if self._pair_starts is None:
            pair_text = self._pair_text
            starts = np.flatnonzero(np.r_[True, pair_text[1:] != pair_text[:-1]])
            ok = len(pair_text) > 0 and bool(np.all(np.diff(pair_text) >= 0))
            ok = ok and len(starts) == len(self.texts) and int(pair_text[0]) == 0
            ok = ok and int(pair_text[-1]) == len(self.texts) - 1
            self._pair_starts = (starts if ok else None,)
        return self._pair_starts[0]

    # ------------------------------------------------------------------ scores

    def token_features(self, query: Query, text_ids: np.ndarray) -> Features:
        """Exact per-text features from token ids: coverage, calibre and designation matches."""
        starts = self.doc_indptr[text_ids]
        ends = self.doc_indptr[text_ids + 1]
        flat = _gather_ranges(self.doc_tokens, starts, ends)
        owner = np.repeat(np.arange(len(text_ids)), ends - starts)
        covered_title = np.zeros(len(text_ids))
        covered_description = np.zeros(len(text_ids))
        if len(query.token_ids) and len(flat):
            title_weight_of, description_weight_of = _weights_by_token(query, len(self.idf))
            covered_title = np.bincount(
                owner, weights=title_weight_of[flat], minlength=len(text_ids)
            )
            covered_description = np.bincount(
                owner, weights=description_weight_of[flat], minlength=len(text_ids)
            )
        calibre_match = np.zeros(len(text_ids), dtype=bool)
        if len(query.calibre_ids) and len(flat):
            calibre_match[owner[members(flat, query.calibre_ids)]] = True
        designation_match = np.zeros(len(text_ids), dtype=bool)
        base_ids = [self.designation_bases.get(base, -2) for base in query.designation_bases]
        if base_ids and len(flat):
            bases = self.designation_base_of_token[flat]
            designation_match[owner[members(bases, base_ids)]] = True
        system_text_match = np.zeros(len(text_ids), dtype=bool)
        for system_id in query.system_keys:
            key_ids = [
                self.vocabulary.get(token, -1) for token in self.system_token_sets[system_id]
            ]
            if min(key_ids) < 0 or not len(flat):
                continue
            present = np.bincount(owner[members(flat, key_ids)], minlength=len(text_ids))
            system_text_match |= present == len(key_ids)
        if len(query.system_token_ids) and len(flat):
            system_text_match[owner[members(flat, query.system_token_ids)]] = True
        coverage = _coverage(query, covered_title, covered_description)
        return {
            "coverage": np.clip(coverage, 0.0, 1.0),
            "concept": self._concept_share(query, flat, owner, len(text_ids)),
            "calibre_match": calibre_match,
            "designation_match": designation_match | system_text_match,
        }

    def _concept_share(
        self, query: Query, flat: np.ndarray, owner: np.ndarray, text_count: int
    ) -> np.ndarray:
        """Per text, 0..1: the requirement's concepts it meets, best credit each, weighted."""
        if not len(query.concept_token_ids) or not len(flat):
            return np.zeros(text_count)
        order = np.argsort(query.concept_token_ids, kind="stable")
        item_tokens = query.concept_token_ids[order]
        # per token id, its first item (in item order), -1 for a token crediting none:
        # one gather over the texts' tokens instead of a binary search each
        first = np.flatnonzero(np.r_[True, item_tokens[1:] != item_tokens[:-1]])
        first_item_of_token = np.full(len(self.idf), -1, dtype=np.int64)
        first_item_of_token[item_tokens[first]] = order[first]
        found = first_item_of_token[flat]
        positions = np.flatnonzero(found >= 0)
        # best credit per (text, concept), flat: ufunc.at is much faster on one axis
        concept_count = len(query.concepts)
        best = np.zeros(text_count * concept_count)
        if len(positions):
            items = found[positions]
            cells = owner[positions] * concept_count
            np.maximum.at(best, cells + query.concept_of_item[items], query.credit_of_item[items])
            # the same token may credit two concepts: the loop above takes one item per
            # token; look at every item of a repeated token too
            repeated = np.flatnonzero(np.diff(item_tokens) == 0)
            hit_tokens = flat[positions] if len(repeated) else flat[:0]
            for index in repeated.tolist():
                token, item = item_tokens[index + 1], order[index + 1]
                np.maximum.at(
                    best,
                    cells[hit_tokens == token] + query.concept_of_item[item],
                    query.credit_of_item[item],
                )
        weights = query.concept_weights / query.concept_weights.sum()
        return best.reshape(text_count, concept_count) @ weights

    def fuzzy_scores(
        self,
        query_texts: Sequence[str],
        text_ids: np.ndarray,
        sorted_query_texts: Sequence[str] | None = None,
    ) -> np.ndarray:
        """0..100 blend of token_set_ratio and token_sort_ratio, one per (query, text) pair.

        `sorted_query_texts`, when given, are the query texts with their tokens sorted
        (`sorted_tokens`), in the same order.
        """
        if not len(text_ids):
            return np.empty(0, dtype=np.float64)
        fuzzy_texts, sorted_texts = self._text_arrays()
        # Threads cost more than they save on one requirement's few hundred pairs.
        workers = -1 if len(text_ids) >= PARALLEL_PAIRS else 1
        set_scores = process.cpdist(
            query_texts,
            fuzzy_texts[text_ids].tolist(),
            scorer=fuzz.token_set_ratio,
            workers=workers,
            dtype=np.float32,
        )
        # token_sort_ratio is ratio() on the sorted tokens: sort once here, not per pair.
        if sorted_query_texts is None:
            sorted_query_texts = [sorted_tokens(text) for text in query_texts]
        sort_scores = process.cpdist(
            sorted_query_texts,
            sorted_texts[text_ids].tolist(),
            scorer=fuzz.ratio,
            workers=workers,
            dtype=np.float32,
        )
        return TOKEN_SET_SHARE * set_scores + (1.0 - TOKEN_SET_SHARE) * sort_scores

    def _text_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """`fuzzy_texts` and `sorted_texts` as object arrays, made on first use: a batch
        gathers a hundred thousand candidates' strings with one fancy index each."""
        arrays = self._fuzzy_text_arrays
        if arrays is None:
            arrays = self._fuzzy_text_arrays = (
                np.asarray(self.fuzzy_texts, dtype=object),
                np.asarray(self.sorted_texts, dtype=object),
            )
        return arrays

    def score_texts(
        self,
        query: Query,
        text_ids: np.ndarray,
        fuzzy: np.ndarray | None = None,
        features: Features | None = None,
    ) -> dict[str, np.ndarray]:
        """Text-level part of the fit (no category, no system field) for `text_ids`.

        Usable on every text id for an exhaustive reference ranking: the
        sum of the returned "text_fit", "idf_coverage", "calibre" and
        "designation" points is what candidates are ranked by before the
        per-capability category and system points are added.
        """
        if fuzzy is None:
            fuzzy = self.fuzzy_scores([query.text] * len(text_ids), text_ids)
        if features is None:
            features = self.token_features(query, text_ids)
        scale = _scale(query)
        points = {
            "text_fit": WEIGHTS["text_fit"] * scale * np.asarray(fuzzy, dtype=np.float64) / 100,
            "idf_coverage": WEIGHTS["idf_coverage"] * scale * features["coverage"],
            "concept": WEIGHTS["concept"] * scale * features["concept"],
        }
        if not query.applicable["text_fit"]:
            points["text_fit"] = np.zeros(len(text_ids))
            points["idf_coverage"] = np.zeros(len(text_ids))
        if query.applicable["calibre"]:
            calibre = np.where(
                features["calibre_match"], 1.0, np.where(self.text_has_calibre[text_ids], -1.0, 0.0)
            )
            points["calibre"] = WEIGHTS["calibre"] * scale * calibre
        else:
            points["calibre"] = np.zeros(len(text_ids))
        points["designation"] = features["designation_match"].astype(np.float64)
        return points

    def score(
        self,
        query: Query,
        text_ids: np.ndarray,
        fuzzy: np.ndarray | None = None,
        features: Features | None = None,
    ) -> Fits:
        """Fit of every capability row whose text is in `text_ids`; `features`, when
        given, are `token_features(query, text_ids)`."""
        text_points = self.score_texts(query, text_ids, fuzzy, features)
        starts = self.capability_indptr[text_ids]
        ends = self.capability_indptr[text_ids + 1]
        rows = _gather_ranges(self.capabilities_by_text, starts, ends)
        local_index = np.repeat(np.arange(len(text_ids)), ends - starts)
        scale = _scale(query)
        components: dict[str, np.ndarray] = {
            "text_fit": text_points["text_fit"][local_index],
            "idf_coverage": text_points["idf_coverage"][local_index],
            "concept": text_points["concept"][local_index],
        }
        if query.applicable["category"]:
            credit = self._category_credit(query.category)[self.category_of_capability[rows] + 1]
            components["category"] = WEIGHTS["category"] * scale * credit
        else:
            components["category"] = np.zeros(len(rows))
        if query.applicable["system"]:
            named = np.isin(self.system_of_capability[rows], list(query.system_keys))
            named |= text_points["designation"][local_index] > 0
            components["system"] = WEIGHTS["system"] * scale * named
        else:
            components["system"] = np.zeros(len(rows))
        calibre = text_points["calibre"][local_index]
        others = components["text_fit"] + components["idf_coverage"] + components["concept"]
        others = others + components["category"] + components["system"]
        components["calibre"] = np.maximum(calibre, -others)
        fit = others + components["calibre"]
        return Fits(
            query=query,
            capability_ids=rows.astype(np.int32),
            text_ids=text_ids[local_index].astype(np.int32),
            fit=fit,
            components=components,
        )

    def _category_credit(self, category: str) -> np.ndarray:
        """Credit per capability category id, shifted by one (index 0 = no category);
        kept per category, as each requirement asks for it twice. Do not write to it."""
        credit = self._credit_of_category.get(category)
        if credit is None:
            if len(self._credit_of_category) >= MAX_CACHED_CATEGORIES:
                self._credit_of_category.clear()  # categories typed ad hoc in the TUI
            credit = self._new_category_credit(category)
            credit.flags.writeable = False
            self._credit_of_category[category] = credit
        return credit

    def _new_category_credit(self, category: str) -> np.ndarray:
        credit = np.empty(len(self.categories) + 1)
        credit[0] = UNKNOWN_CATEGORY_CREDIT
        for index, other in enumerate(self.categories, start=1):
            if other == category:
                credit[index] = 1.0
            elif frozenset((other, category)) in RELATED_CATEGORIES:
                credit[index] = RELATED_CATEGORY_CREDIT
            else:
                credit[index] = 0.0
        return credit

    def matched_tokens(self, query: Query, text_id: int) -> tuple[str, ...]:
        """The requirement's words found in a capability text (alone, or in a phrase that
        counts for it), in requirement order."""
        memo = self._matched_memo  # one read: another thread may replace it
        if memo is None or memo[0] is not query:
            qualified = [
                (token, [self.vocabulary.get(q) for q in self._qualified_by_plain.get(token, ())])
                for token in query.tokens
            ]
            memo = self._matched_memo = (query, set(query.token_ids.tolist()), qualified)
        _, query_ids, qualified = memo
        present = set(self.text_tokens[text_id])
        # sets, not np.isin: its sorting path imports numpy.ma (benchmarks/README.md)
        matched_ids = query_ids.intersection(map(self.vocabulary.get, present))
        return tuple(
            token
            for token, ids in qualified
            if token in present or (ids and not matched_ids.isdisjoint(ids))
        )

    def texts_with_all(self, token_set: frozenset[str]) -> np.ndarray:
        """Bool per text: it contains every token of `token_set`."""
        count = np.zeros(len(self.texts), dtype=np.int32)
        for token in token_set:
            token_id = self.vocabulary.get(token)
            if token_id is None:
                return np.zeros(len(self.texts), dtype=bool)
            start, end = self.post_indptr[token_id], self.post_indptr[token_id + 1]
            count[self.post_texts[start:end]] += 1
        return count == len(token_set)

    def texts_naming_system(self, system_id: str) -> np.ndarray:
        """Bool per text: it names the knowledge-base system, as its product or as what
        its product serves."""
        token = SYSTEM_PREFIX + system_id
        return self.texts_with_all(frozenset({token})) | self.texts_with_all(
            frozenset({ACCESSORY_PREFIX + token})
        )

    def system_id(self, system: str) -> int:
        return self._system_id_of_name.get(system.strip().casefold(), -1)


def _coverage(query: Query, covered_title: np.ndarray, covered_description: np.ndarray):
    """Share of the requirement's IDF weight found: the title counts for 80%, the rest 20%."""
    title = covered_title / query.title_weight if query.title_weight > 0 else 0.0
    if query.description_weight <= 0:
        return title + covered_title * 0
    description = covered_description / query.description_weight
    if query.title_weight <= 0:
        return description
    return (1 - DESCRIPTION_SHARE) * title + DESCRIPTION_SHARE * description


def _weights_by_token(query: Query, vocabulary_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per token id, the requirement's weight for it as a title word and as a
    description-only word (0 for a token it lacks): one gather per text token."""
    title = np.zeros(vocabulary_size)
    description = np.zeros(vocabulary_size)
    in_title = query.title_mask
    title[query.token_ids[in_title]] = query.token_weights[in_title]
    description[query.token_ids[~in_title]] = query.token_weights[~in_title]
    return title, description


def _coverage_weights(query: Query) -> np.ndarray:
    """Each known token's share of the requirement's coverage (see `_coverage`), 0..1."""
    title = query.title_mask
    weights = query.token_weights
    if query.title_weight <= 0:
        per_title = 0.0
        per_description = 1.0 / query.description_weight if query.description_weight > 0 else 0.0
    elif query.description_weight <= 0:
        per_title, per_description = 1.0 / query.title_weight, 0.0
    else:
        per_title = (1 - DESCRIPTION_SHARE) / query.title_weight
        per_description = DESCRIPTION_SHARE / query.description_weight
    return weights * np.where(title, per_title, per_description)


@lru_cache(maxsize=4096)
def sorted_tokens(text: str) -> str:
    """A query text with its tokens sorted, as `fuzzy_scores` compares it (token_sort)."""
    return " ".join(sorted(text.split()))


def _scale(query: Query) -> float:
    applicable = sum(WEIGHTS[name] for name, on in query.applicable.items() if on)
    return 100.0 / applicable


def _gather_ranges(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """values[starts[0]:ends[0]] + values[starts[1]:ends[1]] + ...

    A few long ranges (posting lists) are copied slice by slice; many short ones
    (token lists of candidate texts) are gathered with one fancy index.
    """
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return values[:0]
    if len(starts) <= 32:
        return np.concatenate(
            [values[start:end] for start, end in zip(starts.tolist(), ends.tolist(), strict=True)]
        )
    # Positions as one running sum: 1 inside a range, the jump to the next range's
    # start at each boundary (empty ranges left out, they would share a boundary).
    nonempty = lengths > 0
    if not nonempty.all():
        starts, ends, lengths = starts[nonempty], ends[nonempty], lengths[nonempty]
    steps = np.ones(total, dtype=np.int64)
    steps[0] = starts[0]
    steps[np.cumsum(lengths[:-1])] = starts[1:] - ends[:-1] + 1
    return values[np.cumsum(steps)]


def concept_notes(
    knowledge: Knowledge, query: Query, line_tokens: Sequence[str]
) -> tuple[str, ...]:
    """In words, how each of the requirement's concepts is met by a capability line.

    "guided artillery projectile: Excalibur is one", "loitering munition:
    one-way attack drone is a kind of it", "mortar bomb (迫擊砲彈)" ... A concept
    the line does not meet is left out.
    """
    return notes_from_marks(knowledge, query, line_marks(knowledge, line_tokens))


# (concepts the line names, concepts it names a kind of, knowledge-base systems it
# names, concepts it names only as what its product serves, or a kind of them)
LineMarks = tuple[list[str], set[str], list[KnownSystem], set[str]]
_SERVED_MARKS = (ACCESSORY_PREFIX + CONCEPT_PREFIX, ACCESSORY_PREFIX + ANCESTOR_PREFIX)


def line_marks(knowledge: Knowledge, line_tokens: Sequence[str]) -> LineMarks:
    """What concept_notes reads from a capability line's tokens (never changed after)."""
    direct = [t[1:] for t in line_tokens if t.startswith(CONCEPT_PREFIX)]
    under = {t[1:] for t in line_tokens if t.startswith(ANCESTOR_PREFIX)}
    systems = [
        knowledge.systems[t[1:]]
        for t in line_tokens
        if t.startswith(SYSTEM_PREFIX) and t[1:] in knowledge.systems
    ]
    served = {t[2:] for t in line_tokens if t.startswith(_SERVED_MARKS)}
    return direct, under, systems, served


def notes_from_marks(knowledge: Knowledge, query: Query, marks: LineMarks) -> tuple[str, ...]:
    direct, under, systems, served = marks
    label = knowledge.concept_label
    notes: list[str] = []
    for concept in query.concepts:
        ancestors = knowledge.ancestors(concept)
        if concept in direct:
            named = [s.name for s in systems if concept in s.concepts]
            how = f"{' and '.join(named)}{IS_ONE if len(named) == 1 else ARE_ONE}" if named else ""
            note = how or NAMED_IN_THE_LINE
        elif concept in under:
            kinds = [c for c in direct if concept in knowledge.ancestors(c)]
            named = [s.name for s in systems if kinds and kinds[0] in s.concepts]
            via = f" ({named[0]})" if named else ""
            kind = f"{label(kinds[0])}{via}, " if kinds else ""
            note = f"the line offers {kind}{A_KIND_OF_IT}"
        elif any(a in direct for a in ancestors):
            broader = next(a for a in ancestors if a in direct)
            note = f"the line offers {label(broader)}, the broader class"
        elif ancestors and ancestors[0] in under:
            note = f"both are kinds of {label(ancestors[0])}"
        elif concept in served:
            note = "the line names it as what its product is for, not as the product"
        else:
            continue  # a concept the line does not meet: no words spent on it
        notes.append(f"{label(concept)}{_chinese_words(knowledge, concept, query)}: {note}")
    return tuple(notes)


def _chinese_words(knowledge: Knowledge, concept: str, query: Query) -> str:
    """ " (迫擊砲彈)" when the requirement names the concept by one of its Chinese labels,
    or " (刺針)" by the Chinese name of a product that is one."""
    text = query.source_text
    if not text or not has_cjk(text):
        return ""
    found = knowledge.concepts.get(concept)
    labels = sorted(found.labels_zh if found else (), key=len, reverse=True)
    hit = next((zh for zh in labels if zh in text), "")
    if not hit:  # named by a product that is one ("刺針" for MANPADS)
        names = knowledge.chinese_names_of_concept.get(concept, ())
        hit = next((zh for zh in names if zh in text), "")
    return f" ({hit})" if hit else ""
