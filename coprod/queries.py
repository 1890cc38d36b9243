"""A requirement as the capability index reads it: its tokens weighted by IDF, its
concepts with the credit each kind of line earns, its calibres, designations and
named systems (`Query`).

`QueryReading` is the part of `coprod.matching.CapabilityIndex` that makes a `Query`;
it reads the index's vocabulary, IDF, synonym table and the per-index maps that
`CapabilityIndex._derive` sets up, and holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coprod.indexbuild import FILLER_WEIGHT, category_key, fuzzy_words
from coprod.knowledge import (
    ACCESSORY_PREFIX,
    ANCESTOR_PREFIX,
    CONCEPT_PREFIX,
    QUALIFIER,
    SYSTEM_PREFIX,
    has_cjk,
    is_knowledge_token,
    named_system_ids,
)
from coprod.model import Requirement
from coprod.rawtokens import CALIBRE_TOKEN, DESIGNATION_TOKEN
from coprod.text import (
    FILLER_WORDS,
    SynonymTable,
    calibres,
    content_tokens,
    designations,
    plain_word,
    tokens,
)

# Concept credit by how a line's concept relates to the requirement's (see module doc).
EXACT_CREDIT = 1.0
NARROWER_CREDIT = 0.9  # the line offers a kind of what is asked for
BROADER_CREDIT = 0.5  # the line offers the broader class, scaled by how close it is
SIBLING_SHARE = 0.8  # both are kinds of one concept: this share of its broader credit
# A system a requirement names may be the product or only the context ("rounds for
# the M109A7"): its concepts weigh half of what the requirement's own words name.
NAMED_SYSTEM_CONCEPT_WEIGHT = 0.5
# A concept named only as what a product serves ("drop mechanism for mortar bombs",
# see coprod.purpose) is no evidence that the product is one: a line earns
# this share of the credit it would have for it, and a requirement's own such concept
# ("batteries for drones") weighs this share of a concept it asks for.
ACCESSORY_SHARE = 0.4
# A calibre under this is a small-arms cartridge (20 mm and up are cannon rounds).
SMALL_ARMS_MAX_MM = 20.0
SMALL_ARMS_AMMUNITION = "small_arms_ammunition"  # the knowledge base's concept for them
AMMUNITION_SUFFIX = "_ammunition"  # roots of the ammunition families end so
DESCRIPTION_WEIGHT = 0.35  # description-only tokens (and in candidate selection)
_ACCESSORY_CONCEPT = ACCESSORY_PREFIX + CONCEPT_PREFIX
_ACCESSORY_ANCESTOR = ACCESSORY_PREFIX + ANCESTOR_PREFIX
_ACCESSORY_SYSTEM = ACCESSORY_PREFIX + SYSTEM_PREFIX


@dataclass(frozen=True)
class Query:
    """A requirement as the index sees it (see `CapabilityIndex.query`)."""

    requirement_id: str
    text: str  # normalised string given to rapidfuzz (filler words left out)
    tokens: tuple[str, ...]  # every normalised token, title first
    token_ids: np.ndarray  # int32, known tokens, sorted
    token_weights: np.ndarray  # float64, role weight x IDF, aligned with token_ids
    title_mask: np.ndarray  # bool, aligned with token_ids: token is in the title
    title_weight: float  # total weight of title tokens (known or not)
    description_weight: float  # total weight of description-only tokens
    category: str  # category_key of the requirement, "" when none
    calibre_ids: np.ndarray  # int32 token ids of the requirement's calibres
    designation_bases: frozenset[str]
    system_keys: frozenset[int]  # ids of catalog systems the requirement names
    applicable: dict[str, bool] = field(default_factory=dict)
    # Concept matching (see `concept_points`): the requirement's own concepts, each
    # with its weight, and the tokens that earn credit for it with that credit.
    concepts: tuple[str, ...] = ()  # concept ids, most specific only
    concept_weights: np.ndarray = field(default_factory=lambda: np.empty(0))
    concept_token_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    concept_of_item: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    credit_of_item: np.ndarray = field(default_factory=lambda: np.empty(0))
    system_token_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    source_text: str = ""  # title and description as written (for explanations)


class QueryReading:
    """Makes a `Query` of a requirement (mixed into CapabilityIndex)."""

    table: SynonymTable
    vocabulary: dict[str, int]
    idf: np.ndarray
    unknown_idf: float
    system_token_sets: list[frozenset[str]]

    def query(self, requirement: Requirement) -> Query:
        """Normalise a requirement and weight its tokens by IDF (title 1.0, description 0.35)."""
        title_all = tokens(requirement.title, self.table)
        description_all = tokens(requirement.description, self.table)
        # Words read inside a knowledge-base phrase come qualified ("chain@autocannon"):
        # the requirement's word counts once, met by a line with the same phrase or with
        # the word alone; a line's qualified word meets only the same phrase.
        title_words = [t for t in title_all if not is_knowledge_token(t)]
        description_words = [t for t in description_all if not is_knowledge_token(t)]
        title_tokens = tuple(dict.fromkeys(map(plain_word, title_words)))
        label_words = self._label_words(title_tokens, title_all, has_cjk(requirement.title))
        if label_words:
            title_tokens = tuple(dict.fromkeys((*title_tokens, *label_words)))
        description_tokens = tuple(dict.fromkeys(map(plain_word, description_words)))
        if has_cjk(requirement.description):
            described = self._label_words((), description_all, chinese=True)
            description_tokens = tuple(dict.fromkeys((*description_tokens, *described)))
        fuzzy_tokens = title_tokens or description_tokens
        all_tokens = tuple(dict.fromkeys(title_tokens + description_tokens))
        title_set = set(title_tokens) if title_tokens else set(description_tokens)
        title_all = self._with_calibre_family(title_all, description_all)
        concepts = self._query_concepts(title_all, description_all)
        related = self._related_marks(concepts[0], (*title_all, *description_all))
        qualified_of: dict[str, list[str]] = {}
        for token in (*title_words, *description_words):
            if QUALIFIER in token:
                # a word of a phrase is met by any line that names the phrase's concept
                # or system, or a kind of it, in whatever words ("AGM-88G" for
                # "anti-radiation missile")
                mark = token.partition(QUALIFIER)[2]
                qualified_of.setdefault(plain_word(token), []).extend(
                    (CONCEPT_PREFIX + mark, ANCESTOR_PREFIX + mark, SYSTEM_PREFIX + mark)
                )
        for token in all_tokens:
            for qualified in self._qualified_by_plain.get(token, ()):
                if qualified.partition(QUALIFIER)[2] in related:
                    qualified_of.setdefault(token, []).append(qualified)
        weight_of: dict[int, float] = {}
        in_title_ids: set[int] = set()
        role_totals = {True: 0.0, False: 0.0}
        for token in all_tokens:
            in_title = token in title_set
            role = 1.0 if in_title else DESCRIPTION_WEIGHT
            token_id = self.vocabulary.get(token)
            # A word the catalog never uses still counts against coverage, at half weight.
            weight = role * (
                float(self.idf[token_id]) if token_id is not None else 0.5 * self.unknown_idf
            )
            if token_id is None and token in FILLER_WORDS:
                weight *= FILLER_WEIGHT
            role_totals[in_title] += weight
            alternatives = [token_id] if token_id is not None else []
            alternatives += [
                self.vocabulary[q] for q in qualified_of.get(token, ()) if q in self.vocabulary
            ]
            for alternative in alternatives:
                # several words of one phrase share its concept token: their weights add
                weight_of[alternative] = (
                    weight_of.get(alternative, 0.0) + weight if alternative != token_id else weight
                )
                if in_title:
                    in_title_ids.add(alternative)
        token_ids = np.asarray(sorted(weight_of), dtype=np.int32)
        token_weights = np.asarray([weight_of[i] for i in token_ids.tolist()], dtype=np.float64)
        title_mask = np.asarray([i in in_title_ids for i in token_ids.tolist()], dtype=bool)

        feature_tokens = fuzzy_tokens
        requirement_calibres = calibres(feature_tokens) or calibres(all_tokens)
        calibre_ids = np.asarray(
            sorted(self.vocabulary[c] for c in requirement_calibres if c in self.vocabulary),
            dtype=np.int32,
        )
        bases = designations(feature_tokens) or designations(all_tokens)
        token_set = set(all_tokens)
        system_keys = set()
        for token in token_set:
            for system_id in self._system_ids_by_token.get(token, ()):
                if self.system_token_sets[system_id] <= token_set:
                    system_keys.add(system_id)
        category = category_key(requirement.category)
        # A system the requirement names is met by a line naming it as its product; one
        # the requirement names only as context ("fuzes for Excalibur") is met by a line
        # naming it either way.
        named = (*title_all, *description_all)
        system_tokens = {t for t in named if t.startswith(SYSTEM_PREFIX)}
        for token in named:
            if token.startswith(_ACCESSORY_SYSTEM):
                system_tokens.update((token, token[len(ACCESSORY_PREFIX) :]))
        system_token_ids = np.asarray(
            sorted({self.vocabulary[t] for t in system_tokens if t in self.vocabulary}),
            dtype=np.int32,
        )
        named_in_knowledge = bool(system_tokens)
        has_words = bool(all_tokens)
        fuzzy_text = " ".join(label_words or content_tokens(fuzzy_tokens))
        applicable = {
            "text_fit": bool(fuzzy_text),
            "idf_coverage": has_words,
            "concept": bool(concepts[0]),
            "category": bool(category),
            "system": bool(system_keys or bases or named_in_knowledge),
            "calibre": bool(requirement_calibres),
        }
        if not any(applicable.values()):
            applicable["text_fit"] = applicable["idf_coverage"] = True
        return Query(
            requirement_id=requirement.requirement_id,
            text=fuzzy_text,
            tokens=all_tokens,
            token_ids=token_ids,
            token_weights=token_weights,
            title_mask=title_mask,
            title_weight=role_totals[True],
            description_weight=role_totals[False],
            category=category,
            calibre_ids=calibre_ids,
            designation_bases=frozenset(bases),
            system_keys=frozenset(system_keys),
            applicable=applicable,
            concepts=concepts[0],
            concept_weights=concepts[1],
            concept_token_ids=concepts[2],
            concept_of_item=concepts[3],
            credit_of_item=concepts[4],
            system_token_ids=system_token_ids,
            source_text=f"{requirement.title}\n{requirement.description}",
        )

    def _label_words(
        self, title_words: Sequence[str], title: Sequence[str], chinese: bool
    ) -> tuple[str, ...]:
        """A Chinese title (or description), or one read wholly as knowledge but for
        calibres and designations, is read with the label words of its concepts too,
        which every line carries (see indexbuild.fuzzy_words): rapidfuzz compares those,
        and the IDF coverage counts them. A Chinese text's concepts are its words,
        whatever plain words (採購, 國內產製) come with them. Empty for any other title,
        which is read as written."""
        if not chinese and any(
            not (CALIBRE_TOKEN.match(w) or DESIGNATION_TOKEN.match(w)) for w in title_words
        ):
            return ()
        if not any(t.startswith(CONCEPT_PREFIX) for t in title):
            return ()
        return fuzzy_words([tuple(title)], self.table.concept_words)[0]

    def _related_marks(self, concepts: Sequence[str], query_tokens: Sequence[str]) -> set[str]:
        """Phrase marks (concept or system ids) whose inner words count for this
        requirement: its own concepts, their broader concepts, narrower ones, and the
        systems it names or whose concepts are among those."""
        table = self.table
        wanted = set(concepts)
        broader = {a for c in concepts for a in table.ancestors(c)}
        marks = wanted | broader
        marked_below, systems_of, exact = self._mark_maps()
        for concept in wanted:
            marks.update(marked_below.get(concept, ()))
        if exact:
            for mark in list(marks):
                marks.update(systems_of.get(mark, ()))
        else:  # a system id is also some system's concept: the order of the walk counts
            for system, system_concepts in table.system_concepts.items():
                if any(c in marks for c in system_concepts):
                    marks.add(system)
        marks.update(named_system_ids(query_tokens))
        return marks

    def _mark_maps(self) -> tuple[dict[str, list[str]], dict[str, list[str]], bool]:
        """Per concept, the marked concepts below it and the systems that have it, once
        per index: walking every marked concept and system per requirement was a tenth
        of a batch's ranking. The bool: no system id is also a system's concept, so the
        systems can be looked up by concept in any order."""
        if self._marks_cache is None:
            table = self.table
            marked_below: dict[str, list[str]] = {}
            for concept in self._concepts_with_marks:
                for ancestor in set(table.ancestors(concept)):
                    marked_below.setdefault(ancestor, []).append(concept)
            systems_of: dict[str, list[str]] = {}
            for system, system_concepts in table.system_concepts.items():
                for concept in set(system_concepts):
                    systems_of.setdefault(concept, []).append(system)
            exact = systems_of.keys().isdisjoint(table.system_concepts)
            self._marks_cache = (marked_below, systems_of, exact)
        return self._marks_cache

    def _with_calibre_family(
        self, title: Sequence[str], description: Sequence[str]
    ) -> Sequence[str]:
        """The title's tokens, plus small-arms ammunition when a calibre says it and no
        word does.

        Under 20 mm a calibre is a rifle, pistol or machine-gun cartridge whatever the
        other words say ("7.62 mm blank rounds", 「7.62公厘空包彈」): without the family a
        training or tracer word alone sends the requirement to tank or artillery
        training rounds. Only when the requirement's concepts are ammunition roles or
        none, so a machine gun or a rifle asked for stays a weapon.
        """
        family = SMALL_ARMS_AMMUNITION
        if family not in self.table.concept_parent:
            return title
        words = (*title, *description)
        small = [c for c in calibres(words) if float(c[:-2]) < SMALL_ARMS_MAX_MM]
        if not small:
            return title
        for token in words:
            if not token.startswith(CONCEPT_PREFIX):
                continue
            lineage = (token[1:], *self.table.ancestors(token[1:]))
            if family in lineage or not lineage[-1].endswith(AMMUNITION_SUFFIX):
                return title
        return (*title, CONCEPT_PREFIX + family)

    def _query_concepts(self, title: Sequence[str], description: Sequence[str]):
        """The requirement's concepts and the tokens that earn credit for each.

        A concept implied by a more specific one of the requirement ("drone" beside
        "FPV drone") is left out. Each concept weighs its role (title 1, description
        only 0.35) times its specificity, 1 + its depth in the concept tree. Credit:
        exact (the line names it) 1; narrower (the line names a kind of it) 0.9;
        broader (the line names a class it belongs to) 0.5 x (1 + that class's
        depth) / (1 + its own); sibling (both are kinds of the same parent) 0.8 of
        the parent's broader credit. The best of these counts, per concept. A
        concept the requirement has only through a system it names weighs half.
        A concept named only as what a product serves (after "for", see
        coprod.purpose) weighs ACCESSORY_SHARE on either side: a line
        naming what is asked so earns that share of exact credit, and a line
        naming the requirement's own such concept so earns it whole.
        """
        table = self.table
        in_title = [t[1:] for t in title if t.startswith(CONCEPT_PREFIX)]
        in_description = [t[1:] for t in description if t.startswith(CONCEPT_PREFIX)]
        prefix = _ACCESSORY_CONCEPT
        served_title = [t[len(prefix) :] for t in title if t.startswith(prefix)]
        served_description = [t[len(prefix) :] for t in description if t.startswith(prefix)]
        # A concept implied by a more specific one said in the same part ("drone"
        # beside "FPV drone") is left out; the title's concepts stay whatever the
        # description adds, as the title says what is asked for.
        title_implied = {a for c in in_title for a in table.ancestors(c)}
        every_implied = title_implied | {a for c in in_description for a in table.ancestors(c)}
        own = list(
            dict.fromkeys(
                [c for c in in_title if c not in title_implied]
                + [c for c in in_description if c not in every_implied and c not in in_title]
            )
        )
        # what the product serves, unless the requirement asks for that itself
        every_implied.update(own)
        accessory = [
            c for c in dict.fromkeys(served_title + served_description) if c not in every_implied
        ]
        served_implied = {a for c in accessory for a in table.ancestors(c)}
        accessory = [c for c in accessory if c not in served_implied]
        concepts = tuple(own + accessory)
        is_accessory = [False] * len(own) + [True] * len(accessory)
        weights, token_ids, owners, item_credits = [], [], [], []
        title_set = set(in_title)
        of_systems = {
            concept
            for token in (*title, *description)
            if token.startswith(SYSTEM_PREFIX)
            for concept in table.system_concepts.get(token[1:], ())
        }
        served_in_title = set(served_title)
        for position, concept in enumerate(concepts):
            ancestors = table.ancestors(concept)
            depth = len(ancestors)
            if is_accessory[position]:
                # as a concept asked for: title weight when the title names it, or
                # when the title names no concept at all
                title_role = concept in served_in_title or not (in_title or served_title)
                role = ACCESSORY_SHARE * (1.0 if title_role else DESCRIPTION_WEIGHT)
                weights.append(role * (1 + depth))
                own_credit, served_credit = ACCESSORY_SHARE, EXACT_CREDIT
            else:
                role = 1.0 if (concept in title_set or not in_title) else DESCRIPTION_WEIGHT
                if concept in of_systems:
                    role *= NAMED_SYSTEM_CONCEPT_WEIGHT
                weights.append(role * (1 + depth))
                own_credit, served_credit = EXACT_CREDIT, ACCESSORY_SHARE
            items = [(CONCEPT_PREFIX + concept, own_credit)]
            items.append((ANCESTOR_PREFIX + concept, own_credit * NARROWER_CREDIT))
            items.append((_ACCESSORY_CONCEPT + concept, served_credit))
            items.append((_ACCESSORY_ANCESTOR + concept, served_credit * NARROWER_CREDIT))
            if not is_accessory[position]:
                for level, ancestor in enumerate(ancestors):
                    closeness = (depth - level) / (1 + depth)  # parent of depth 2: 2/3
                    items.append((CONCEPT_PREFIX + ancestor, BROADER_CREDIT * closeness))
                if ancestors:  # a kind of the same parent: a little less than the parent
                    sibling = SIBLING_SHARE * BROADER_CREDIT * depth / (1 + depth)
                    items.append((ANCESTOR_PREFIX + ancestors[0], sibling))
            for token, credit in items:
                token_id = self.vocabulary.get(token)
                if token_id is not None:
                    token_ids.append(token_id)
                    owners.append(position)
                    item_credits.append(credit)
        return (
            concepts,
            np.asarray(weights, dtype=np.float64),
            np.asarray(token_ids, dtype=np.int32),
            np.asarray(owners, dtype=np.int64),
            np.asarray(item_credits, dtype=np.float64),
        )
