"""A briefing document a delegation lead can read: what it holds, and how it is written.

`build_brief` gathers everything from ranking results (it ranks nothing
itself): per requirement the pairings with their reasons, consent chains,
sources and the analyst's notes and decisions, and the coverage section from
coprod.gaps. `write_brief` writes it as Markdown (coprod.brief.markdown) or
a self-contained HTML page (coprod.brief.html) atomically. Core module: no
printing, no textual, no rich.

What to brief comes from requirement ids, `--all`, or a shortlist:
`read_shortlist_picks` reads a shortlist file as `coprod rank` or the TUI
export it (CSV, JSON, JSONL); `saved_shortlist_picks` turns the saved work's
shortlist (coprod.userstate, what the TUI shows) into the same picks.

`compose_brief` is the one place a briefing's content is decided: it ranks
the requirements (deep enough to find every shortlisted pairing), computes
the coverage section and words the filters. `coprod brief` and the TUI's
shortlist export both call it, so the TUI's briefing of a shortlist is the
document `coprod brief --saved` writes of the same saved shortlist.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from coprod.errors import DataError, UsageError
from coprod.gaps import Analysis
from coprod.model import Catalog, Pairing, Requirement
from coprod.reasons import pairing_reason, pairing_sources
from coprod.safe import printable, undo_spreadsheet_safe
from coprod.userstate import DECISIONS, Annotation

if TYPE_CHECKING:
    from coprod.ranking import Ranker, RankOptions

BRIEF_TITLE = "Co-production briefing"
# How deep a shortlist's requirements are ranked: a pick may name a pairing the
# ranking lists far below the few a briefing of a requirement shows.
SHORTLIST_DEPTH = 200


@dataclass(frozen=True)
class ShortlistPick:
    """One shortlisted pairing, named by its requirement and partners, with the analyst's words."""

    requirement_id: str
    foreign_partner_id: str  # "" for a local-only candidate
    local_partner_id: str  # "" when no Taiwanese co-producer fits
    note: str = ""
    decision: str = ""  # a key of coprod.userstate.DECISIONS, or a file's own word
    decision_reason: str = ""

    def picks(self, pairing: Pairing) -> bool:
        foreign = pairing.foreign.partner_id if pairing.foreign else ""
        local = pairing.local.partner_id if pairing.local else ""
        return (
            pairing.requirement_id == self.requirement_id
            and foreign == self.foreign_partner_id
            and local == self.local_partner_id
        )


@dataclass(frozen=True)
class BriefPairing:
    pairing: Pairing
    reason: str
    sources: tuple[tuple[str, str], ...]  # (what, source text)
    note: str = ""
    decision: str = ""
    decision_reason: str = ""

    @property
    def decision_words(self) -> str:
        """ "meeting set: first call in May" (the decision in words, then its reason)."""
        words = DECISIONS.get(self.decision, self.decision) if self.decision else ""
        if self.decision_reason:
            return f"{words}: {self.decision_reason}" if words else self.decision_reason
        return words


@dataclass(frozen=True)
class BriefSection:
    requirement: Requirement
    pairings: tuple[BriefPairing, ...]
    # shortlisted pairings the catalog's ranking no longer offers (said, not hidden)
    missing: tuple[ShortlistPick, ...] = ()


@dataclass(frozen=True)
class Brief:
    title: str
    date: str  # ISO date the brief is dated
    catalog: str  # which catalog, in words (its file and when it was built)
    filters: tuple[tuple[str, str], ...]  # (filter, value) as the user set them
    sections: tuple[BriefSection, ...]
    analysis: Analysis | None = None  # the coverage section; None leaves it out
    requirements: tuple[Requirement, ...] = field(default=())  # the coverage's requirements


def build_brief(
    catalog: Catalog,
    requirements: Sequence[Requirement],
    rankings: Mapping[str, Sequence[Pairing]],
    *,
    date: str,
    catalog_label: str,
    filters: Sequence[tuple[str, str]] = (),
    picks: Sequence[ShortlistPick] | None = None,
    analysis: Analysis | None = None,
    title: str = BRIEF_TITLE,
) -> Brief:
    """The brief of `requirements` (in that order) from their rankings.

    With `picks` (a shortlist), each requirement shows only the picked
    pairings, in the ranking's order, with their notes and decisions; a pick
    the ranking does not hold is listed as missing. Without, every ranked
    pairing is shown.
    """
    sections: list[BriefSection] = []
    for requirement in requirements:
        ranked = rankings.get(requirement.requirement_id, ())
        chosen: list[BriefPairing] = []
        missing: list[ShortlistPick] = []
        if picks is None:
            chosen = [_brief_pairing(catalog, p) for p in ranked]
        else:
            mine = [pick for pick in picks if pick.requirement_id == requirement.requirement_id]
            for pairing in ranked:
                pick = next((p for p in mine if p.picks(pairing)), None)
                if pick is not None:
                    chosen.append(_brief_pairing(catalog, pairing, pick))
            missing = [pick for pick in mine if not any(pick.picks(p) for p in ranked)]
        sections.append(BriefSection(requirement, tuple(chosen), tuple(missing)))
    return Brief(
        title=title,
        date=date,
        catalog=catalog_label,
        filters=tuple(filters),
        sections=tuple(sections),
        analysis=analysis,
        requirements=tuple(requirements),
    )


def _brief_pairing(catalog: Catalog, pairing: Pairing, pick: ShortlistPick | None = None):
    return BriefPairing(
        pairing=pairing,
        reason=pairing_reason(pairing),
        sources=_merged_sources(pairing_sources(catalog, pairing)),
        note=pick.note if pick else "",
        decision=pick.decision if pick else "",
        decision_reason=pick.decision_reason if pick else "",
    )


def _merged_sources(sources: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """One entry per source text, naming every fact it backs ("partner X; why Y is asked")."""
    facts: dict[str, list[str]] = {}
    for what, source in sources:
        facts.setdefault(source, []).append(what)
    return tuple(("; ".join(whats), source) for source, whats in facts.items())


# ------------------------------------------------------------------ shortlist input

_NOTE_COLUMNS = ("note", "notes")
_DECISION_COLUMNS = ("decision", "status")
_REASON_COLUMNS = ("decision_reason",)  # as coprod.output writes the saved work's reason


def _pick_of(place: str, record: Mapping[str, object]) -> ShortlistPick:
    def text(*names: str) -> str:
        for name in names:
            value = record.get(name)
            if value is not None and str(value).strip():
                return undo_spreadsheet_safe(str(value).strip())
        return ""

    requirement_id = text("requirement_id")
    if not requirement_id:
        raise DataError(f"{place}: empty requirement_id")
    foreign, local = text("foreign_partner_id"), text("local_partner_id")
    if not foreign and not local:
        raise DataError(f"{place}: neither foreign_partner_id nor local_partner_id is given")
    return ShortlistPick(
        requirement_id,
        foreign,
        local,
        text(*_NOTE_COLUMNS),
        text(*_DECISION_COLUMNS),
        text(*_REASON_COLUMNS),
    )


def read_shortlist_picks(path: Path) -> list[ShortlistPick]:
    """The pairings of a shortlist file (CSV with a header, a JSON array or an object
    holding one under "pairings"/"shortlist", or JSON Lines), with any note/decision.

    Raises DataError naming the file and line (CSV, JSONL) or entry (JSON).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror or error})") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason})") from None
    if path.suffix.casefold() == ".csv":
        return _csv_picks(path, text)
    return _json_picks(path, text)


def _csv_picks(path: Path, text: str) -> list[ShortlistPick]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    columns = reader.fieldnames or []
    if "requirement_id" not in columns:
        raise DataError(f"{path}:1: no requirement_id column (is this a shortlist export?)")
    picks = []
    try:
        for record in reader:
            picks.append(_pick_of(f"{path}:{reader.line_num}", record))
    except csv.Error as error:
        raise DataError(f"{path}:{reader.line_num}: {error}") from None
    return picks


def _json_picks(path: Path, text: str) -> list[ShortlistPick]:
    from coprod.shortlist import shortlist_json_records

    try:
        records = shortlist_json_records(path, text)
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply to be a shortlist") from None
    return [_pick_of(place, record) for place, record in records]


class _Shortlisted(Protocol):
    """A shortlisted pairing as the saved work holds it (coprod.userstate.SavedPairing)
    or the TUI shows it (coprod.shortlist.ShortlistEntry)."""

    @property
    def key(self) -> tuple[str, str, str]: ...

    requirement: Requirement
    annotation: Annotation


def saved_shortlist_label(count: int) -> str:
    """How the filters name the saved work's shortlist."""
    return f"the saved shortlist ({count} pairing{'s' * (count != 1)})"


def saved_shortlist_picks(
    entries: Sequence[_Shortlisted], catalog: Catalog
) -> tuple[list[Requirement], list[ShortlistPick]]:
    """The saved shortlist (in shortlist order) as the requirements to brief, each once
    in the order first shortlisted (the catalog's current text when it has the id, else
    the saved one: a typed query), and the picks with their decisions and notes."""
    requirements: dict[str, Requirement] = {}
    picks = []
    for entry in entries:
        rid, foreign, local = entry.key
        requirements.setdefault(rid, catalog.requirements.get(rid, entry.requirement))
        annotation = entry.annotation
        picks.append(
            ShortlistPick(
                rid, foreign, local, annotation.note, annotation.decision, annotation.reason
            )
        )
    return list(requirements.values()), picks


# ------------------------------------------------------------------ composing

# rank(requirements, options) -> pairings by requirement id (the CLI spreads it over
# processes; the default is the ranker's own batched ranking).
RankMany = Callable[[Sequence[Requirement], "RankOptions"], Mapping[str, Sequence[Pairing]]]


def brief_date(given: str | None = None) -> str:
    """`given` (YYYY-MM-DD, checked), else $SOURCE_DATE_EPOCH (reproducible builds'
    convention), else today. Raises UsageError for a malformed date."""
    import datetime as dt

    if given:
        try:
            return dt.date.fromisoformat(given.strip()).isoformat()
        except ValueError:
            raise UsageError(f"--date expects YYYY-MM-DD, got {printable(given)[:40]!r}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) < 12:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def catalog_label(db_path: Path | str, meta: Mapping[str, str]) -> str:
    """Which catalog, in words: its file and when it was built."""
    built = meta.get("built_at", "")
    return f"{db_path} (built {built})" if built else str(db_path)


def brief_filters(
    options: RankOptions,
    threshold: float,
    *,
    category: str | None = None,
    shortlist: str | None = None,
) -> list[tuple[str, str]]:
    """The filters the briefing names, in words. With a shortlist, `top` chooses
    nothing (every pick is shown), so it is not named."""
    shown: list[tuple[str, str]] = [] if shortlist is not None else [("top", str(options.top))]
    from coprod.ranking import RankOptions

    if options.per_partner != RankOptions().per_partner:
        shown.append(("per partner", str(options.per_partner)))
    shown.extend(("country", name) for name in options.countries)
    shown.extend(("excluding country", name) for name in options.exclude_countries)
    if category:
        shown.append(("category", category))
    if options.min_score:
        shown.append(("minimum score", f"{options.min_score:g}"))
    if options.exclude_blocked:
        shown.append(("blocked pairings", "hidden"))
    shown.append(("coverage threshold", f"{threshold:g}"))
    if shortlist is not None:
        shown.append(("shortlist", shortlist))
    return shown


def compose_brief(
    catalog: Catalog,
    ranker: Ranker,
    requirements: Sequence[Requirement],
    options: RankOptions,
    *,
    threshold: float,
    date: str,
    catalog_label: str,
    picks: Sequence[ShortlistPick] | None = None,
    shortlist: str = "",
    category: str | None = None,
    coverage: bool = True,
    title: str = BRIEF_TITLE,
    rank: RankMany | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> Brief:
    """The briefing of `requirements` under `options`: what `coprod brief` writes and
    what the TUI's shortlist export writes, decided here once.

    With `picks` (a shortlist, named in the filters as `shortlist`), each
    requirement is ranked SHORTLIST_DEPTH deep and shows the picked pairings
    with their notes and decisions; the catalog's ranking supplies the scores
    and verdicts, never the saved copy. `coverage`: add the coverage section
    (gaps and the heat map) over `requirements`, following the options'
    country filter, a requirement covered from `threshold`.
    """
    filters = brief_filters(
        options, threshold, category=category, shortlist=shortlist if picks is not None else None
    )
    ranked_options = options
    if picks is not None:
        ranked_options = replace(options, top=max(options.top, SHORTLIST_DEPTH))
    rankings: Mapping[str, Sequence[Pairing]] = {}
    if requirements:
        rankings = (rank or ranker.rank_many)(list(requirements), ranked_options)
    analysis = None
    if coverage and requirements:
        from coprod.gaps import analyse

        if progress:
            progress("coverage", 0, len(requirements))
        analysis = analyse(
            ranker,
            list(requirements),
            sorted({p.country for p in catalog.partners.values()}),
            threshold=threshold,
            only_countries=options.countries,
            excluded_countries=options.exclude_countries,
            progress=(lambda done, total: progress("coverage", done, total)) if progress else None,
        )
    return build_brief(
        catalog,
        requirements,
        rankings,
        date=date,
        catalog_label=catalog_label,
        filters=filters,
        picks=picks,
        analysis=analysis,
        title=title,
    )


# ------------------------------------------------------------------ writing


def render_brief(brief: Brief, fmt: str) -> str:
    """The brief as Markdown ("md") or a self-contained HTML page ("html")."""
    if fmt == "md":
        from coprod.brief.markdown import render_markdown

        return render_markdown(brief)
    if fmt == "html":
        from coprod.brief.html import render_html

        return render_html(brief)
    raise UsageError(f"cannot write a brief as {printable(fmt)!r} (use .md or .html)")


def write_brief(brief: Brief, path: Path, fmt: str) -> None:
    """Write the brief to `path` atomically (`-`: standard output)."""
    from coprod.files import write_atomically

    text = render_brief(brief, fmt)  # rendered first: a failure leaves no file at all
    writer: Callable[[TextIO], object] = lambda stream: stream.write(text)  # noqa: E731
    write_atomically(path, writer)


# ------------------------------------------------------------------ shared wording


def feasibility_words(pairing: Pairing) -> str:
    if pairing.feasibility == "blocked":
        return "blocked by " + (", ".join(pairing.blocked_by) or "an export posture")
    if pairing.feasibility == "consent_required":
        return "needs consent of " + (", ".join(pairing.consent_countries) or "a government")
    return "ok"


def partner_words(pairing: Pairing, side: str) -> str:
    match = pairing.foreign if side == "foreign" else pairing.local
    if match is None:
        return (
            "none needed: Taiwanese industry alone"
            if side == "foreign"
            else "no Taiwanese co-producer fits"
        )
    return f"{match.partner_name} ({match.country})" if side == "foreign" else match.partner_name


def posture_words(posture: str) -> str:
    return posture.replace("_", " ")


def score_words(pairing: Pairing) -> str:
    """The score as a sum in words (penalties subtracted), for both writers."""
    from coprod.output import score_sum

    terms = "".join(joiner + term for joiner, term, _ in score_sum(pairing.components))
    return f"{pairing.score:.2f} = {terms}" if terms else f"{pairing.score:.2f}"


SUMMARY_HEADER = (
    "Requirement",
    "Title",
    "Priority",
    "Best pairing",
    "Score",
    "Feasibility",
    "Coverage",
)
COVERAGE_HEADER = ("Requirement", "Title", "Category", "State", "Why")
NO_SCORE = "—"


def _coverage_by_id(brief: Brief) -> dict[str, object]:
    if brief.analysis is None:
        return {}
    return {c.requirement.requirement_id: c for c in brief.analysis.coverage}


def summary_rows(brief: Brief) -> list[tuple[str, ...]]:
    """One row per requirement: its best shown pairing and its coverage state (plain text)."""
    coverage = _coverage_by_id(brief)
    rows = []
    for section in brief.sections:
        requirement = section.requirement
        best = section.pairings[0].pairing if section.pairings else None
        state = coverage.get(requirement.requirement_id)
        rows.append(
            (
                requirement.requirement_id,
                requirement.title,
                requirement.priority,
                pairing_title(best) if best else "none shown",
                f"{best.score:.1f}" if best else NO_SCORE,
                feasibility_words(best) if best else "",
                state.explanation if state is not None else "",  # type: ignore[attr-defined]
            )
        )
    return rows


def coverage_rows(brief: Brief) -> list[tuple[str, ...]]:
    """Every requirement that is not covered, with its state and why."""
    if brief.analysis is None:
        return []
    return [
        (
            c.requirement.requirement_id,
            c.requirement.title,
            c.requirement.category,
            c.state.replace("_", " "),
            c.why,
        )
        for c in brief.analysis.uncovered
    ]


def heat_map_rows(brief: Brief) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(header, rows) of the category x country table of best feasible scores.

    The longer side runs down the page: a page has room for many rows, not for
    twenty country columns (the printed page cannot scroll sideways).
    """
    if brief.analysis is None:
        return (), []
    matrix = brief.analysis.matrix

    def cell(category: str, country: str) -> str:
        score = matrix.score(category, country)
        return NO_SCORE if score is None else f"{score:.0f}"

    if len(matrix.countries) > len(matrix.categories):
        header = ("Country", *matrix.categories)
        rows = [(c, *(cell(k, c) for k in matrix.categories)) for c in matrix.countries]
    else:
        header = ("Category", *matrix.countries)
        rows = [(k, *(cell(k, c) for c in matrix.countries)) for k in matrix.categories]
    return header, rows


def pairing_title(pairing: Pairing) -> str:
    """ "Leonardo (Italy) with Armaments Bureau 202nd Arsenal" and the like."""
    if pairing.foreign is None:
        local = pairing.local.partner_name if pairing.local else "?"
        return f"{local} (Taiwanese industry alone)"
    foreign = partner_words(pairing, "foreign")
    if pairing.local is None:
        return f"{foreign}, no Taiwanese co-producer"
    return f"{foreign} with {pairing.local.partner_name}"


def requirement_facts(requirement: Requirement) -> str:
    parts = []
    if requirement.category:
        parts.append(f"category {requirement.category}")
    parts.append(f"priority {requirement.priority}")
    if requirement.quantity is not None:
        quantity = (
            f"{requirement.quantity:,.0f}"
            if requirement.quantity == int(requirement.quantity)
            else f"{requirement.quantity:,}"
        )
        parts.append(f"quantity {quantity} {requirement.unit}".rstrip())
    return " · ".join(parts)
