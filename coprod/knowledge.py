"""The defence knowledge base: concepts, named systems and who must consent to them.

Three tables, shipped in data/ and extendable from a catalog folder (a user's
row wins over the shipped row with the same id):

- **concepts** (`concepts.csv`): a kind of thing ("guided artillery
  projectile") with a preferred English label, alternative labels
  (abbreviations, spelling variants, procurement wording), one broader
  concept and Traditional Chinese labels;
- **systems** (`systems.csv`): a named system or product (Excalibur) with its
  designations and aliases (M982, XM982), Chinese names, concepts, makers and
  country of origin;
- **system relations** (`system_relations.csv`): a system's co-developers,
  licensors and licensees, each with a country: the governments that may have
  to consent to a co-production.

Matching meets the knowledge base through tokens (see `knowledge_terms` and
coprod.text): a label or alias found in a text, longest phrase first, is read
as *knowledge tokens* that ordinary text never produces:

    §<concept_id>   the text names this concept (directly, or through a system)
    ↑<concept_id>   ... a narrower concept of this one (one token per ancestor)
    ¤<system_id>    the text names this system
    ⊂<any of those> the text names it only as what its product serves
                    ("for mortar bombs", see coprod.purpose)

A multi-word label's own words are consumed by it, so "chain" in "Bushmaster
chain guns" is no evidence for "supply chain"; a one-word label keeps its
word beside its tokens.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

CONCEPT_PREFIX = "§"
ANCESTOR_PREFIX = "↑"
SYSTEM_PREFIX = "¤"
# Put before a concept, ancestor or system token that a text names only as what its
# product serves ("drop mechanism for mortar bombs", "motors for Javelin"), not as
# the product: "⊂§mortar_ammunition" (see coprod.purpose).
ACCESSORY_PREFIX = "⊂"
KNOWLEDGE_PREFIXES = (CONCEPT_PREFIX, ANCESTOR_PREFIX, SYSTEM_PREFIX, ACCESSORY_PREFIX)
# A word read inside a knowledge-base phrase carries the phrase's first token after
# this mark ("chain@autocannon" in "Bushmaster chain guns"): it meets the same word
# in the same phrase, never the word alone ("supply chain"); see CapabilityIndex.query.
QUALIFIER = "@"

CONCEPTS_FILENAME = "concepts.csv"
SYSTEMS_FILENAME = "systems.csv"
RELATIONS_FILENAME = "system_relations.csv"
LIST_SEPARATOR = "|"
ROLES: tuple[str, ...] = ("co_developer", "licensor", "licensee")
MAX_DEPTH = 16  # a broader chain longer than this is a cycle in a user's file

CONCEPT_COLUMNS = ("concept_id", "label", "alt_labels", "broader", "labels_zh", "category")
SYSTEM_COLUMNS = (
    "system_id",
    "name",
    "aliases",
    "labels_zh",
    "concepts",
    "makers",
    "country",
)
RELATION_COLUMNS = ("system_id", "organisation", "country", "role")


def is_knowledge_token(token: str) -> bool:
    return token[:1] in KNOWLEDGE_PREFIXES


def named_system_ids(tokens: Iterable[str]) -> tuple[str, ...]:
    """The ids of the systems a text's tokens name, as its product or as what its
    product serves (either way their co-developers are asked)."""
    found = (token.removeprefix(ACCESSORY_PREFIX) for token in tokens)
    return tuple(dict.fromkeys(t[1:] for t in found if t.startswith(SYSTEM_PREFIX)))


def split_list(cell: str) -> tuple[str, ...]:
    """A ` | `-separated cell as its stripped, non-empty items."""
    # C-level map/filter, and no split for a cell of one item: a knowledge base has
    # thousands of cells, read at every catalog load (Knowledge.from_rows)
    if LIST_SEPARATOR not in cell:
        item = cell.strip()
        return (item,) if item else ()
    return tuple(filter(None, map(str.strip, cell.split(LIST_SEPARATOR))))


@dataclass(frozen=True, slots=True)
class Concept:
    """A kind of thing, with its labels and one broader concept."""

    concept_id: str
    label: str
    alt_labels: tuple[str, ...]
    broader: str  # a concept_id, "" for a root
    labels_zh: tuple[str, ...]
    category: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class KnownSystem:
    """A named system or product, with its designations, concepts and makers."""

    system_id: str
    name: str
    aliases: tuple[str, ...]
    labels_zh: tuple[str, ...]
    concepts: tuple[str, ...]
    makers: tuple[str, ...]
    country: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class SystemRelation:
    """A co-developer, licensor or licensee of a system, with its country."""

    system_id: str
    organisation: str
    country: str
    role: str  # one of ROLES
    source: str = ""


@dataclass(frozen=True)
class Knowledge:
    """Concepts, systems and relations by id; see the module docstring."""

    concepts: Mapping[str, Concept] = field(default_factory=dict)
    systems: Mapping[str, KnownSystem] = field(default_factory=dict)
    relations: Mapping[str, tuple[SystemRelation, ...]] = field(default_factory=dict)

    @classmethod
    def from_rows(
        cls,
        concepts: Iterable[Mapping[str, str]] = (),
        systems: Iterable[Mapping[str, str]] = (),
        relations: Iterable[Mapping[str, str]] = (),
    ) -> Knowledge:
        """From table rows (dicts of column -> text); a later row wins on the same id."""
        concept_map: dict[str, Concept] = {}
        for row in concepts:
            concept = concept_of(row)
            if concept.concept_id:
                concept_map[concept.concept_id] = concept
        system_map: dict[str, KnownSystem] = {}
        for row in systems:
            system = system_of(row)
            if system.system_id:
                system_map[system.system_id] = system
        relation_map: dict[str, list[SystemRelation]] = {}
        for row in relations:
            relation = relation_of(row)
            if relation.system_id:
                relation_map.setdefault(relation.system_id, []).append(relation)
        return cls(
            concepts=concept_map,
            systems=system_map,
            relations={key: tuple(value) for key, value in relation_map.items()},
        )

    @classmethod
    def from_table_rows(
        cls,
        concepts: Iterable[Sequence[object]] = (),
        systems: Iterable[Sequence[object]] = (),
        relations: Iterable[Sequence[object]] = (),
    ) -> Knowledge:
        """As `from_rows`, from a catalog's table rows: tuples of cells in the order of
        catalogschema.KNOWLEDGE_COLUMNS (the CSV columns, then source). What every
        catalog load does: no dict per row, no lookup per cell."""
        text = _text
        concept_map: dict[str, Concept] = {}
        for concept_id, label, alt_labels, broader, labels_zh, category, source in concepts:
            key = text(concept_id)
            if key:
                concept_map[key] = Concept(
                    key,
                    text(label),
                    split_list(text(alt_labels)),
                    text(broader),
                    split_list(text(labels_zh)),
                    text(category),
                    text(source),
                )
        system_map: dict[str, KnownSystem] = {}
        for system_id, name, aliases, labels_zh, concept_ids, makers, country, source in systems:
            key = text(system_id)
            if key:
                system_map[key] = KnownSystem(
                    key,
                    text(name),
                    split_list(text(aliases)),
                    split_list(text(labels_zh)),
                    split_list(text(concept_ids)),
                    split_list(text(makers)),
                    text(country),
                    text(source),
                )
        relation_map: dict[str, list[SystemRelation]] = {}
        for system_id, organisation, country, role, source in relations:
            key = text(system_id)
            if key:
                relation = SystemRelation(
                    key, text(organisation), text(country), text(role), text(source)
                )
                relation_map.setdefault(key, []).append(relation)
        return cls(
            concepts=concept_map,
            systems=system_map,
            relations={key: tuple(value) for key, value in relation_map.items()},
        )

    def merged(self, other: Knowledge) -> Knowledge:
        """This knowledge extended by `other`; other's rows win (relations per system)."""
        relations = dict(self.relations)
        relations.update(other.relations)
        return Knowledge(
            concepts={**self.concepts, **other.concepts},
            systems={**self.systems, **other.systems},
            relations=relations,
        )

    def __bool__(self) -> bool:
        return bool(self.concepts or self.systems)

    # ---------------------------------------------------------------- graph

    def ancestors(self, concept_id: str) -> tuple[str, ...]:
        """Broader concepts of `concept_id`, nearest first (a cycle stops the walk)."""
        return self._ancestors.get(concept_id, ())

    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for concept_id in self.concepts:
            chain: list[str] = []
            current = self.concepts[concept_id].broader
            while current and current in self.concepts and current not in chain:
                if current == concept_id or len(chain) >= MAX_DEPTH:
                    break
                chain.append(current)
                current = self.concepts[current].broader
            out[concept_id] = tuple(chain)
        return out

    def concept_label(self, concept_id: str) -> str:
        concept = self.concepts.get(concept_id)
        return concept.label if concept is not None else concept_id

    def concepts_of_system(self, system_id: str) -> tuple[str, ...]:
        system = self.systems.get(system_id)
        if system is None:
            return ()
        return tuple(c for c in system.concepts if c in self.concepts)

    def tokens_for_concepts(self, concept_ids: Iterable[str]) -> tuple[str, ...]:
        """§ tokens of the concepts, then ↑ tokens of all their ancestors."""
        direct = [c for c in dict.fromkeys(concept_ids) if c in self.concepts]
        ancestors = [a for c in direct for a in self.ancestors(c)]
        return (
            *(CONCEPT_PREFIX + c for c in direct),
            *(ANCESTOR_PREFIX + a for a in dict.fromkeys(ancestors)),
        )

    def tokens_for_system(self, system_id: str) -> tuple[str, ...]:
        return (
            SYSTEM_PREFIX + system_id,
            *self.tokens_for_concepts(self.concepts_of_system(system_id)),
        )

    # -------------------------------------------------------------- lookups

    @cached_property
    def system_by_name(self) -> dict[str, KnownSystem]:
        """Casefolded name, alias or Chinese label -> system (a name wins over an alias)."""
        out: dict[str, KnownSystem] = {}
        for system in self.systems.values():
            for alias in (*system.aliases, *system.labels_zh):
                out.setdefault(fold(alias), system)
        for system in self.systems.values():
            out[fold(system.name)] = system
        return out

    @cached_property
    def chinese_names_of_concept(self) -> dict[str, tuple[str, ...]]:
        """Concept id -> the Chinese labels of the systems that are one, and each label's
        name before a kind of thing (刺針飛彈 -> 刺針 as well), longest first: what a
        Chinese requirement may have called the concept by (see
        coprod.matching's notes)."""
        kinds = {zh for concept in self.concepts.values() for zh in concept.labels_zh}
        names: dict[str, set[str]] = {}
        for system in self.systems.values():
            written = {zh for zh in system.labels_zh if has_cjk(zh)}
            for zh in list(written):
                written.update(zh[:cut] for cut in range(2, len(zh) - 1) if zh[cut:] in kinds)
            for concept in system.concepts:
                names.setdefault(concept, set()).update(written)
        return {c: tuple(sorted(found, key=len, reverse=True)) for c, found in names.items()}

    def relations_of(self, system_id: str) -> tuple[SystemRelation, ...]:
        return self.relations.get(system_id, ())

    def fingerprint(self) -> str:
        """A digest of everything matching reads from here (for the saved index's key)."""
        import hashlib

        digest = hashlib.sha256()
        for concept in sorted(self.concepts.values(), key=lambda c: c.concept_id):
            digest.update(repr(_matching_fields(concept)).encode())
        for system in sorted(self.systems.values(), key=lambda s: s.system_id):
            digest.update(repr(_matching_fields(system)).encode())
        return digest.hexdigest()


def _matching_fields(row: Concept | KnownSystem) -> tuple:
    if isinstance(row, Concept):
        return (row.concept_id, row.label, row.alt_labels, row.broader, row.labels_zh)
    return (row.system_id, row.name, row.aliases, row.labels_zh, row.concepts)


# Hyphens, dashes (U+2010-U+2015), underscores and slashes read as spaces in a name.
_NAME_SEPARATORS = str.maketrans(dict.fromkeys("-_/\u2010\u2011\u2012\u2013\u2014\u2015", " "))


def fold(text: str) -> str:
    """How names are compared: NFKC, casefolded, runs of spaces and hyphens as one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    # translate, not a regex: system_by_name folds thousands of names at every start
    return " ".join(text.translate(_NAME_SEPARATORS).split())


def _cell(row: Mapping[str, str], name: str) -> str:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else ""


def _text(value: object) -> str:
    """A cell as `_cell` reads it: stripped text, "" for anything else (None)."""
    return value.strip() if isinstance(value, str) else ""


def concept_of(row: Mapping[str, str]) -> Concept:
    return Concept(
        concept_id=_cell(row, "concept_id"),
        label=_cell(row, "label"),
        alt_labels=split_list(_cell(row, "alt_labels")),
        broader=_cell(row, "broader"),
        labels_zh=split_list(_cell(row, "labels_zh")),
        category=_cell(row, "category"),
        source=_cell(row, "source"),
    )


def system_of(row: Mapping[str, str]) -> KnownSystem:
    return KnownSystem(
        system_id=_cell(row, "system_id"),
        name=_cell(row, "name"),
        aliases=split_list(_cell(row, "aliases")),
        labels_zh=split_list(_cell(row, "labels_zh")),
        concepts=split_list(_cell(row, "concepts")),
        makers=split_list(_cell(row, "makers")),
        country=_cell(row, "country"),
        source=_cell(row, "source"),
    )


def relation_of(row: Mapping[str, str]) -> SystemRelation:
    return SystemRelation(
        system_id=_cell(row, "system_id"),
        organisation=_cell(row, "organisation"),
        country=_cell(row, "country"),
        role=_cell(row, "role"),
        source=_cell(row, "source"),
    )


# ------------------------------------------------------------------ terms


@dataclass(frozen=True, slots=True)
class Term:
    """A label as matching reads it: its text, the tokens it stands for, and whether
    it is Chinese (matched inside runs of CJK characters, not word by word)."""

    text: str
    tokens: tuple[str, ...]
    chinese: bool


def knowledge_terms(knowledge: Knowledge) -> list[Term]:
    """Every label, alias and Chinese name with the knowledge tokens it is read as.

    The same text named by two entries gets both entries' tokens (a system named
    like a concept, two concepts sharing an abbreviation), so nothing a user wrote
    is silently dropped.
    """
    by_text: dict[tuple[str, bool], list[str]] = {}

    def add(text: str, tokens: Sequence[str]) -> None:
        text = text.strip()
        if not text or _too_ambiguous(text):
            return
        chinese = has_cjk(text)
        key = (unicodedata.normalize("NFKC", text).casefold(), chinese)
        by_text.setdefault(key, []).extend(tokens)

    for concept in knowledge.concepts.values():
        tokens = knowledge.tokens_for_concepts([concept.concept_id])
        for text in (concept.label, *concept.alt_labels, *concept.labels_zh):
            add(text, tokens)
    for system in knowledge.systems.values():
        tokens = knowledge.tokens_for_system(system.system_id)
        for text in (system.name, *system.aliases, *system.labels_zh):
            add(text, tokens)
    return [
        Term(text=text, tokens=_ordered(tokens), chinese=chinese)
        for (text, chinese), tokens in by_text.items()
    ]


def _too_ambiguous(text: str) -> bool:
    """A one- or two-letter word ("HE", "EW", "AS") is also an ordinary word or a
    hundred other abbreviations: as a label it would be evidence for nothing."""
    return len(text) <= 2 and text.isalpha() and not has_cjk(text)


def _ordered(tokens: Sequence[str]) -> tuple[str, ...]:
    """Systems, then concepts, then ancestors; each once; an ancestor that is also a
    direct concept stays only as the direct one."""
    unique = list(dict.fromkeys(tokens))
    direct = {t[1:] for t in unique if t.startswith(CONCEPT_PREFIX)}
    return tuple(
        [t for t in unique if t.startswith(SYSTEM_PREFIX)]
        + [t for t in unique if t.startswith(CONCEPT_PREFIX)]
        + [t for t in unique if t.startswith(ANCESTOR_PREFIX) and t[1:] not in direct]
    )


# Han, kana, bopomofo and CJK symbols: what Chinese text is written in.
CJK_CLASS = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Compiled on first use (module __getattr__): sre is slow to compile a class this wide,
# a large share of a warm one-requirement `coprod rank` on English text, which never
# needs them (benchmarks/README.md).
_LAZY_PATTERNS = {
    "_CJK": f"[{CJK_CLASS}]",
    # CJK_RUNS: a text split into runs of CJK characters and runs of anything else.
    "CJK_RUNS": f"[{CJK_CLASS}]+|[^{CJK_CLASS}]+",
}


def __getattr__(name: str) -> re.Pattern[str]:
    pattern = _LAZY_PATTERNS.get(name)
    if pattern is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = re.compile(pattern)
    return compiled


def cjk_runs(text: str) -> list[str]:
    """`text` as runs of CJK characters and runs of anything else (CJK_RUNS.findall)."""
    runs = globals().get("CJK_RUNS") or __getattr__("CJK_RUNS")
    return runs.findall(text)


def has_cjk(text: str) -> bool:
    if text.isascii():  # no CJK character is ASCII: most tokens never need the pattern
        return False
    pattern = globals().get("_CJK") or __getattr__("_CJK")
    return pattern.search(text) is not None


# ------------------------------------------------------------ shipped data


def read_knowledge_folder(folder: Path) -> Knowledge:
    """The knowledge files of a folder (each optional), read as trusted UTF-8 CSV."""

    def rows(name: str) -> list[dict[str, str]]:
        path = folder / name
        if not path.is_file():
            return []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [dict(row) for row in csv.DictReader(handle)]

    return Knowledge.from_rows(
        rows(CONCEPTS_FILENAME), rows(SYSTEMS_FILENAME), rows(RELATIONS_FILENAME)
    )


_SHIPPED: Knowledge | None = None


def shipped_knowledge() -> Knowledge:
    """data/'s knowledge base as shipped (empty on a broken install)."""
    global _SHIPPED
    if _SHIPPED is None:
        from coprod.paths import shipped_data_dir

        try:
            _SHIPPED = read_knowledge_folder(shipped_data_dir())
        except FileNotFoundError:
            _SHIPPED = Knowledge()
    return _SHIPPED


# ---------------------------------------------------------- organisations

_LEGAL_SUFFIXES_TEXT = """
inc incorporated corp corporation co company ltd limited llc plc ag gmbh sa sas spa
ab asa as oy bv nv kg se group holdings holding the of and
"""
_LEGAL_SUFFIXES = frozenset(_LEGAL_SUFFIXES_TEXT.split())


@lru_cache(maxsize=65536)  # feasibility asks it for the same few names per pairing
def organisation_key(name: str) -> frozenset[str]:
    """The distinctive words of an organisation's name (legal suffixes dropped)."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())
    return frozenset(word for word in words if word not in _LEGAL_SUFFIXES)


def same_organisation(a: str, b: str) -> bool:
    """True when one name's distinctive words all appear in the other's ("RTX" and
    "RTX Corporation (Raytheon)"; "BAE Systems Bofors" and "BAE Systems Bofors AB")."""
    return same_organisation_keys(organisation_key(a), organisation_key(b))


def same_organisation_keys(key_a: frozenset[str], key_b: frozenset[str]) -> bool:
    """`same_organisation` of two names given as their organisation_key (for a name
    compared with many others)."""
    if not key_a or not key_b:
        return False
    return key_a <= key_b or key_b <= key_a
