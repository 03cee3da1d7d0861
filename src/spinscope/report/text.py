"""Fixed text of the report: style sheet, methodology and caveats."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spinscope.report.data import ReportData

LANG_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German",
              "fr": "French", "pl": "Polish", "be": "Belarusian"}

CSS = """
:root{--ink:#1f2933;--muted:#52606d;--line:#d9dee3;--bg:#fbfbfc;--accent:#1b6ca8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}
header{background:#fff;border-bottom:1px solid var(--line);padding:20px 32px 0}
header h1{margin:0 0 4px;font-size:26px}
.meta{color:var(--muted);margin:0 0 12px;font-size:13px;overflow-wrap:anywhere}
nav{display:flex;flex-wrap:wrap;gap:4px 18px;padding-bottom:10px;font-size:14px}
nav a{color:var(--accent);text-decoration:none}
main{max-width:1120px;margin:0 auto;padding:8px 32px 48px}
section{margin-top:28px}
h2{font-size:21px;border-bottom:2px solid var(--ink);padding-bottom:4px}
h3{font-size:17px;margin:22px 0 6px}
svg{display:block;margin:12px 0 16px;background:#fff;border:1px solid var(--line);
border-radius:6px;padding:6px}
table{border-collapse:collapse;width:100%;margin:8px 0 18px;background:#fff;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f5;font-weight:600}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.ci{color:var(--muted);font-size:12px}
.note{color:var(--muted);font-size:13px;font-weight:normal}
.up{color:#b42318;font-weight:600;white-space:nowrap}
.down{color:#1b6ca8;font-weight:600;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0 18px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;
min-width:170px;flex:1}
.card .big{font-size:26px;font-weight:700}
.findings li{margin:4px 0}
.technique{background:#fff;border:1px solid var(--line);border-radius:8px;padding:4px 18px 10px;
margin:14px 0}
.def{color:var(--muted);font-style:italic;margin-top:0}
blockquote{margin:10px 0;padding:6px 14px;border-left:4px solid var(--accent);background:#f7f9fb}
blockquote p{margin:0 0 4px}
blockquote footer{color:var(--muted);font-size:12px}
mark{background:#ffe08a;padding:0 2px;border-radius:2px}
.warn{background:#fff4e5;border:1px solid #f0b45b;border-radius:8px;padding:10px 14px;
margin:8px 0 14px}
code{background:#eef1f4;padding:1px 4px;border-radius:3px;font-size:13px}
@media print{header{border:0}nav{display:none}section{break-inside:avoid-page}
svg{break-inside:avoid}body{background:#fff}}
"""

CAVEATS = """
<ul>
<li><b>Coverage.</b> The model reports only the techniques listed as covered in the model card
section; a technique it does not cover is absent from every table, which says nothing about the
articles.</li>
<li><b>Model errors.</b> Spans are automatic. Both missed and false spans occur, and how often
differs by language and technique (see the model's evaluation). Compare outlets with each other
rather than reading absolute rates as facts about one outlet, and read the examples before
quoting a number.</li>
<li><b>Confidence.</b> Scores are calibrated model confidences, not probabilities that a human
annotator would agree.</li>
<li><b>Small groups.</b> Intervals are wide when a group has few articles; groups below the
minimum size are never flagged, and a missing flag is not evidence of no difference.</li>
<li><b>Events</b> are grouped automatically from multilingual embeddings and publication dates;
check their members (<code>spinscope events show ID</code>) and fix them by hand
(<code>merge</code>, <code>split</code>) before reporting per-event numbers.</li>
<li><b>Corpus.</b> The numbers describe the articles in the store, not an outlet's whole output;
how they were collected (feeds, archives, time range) decides what they can represent.</li>
</ul>
"""


def methodology(d: ReportData) -> str:
    o = d.by_outlet.options
    return f"""
<p>Every article was analysed by model version <code>{d.model_version}</code>, which marks
character spans of persuasion techniques (SemEval-2023 taxonomy). For each group of articles
we report two numbers per technique:</p>
<ul>
<li><b>per 1,000 words</b>: all spans of the technique in the group's articles divided by all
their words (whitespace-separated), times 1,000;</li>
<li><b>share of articles</b>: the fraction of the group's articles with at least one span of
the technique.</li>
</ul>
<p><b>Copies.</b> Syndicated and near-duplicate copies found at ingest are left out, so a
story republished by several outlets counts once, for the outlet that published it first
({d.by_outlet.copies_left_out} copies left out here).</p>
<p><b>Intervals.</b> {o.confidence:.0%} percentile bootstrap intervals over articles, from
{o.resamples} Poisson-weighted resamples (each article gets a Poisson(1) weight per resample;
seed {o.seed}, so the same store gives the same numbers).</p>
<p><b>Differences.</b> Each group is compared with the rest of the corpus. A difference is
flagged (▲/▼) only when its bootstrap interval excludes zero <i>and</i> its p-value (normal
approximation with the bootstrap standard error), adjusted with Holm's method over all tests
of the table, is below {o.alpha}. Groups under {o.min_articles} articles are never flagged.</p>
<p><b>Blocs</b> are the primary bloc of each outlet in the outlet registry, assigned by the
user; they are labels for comparison, not findings.</p>
<p><b>Events</b> group articles about one story across outlets and languages: multilingual
sentence embeddings (multilingual-e5-small, int8) of title and lead; average-linkage
clustering at a cosine-distance threshold inside time windows of a few days; clusters of
neighbouring windows chained by the same criterion, for at most a month per event; manual
merges, splits and names replayed on every rebuild. Clustering quality on our labelled
sample corpus, and how sensitive it is to the threshold, is in
<code>docs/corpus-analysis.md</code>.</p>
<p>Reproduce: <code>spinscope compare --by outlet --resamples {o.resamples} --seed
{o.seed} --json</code> gives every number of these tables.</p>
"""
