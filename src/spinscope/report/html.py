"""Render a ``ReportData`` as one self-contained HTML file (inline CSS and SVG, no scripts).

Every string that comes from the corpus or the user (titles, outlet names, article text,
event names) goes through ``e()``; the page loads nothing from the network, so it works
offline, from a USB stick or as an e-mail attachment.
"""

from __future__ import annotations

import math
from html import escape

from spinscope import __version__
from spinscope.compare import ALL, Cell, Comparison
from spinscope.report.charts import build_charts, used_techniques
from spinscope.report.data import Example, ReportData, taxonomy_definitions
from spinscope.report.text import CAVEATS, CSS, LANG_NAMES, methodology

__all__ = ["render_report"]


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _ci(v: float, lo: float, hi: float, pct: bool = False) -> str:
    if math.isnan(v):
        return "–"
    fmt = (lambda x: f"{x:.0%}") if pct else (lambda x: f"{x:.1f}")
    if math.isnan(lo):
        return fmt(v)
    return f'{fmt(v)} <span class="ci">[{fmt(lo)}–{fmt(hi)}]</span>'


def _est(cell: Cell) -> tuple[float, float, float]:
    return cell.estimate.value, cell.estimate.low, cell.estimate.high


def _flag(flag: str) -> str:
    return {"higher": '<span class="up">▲ higher</span>',
            "lower": '<span class="down">▼ lower</span>'}.get(flag, "")


def _overall(c: Comparison) -> tuple[int, int, int]:
    articles = sum(g.articles for g in c.groups)
    words = sum(g.words for g in c.groups)
    spans = sum(g.spans for g in c.groups)
    return articles, words, spans


def _summary(d: ReportData) -> str:
    articles, words, spans = _overall(d.by_outlet)
    days = sorted(p[1][:10] for p in d.article_meta.values() if p[1])
    langs = ", ".join(LANG_NAMES.get(g.group, g.group) for g in d.by_lang.groups)
    rate = 1000.0 * spans / words if words else float("nan")
    cards = [
        (f"{articles:,}", "articles analysed", f"{d.by_outlet.copies_left_out:,} syndicated "
         "copies counted once"),
        (f"{len(d.by_outlet.groups):,}", "outlets", f"{len(d.by_bloc.groups)} blocs"),
        (f"{len(d.by_lang.groups)}", "languages", langs),
        (f"{spans:,}", "technique spans", f"{rate:.1f} per 1,000 words" if words else ""),
        (f"{len(d.events)}", "events", f"{days[0]} to {days[-1]}" if days else ""),
    ]
    html = ['<div class="cards">']
    for big, label, note in cards:
        html.append(f'<div class="card"><div class="big">{e(big)}</div><div>{e(label)}</div>'
                    f'<div class="note">{e(note)}</div></div>')
    html.append("</div>")
    return "".join(html)


# Human-annotated density of technique spans in news: PTC v2 train (SemEval-2020 task 11),
# 6,128 spans in 344,212 whitespace words of 371 articles, measured with spinscope.corpora.
GOLD_RATE = 17.8


def _rate_warning(d: ReportData) -> str:
    """A visible caution when the model reports far more spans than human annotators do."""
    _articles, words, spans = _overall(d.by_outlet)
    if not words:
        return ""
    rate = 1000.0 * spans / words
    if rate <= 3 * GOLD_RATE:
        return ""
    sc = d.scores
    median = (f" Half of its spans have a confidence below {sc['median']:.2f}."
              if sc.get("median") is not None and sc.get("spans") else "")
    return (f"<div class='warn'><b>Read the rates as relative, not absolute.</b> The model "
            f"reports {rate:.0f} spans per 1,000 words here; human annotators of English news "
            f"marked {GOLD_RATE} per 1,000 words (PTC corpus).{e(median)} Differences between "
            "groups still say something if the model errs alike for all of them; to count only "
            "confident spans, rebuild the report with <code>--min-score</code> (e.g. 0.3).</div>")


def _findings(d: ReportData) -> str:
    defs = taxonomy_definitions()
    items = []
    members: dict[str, set[str]] = {}
    for g in d.by_outlet.groups:
        members.setdefault(d.outlet_blocs.get(g.group, "(unknown)"), set()).add(g.group)
    for label, comp in (("bloc", d.by_bloc), ("outlet", d.by_outlet), ("language", d.by_lang)):
        for c in comp.flagged:
            if c.difference is None:
                continue
            if label == "bloc" and len(members.get(c.group, ())) == 1:
                continue  # a one-outlet bloc: the outlet's line says the same
            name = "any technique" if c.technique == ALL else defs[c.technique][0]
            diff = c.difference
            more = "more" if diff.value > 0 else "less"
            against = "the rest" if diff.against == "rest" else diff.against
            if c.metric == "rate":
                what = (f"uses <b>{e(name)}</b> at "
                        f"{_ci(c.estimate.value, c.estimate.low, c.estimate.high)} spans per "
                        f"1,000 words, {more} than {e(against)} (difference {diff.value:+.1f}"
                        f' <span class="ci">[{diff.low:+.1f} to {diff.high:+.1f}]</span>')
                size = abs(diff.value) / 10.0
            else:
                what = (f"has <b>{e(name)}</b> in "
                        f"{_ci(c.estimate.value, c.estimate.low, c.estimate.high, True)} of its "
                        f"articles, {more} often than {e(against)} (difference "
                        f"{diff.value:+.0%}"
                        f' <span class="ci">[{diff.low:+.0%} to {diff.high:+.0%}]</span>')
                size = abs(diff.value)
            items.append((size, (
                f"<li>The {e(label)} <b>{e(c.group)}</b> {what}, Holm-adjusted "
                f"p = {diff.p_adjusted:.2g}).</li>")))
    if not items:
        return ("<p>No difference between groups is supported by the intervals: with this "
                "many articles, the numbers below describe the corpus but do not show that "
                "any outlet, bloc or language differs from the rest.</p>")
    items.sort(key=lambda x: -x[0])
    more = f"<p class='note'>{len(items) - 8} more in the tables below.</p>" \
        if len(items) > 8 else ""
    return "<ul class='findings'>" + "".join(html for _, html in items[:8]) + "</ul>" + more


def _cell_ci(c: Comparison, articles: int, v: float, lo: float, hi: float,
             pct: bool = False, degenerate: bool = False) -> str:
    """Point estimate and interval; groups too small to test get no interval."""
    if articles < c.options.min_articles:
        return (_ci(v, math.nan, math.nan, pct) +
                f' <span class="ci" title="fewer than {c.options.min_articles} articles: no '
                f'interval">(n&lt;{c.options.min_articles})</span>')
    if degenerate:
        return _ci(v, math.nan, math.nan, pct) + (
            ' <span class="ci" title="no resample varied: no interval">(no spread)</span>')
    return _ci(v, lo, hi, pct)


def _group_table(c: Comparison, kind: str, names: dict[str, str] | None = None,
                 blocs: dict[str, str] | None = None) -> str:
    defs = taxonomy_definitions()
    head = (f"<tr><th>{e(kind)}</th>{'<th>bloc</th>' if blocs else ''}<th>articles</th>"
            "<th>words</th><th>per 1,000 words</th><th></th><th>share of articles</th><th></th>"
            "<th>most used</th></tr>")
    rows = []
    for g in c.groups:
        r = c.cell(g.group, ALL, "rate", g.bucket)
        s = c.cell(g.group, ALL, "share", g.bucket)
        tops = sorted((c.cell(g.group, t, "rate", g.bucket) for t in c.techniques if t != ALL),
                      key=lambda x: -x.estimate.value)
        top = ", ".join(f"{e(defs[x.technique][0])} {x.estimate.value:.1f}"
                        for x in tops[:3] if x.estimate.value > 0)
        label = e(g.group) if not names or g.group not in names else \
            f"{e(names[g.group])} <span class='note'>{e(g.group)}</span>"
        bloc_cell = f"<td>{e(blocs.get(g.group, ''))}</td>" if blocs else ""
        rows.append(
            f"<tr><td>{label}</td>{bloc_cell}"
            f"<td class='n'>{g.articles:,}</td><td class='n'>{g.words:,}</td>"
            f"<td class='n'>{_cell_ci(c, g.articles, *_est(r), r.estimate.degenerate)}</td>"
            f"<td>{_flag(r.difference.flag if r.difference else '')}</td>"
            f"<td class='n'>{_cell_ci(c, g.articles, *_est(s), True, s.estimate.degenerate)}"
            "</td>"
            f"<td>{_flag(s.difference.flag if s.difference else '')}</td><td>{top}</td></tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _events(d: ReportData) -> str:
    defs = taxonomy_definitions()
    if not d.events:
        return ("<p>No events yet: run <code>spinscope events build</code> to group articles "
                "about the same story.</p>")
    out = []
    for ev in d.events:
        prof = d.event_profiles.get(ev.id)
        langs = ", ".join(LANG_NAMES.get(x, x) for x in ev.langs)
        span = ev.first_published[:10] if ev.first_published else "?"
        if ev.last_published and ev.last_published[:10] != span:
            span += f" to {ev.last_published[:10]}"
        out.append(f"<h3>{e(ev.name)} <span class='note'>{e(ev.id)} · {e(span)} · "
                   f"{ev.size} articles · {e(langs)}{' · edited by hand' if ev.edited else ''}"
                   "</span></h3>")
        if prof is None or not prof.groups:
            continue
        rows = []
        for g in prof.groups:
            r = prof.cell(g.group, ALL, "rate")
            used = [defs[t][0] for t in prof.techniques if t != ALL
                    and prof.cell(g.group, t, "rate").estimate.value > 0]
            rows.append(f"<tr><td>{e(d.outlet_names.get(g.group, g.group))}</td>"
                        f"<td>{e(d.outlet_blocs.get(g.group, ''))}</td>"
                        f"<td class='n'>{g.articles}</td><td class='n'>{g.words:,}</td>"
                        f"<td class='n'>{_ci(r.estimate.value, math.nan, math.nan)}</td>"
                        f"<td>{e(', '.join(used)) or '<span class=note>none found</span>'}"
                        "</td></tr>")
        copies = (f"<p class='note'>{prof.copies_left_out} syndicated "
                  f"cop{'y' if prof.copies_left_out == 1 else 'ies'} of these articles not "
                  "counted again.</p>") if prof.copies_left_out else ""
        out.append("<table><tr><th>outlet</th><th>bloc</th><th>articles</th><th>words</th>"
                   "<th>per 1,000 words</th><th>techniques found</th></tr>"
                   f"{''.join(rows)}</table>{copies}")
    return "".join(out)


def _example(x: Example, names: dict[str, str]) -> str:
    where = " · ".join(filter(None, [names.get(x.outlet or "", x.outlet or ""),
                                     (x.published or "")[:10], LANG_NAMES.get(x.lang or "",
                                                                              x.lang or "")]))
    score = f" · score {x.score:.2f}" if x.score is not None else ""
    return (f"<blockquote><p>{e(x.before)}<mark>{e(x.span)}</mark>{e(x.after)}</p>"
            f"<footer>{e(where)}{e(score)} · <span class='note'>{e(x.title or x.article_id)}"
            "</span></footer></blockquote>")


def _examples(d: ReportData, techs: list[str]) -> str:
    defs = taxonomy_definitions()
    out = []
    for t in techs[: d.options.example_techniques]:
        title, group, definition = defs[t]
        items = d.examples.get(t, [])
        out.append(f"<section class='technique'><h3>{e(title)} <span class='note'>{e(group)}"
                   f"</span></h3><p class='def'>{e(definition)}</p>"
                   f"{''.join(_example(x, d.outlet_names) for x in items)}</section>")
    return "".join(out) or "<p>No spans found in scope.</p>"


def _language_caveat(d: ReportData) -> str:
    """The model card's warning about languages it was calibrated for on other text."""
    text = d.model_card.get("language_caveat") if d.model_card.get("available") else ""
    return f"<p class='note'><b>Model caveat.</b> {e(text)}</p>" if text else ""


def _model_card(d: ReportData) -> str:
    card = d.model_card
    defs = taxonomy_definitions()
    covered = set(d.techniques)
    missing = [defs[t][0] for t in defs if t not in covered]
    parts = [f"<p>Results of model version <code>{e(d.model_version)}</code>. It covers "
             f"{len(covered)} of the {len(defs)} techniques of the taxonomy.</p>"]
    if missing:
        parts.append(f"<p><b>Not covered</b> (the model never reports them, so their absence "
                     f"here means nothing): {e(', '.join(missing))}.</p>")
    if not card.get("available"):
        parts.append(f"<p class='note'>Model card: {e(card.get('reason', 'not available'))}."
                     "</p>")
        return "".join(parts)
    metrics = card.get("metrics") or {}
    if metrics:
        rows = "".join(f"<tr><td>{e(m.get('split', k))}</td><td>{e(m.get('metric', ''))}</td>"
                       f"<td class='n'>{e(m.get('value', ''))}</td><td>{e(m.get('note', ''))}"
                       "</td></tr>" for k, m in metrics.items())
        parts.append("<table><tr><th>evaluation</th><th>metric</th><th>value</th><th>note</th>"
                     f"</tr>{rows}</table>")
    if card.get("licence"):
        parts.append(f"<p class='note'>{e(card['licence'])}</p>")
    return "".join(parts)


def render_report(d: ReportData) -> str:
    """The whole report as one HTML document."""
    charts = build_charts(d)
    techs = used_techniques(d)
    scope = []
    if d.options.event_id:
        scope.append(f"event {d.options.event_id}")
    w = d.options.where
    if w is not None:
        for label, values in (("outlets", w.outlets), ("languages", w.langs), ("tags", w.tags)):
            if values:
                scope.append(f"{label}: {', '.join(values)}")
        if w.date_from or w.date_to:
            scope.append(f"published {w.date_from or '…'} to {w.date_to or '…'}")
    if d.options.min_score > 0:
        scope.append(f"spans scored at least {d.options.min_score:g}")
    scope_text = "; ".join(scope) or "the whole corpus"
    sections = [
        ("summary", "At a glance", _summary(d) + _rate_warning(d) + _findings(d)),
        ("outlets", "Outlets and techniques",
         charts["outlet-technique-heatmap"].svg() + _group_table(d.by_outlet, "outlet",
                                                                 d.outlet_names, d.outlet_blocs)),
        ("blocs", "Blocs", charts["rate-by-bloc"].svg() + _group_table(d.by_bloc, "bloc")),
        ("languages", "Languages", charts["rate-by-language"].svg()
         + _group_table(d.by_lang, "language") + _language_caveat(d)),
        ("trends", "Over time", charts["trend-by-bloc"].svg()
         + "<p class='note'>Points are point estimates; short periods hold few articles, so "
           "read single ups and downs with care (intervals are in <code>spinscope compare "
           "--by bloc --over week</code>).</p>"),
        ("events", "Events across outlets",
         (charts["event-timeline"].svg() if "event-timeline" in charts else "") + _events(d)),
        ("examples", "Examples with definitions", _examples(d, techs)),
        ("method", "Methodology", methodology(d)),
        ("model", "Model card (excerpt)", _model_card(d)),
        ("caveats", "Caveats", CAVEATS),
    ]
    nav = "".join(f"<a href='#{k}'>{e(t)}</a>" for k, t, _ in sections)
    body = "".join(f"<section id='{k}'><h2>{e(t)}</h2>{html}</section>"
                   for k, t, html in sections)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{e(d.options.title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{e(d.options.title)}</h1><p class='meta'>Scope: {e(scope_text)} · "
            f"model {e(d.model_version)} · generated {e(d.generated_at)} by spinscope "
            f"{e(__version__)} · store {e(d.store)}</p><nav>{nav}</nav></header>"
            f"<main>{body}</main></body></html>\n")
