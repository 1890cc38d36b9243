"""The brief as Markdown: catalog text inert (coprod.safe.markdown_text), http(s) sources as links.

Every piece of catalog text goes through `markdown_text`, which escapes all
that would render; only a web address that `coprod.reasons.source_runs`
accepts (http or https, printable ASCII without `<`, `>`, spaces, quotes,
backslash or backtick) is written as an autolink `<...>`, which no such
address can break out of.
"""

from __future__ import annotations

from collections.abc import Sequence

from coprod.brief import (
    COVERAGE_HEADER,
    Brief,
    BriefPairing,
    BriefSection,
    _decision_words,
    coverage_rows,
    feasibility_words,
    heat_map_rows,
    pairing_title,
    posture_words,
    requirement_facts,
    score_words,
    summary_header,
    summary_rows,
)
from coprod.output import NO_LOCAL_TEXT
from coprod.reasons import source_runs
from coprod.safe import markdown_text as md


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows)
    return lines


def source_markdown(source: str) -> str:
    """A source text with its http(s) addresses as autolinks and the rest inert."""
    return "".join(f"<{run}>" if is_address else md(run) for run, is_address in source_runs(source))


def _pairing_lines(number: int, item: BriefPairing) -> list[str]:
    pairing = item.pairing
    lines = [
        f"### {number}. {md(pairing_title(pairing))} — {pairing.score:.1f}, "
        f"{md(feasibility_words(pairing))}",
        "",
        md(item.reason),
        "",
    ]
    if item.change_words:
        lines.append(f"- **{md(item.change_words)}**")
    if item.decision_words:
        lines.append(f"- **Decision:** {md(item.decision_words)}")
    if item.note:
        lines.append(f"- **Note:** {md(item.note)}")
    if pairing.foreign is not None:
        lines.append(
            f"- **Foreign capability** (fit {pairing.foreign.fit:.0f}): "
            f"{md(pairing.foreign.capability)}"
        )
    if pairing.local is not None:
        lines.append(
            f"- **Taiwanese capability** ({md(pairing.local.partner_name)}, fit "
            f"{pairing.local.fit:.0f}): {md(pairing.local.capability)}"
        )
    elif pairing.foreign is not None:
        lines.append(f"- **Taiwanese capability:** {md(NO_LOCAL_TEXT)}")
    lines.append(f"- **Score:** {md(score_words(pairing))}")
    if pairing.consent_chain:
        lines.append("- **Consent chain:**")
        for step in pairing.consent_chain:
            verdict = "blocks" if step.blocks else "consent needed"
            text = f"{step.country} — {posture_words(step.posture)}, {verdict}"
            if step.reason:
                text += f": {step.reason}"
            if step.note:
                text += f". Posture basis: {step.note}"
            lines.append(f"  - {md(text)}")
    else:
        lines.append("- **Consent chain:** no foreign government's consent is needed")
    if item.sources:
        lines.append("- **Sources:**")
        lines.extend(f"  - {md(what)}: {source_markdown(source)}" for what, source in item.sources)
    lines.append("")
    return lines


def _section_lines(section: BriefSection) -> list[str]:
    requirement = section.requirement
    lines = [
        f"## {md(requirement.requirement_id)} · {md(requirement.title)}",
        "",
        md(requirement_facts(requirement)),
        "",
    ]
    if requirement.description:
        lines.extend([md(requirement.description), ""])
    if not section.pairings and not section.missing:
        # (a shortlist's pick the ranking lacks is said below instead)
        lines.extend(["*No pairing passes the filters.*", ""])
    for number, item in enumerate(section.pairings, start=1):
        lines.extend(_pairing_lines(number, item))
    for missing in section.missing:
        lines.extend([f"*{md(missing.words)}*", ""])
        if missing.pick.decision or missing.pick.decision_reason:
            decision = _decision_words(missing.pick.decision, missing.pick.decision_reason)
            lines.append(f"- **Decision:** {md(decision)}")
        if missing.pick.note:
            lines.append(f"- **Note:** {md(missing.pick.note)}")
        if lines[-1]:
            lines.append("")
    return lines


def render_markdown(brief: Brief) -> str:
    filters = "; ".join(f"{name} {value}" for name, value in brief.filters) or "none"
    lines = [
        f"# {md(brief.title)}",
        "",
        f"- **Date:** {md(brief.date)}",
        f"- **Catalog:** {md(brief.catalog)}",
        f"- **Filters:** {md(filters)}",
        f"- **Requirements:** {len(brief.sections)}",
        "",
        "## Summary",
        "",
        *_table(summary_header(brief), summary_rows(brief)),
        "",
    ]
    for section in brief.sections:
        lines.extend(_section_lines(section))
    if brief.analysis is not None:
        threshold = brief.analysis.threshold
        lines.extend(
            [
                "## Coverage",
                "",
                md(
                    f"A requirement is covered when a feasible pairing scores at least "
                    f"{threshold:g}; weakly covered when its best feasible pairing scores less."
                ),
                "",
            ]
        )
        gaps = coverage_rows(brief)
        if gaps:
            lines.extend([*_table(COVERAGE_HEADER, gaps), ""])
        else:
            lines.extend(["Every requirement is covered.", ""])
        header, rows = heat_map_rows(brief)
        lines.extend(
            [
                "### Best feasible score by category and partner country",
                "",
                *_table(header, rows),
                "",
            ]
        )
    return "\n".join(lines).rstrip("\n") + "\n"
