"""View models: an ``Analysis`` turned into the plain data a page (or its JSON twin) shows.

Everything here is pure: the same input gives the same dicts, templates only lay them out,
and the CSS classes come from fixed names (group ids), never from input text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spinscope.core.analysis import Analysis
from spinscope.core.span import Span
from spinscope.core.taxonomy import Taxonomy
from spinscope.web.analysis import SourceInfo
from spinscope.web.segments import segment_blocks

__all__ = ["Selection", "analysis_view", "group_class", "technique_info"]

OTHER_GROUP = "other"
SNIPPET_CHARS = 90
_SAFE_CLASS = re.compile(r"[^a-z0-9_-]")


@dataclass(frozen=True, slots=True)
class Selection:
    """Which techniques and groups to highlight; empty sets mean "all"."""

    techniques: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()

    @classmethod
    def of(cls, techniques: Iterable[str] = (), groups: Iterable[str] = ()) -> Selection:
        return cls(frozenset(t for t in techniques if t), frozenset(g for g in groups if g))

    @property
    def everything(self) -> bool:
        return not self.techniques and not self.groups

    def shows(self, technique: str | None, group: str) -> bool:
        if self.everything:
            return True
        return (technique or "") in self.techniques or group in self.groups

    def to_dict(self) -> dict[str, list[str]]:
        return {"techniques": sorted(self.techniques), "groups": sorted(self.groups)}


def group_class(group_id: str) -> str:
    """A CSS class for a group: ``g-`` plus the id reduced to ``[a-z0-9_-]``."""
    return "g-" + _SAFE_CLASS.sub("", group_id.lower())


def technique_info(taxonomy: Taxonomy, name: str | None) -> dict[str, str]:
    """Title, group and definition of a technique; unknown names get the ``other`` group."""
    if name is not None and name in taxonomy:
        t = taxonomy.get(name)
        return {"technique": t.name, "title": t.title, "group": t.group.id,
                "group_name": t.group.name, "definition": t.definition}
    return {"technique": name or "", "title": (name or "Unlabelled span").replace("_", " "),
            "group": OTHER_GROUP, "group_name": "Other",
            "definition": "Not a technique of the installed taxonomy."}


def percent(score: float | None) -> str:
    return "–" if score is None else f"{round(100 * score)}%"


def _paragraph_of(span: Span, analysis: Analysis) -> int | None:
    for p in analysis.paragraphs:
        if p.start <= span.start < p.end:
            return p.index
    return None


def analysis_view(analysis: Analysis, taxonomy: Taxonomy, selection: Selection | None = None,
                  source: SourceInfo | None = None) -> dict[str, Any]:
    """Findings, highlighted blocks, paragraph summary and counts for one analysis."""
    selection = selection or Selection()
    text = analysis.text
    spans = sorted(analysis.spans, key=lambda s: (s.start, s.end, s.label or ""))
    numbers = {p.index: n for n, p in enumerate(analysis.paragraphs, start=1)}
    findings: list[dict[str, Any]] = []
    for i, s in enumerate(spans):
        info = technique_info(taxonomy, s.label)
        para = _paragraph_of(s, analysis)
        findings.append({
            "index": i, **info, "start": s.start, "end": s.end,
            "score": s.score, "confidence": percent(s.score),
            "text": text[s.start:s.end], "paragraph": para,
            "paragraph_number": numbers.get(para) if para is not None else None,
            "visible": selection.shows(s.label, info["group"]),
            "css": group_class(info["group"]),
        })
    blocks = []
    for b in segment_blocks(text, analysis.paragraphs, spans):
        segs = []
        for seg in b.segments:
            visible = [findings[i] for i in seg.spans if findings[i]["visible"]]
            top = max(visible, key=lambda f: (f["score"] or 0.0, -(f["end"] - f["start"])),
                      default=None)
            classes = ["hl"]
            if seg.spans and top is None:
                classes.append("off")
            if top is not None:
                classes.append(top["css"])
            if len(visible) > 1:
                classes.append("multi")
            segs.append({
                "text": seg.text, "marked": seg.marked, "spans": list(seg.spans),
                "css": " ".join(classes),
                "tooltip": "\n".join(f"{findings[i]['title']} · {findings[i]['confidence']}"
                                     for i in seg.spans),
                "starts": [i for i in seg.spans if spans[i].start == seg.start],
            })
        blocks.append({"paragraph": b.paragraph, "start": b.start, "end": b.end,
                       "segments": segs})
    counts = Counter(f["technique"] for f in findings)
    techniques = [
        {**technique_info(taxonomy, name), "count": n,
         "css": group_class(technique_info(taxonomy, name)["group"]),
         "selected": name in selection.techniques}
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    group_counts = Counter(f["group"] for f in findings)
    groups = [{"id": g.id, "name": g.name, "definition": g.definition,
               "count": group_counts.get(g.id, 0), "css": group_class(g.id),
               "selected": g.id in selection.groups} for g in taxonomy.groups]
    if group_counts.get(OTHER_GROUP):
        groups.append({"id": OTHER_GROUP, "name": "Other", "definition": "",
                       "count": group_counts[OTHER_GROUP], "css": group_class(OTHER_GROUP),
                       "selected": OTHER_GROUP in selection.groups})
    return {
        "source": (source or SourceInfo()).to_dict(),
        "model": analysis.model, "model_version": analysis.model_version,
        "lang": analysis.lang, "word_count": analysis.word_count, "length": len(text),
        "span_count": len(spans), "visible_count": sum(f["visible"] for f in findings),
        "findings": findings, "blocks": blocks,
        "paragraphs": _paragraph_summary(analysis, taxonomy, findings, selection),
        "techniques": techniques, "groups": groups, "selection": selection.to_dict(),
        "density_per_1000_words": analysis.density(),
    }


def _paragraph_summary(analysis: Analysis, taxonomy: Taxonomy, findings: Sequence[dict[str, Any]],
                       selection: Selection) -> list[dict[str, Any]]:
    out = []
    for number, p in enumerate(analysis.paragraphs, start=1):
        para_text = " ".join(analysis.text[p.start:p.end].split())
        snippet = para_text if len(para_text) <= SNIPPET_CHARS else \
            para_text[:SNIPPET_CHARS].rsplit(" ", 1)[0].rstrip(".,;:!?—-") + "…"
        names = list(dict.fromkeys([*p.techniques, *(f["technique"] for f in findings
                                                      if f["paragraph"] == p.index)]))
        techs = [{**technique_info(taxonomy, n),
                  "css": group_class(technique_info(taxonomy, n)["group"])} for n in names]
        techs = [t for t in techs if selection.shows(t["technique"], t["group"])]
        out.append({"index": p.index, "number": number, "start": p.start, "end": p.end,
                    "snippet": snippet, "techniques": techs,
                    "span_count": sum(1 for f in findings if f["paragraph"] == p.index)})
    return out
