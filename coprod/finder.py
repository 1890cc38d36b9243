"""Find anything in a catalog from a few typed words: requirements, partners, systems,
concepts and capability lines, in English or Chinese.

Text is compared folded (`coprod.knowledge.fold`: NFKC, casefolded, runs of spaces
and hyphens as one space), so "FGM-148", "fgm 148" and the full-width "ＦＧＭ－１４８"
are one query. Every typed word must occur in an entry (substring; a Chinese
word inside a run of characters counts). Hits are ranked by how they matched:

    0  the whole query is an id, a name, an alias or a Chinese name ("rtx", "excalibur")
    1  a name starts with the query
    2  every word starts a word of one name ("lock mar" -> Lockheed Martin)
    3  every word is inside one name
    4  the words are spread over the entry's other text (a description, a line)

then by kind (partner, system, requirement, concept, capability line), then
alphabetically. Each hit says what it is and why it matched.

`Finder.for_catalog` builds the folded texts once per catalog (cached), and per
kind one text joining them all (newline-separated: a folded text holds no
newline, nor does a typed word). A query looks for its longest word in each
joined text with `str.find` (C speed) and tests only the entries it lands in,
so a word rare in 100,000 partners costs a few milliseconds, not one Python
test per entry.
"""

from __future__ import annotations

import heapq
import re
import threading
import time
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from coprod.knowledge import fold, has_cjk, organisation_key
from coprod.model import Catalog, Pairing, Requirement

_MAIN = threading.main_thread()
KINDS: tuple[str, ...] = ("partner", "system", "requirement", "concept", "capability")
KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
OTHER_TEXT = 4  # the tier of a hit found only in an entry's other text
# Matches through a name (tiers 0-3) make a partner, system or concept relevant to
# requirements; a word in a partner's description ("missiles") would make too many.
NAME_TIERS = 3
_WORD = re.compile(r"\w+")
# A concept named by the query's start (tiers 0-1) is followed into requirements'
# text through its other labels; a few at most, the best first.
CONCEPT_TIERS = 1
CONCEPTS_FOLLOWED = 8
# One Latin letter is in nearly every name: it keeps requirements by their own text
# only (following it into every partner and line costs the most and adds nothing).
MIN_RELATED_CHARS = 2
# Catalogs up to this many partners plus capability lines get their finder built on
# the spot; bigger ones in a thread (Finder.ready). Above LIVE_LINES capability lines
# the filter leaves line text out (one substring test per line per keystroke would
# hold the screen); their systems and partners are still followed.
SYNC_BUILD_ROWS = 50_000
LIVE_LINES = 50_000
YIELD_EVERY = 2_000  # entries built between two pauses (_let_others_run)
YIELD_S = 0.002
FILTERS_KEPT = 32  # queries whose ranking-free part a finder keeps (a word being typed)


@dataclass(frozen=True, slots=True)
class Found:
    """One hit: what it is, how it is shown, why it matched, and how well (tier)."""

    kind: str  # one of KINDS
    key: str  # requirement_id, partner_id, system name, concept_id, or a capability id
    label: str  # the name, title or line as the catalog writes it
    why: str  # the field that matched and its text: "alias: M982", "description"
    tier: int  # 0 (exact) .. 4 (other text); see the module docstring
    partner_ids: tuple[str, ...] = ()  # a system's makers, a line's partner
    capability_ids: tuple[int, ...] = ()  # a system's lines in the catalog
    category: str = ""  # a concept's category (the catalog's category vocabulary)


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    key: str
    label: str
    names: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # field, as written, folded, words
    other: str  # every other searchable field, folded, joined
    text: str  # the names and the other text, folded: one test rejects most entries
    names_text: str  # the folded names, newline-separated: no word in it, no name tier
    order: str  # the label folded: hits sort by it
    partner_ids: tuple[str, ...] = ()
    capability_ids: tuple[int, ...] = ()
    category: str = ""


def _entry(
    kind: str,
    key: str,
    label: str,
    names: tuple[tuple[str, str, str, tuple[str, ...]], ...],
    other: str,
    **related: object,
) -> _Entry:
    text = " ".join([*(folded for _, _, folded, _ in names), other])
    names_text = "\n".join(folded for _, _, folded, _ in names)
    order = next((f for _, written, f, _ in names if written == label), None)
    if order is None:
        order = fold(label)
    return _Entry(kind, key, label, names, other, text, names_text, order, **related)  # type: ignore[arg-type]


def _let_others_run(count: int) -> None:
    """Off the main thread, give up the interpreter now and then: a big catalog's finder
    is built in a thread, and a thread that never waits takes the interpreter lock from
    the UI's event loop for a second or more at a time (the lock goes back and forth
    every few milliseconds, and the loop needs it many times per key)."""
    if count % YIELD_EVERY == 0 and count and threading.current_thread() is not _MAIN:
        time.sleep(YIELD_S)


def query_words(query: str) -> list[str]:
    """The typed words, folded as catalog text is."""
    return fold(query).split()


def _name_tier(words: Sequence[str], phrase: str, folded: str, starts: Sequence[str]) -> int | None:
    if folded == phrase:
        return 0
    if folded.startswith(phrase):
        return 1
    if not all(word in folded for word in words):
        return None
    if all(any(s.startswith(word) for s in starts) for word in words):
        return 2
    return 3


def _match(entry: _Entry, words: Sequence[str], phrase: str) -> tuple[int, str] | None:
    text = entry.text
    for word in words:
        if word not in text:
            return None
    names_text = entry.names_text
    # A name tier needs every word in one name, so in the names together: most hits
    # of a common word are in a description, and skip the per-name tests.
    if not all(word in names_text for word in words):
        if not any(word in names_text for word in words):
            return OTHER_TEXT, _other_name(entry.kind)
        fields = [name for name, _, folded, _ in entry.names if any(w in folded for w in words)]
        return OTHER_TEXT, " and ".join(dict.fromkeys([*fields, _other_name(entry.kind)]))
    best: tuple[int, str] | None = None
    for name, written, folded, starts in entry.names:
        tier = _name_tier(words, phrase, folded, starts)
        if tier is not None and (best is None or tier < best[0]):
            why = name if written == entry.label else f"{name}: {written}"
            best = (tier, why)
            if tier == 0:
                break
    if best is not None:
        return best
    fields = [name for name, _, folded, _ in entry.names if any(w in folded for w in words)]
    return OTHER_TEXT, " and ".join(dict.fromkeys([*fields, _other_name(entry.kind)]))


_OTHER_NAMES = {
    "partner": "description",
    "requirement": "description",
    "capability": "line",
    "system": "makers",
    "concept": "labels",
}


def _other_name(kind: str) -> str:
    return _OTHER_NAMES[kind]


class Finder:
    """The searchable texts of one catalog; see the module docstring."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.entries: list[_Entry] = []
        self._lines: list[_Entry] | None = None  # capability lines, searched only when asked
        self._lines_lock = threading.Lock()
        self._add_partners(catalog)
        self._add_requirements(catalog)
        self._add_systems(catalog)
        self._add_concepts(catalog)
        self._joined: dict[str, _Joined] = {}
        self._joined_names: dict[str, _Joined] = {}
        for kind in KINDS[:-1]:
            of_kind = [e for e in self.entries if e.kind == kind]
            self._joined[kind] = _Joined(of_kind, [e.text for e in of_kind])
            self._joined_names[kind] = _Joined(of_kind, [e.names_text for e in of_kind])
        if len(catalog.capabilities) <= LIVE_LINES:
            self.lines  # noqa: B018 - built now: the filter searches them on every keystroke
        self._filtered: dict[tuple[str, tuple[str, ...]], _Found] = {}
        self._filter_lock = threading.Lock()
        self._requirement_texts: dict[str, tuple[Requirement, str]] = {}

    @property
    def lines(self) -> list[_Entry]:
        """The capability lines' entries, built on first use: above LIVE_LINES lines the
        filter never searches them, and they are most of a big catalog's build."""
        with self._lines_lock:
            if self._lines is None:
                lines: list[_Entry] = []
                self._add_lines(self.catalog, lines)
                self._joined["capability"] = _Joined(lines, [e.text for e in lines])
                self._joined_names["capability"] = _Joined(lines, [e.names_text for e in lines])
                self._lines = lines
            return self._lines

    def requirement_text(self, requirement: Requirement) -> str:
        """The requirement's searchable text, folded (kept: the filter asks per keystroke)."""
        cached = self._requirement_texts.get(requirement.requirement_id)
        if cached is None or cached[0] is not requirement:
            cached = (requirement, _requirement_text(requirement))
            self._requirement_texts[requirement.requirement_id] = cached
        return cached[1]

    _cache: weakref.WeakValueDictionary[int, Finder] = weakref.WeakValueDictionary()
    _lock = threading.Lock()
    _last: Finder | None = None  # keeps the latest alive for the cache

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> Finder:
        """The finder of `catalog`, built on first use and kept while the catalog lives."""
        with cls._lock:
            found = cls._cache.get(id(catalog))
            if found is not None and found.catalog is catalog:
                return found
        built = cls(catalog)
        with cls._lock:
            cls._cache[id(catalog)] = built
            cls._last = built
        return built

    _building: set[int] = set()

    @classmethod
    def ready(cls, catalog: Catalog) -> Finder | None:
        """The finder of `catalog` if it can be had now: built at once for a catalog of
        up to SYNC_BUILD_ROWS partners and lines (the shipped one takes a blink), else
        built in a thread of its own and None until then, so a big catalog's first
        keystroke in the filter never waits seconds for it."""
        with cls._lock:
            found = cls._cache.get(id(catalog))
            if found is not None and found.catalog is catalog:
                return found
            big = len(catalog.partners) + len(catalog.capabilities) > SYNC_BUILD_ROWS
            if big and id(catalog) in cls._building:
                return None
            if big:
                cls._building.add(id(catalog))
        if not big:
            return cls.for_catalog(catalog)

        def build() -> None:
            try:
                cls.for_catalog(catalog)
            finally:
                with cls._lock:
                    cls._building.discard(id(catalog))

        threading.Thread(target=build, name="coprod-finder", daemon=True).start()
        return None

    # ------------------------------------------------------------------ building

    def _add_partners(self, catalog: Catalog) -> None:
        for count, partner in enumerate(catalog.partners.values()):
            _let_others_run(count)
            names = [("name", partner.name), ("id", partner.partner_id)]
            self.entries.append(
                _entry(
                    "partner",
                    partner.partner_id,
                    partner.name,
                    _folded_names(names),
                    fold(f"{partner.description} {partner.country} {partner.kind}"),
                    partner_ids=(partner.partner_id,),
                )
            )

    def _add_requirements(self, catalog: Catalog) -> None:
        for r in catalog.requirements.values():
            names = [("id", r.requirement_id), ("title", r.title)]
            self.entries.append(
                _entry(
                    "requirement",
                    r.requirement_id,
                    r.title,
                    _folded_names(names),
                    fold(f"{r.description} {r.category} {r.priority}"),
                )
            )

    def _add_systems(self, catalog: Catalog) -> None:
        """The knowledge base's systems and the catalog's system column, one entry per
        system: a catalog name that is a known system's name or alias joins it."""
        knowledge = catalog.knowledge
        by_name = knowledge.system_by_name
        lines: dict[str, list[int]] = {}  # system key -> capability ids
        makers: dict[str, list[str]] = {}  # system key -> partner ids
        written: dict[str, str] = {}  # a catalog-only system's key -> its name
        columns = _columns(catalog)
        keys: dict[str, str] = {}  # a system as written -> its key (few distinct names)
        for capability_id, partner_id, system in zip(
            columns["capability_id"],
            columns["partner_id"],
            columns["system"],
            strict=True,
        ):
            if not system:
                continue
            key = keys.get(system)
            if key is None:
                folded = fold(system)
                known = by_name.get(folded)
                key = keys[system] = "¤" + known.system_id if known is not None else folded
            written.setdefault(key, system)
            lines.setdefault(key, []).append(capability_id)
            makers.setdefault(key, []).append(partner_id)
        for system, partner_ids in catalog.codevelopers.items():
            known = by_name.get(fold(system))
            key = "¤" + known.system_id if known is not None else fold(system)
            written.setdefault(key, system)
            makers.setdefault(key, []).extend(partner_ids)
        partner_of = _OrganisationIndex(catalog)
        for system in knowledge.systems.values():
            key = "¤" + system.system_id
            names = [
                ("name", system.name),
                *(("alias", a) for a in system.aliases),
                *(("Chinese name", z) for z in system.labels_zh),
            ]
            found_makers = [*makers.get(key, ()), *partner_of.ids(system.makers)]
            self.entries.append(
                _entry(
                    "system",
                    system.name,
                    system.name,
                    _folded_names(names),
                    fold(" ".join(system.makers) + " " + system.country),
                    partner_ids=tuple(dict.fromkeys(found_makers)),
                    capability_ids=tuple(lines.get(key, ())),
                )
            )
        for key, name in written.items():
            if key.startswith("¤"):
                continue
            self.entries.append(
                _entry(
                    "system",
                    name,
                    name,
                    _folded_names([("name", name)]),
                    "",
                    partner_ids=tuple(dict.fromkeys(makers.get(key, ()))),
                    capability_ids=tuple(lines.get(key, ())),
                )
            )

    def _add_concepts(self, catalog: Catalog) -> None:
        for concept in catalog.knowledge.concepts.values():
            names = [
                ("concept", concept.label),
                *(("label", a) for a in concept.alt_labels),
                *(("Chinese label", z) for z in concept.labels_zh),
            ]
            self.entries.append(
                _entry(
                    "concept",
                    concept.concept_id,
                    concept.label,
                    _folded_names(names),
                    "",
                    category=concept.category,
                )
            )

    def _add_lines(self, catalog: Catalog, into: list[_Entry]) -> None:
        columns = _columns(catalog)
        for count, (capability_id, partner_id, text, system) in enumerate(
            zip(
                columns["capability_id"],
                columns["partner_id"],
                columns["capability"],
                columns["system"],
                strict=True,
            )
        ):
            _let_others_run(count)
            names = [("system", system)] if system else []
            into.append(
                _entry(
                    "capability",
                    str(capability_id),
                    text,
                    _folded_names(names),
                    fold(text),
                    partner_ids=(partner_id,),
                    capability_ids=(capability_id,),
                )
            )

    # ------------------------------------------------------------------ finding

    def find(
        self,
        query: str,
        kinds: Iterable[str] = KINDS,
        limit: int | None = None,
    ) -> list[Found]:
        """Every entry of `kinds` that `query` matches, best first (see the module docstring)."""
        words = query_words(query)
        if not words:
            return []
        return _hits(self._pool(words, kinds, self._joined), words, limit)

    def find_names(self, query: str, kinds: Iterable[str] = KINDS) -> list[Found]:
        """The hits of `find` through a name (tiers 0-3), in its order: a name tier needs
        every word in one name, so only entries whose names hold the longest word are
        tested (a common word is in thousands of descriptions, in few names)."""
        words = query_words(query)
        if not words:
            return []
        pool = self._pool(words, kinds, self._joined_names)
        return [h for h in _hits(pool, words, None) if h.tier < OTHER_TEXT]

    def _pool(self, words: list[str], kinds: Iterable[str], joined: dict) -> list:
        """The entries of `kinds` whose joined text (`joined`, per kind) holds the longest
        word: the fewest entries to test, every one that can match."""
        wanted = set(kinds)
        if "capability" in wanted:
            self.lines  # noqa: B018 - built on first use
        rarest = max(words, key=len)
        return [e for kind in KINDS if kind in wanted for e in joined[kind].having(rarest)]

    def find_scanning(
        self, query: str, kinds: Iterable[str] = KINDS, limit: int | None = None
    ) -> list[Found]:
        """What `find` returns, by testing every entry: the reference the tests hold
        `find` to."""
        words = query_words(query)
        if not words:
            return []
        wanted = set(kinds)
        pool: list[_Entry] = [e for e in self.entries if e.kind in wanted]
        if "capability" in wanted:
            pool = [*pool, *self.lines]
        return _hits(pool, words, limit)


class _Joined:
    """A folded text of each of one kind's entries (all its text, or its names) joined by
    newlines, and where each starts: a word's occurrences in the joined text name the
    entries that hold it."""

    def __init__(self, entries: list[_Entry], texts: list[str]) -> None:
        self.entries = entries
        self.text = "\n".join(texts)
        self.starts: list[int] = []
        start = 0
        for text in texts:
            self.starts.append(start)
            start += len(text) + 1

    def having(self, word: str) -> list[_Entry]:
        """The entries whose text holds `word` (no newline in it), in their order."""
        text, starts, entries = self.text, self.starts, self.entries
        found: list[_Entry] = []
        at = text.find(word)
        while at >= 0:
            i = bisect_right(starts, at) - 1
            found.append(entries[i])
            if i + 1 >= len(starts):
                break
            at = text.find(word, starts[i + 1])
        return found


def _hits(pool: Iterable[_Entry], words: Sequence[str], limit: int | None) -> list[Found]:
    """The hits among `pool`, best first (entries of one kind in the finder's order)."""
    phrase = " ".join(words)
    ranked: list[tuple[int, int, str, str, int, Found]] = []
    for entry in pool:
        matched = _match(entry, words, phrase)
        if matched is None:
            continue
        tier, why = matched
        if entry.kind == "capability" and tier < OTHER_TEXT:
            why = "system: " + entry.names[0][1]
        elif entry.kind == "capability":
            why = "line"
        found = Found(
            entry.kind,
            entry.key,
            entry.label,
            why,
            tier,
            entry.partner_ids,
            entry.capability_ids,
            entry.category,
        )
        # by tier, kind, folded label and key; ties keep the finder's order
        ranked.append((tier, KIND_ORDER[entry.kind], entry.order, entry.key, len(ranked), found))
    ranked.sort()
    hits = [r[-1] for r in ranked]
    return hits if limit is None else hits[:limit]


def _folded_names(
    names: Iterable[tuple[str, str]],
) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    folded = [(name, text, fold(text)) for name, text in names if text.strip()]
    return tuple((name, text, f, tuple(_WORD.findall(f))) for name, text, f in folded)


def _columns(catalog: Catalog) -> Mapping[str, list]:
    from coprod.model import CapabilityColumns

    return CapabilityColumns.of(catalog.capabilities).columns


class _OrganisationIndex:
    """Catalog partners by the distinctive words of their names, to find a knowledge-base
    maker ("Raytheon") among them ("RTX (Raytheon)") as `same_organisation` would."""

    def __init__(self, catalog: Catalog) -> None:
        self.keys: dict[str, frozenset[str]] = {}
        self.by_word: dict[str, list[str]] = {}
        for partner in catalog.partners.values():
            key = organisation_key(partner.name)
            self.keys[partner.partner_id] = key
            for word in key:
                self.by_word.setdefault(word, []).append(partner.partner_id)
        self._memo: dict[str, tuple[str, ...]] = {}

    def ids(self, organisations: Iterable[str]) -> list[str]:
        found: list[str] = []
        for organisation in organisations:
            if organisation not in self._memo:
                self._memo[organisation] = self._of(organisation)
            found.extend(self._memo[organisation])
        return found

    def _of(self, organisation: str) -> tuple[str, ...]:
        key = organisation_key(organisation)
        if not key:
            return ()
        candidates = {pid for word in key for pid in self.by_word.get(word, ())}
        same = [
            pid
            for pid in candidates
            if self.keys[pid] and (key <= self.keys[pid] or self.keys[pid] <= key)
        ]
        if not same:
            return ()
        # The closest names only: "RTX" is RTX (Raytheon), not Collins Aerospace (RTX).
        distance = {pid: len(key ^ self.keys[pid]) for pid in same}
        closest = min(distance.values())
        return tuple(sorted(pid for pid in same if distance[pid] == closest))


# ---------------------------------------------------------------- the main filter


@dataclass(frozen=True)
class FilterResult:
    """Which requirements a filter keeps, and why each (for the caption and tests)."""

    kept: dict[str, str] = field(default_factory=dict)  # requirement id -> why
    # The partners, systems, concepts and lines that matched (`hits`), found when asked:
    # the filter itself needs only the ones matched by a name, far fewer on a big catalog.
    found: Callable[[], tuple[Found, ...]] = field(default=tuple, repr=False, compare=False)

    @property
    def hits(self) -> tuple[Found, ...]:
        return self.found()


def _requirement_text(requirement: Requirement) -> str:
    return fold(
        " ".join(
            (
                requirement.requirement_id,
                requirement.title,
                requirement.category,
                requirement.priority,
                requirement.description,
            )
        )
    )


def requirement_text_matches(requirement: Requirement, words: Sequence[str]) -> bool:
    """Every word (folded) is in the requirement's id, title, category, priority or
    description."""
    haystack = _requirement_text(requirement)
    return all(fold(word) in haystack for word in words)


def _names_label(text: str, label: str) -> bool:
    """`label` (not Chinese: a Chinese label counts anywhere in a run) is in `text` as
    whole words."""
    start = text.find(label)
    while start >= 0:
        end = start + len(label)
        if end < len(text) and text[end] == "s":
            end += 1  # a plural: "drone" names "drones"
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        start = text.find(label, start + 1)
    return False


def _concept_labels(catalog: Catalog, concept_id: str) -> tuple[str, ...]:
    concept = catalog.knowledge.concepts.get(concept_id)
    if concept is None:
        return ()
    labels = (fold(t) for t in (concept.label, *concept.alt_labels, *concept.labels_zh))
    return tuple(dict.fromkeys(t for t in labels if len(t) >= 3 or has_cjk(t)))


def filter_requirements(
    catalog: Catalog | None,
    requirements: Iterable[Requirement],
    words: Sequence[str],
    rankings: Mapping[str, object] | None = None,
) -> FilterResult:
    """The requirements `words` finds: their own text matches, or a matched partner,
    system, concept or capability line is relevant to them.

    Relevant means: the requirement's ranking as the session holds it
    (`rankings`: requirement id -> an object with `pairings`, e.g. session.Ranked)
    lists a pairing with that partner or that line (a system stands for its lines
    and makers), or the requirement's text names a concept the words name (by
    any of its labels: English, alternative or Chinese). The
    session's rankings are used, not a fresh scoring, because they cost nothing
    per keystroke (a fresh scoring of every requirement takes seconds) and they
    are what the screen shows once the requirement is selected; a requirement not
    ranked yet is kept only by its own text. What does not depend on the rankings
    is kept per query by the catalog's finder, so filtering again as rankings
    arrive costs one pass over them.
    """
    words = [w for word in words for w in query_words(word)]
    requirements = list(requirements)
    if not words:
        return FilterResult({r.requirement_id: "" for r in requirements})
    phrase = " ".join(words)
    finder = None
    if catalog is not None and (len(phrase) >= MIN_RELATED_CHARS or has_cjk(phrase)):
        finder = Finder.ready(catalog)  # None while a big catalog's finder is being built
    found = _found_for(finder, requirements, words, phrase)
    kept = dict(found.kept)
    if found.partners or found.lines:
        for requirement in requirements:
            rid = requirement.requirement_id
            if rid not in kept:
                why = _relevant((rankings or {}).get(rid), found.partners, found.lines)
                if why:
                    kept[rid] = why
    return FilterResult(kept, found.hits)


@dataclass(frozen=True, slots=True)
class _Found:
    """What a query finds whatever the rankings: requirements kept by their own text or
    a concept's label, and the partners and lines that make others relevant."""

    kept: dict[str, str]
    partners: dict[str, str]
    lines: dict[int, str]
    hits: Callable[[], tuple[Found, ...]]  # every hit, found on first call


def _found_for(
    finder: Finder | None,
    requirements: list[Requirement],
    words: list[str],
    phrase: str,
) -> _Found:
    if finder is None:
        kept = {
            r.requirement_id: "its text"
            for r in requirements
            if all(word in _requirement_text(r) for word in words)
        }
        return _Found(kept, {}, {}, tuple)
    key = (phrase, tuple(r.requirement_id for r in requirements))
    with finder._filter_lock:
        cached = finder._filtered.get(key)
    if cached is not None:
        return cached
    found = _find_for_filter(finder, requirements, words, phrase)
    with finder._filter_lock:
        finder._filtered[key] = found
        while len(finder._filtered) > FILTERS_KEPT:
            finder._filtered.pop(next(iter(finder._filtered)))
    return found


def _find_for_filter(
    finder: Finder, requirements: list[Requirement], words: list[str], phrase: str
) -> _Found:
    texts = {r.requirement_id: finder.requirement_text(r) for r in requirements}
    kept = {rid: "its text" for rid, text in texts.items() if all(w in text for w in words)}
    kinds = ["partner", "system", "concept"]
    if len(finder.catalog.capabilities) <= LIVE_LINES:
        kinds.append("capability")
    # What `find` would list, without its hits in other text of a partner, system or
    # concept (not followed, and most of the hits of a common word on a big catalog).
    hits = list(
        heapq.merge(
            finder.find_names(phrase, kinds=kinds[:3]),
            finder.find(phrase, kinds=kinds[3:]) if kinds[3:] else [],
            key=lambda h: (h.tier, KIND_ORDER[h.kind]),  # ties: one kind, in its order
        )
    )
    partners: dict[str, str] = {}
    lines: dict[int, str] = {}
    for hit in hits:
        if hit.kind == "capability":
            lines.setdefault(hit.capability_ids[0], f"capability line “{hit.label}”")
        elif hit.tier > NAME_TIERS:
            continue
        elif hit.kind == "partner":
            partners.setdefault(hit.key, f"partner {hit.label}")
        elif hit.kind == "system":
            for capability_id in hit.capability_ids:
                lines.setdefault(capability_id, f"system {hit.label}")
    named = [h for h in hits if h.kind == "concept" and h.tier <= CONCEPT_TIERS]
    labels = [
        (label, has_cjk(label), hit.label)
        for hit in named[:CONCEPTS_FOLLOWED]
        for label in _concept_labels(finder.catalog, hit.key)
    ]
    if labels:
        for rid, text in texts.items():
            if rid in kept:
                continue
            for label, chinese, name in labels:
                if (label in text) if chinese else _names_label(text, label):
                    kept[rid] = f"concept {name} (“{label}”)"
                    break
    return _Found(kept, partners, lines, _once(lambda: tuple(finder.find(phrase, kinds=kinds))))


def _once(make: Callable[[], tuple[Found, ...]]) -> Callable[[], tuple[Found, ...]]:
    """`make`, called on first use only."""
    made: list[tuple[Found, ...]] = []

    def get() -> tuple[Found, ...]:
        if not made:
            made.append(make())
        return made[0]

    return get


def _relevant(ranked: object, partners: Mapping[str, str], lines: Mapping[int, str]) -> str:
    if ranked is None or not (partners or lines):
        return ""
    pairings: Sequence[Pairing] = getattr(ranked, "pairings", ())
    for pairing in pairings:
        for match in (pairing.foreign, pairing.local):
            if match is None:
                continue
            why = lines.get(match.capability_id) or partners.get(match.partner_id)
            if why:
                return why
    return ""
