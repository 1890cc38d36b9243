"""The brief as one self-contained HTML page: inline CSS, no script, no remote asset, printable.

Hand-written with `html.escape` rather than a template library: the page is a
few fixed blocks, and every catalog string must pass through the one output
policy (coprod.safe.html_text) at the place it is written, which a template's
auto-escaping would hide rather than show. The only markup built from
catalog text is a link, and only for an http(s) address that
`coprod.reasons.source_runs` accepts, escaped as an attribute.

Printing (a browser's "Save as PDF"): each requirement starts a new page,
tables and pairings are not split across pages where avoidable, links print
their address.
"""

from __future__ import annotations

import html
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
    summary_header,
    summary_rows,
)
from coprod.output import NO_LOCAL_TEXT
from coprod.reasons import source_runs
from coprod.safe import html_text as esc

STYLE = """
:root { --ink: #1d232a; --dim: #5b6570; --rule: #d5dae0; --ok: #1f7a46;
  --consent: #8a5a00; --blocked: #b42318; --band: #f3f5f7; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", "Heiti TC",
  sans-serif; color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .4rem; border-bottom: 2px solid var(--rule);
  padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: 0 0 1rem; color: var(--dim); }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92em; }
th, td { border: 1px solid var(--rule); padding: .25rem .45rem; text-align: left;
  vertical-align: top; }
th { background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.heat td.num { min-width: 3.2em; }
.facts { color: var(--dim); margin: 0 0 .5rem; }
.pairing { border-left: 4px solid var(--rule); padding: .1rem 0 .3rem .9rem; margin: 1rem 0; }
.pairing.ok { border-color: var(--ok); }
.pairing.consent_required { border-color: var(--consent); }
.pairing.blocked { border-color: var(--blocked); }
.verdict.ok { color: var(--ok); }
.verdict.consent_required { color: var(--consent); }
.verdict.blocked { color: var(--blocked); font-weight: 600; }
.reason { margin: .2rem 0 .5rem; }
.decision { font-weight: 600; }
ul { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
li { margin: .1rem 0; }
.label { font-weight: 600; }
.penalty { color: var(--blocked); }
/* An address moves to the next line whole; only one longer than a line is broken. */
a { color: #1a5fb4; display: inline-block; max-width: 100%; overflow-wrap: anywhere;
  vertical-align: top; }
.missing { color: var(--dim); font-style: italic; }
.missing.gone { color: var(--blocked); border-left: 4px solid var(--blocked);
  padding-left: .9rem; }
.missing ul { font-style: normal; }
.changed { color: var(--consent); font-weight: 600; }
ul.sources { font-size: .88em; color: var(--dim); }
.wide { overflow-x: auto; }
table.heat { width: auto; font-size: .85em; }
table.heat th { font-weight: 600; font-size: .9em; vertical-align: bottom; }
/* Column names run upwards: twenty categories then fit a screen and a printed page. */
table.heat thead th + th { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; text-align: left; vertical-align: bottom; padding: .4rem .2rem; }
@page { margin: 16mm 14mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  section.requirement, section.coverage { break-before: page; }
  .pairing, tr, table.heat { break-inside: avoid; }
  .wide { overflow: visible; }
  table.heat { font-size: 7.5pt; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
""".strip()


def _cells(row: Sequence[str], tag: str, numeric: Sequence[int] = ()) -> str:
    return "".join(
        f'<{tag} class="num">{esc(cell)}</{tag}>'
        if index in numeric
        else f"<{tag}>{esc(cell)}</{tag}>"
        for index, cell in enumerate(row)
    )


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric=(), css_class: str = ""
) -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    body = "\n".join(f"<tr>{_cells(row, 'td', numeric)}</tr>" for row in rows)
    return (
        f"<table{attribute}>\n<thead><tr>{_cells(header, 'th', numeric)}</tr></thead>\n"
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def source_html(source: str) -> str:
    """A source text with its http(s) addresses as links and the rest escaped text."""
    parts = []
    for run, is_address in source_runs(source):
        if is_address:
            address = html.escape(run, quote=True)
            parts.append(f'<a href="{address}" rel="noreferrer">{address}</a>')
        else:
            parts.append(esc(run))
    return "".join(parts)


def _score_html(item: BriefPairing) -> str:
    from coprod.output import score_sum

    terms = []
    for joiner, term, penalty in score_sum(item.pairing.components):
        shown = esc(term)
        terms.append(esc(joiner) + (f'<span class="penalty">{shown}</span>' if penalty else shown))
    total = f"{item.pairing.score:.2f}"
    return f"{total} = {''.join(terms)}" if terms else total


def _pairing_html(number: int, item: BriefPairing) -> str:
    pairing = item.pairing
    verdict = (
        pairing.feasibility if pairing.feasibility in ("ok", "consent_required", "blocked") else ""
    )
    out = [
        f'<article class="pairing {verdict}">',
        f"<h3>{number}. {esc(pairing_title(pairing))} — {pairing.score:.1f}, "
        f'<span class="verdict {verdict}">{esc(feasibility_words(pairing))}</span></h3>',
        f'<p class="reason">{esc(item.reason)}</p>',
        "<ul>",
    ]
    if item.change_words:
        out.append(f'<li class="changed">{esc(item.change_words)}</li>')
    if item.decision_words:
        out.append(f'<li class="decision">Decision: {esc(item.decision_words)}</li>')
    if item.note:
        out.append(f'<li><span class="label">Note:</span> {esc(item.note)}</li>')
    if pairing.foreign is not None:
        out.append(
            f'<li><span class="label">Foreign capability</span> (fit {pairing.foreign.fit:.0f}): '
            f"{esc(pairing.foreign.capability)}</li>"
        )
    if pairing.local is not None:
        out.append(
            '<li><span class="label">Taiwanese capability</span> '
            f"({esc(pairing.local.partner_name)}, fit {pairing.local.fit:.0f}): "
            f"{esc(pairing.local.capability)}</li>"
        )
    elif pairing.foreign is not None:
        out.append(
            f'<li><span class="label">Taiwanese capability:</span> {esc(NO_LOCAL_TEXT)}</li>'
        )
    out.append(f'<li><span class="label">Score:</span> {_score_html(item)}</li>')
    if pairing.consent_chain:
        out.append('<li><span class="label">Consent chain:</span><ul>')
        for step in pairing.consent_chain:
            verdict_word = "blocks" if step.blocks else "consent needed"
            css = "blocked" if step.blocks else "consent_required"
            text = f'<span class="verdict {css}">{esc(step.country)} — '
            text += f"{esc(posture_words(step.posture))}, {verdict_word}</span>"
            if step.reason:
                text += f": {esc(step.reason)}"
            if step.note:
                text += f'. <span class="facts">Posture basis: {esc(step.note)}</span>'
            out.append(f"<li>{text}</li>")
        out.append("</ul></li>")
    else:
        out.append(
            '<li><span class="label">Consent chain:</span> '
            "no foreign government's consent is needed</li>"
        )
    if item.sources:
        out.append('<li><span class="label">Sources:</span><ul class="sources">')
        out.extend(f"<li>{esc(what)}: {source_html(source)}</li>" for what, source in item.sources)
        out.append("</ul></li>")
    out.extend(["</ul>", "</article>"])
    return "\n".join(out)


def _section_html(section: BriefSection) -> str:
    requirement = section.requirement
    out = [
        f'<section class="requirement" id="req-{esc(requirement.requirement_id)}">',
        f"<h2>{esc(requirement.requirement_id)} · {esc(requirement.title)}</h2>",
        f'<p class="facts">{esc(requirement_facts(requirement))}</p>',
    ]
    if requirement.description:
        out.append(f"<p>{esc(requirement.description)}</p>")
    if not section.pairings and not section.missing:
        # (a shortlist's pick the ranking lacks is said below instead)
        out.append('<p class="missing">No pairing passes the filters.</p>')
    out.extend(_pairing_html(n, item) for n, item in enumerate(section.pairings, start=1))
    for missing in section.missing:
        css = "missing gone" if missing.gone else "missing"
        out.append(f'<div class="{css}"><p>{esc(missing.words)}</p>')
        pick = missing.pick
        notes = []
        if pick.decision or pick.decision_reason:
            decision = _decision_words(pick.decision, pick.decision_reason)
            notes.append(f'<li class="decision">Decision: {esc(decision)}</li>')
        if pick.note:
            notes.append(f'<li><span class="label">Note:</span> {esc(pick.note)}</li>')
        if notes:
            out.append("<ul>" + "".join(notes) + "</ul>")
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _coverage_html(brief: Brief) -> str:
    if brief.analysis is None:
        return ""
    threshold = brief.analysis.threshold
    out = [
        '<section class="coverage" id="coverage">',
        "<h2>Coverage</h2>",
        f"<p>A requirement is covered when a feasible pairing scores at least {threshold:g}; "
        "weakly covered when its best feasible pairing scores less.</p>",
    ]
    gaps = coverage_rows(brief)
    if gaps:
        out.append(_table(COVERAGE_HEADER, gaps, css_class="gaps"))
    else:
        out.append("<p>Every requirement is covered.</p>")
    header, rows = heat_map_rows(brief)
    out.append("<h3>Best feasible score by category and partner country</h3>")
    heat = _table(header, rows, numeric=range(1, len(header)), css_class="heat")
    out.append(f'<div class="wide">{heat}</div>')
    out.append("</section>")
    return "\n".join(out)


def render_html(brief: Brief) -> str:
    filters = "; ".join(f"{name} {value}" for name, value in brief.filters) or "none"
    summary = _table(summary_header(brief), summary_rows(brief), numeric=(4,), css_class="summary")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No request leaves the page: no script, no remote style, font or image.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{esc(brief.title)} · {esc(brief.date)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(brief.title)}</h1>",
        '<dl class="meta">',
        f"<dt>Date</dt><dd>{esc(brief.date)}</dd>",
        f"<dt>Catalog</dt><dd>{esc(brief.catalog)}</dd>",
        f"<dt>Filters</dt><dd>{esc(filters)}</dd>",
        f"<dt>Requirements</dt><dd>{len(brief.sections)}</dd>",
        "</dl>",
        "</header>",
        '<section class="summary" id="summary">',
        "<h2>Summary</h2>",
        summary,
        "</section>",
        *(_section_html(section) for section in brief.sections),
        _coverage_html(brief),
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"
