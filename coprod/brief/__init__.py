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
from dataclasses import dataclass, field
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
    from coprod.shortlist import RankDeep, Recheck

BRIEF_TITLE = "Co-production briefing"


@dataclass(frozen=True)
class ShortlistPick:
    """One shortlisted pairing, named by its requirement and partners, with the analyst's words."""

    requirement_id: str
    foreign_partner_id: str  # "" for a local-only candidate
    local_partner_id: str  # "" when no Taiwanese co-producer fits
    note: str = ""
    decision: str = ""  # a key of coprod.userstate.DECISIONS, or a file's own word
    decision_reason: str = ""
    # what the pairing was when shortlisted (None: the file does not say), so that a
    # briefing says what changed since, as the TUI's shortlist does
    saved_score: float | None = None
    saved_feasibility: str | None = None
    requirement_title: str = ""  # the requirement's text as saved (a typed query's query)
    place: str = ""  # where the pick stands in its file ("short.csv:3:1"), for errors

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.requirement_id, self.foreign_partner_id, self.local_partner_id)

    def picks(self, pairing: Pairing) -> bool:
        foreign = pairing.foreign.partner_id if pairing.foreign else ""
        local = pairing.local.partner_id if pairing.local else ""
        return self.key == (pairing.requirement_id, foreign, local)

    @property
    def who(self) -> str:
        """ "rtx with ncsist": the partners it names, by id (they may be gone)."""
        return " with ".join(p for p in (self.foreign_partner_id, self.local_partner_id) if p)


@dataclass(frozen=True)
class BriefPairing:
    pairing: Pairing
    reason: str
    sources: tuple[tuple[str, str], ...]  # (what, source text)
    note: str = ""
    decision: str = ""
    decision_reason: str = ""
    # a shortlisted pairing the catalog ranks differently now (coprod.shortlist.Recheck):
    # its status ("verdict_changed", "score_changed") and what changed, in words
    change_status: str = ""
    change: str = ""

    @property
    def change_words(self) -> str:
        """ "Verdict changed since shortlisted: now blocked, score 72.3 → 65.0"; "" if none."""
        if not self.change:
            return ""
        what = "Verdict" if self.change_status == "verdict_changed" else "Score"
        return f"{what} changed since shortlisted: {self.change}"

    @property
    def decision_words(self) -> str:
        """ "meeting set: first call in May" (the decision in words, then its reason)."""
        return _decision_words(self.decision, self.decision_reason)


def _decision_words(decision: str, reason: str) -> str:
    words = DECISIONS.get(decision, decision) if decision else ""
    if reason:
        return f"{words}: {reason}" if words else reason
    return words


@dataclass(frozen=True)
class BriefMissing:
    """A shortlisted pairing the briefing does not show, and why (said, never hidden)."""

    pick: ShortlistPick
    gone: bool  # True: gone from the catalog (coprod.shortlist.recheck); False: filtered out
    why: str  # "no longer in this catalog (partner rtx is not in it)", "left out by ..."
    who: str = ""  # the partners by name where the catalog has them, else by id

    @property
    def words(self) -> str:
        who = self.who or self.pick.who
        if self.gone:
            return f"Shortlisted {who} is gone: {self.why}."
        return f"Shortlisted {who} is left out by the filters ({self.why})."


@dataclass(frozen=True)
class BriefSection:
    requirement: Requirement
    pairings: tuple[BriefPairing, ...]
    # shortlisted pairings not shown: gone from the catalog, or filtered out
    missing: tuple[BriefMissing, ...] = ()


@dataclass(frozen=True)
class Brief:
    title: str
    date: str  # ISO date the brief is dated
    catalog: str  # which catalog, in words (its file and when it was built)
    filters: tuple[tuple[str, str], ...]  # (filter, value) as the user set them
    sections: tuple[BriefSection, ...]
    analysis: Analysis | None = None  # the coverage section; None leaves it out
    requirements: tuple[Requirement, ...] = field(default=())  # the coverage's requirements
    shortlisted: int | None = None  # a shortlist's briefing: how many pairings it holds

    def shortlist_counts(self) -> dict[str, int]:
        """A shortlist's briefing in figures: shortlisted, shown, changed, gone, filtered."""
        shown = [p for section in self.sections for p in section.pairings]
        missing = [m for section in self.sections for m in section.missing]
        return {
            "shortlisted": self.shortlisted or 0,
            "shown": len(shown),
            "changed": sum(1 for p in shown if p.change),
            "gone": sum(1 for m in missing if m.gone),
            "filtered": sum(1 for m in missing if not m.gone),
        }

    def shortlist_words(self) -> str:
        """ "5 shortlisted pairings (1 gone from the catalog, 1 changed)" and the like."""
        counts = self.shortlist_counts()
        total = counts["shortlisted"]
        words = f"{total} shortlisted pairing{'s' * (total != 1)}"
        notes = []
        if counts["gone"]:
            notes.append(f"{counts['gone']} gone from the catalog")
        if counts["changed"]:
            notes.append(f"{counts['changed']} changed since shortlisted")
        if counts["filtered"]:
            notes.append(f"{counts['filtered']} left out by the filters")
        return f"{words} ({', '.join(notes)})" if notes else words


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
    recheck_rank: RankDeep | None = None,
    left_out: Callable[[Pairing], str] | None = None,
) -> Brief:
    """The brief of `requirements` (in that order) from their rankings.

    With `picks` (a shortlist), each requirement shows only the picked
    pairings with their notes and decisions, as coprod.shortlist's re-check
    finds them in the catalog now (`recheck_rank`, by default the
    `rankings`): a pick gone from the catalog is listed as gone, with why; a
    pick whose verdict or score changed since it was shortlisted says so; a
    pick `left_out` names a reason for (the briefing's filters) is listed
    as left out. Without picks, every ranked pairing is shown.
    """
    sections: list[BriefSection] = []
    checks: dict[tuple[str, str, str], Recheck] = {}
    if picks is not None:
        checks = _recheck_picks(catalog, requirements, picks, recheck_rank or _ranked(rankings))
    for requirement in requirements:
        chosen: list[BriefPairing] = []
        missing: list[BriefMissing] = []
        if picks is None:
            ranked = rankings.get(requirement.requirement_id, ())
            chosen = [_brief_pairing(catalog, p) for p in ranked]
        else:
            mine = [pick for pick in picks if pick.requirement_id == requirement.requirement_id]
            shown: list[tuple[Pairing, ShortlistPick, Recheck]] = []
            for pick in mine:
                check = checks[pick.key]
                if check.current is None:
                    missing.append(
                        BriefMissing(pick, True, check.describe(), _named(catalog, pick))
                    )
                elif left_out is not None and (why := left_out(check.current)):
                    missing.append(BriefMissing(pick, False, why, pairing_title(check.current)))
                else:
                    shown.append((check.current, pick, check))
            # in the ranking's order: feasible before blocked, best first
            shown.sort(key=lambda item: _ranking_order(item[0]))
            chosen = [_brief_pairing(catalog, p, pick, check) for p, pick, check in shown]
        sections.append(BriefSection(requirement, tuple(chosen), tuple(missing)))
    return Brief(
        title=title,
        date=date,
        catalog=catalog_label,
        filters=tuple(filters),
        sections=tuple(sections),
        analysis=analysis,
        requirements=tuple(requirements),
        shortlisted=len(picks) if picks is not None else None,
    )


def _named(catalog: Catalog, pick: ShortlistPick) -> str:
    """ "RTX (rtx) with gone-firm": a pick's partners by name where the catalog still has
    them (with the id the shortlist holds), else by id alone."""

    def one(pid: str) -> str:
        partner = catalog.partners.get(pid)
        return f"{partner.name} ({pid})" if partner is not None else pid

    return " with ".join(one(p) for p in (pick.foreign_partner_id, pick.local_partner_id) if p)


def _ranking_order(pairing: Pairing) -> tuple[bool, float, str, str]:
    from coprod.arrangement import shown_order_key

    return shown_order_key(pairing)


def _ranked(rankings: Mapping[str, Sequence[Pairing]]) -> RankDeep:
    """A re-check's ranking taken from rankings already made (by requirement id)."""
    from coprod.gaps import pairing_country

    def rank(requirement: Requirement, country: str) -> Sequence[Pairing]:
        ranked = rankings.get(requirement.requirement_id, ())
        return [p for p in ranked if pairing_country(p) == country]

    return rank


def _recheck_picks(
    catalog: Catalog,
    requirements: Sequence[Requirement],
    picks: Sequence[ShortlistPick],
    rank: RankDeep,
) -> dict[tuple[str, str, str], Recheck]:
    """What coprod.shortlist.recheck_copies says of each pick (the TUI shortlist's rule)."""
    from coprod.shortlist import SavedCopy, recheck_copies

    by_id = {r.requirement_id: r for r in requirements}
    copies = []
    for pick in picks:
        requirement = by_id.get(pick.requirement_id) or _saved_requirement(pick)
        copies.append(SavedCopy(requirement, pick.key, pick.saved_score, pick.saved_feasibility))
    return {check.key: check for check in recheck_copies(copies, catalog, rank)}


def _saved_requirement(pick: ShortlistPick) -> Requirement:
    return Requirement(
        requirement_id=pick.requirement_id,
        title=pick.requirement_title,
        description="",
        category="",
        quantity=None,
        unit="",
        priority="medium",
    )


def _brief_pairing(
    catalog: Catalog,
    pairing: Pairing,
    pick: ShortlistPick | None = None,
    check: Recheck | None = None,
) -> BriefPairing:
    changed = check is not None and check.changed
    return BriefPairing(
        pairing=pairing,
        reason=pairing_reason(pairing),
        sources=_merged_sources(pairing_sources(catalog, pairing)),
        note=pick.note if pick else "",
        decision=pick.decision if pick else "",
        decision_reason=pick.decision_reason if pick else "",
        change_status=check.status if changed and check else "",
        change=check.describe() if changed and check else "",
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
    try:
        score: float | None = float(text("score")) if text("score") else None
    except ValueError:
        score = None  # a score the file mangled: nothing to compare the current one with
    return ShortlistPick(
        requirement_id,
        foreign,
        local,
        text(*_NOTE_COLUMNS),
        text(*_DECISION_COLUMNS),
        text(*_REASON_COLUMNS),
        saved_score=score,
        saved_feasibility=text("feasibility") or None,
        requirement_title=text("requirement_title"),
        place=place,
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
    column = columns.index("requirement_id") + 1
    try:
        for record in reader:
            picks.append(_pick_of(f"{path}:{reader.line_num}:{column}", record))
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
    pairing: Pairing  # as shortlisted: its score and verdict then
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
                rid,
                foreign,
                local,
                annotation.note,
                annotation.decision,
                annotation.reason,
                saved_score=entry.pairing.score,
                saved_feasibility=entry.pairing.feasibility,
                requirement_title=entry.requirement.title,
            )
        )
    return list(requirements.values()), picks


def shortlist_requirements(picks: Sequence[ShortlistPick], catalog: Catalog) -> list[Requirement]:
    """The requirements a shortlist file's picks name, each once in the order first named:
    the catalog's; a typed query's (`query-N`) from its saved text, ranked again as
    `--saved` does; one the catalog lacks as saved (its picks are then said to be gone).

    Raises DataError at the pick's file:line:column for a typed query whose text the
    file does not hold.
    """
    from coprod.shortlist import is_adhoc

    requirements: dict[str, Requirement] = {}
    for pick in picks:
        rid = pick.requirement_id
        if rid in requirements:
            continue
        if rid in catalog.requirements:
            requirements[rid] = catalog.requirements[rid]
        elif is_adhoc(rid) and not pick.requirement_title:
            raise DataError(
                f"{pick.place or rid}: {rid} is a typed query and this file has no "
                "requirement_title to rank it from; brief the saved shortlist with "
                "`coprod brief --saved`, or export it again with its requirement_title column"
            )
        else:
            requirements[rid] = _saved_requirement(pick)
    return list(requirements.values())


def in_catalog(requirement: Requirement, catalog: Catalog) -> bool:
    """A catalog requirement or a typed query: one the briefing can rank and cover."""
    from coprod.shortlist import is_adhoc

    rid = requirement.requirement_id
    return rid in catalog.requirements or is_adhoc(rid)


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
    """The filters the briefing names, in words. With a shortlist, `top` and the
    per-partner limit choose nothing (every pick is shown unless another filter
    leaves it out), so they are not named."""
    shown: list[tuple[str, str]] = [] if shortlist is not None else [("top", str(options.top))]
    from coprod.ranking import RankOptions

    if shortlist is None and options.per_partner != RankOptions().per_partner:
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
    requirement shows the picked pairings with their notes and decisions as
    coprod.shortlist's re-check finds them (the TUI shortlist's rule): the
    catalog's ranking supplies the scores and verdicts, never the saved copy;
    a pick gone from the catalog is said to be gone, with why, one whose
    verdict or score changed since it was shortlisted says so, and one the
    options' filters leave out is said to be left out. `coverage`: add the
    coverage section (gaps and the heat map) over `requirements` the catalog
    holds, following the options' country filter, a requirement covered
    from `threshold`.
    """
    filters = brief_filters(
        options, threshold, category=category, shortlist=shortlist if picks is not None else None
    )
    rankings: Mapping[str, Sequence[Pairing]] = {}
    recheck_rank = None
    if picks is not None:
        # The TUI shortlist's re-check finds each pick in the catalog now: one rule.
        from coprod.shortlist import deep_rank

        recheck_rank = deep_rank(ranker)
        if progress:
            progress(f"re-checking {len(picks)} shortlisted pairing(s)", 0, None)
    elif requirements:
        rankings = (rank or ranker.rank_many)(list(requirements), options)
    # A requirement gone from the catalog has no coverage to speak of.
    covered = [r for r in requirements if in_catalog(r, catalog)]
    analysis = None
    if coverage and covered:
        from coprod.gaps import analyse

        if progress:
            progress("coverage", 0, len(covered))
        analysis = analyse(
            ranker,
            covered,
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
        recheck_rank=recheck_rank,
        left_out=lambda pairing: filtered_out(pairing, options),
    )


def filtered_out(pairing: Pairing, options: RankOptions) -> str:
    """Which of the briefing's filters leaves a shortlisted pairing out, in words ("" none),
    as the ranking applies them (coprod.ranking: the supplier's country, Taiwan for
    Taiwanese industry alone)."""
    from coprod.gaps import pairing_country

    country = (pairing_country(pairing) or "").casefold()
    if options.countries and country not in {c.casefold() for c in options.countries}:
        return "country " + ", ".join(options.countries)
    if country in {c.casefold() for c in options.exclude_countries}:
        return "excluding country " + ", ".join(options.exclude_countries)
    if pairing.score < options.min_score:
        return f"minimum score {options.min_score:g}"
    if options.exclude_blocked and pairing.feasibility == "blocked":
        return "blocked pairings hidden"
    return ""


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
    return "feasible"  # "ok" is the data's code, not a word for a reader


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


def summary_header(brief: Brief) -> tuple[str, ...]:
    """The summary's columns: without a coverage section, no (empty) Coverage column."""
    return SUMMARY_HEADER if brief.analysis is not None else SUMMARY_HEADER[:-1]


def summary_rows(brief: Brief) -> list[tuple[str, ...]]:
    """One row per requirement: its best shown pairing and its coverage state (plain text),
    as many cells as `summary_header` names."""
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
                pairing_title(best) if best else _none_shown(section),
                f"{best.score:.1f}" if best else NO_SCORE,
                feasibility_words(best) if best else "",
                state.explanation  # type: ignore[attr-defined]
                if state is not None
                else _gone_words(section),
            )
        )
    width = len(summary_header(brief))
    return [row[:width] for row in rows]


def _none_shown(section: BriefSection) -> str:
    """The summary's best pairing when none is shown: why, for a shortlist's picks."""
    if not section.missing:
        return "none shown"
    many = len(section.missing) > 1
    what = "its shortlisted pairings are" if many else "its shortlisted pairing is"
    if all(m.gone for m in section.missing):
        return f"none: {what} gone from the catalog"
    if not any(m.gone for m in section.missing):
        return f"none: {what} left out by the filters"
    return f"none: {what} gone or left out by the filters"


def _gone_words(section: BriefSection) -> str:
    if section.missing and not section.pairings and all(m.gone for m in section.missing):
        return "not in this catalog"
    return ""


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
