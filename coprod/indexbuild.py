"""The capability index's data: built from a catalog once, or restored from its saved state.

`IndexData` is what `coprod.matching.CapabilityIndex` queries and scores, step 1
of that module's docstring: every capability line (plus its named system, when
the line does not already name it) normalised once (`coprod.text`), identical
normalised strings deduplicated into *texts*, tokens with ids and IDF weights
(`idf = ln(1 + n_texts / df)`, a fifth of that for filler words), and the CSR
arrays text -> token ids and token -> text ids (the inverted index), built with
argsort. What rapidfuzz compares is kept per text too: the tokens without filler
words, with the label words of the concepts the text names, as is and sorted.

`state()` gives all of it as arrays and string lists (coprod.indexcache saves them
beside the catalog); `_restore()` takes them back, checked for consistency, so a
restored index ranks exactly as the built one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter

import numpy as np

from coprod.gcpause import paused_cyclic_gc
from coprod.indexcache import SavedIndex
from coprod.knowledge import CONCEPT_PREFIX, KNOWLEDGE_PREFIXES, QUALIFIER
from coprod.model import CapabilityColumns, Catalog
from coprod.rawtokens import CALIBRE_TOKEN, DESIGNATION_TOKEN
from coprod.text import FILLER_WORDS, SynonymTable, tokens
from coprod.workers.normaliser import tokens_many, tokens_many_started

FILLER_WEIGHT = 0.2  # share of its IDF a filler word keeps ("systems", "production")
# The index's arrays as saved and restored (`CapabilityIndex.state` / `from_state`).
STATE_ARRAYS: dict[str, type] = {
    "text_of_capability": np.int32,
    "system_of_capability": np.int32,
    "category_of_capability": np.int32,
    "doc_chars": np.float64,
    "_pair_text": np.int32,
    "_pair_category": np.int32,
    "doc_tokens": np.int32,
    "doc_indptr": np.int64,
    "post_texts": np.int32,
    "df": np.int64,
    "post_indptr": np.int64,
    "idf": np.float64,
    "designation_base_of_token": np.int32,
    "text_has_calibre": np.bool_,
    "capabilities_by_text": np.int32,
    "capability_indptr": np.int64,
}


def category_key(category: str) -> str:
    """Categories compare casefolded, with spaces and hyphens read as underscores."""
    return "_".join(category.strip().casefold().replace("-", " ").split())


class TextTokens(Sequence[tuple[str, ...]]):
    """Each text's tokens, read on demand from the token ids (`doc_tokens`) of a restored
    index: building a tuple per text up front would cost more than the rest of a load."""

    __slots__ = ("_tokens", "_doc_tokens", "_doc_indptr", "_read")

    def __init__(self, tokens: list[str], doc_tokens: np.ndarray, doc_indptr: np.ndarray):
        self._tokens = tokens
        self._doc_tokens = doc_tokens
        self._doc_indptr = doc_indptr
        # Texts read so far: ranking reads a shown line's tokens three or four times
        # (matched words, concepts, systems), and the same lines come back.
        self._read: dict[int, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._doc_indptr) - 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        read = self._read.get(index)
        if read is not None:
            return read
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("text id out of range")
        start, end = self._doc_indptr[index : index + 2].tolist()
        read = self._read[index] = tuple(
            map(self._tokens.__getitem__, self._doc_tokens[start:end].tolist())
        )
        return read


class IndexData:
    """The arrays and string lists of a capability index (see the module docstring).

    Public arrays (read them, do not write): `texts` (normalised strings, one per
    distinct line), `fuzzy_texts` (the same without filler words, what rapidfuzz
    sees), `text_of_capability` (int32 capability row -> text id), `idf` (float64
    per token id), `vocabulary` (token -> id). A restored index's arrays are
    read-only and its `text_tokens` are read on demand.
    """

    table: SynonymTable

    def state(self) -> SavedIndex:
        """Everything built from the catalog, as arrays, string lists and small values."""
        saved = SavedIndex(
            arrays={
                name: np.asarray(getattr(self, name), dtype=dtype)
                for name, dtype in STATE_ARRAYS.items()
            },
            strings={
                "texts": self.texts,
                "fuzzy_texts": self.fuzzy_texts,
                "sorted_texts": self.sorted_texts,
                "tokens": list(self.vocabulary),
            },
            values={
                "categories": self.categories,
                "designation_bases": self.designation_bases,
                "system_id_of_name": self._system_id_of_name,
                "unknown_idf": self.unknown_idf,
            },
        )
        # Each system's tokens as one line, sorted and space-joined: parsed as nested JSON
        # in the header they were a large share of reading it. In the header still when
        # a token would not read back (it holds a space or a newline).
        token_sets = [sorted(key) for key in self.system_token_sets]
        lines = [" ".join(key) for key in token_sets]
        if all(
            "\n" not in line and _token_set(line) == frozenset(key)
            for line, key in zip(lines, token_sets, strict=True)
        ):
            saved.strings["system_token_sets"] = lines
        else:
            saved.values["system_token_sets"] = token_sets
        return saved

    def _restore(self, state: SavedIndex, row_count: int) -> None:
        arrays, strings, values = state.arrays, state.strings, state.values
        for name, dtype in STATE_ARRAYS.items():
            array = arrays[name]
            if array.dtype != np.dtype(dtype) or array.ndim != 1:
                raise ValueError(f"saved index: {name} is {array.dtype}, expected {dtype}")
            setattr(self, name, array)
        self.texts = strings["texts"]
        self.fuzzy_texts = strings["fuzzy_texts"]
        self.sorted_texts = strings["sorted_texts"]
        token_list = strings["tokens"]
        self.vocabulary = {token: i for i, token in enumerate(token_list)}
        self.categories = [str(name) for name in values["categories"]]
        self.designation_bases = {str(k): int(v) for k, v in values["designation_bases"].items()}
        if "system_token_sets" in strings:
            self.system_token_sets = list(map(_token_set, strings["system_token_sets"]))
        else:
            self.system_token_sets = [
                frozenset(map(str, key)) for key in values["system_token_sets"]
            ]
        self._system_id_of_name = {str(k): int(v) for k, v in values["system_id_of_name"].items()}
        self.unknown_idf = float(values["unknown_idf"])
        self.text_tokens = TextTokens(token_list, self.doc_tokens, self.doc_indptr)
        _check_consistent(self, row_count, len(token_list))

    def _build(self, catalog: Catalog) -> None:
        with paused_cyclic_gc():
            self._build_from(catalog)

    def _build_from(self, catalog: Catalog) -> None:
        table = self.table
        columns = CapabilityColumns.of(catalog.capabilities).columns
        lines: list[str] = columns["capability"]
        raw_systems: list[str] = columns["system"]
        raw_categories: list[str] = columns["category"]
        row_count = len(lines)

        # Per-row work runs over distinct values (catalogs repeat lines and systems a lot).
        stripped_system = {raw: raw.strip() for raw in dict.fromkeys(raw_systems)}
        system_names: dict[str, str] = {}
        for system in stripped_system.values():
            if system:
                system_names.setdefault(system.casefold(), system)
        for name in catalog.codevelopers:
            system_names.setdefault(name.strip().casefold(), name)
        self._system_id_of_name: dict[str, int] = {}
        system_tokens: dict[tuple[str, ...], int] = {}
        for name in system_names.values():
            key = tokens(name, table)
            if not key:
                continue
            system_id = system_tokens.setdefault(key, len(system_tokens))
            self._system_id_of_name[name.casefold()] = system_id
        self.system_token_sets: list[frozenset[str]] = [frozenset(key) for key in system_tokens]

        # One text per distinct (line, system) pair, in order of first appearance. Pairs
        # are found on integer codes with numpy, not by hashing a tuple per row.
        distinct_lines = list(dict.fromkeys(lines))
        line_code = dict(zip(distinct_lines, range(len(distinct_lines)), strict=True))
        # Normalisation starts now: on a big catalog a helper process takes its share
        # while this one finds the pairs below.
        with tokens_many_started(distinct_lines, table) as pending_tokens:
            raw_system_code = {raw: i for i, raw in enumerate(stripped_system)}
            raw_system_list = list(raw_system_code)
            pair_key = np.fromiter(
                map(line_code.__getitem__, lines), dtype=np.int64, count=row_count
            )
            pair_key *= len(raw_system_code)
            pair_key += np.fromiter(
                map(raw_system_code.__getitem__, raw_systems), dtype=np.int64, count=row_count
            )
            del line_code, raw_system_code
            keys, first_row, pair_of_row = np.unique(
                pair_key, return_index=True, return_inverse=True
            )
            appearance = np.argsort(first_row, kind="stable")
            rank_of_pair = np.empty(len(keys), dtype=np.int64)
            rank_of_pair[appearance] = np.arange(len(keys))
            pair_of_row = rank_of_pair[pair_of_row.reshape(-1)]
            system_count = max(len(raw_system_list), 1)
            pair_keys = keys[appearance]
            line_of_pair = (pair_keys // system_count).tolist()
            raw_system_of_pair = (pair_keys % system_count).tolist()
            del pair_key, keys, first_row, appearance, rank_of_pair, pair_keys
            line_tokens = pending_tokens.result()
        line_texts = list(map(" ".join, line_tokens))
        stripped_of_code = [stripped_system[raw] for raw in raw_system_list]
        distinct_systems = list(dict.fromkeys(stripped_system.values()))
        tokens_of_system = dict(
            zip(distinct_systems, tokens_many(distinct_systems, table), strict=True)
        )
        text_ids: dict[str, int] = {}
        self.texts: list[str] = []
        self.text_tokens: list[tuple[str, ...]] = []
        text_of_pair: list[int] = []
        system_of_pair = np.full(len(line_of_pair), -1, dtype=np.int32)
        pair_codes = zip(line_of_pair, raw_system_of_pair, strict=True)
        for pair_index, (line, raw_system) in enumerate(pair_codes):
            tokens_here = line_tokens[line]
            text = line_texts[line]
            system = stripped_of_code[raw_system]
            if system:
                system_of_pair[pair_index] = self._system_id_of_name.get(system.casefold(), -1)
                system_tokens = tokens_of_system[system]
                if not set(system_tokens) <= set(tokens_here):
                    tokens_here = tuple(dict.fromkeys(tokens_here + system_tokens))
                    text = " ".join(tokens_here)
            text_id = text_ids.setdefault(text, len(text_ids))
            if text_id == len(self.texts):
                self.texts.append(text)
                self.text_tokens.append(tokens_here)
            text_of_pair.append(text_id)
        del tokens_of_system, line_texts, line_tokens
        text_of_capability = np.asarray(text_of_pair, dtype=np.int32)[pair_of_row]
        self.text_of_capability = text_of_capability
        # What rapidfuzz compares: the tokens without filler words, as is and sorted.
        content = fuzzy_words(self.text_tokens, self.table.concept_words)
        self.fuzzy_texts = list(map(" ".join, content))
        self.sorted_texts = list(map(" ".join, map(sorted, content)))
        del content
        self.doc_chars = np.fromiter(
            map(len, self.fuzzy_texts), dtype=np.float64, count=len(self.fuzzy_texts)
        )
        self.system_of_capability = system_of_pair[pair_of_row]

        category_ids: dict[str, int] = {}
        id_of_raw: dict[str, int] = {}
        for raw in dict.fromkeys(raw_categories):
            key = category_key(raw)
            id_of_raw[raw] = category_ids.setdefault(key, len(category_ids)) if key else -1
        category_of_capability = np.fromiter(
            map(id_of_raw.__getitem__, raw_categories), dtype=np.int32, count=row_count
        )
        self.categories: list[str] = list(category_ids)
        self.category_of_capability = category_of_capability
        # Distinct (text, category) pairs: candidate selection gives a text the best
        # category credit among its lines, as the fit will (cached per query category).
        pair_key = text_of_capability.astype(np.int64) * (len(self.categories) + 1)
        pair_key += category_of_capability + 1
        pair_key = _sorted_distinct(pair_key)
        self._pair_text = (pair_key // (len(self.categories) + 1)).astype(np.int32)
        self._pair_category = (pair_key % (len(self.categories) + 1)).astype(np.int32)

        self._build_token_arrays()
        # capabilities grouped by text: CSR text -> capability rows
        order = np.argsort(text_of_capability, kind="stable").astype(np.int32)
        counts = np.bincount(text_of_capability, minlength=len(self.texts))
        self.capabilities_by_text = order
        self.capability_indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)

    def _build_token_arrays(self) -> None:
        flat_tokens = list(chain.from_iterable(self.text_tokens))
        distinct_tokens = dict.fromkeys(flat_tokens)
        vocabulary = dict(zip(distinct_tokens, range(len(distinct_tokens)), strict=True))
        flat = np.fromiter(
            map(vocabulary.__getitem__, flat_tokens), dtype=np.int32, count=len(flat_tokens)
        )
        lengths = np.fromiter(map(len, self.text_tokens), dtype=np.int64, count=len(self.texts))
        del flat_tokens
        self.vocabulary = vocabulary
        self.doc_tokens = np.asarray(flat, dtype=np.int32)
        self.doc_indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        owners = np.repeat(np.arange(len(self.texts), dtype=np.int32), lengths)
        order = np.argsort(self.doc_tokens, kind="stable")
        self.post_texts = owners[order]
        df = np.bincount(self.doc_tokens, minlength=len(vocabulary)).astype(np.int64)
        self.df = df
        self.post_indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        n_texts = max(len(self.texts), 1)
        self.idf = np.log1p(n_texts / np.maximum(df, 1))
        for token in FILLER_WORDS & vocabulary.keys():
            self.idf[vocabulary[token]] *= FILLER_WEIGHT
        self.unknown_idf = float(np.log1p(n_texts))
        is_calibre = np.zeros(len(vocabulary), dtype=bool)
        self.designation_bases: dict[str, int] = {}
        self.designation_base_of_token = np.full(len(vocabulary), -1, dtype=np.int32)
        for token, token_id in vocabulary.items():
            if CALIBRE_TOKEN.match(token):
                is_calibre[token_id] = True
                continue
            match = DESIGNATION_TOKEN.match(token)
            if match:
                base_id = self.designation_bases.setdefault(
                    match.group(1), len(self.designation_bases)
                )
                self.designation_base_of_token[token_id] = base_id
        self.text_has_calibre = np.zeros(len(self.texts), dtype=bool)
        if len(self.doc_tokens):
            calibre_owner = owners[is_calibre[self.doc_tokens]]
            self.text_has_calibre[calibre_owner] = True


def _token_set(line: str) -> frozenset[str]:
    return frozenset(line.split(" ")) if line else frozenset()


def _check_consistent(index: IndexData, row_count: int, token_count: int) -> None:
    """Raise ValueError unless the restored arrays fit together (lengths, id ranges)."""
    text_count = len(index.texts)
    category_count = len(index.categories)
    expected_lengths = {
        "fuzzy_texts": (len(index.fuzzy_texts), text_count),
        "sorted_texts": (len(index.sorted_texts), text_count),
        "doc_chars": (len(index.doc_chars), text_count),
        "text_has_calibre": (len(index.text_has_calibre), text_count),
        "doc_indptr": (len(index.doc_indptr), text_count + 1),
        "capability_indptr": (len(index.capability_indptr), text_count + 1),
        "text_of_capability": (len(index.text_of_capability), row_count),
        "system_of_capability": (len(index.system_of_capability), row_count),
        "category_of_capability": (len(index.category_of_capability), row_count),
        "capabilities_by_text": (len(index.capabilities_by_text), row_count),
        "df": (len(index.df), token_count),
        "idf": (len(index.idf), token_count),
        "designation_base_of_token": (len(index.designation_base_of_token), token_count),
        "post_indptr": (len(index.post_indptr), token_count + 1),
        "post_texts": (len(index.post_texts), len(index.doc_tokens)),
        "_pair_category": (len(index._pair_category), len(index._pair_text)),
        "vocabulary": (len(index.vocabulary), token_count),
    }
    for name, (found, wanted) in expected_lengths.items():
        if found != wanted:
            raise ValueError(f"saved index: {name} has {found} entries, expected {wanted}")
    ranges = (
        (index.doc_tokens, 0, token_count),
        (index.post_texts, 0, text_count),
        (index.text_of_capability, 0, text_count),
        (index.system_of_capability, -1, len(index.system_token_sets)),
        (index.category_of_capability, -1, category_count),
        (index.capabilities_by_text, 0, row_count),
        (index._pair_text, 0, text_count),
        (index._pair_category, 0, category_count + 1),
        (index.designation_base_of_token, -1, len(index.designation_bases)),
    )
    for values, low, high in ranges:
        if len(values) and (int(values.min()) < low or int(values.max()) >= high):
            raise ValueError("saved index: an id is out of range")
    for indptr, total in (
        (index.doc_indptr, len(index.doc_tokens)),
        (index.post_indptr, len(index.post_texts)),
        (index.capability_indptr, row_count),
    ):
        if indptr[0] != 0 or indptr[-1] != total or np.any(np.diff(indptr) < 0):
            raise ValueError("saved index: offsets out of order")
    if set(index._system_id_of_name.values()) - set(range(len(index.system_token_sets))):
        raise ValueError("saved index: a system name points nowhere")


_KNOWLEDGE_TOKENS = re.compile(f"(?:^| )[{''.join(KNOWLEDGE_PREFIXES)}]\\S*")
_QUALIFIERS = re.compile(f"{QUALIFIER}\\S*")
_MARKS = (QUALIFIER, *KNOWLEDGE_PREFIXES)


def _words_of(token: str) -> tuple[str, ...]:
    """What `content_tokens` keeps of one token: no knowledge token, no qualifier."""
    if not any(mark in token for mark in _MARKS):
        return (token,)
    return tuple(_QUALIFIERS.sub("", _KNOWLEDGE_TOKENS.sub("", token)).split())


class _TokenParts(dict):
    """token -> (holds a mark, its words, the words of its concept, the same two without
    filler words): one lookup per token."""

    def __init__(self, concept_words: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self._concept_words = concept_words

    def __missing__(self, token: str) -> _Parts:
        extra: tuple[str, ...] = ()
        if token.startswith(CONCEPT_PREFIX) and len(token) > len(CONCEPT_PREFIX):
            concept = token[len(CONCEPT_PREFIX) :]
            extra = tuple(
                w for word in self._concept_words.get(concept, ()) for w in _words_of(word)
            )
        words = _words_of(token)
        entry = self[token] = (
            any(mark in token for mark in _MARKS),
            words,
            extra,
            tuple(w for w in words if w not in FILLER_WORDS),
            tuple(w for w in extra if w not in FILLER_WORDS),
        )
        return entry


_Parts = tuple[bool, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
_HOLDS_MARK, _WORDS, _CONCEPT_WORDS, _KEPT_WORDS, _KEPT_CONCEPT_WORDS = map(itemgetter, range(5))


def fuzzy_words(
    text_tokens: Sequence[tuple[str, ...]], concept_words: dict[str, tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Per text, what rapidfuzz compares: `content_tokens` of its tokens followed by the
    label words of the concepts it names (`_concept_words`), exactly, with one dict
    lookup per token instead of regular expressions over each joined text (3x faster
    on a big catalog's build; test_indexbuild checks it against that definition)."""
    parts = _TokenParts(concept_words)
    out: list[tuple[str, ...]] = []
    # Filler words are dropped token by token (each token's words without them are part
    # of its entry), and built-in maps do the rest: a comprehension's call costs about
    # as much as the few tokens of a text.
    for text in text_tokens:
        entries = list(map(parts.__getitem__, text))
        if not any(map(_HOLDS_MARK, entries)):
            kept = tuple(chain.from_iterable(map(_KEPT_WORDS, entries)))
            out.append(kept or text)
            continue
        kept = tuple(
            dict.fromkeys(
                chain(
                    chain.from_iterable(map(_KEPT_WORDS, entries)),
                    chain.from_iterable(map(_KEPT_CONCEPT_WORDS, entries)),
                )
            )
        )
        if not kept:  # nothing but filler words: all of them
            kept = tuple(
                dict.fromkeys(
                    chain(
                        chain.from_iterable(map(_WORDS, entries)),
                        chain.from_iterable(map(_CONCEPT_WORDS, entries)),
                    )
                )
            )
        out.append(kept)
    return out


_CONCEPT_IDS = re.compile(f"(?:^| ){CONCEPT_PREFIX}(\\S+)")


def _concept_words(text: str, concept_words: dict[str, tuple[str, ...]]) -> list[str]:
    """The label words of each concept a text names: what rapidfuzz sees besides the
    line's own words ("AGM-88G" also reads "anti radiation missile")."""
    empty: tuple[str, ...] = ()
    return [
        word for concept in _CONCEPT_IDS.findall(text) for word in concept_words.get(concept, empty)
    ]


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """np.unique(values) of a 1-d integer array, without np.unique's test for a masked
    array, which imports numpy.ma (a large share of a small catalog's build)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def members(values: np.ndarray, wanted: Sequence[int] | np.ndarray) -> np.ndarray:
    """Bool per value: it is one of the integers `wanted` (np.isin, for token ids).

    np.isin may sort with np.unique, which imports numpy.ma (a large share of a
    warm `coprod rank`); a binary search in the few wanted ids needs neither.
    """
    wanted = np.sort(np.asarray(wanted, dtype=np.int64))
    if not len(wanted):
        return np.zeros(len(values), dtype=bool)
    position = np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)
    return wanted[position] == values
