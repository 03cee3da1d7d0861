"""Training targets: gold spans and post labels of each corpus turned into per-token arrays.

Output units: unit 0 is "any persuasion", units 1..23 are the taxonomy techniques in order.
How a gold label becomes supervision depends on its mapping kind:

* ``exact``/``approximate``: the target unit is positive on the span's tokens;
* ``merge``/``split`` ("one of these targets"): an *any-of* constraint on the span's tokens
  (noisy-OR over the target units), never a single invented target;
* ``none``: the tokens count for "any" only.

Inside annotated spans, a technique unit is supervised only when the corpus's label set can
express it (PTC has no label that maps to Appeal_to_Values, so a PTC span says nothing about
it); text outside every span is a negative for all techniques.
Post-level labels (UNLP-2025) supervise technique units by multiple-instance learning:
max over the post's tokens vs the post label.
Pure numpy; the losses that consume these arrays live in ``models.train``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from spinscope.core.span import Span
from spinscope.core.taxonomy import Taxonomy
from spinscope.models.windows import TokenStream

ANY = "any"


@dataclass(frozen=True)
class LabelSpace:
    """The model's output units: ``any`` followed by the taxonomy's techniques."""

    taxonomy_id: str
    techniques: tuple[str, ...]

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> LabelSpace:
        return cls(taxonomy.id, taxonomy.names)

    @property
    def units(self) -> tuple[str, ...]:
        return (ANY, *self.techniques)

    def __len__(self) -> int:
        return 1 + len(self.techniques)

    def unit(self, technique: str) -> int:
        return 1 + self.techniques.index(technique)


@dataclass
class DocTargets:
    """Per-token targets of one document (``n`` tokens, ``U`` units)."""

    y: np.ndarray  # float32 (n, U): 1 on positive tokens of exactly supervised units
    mask: np.ndarray  # bool (n, U): which (token, unit) pairs the BCE loss sees
    group: np.ndarray  # bool (n, U): any-of target units of merge/split spans
    mil_pos: list[tuple[int, ...]] = field(default_factory=list)  # post: any-of unit sets
    mil_neg: tuple[int, ...] = ()  # post: units known absent


def _token_range(stream: TokenStream, span: Span) -> tuple[int, int]:
    """Tokens overlapping ``span`` (zero-width tokens never do)."""
    inside = (stream.starts < span.end) & (stream.ends > span.start) & (
        stream.ends > stream.starts)
    idx = np.flatnonzero(inside)
    if not len(idx):
        return 0, 0
    return int(idx[0]), int(idx[-1]) + 1


def reachable_units(space: LabelSpace, taxonomy: Taxonomy, label_set: str) -> list[int]:
    """Technique units that some label of ``label_set`` maps to."""
    units = {space.unit(t) for m in taxonomy.mapping(label_set).values() for t in m.targets}
    return sorted(units)


def doc_targets(stream: TokenStream, spans: tuple[Span, ...], post_labels: tuple[str, ...],
                label_set: str, taxonomy: Taxonomy, space: LabelSpace,
                spans_have_techniques: bool, counts: Counter[str] | None = None) -> DocTargets:
    """Targets of one gold document. ``counts`` collects evidence per technique."""
    n, u = len(stream), len(space)
    y = np.zeros((n, u), dtype=np.float32)
    mask = np.zeros((n, u), dtype=bool)
    group = np.zeros((n, u), dtype=bool)
    mask[:, 0] = True
    reach = reachable_units(space, taxonomy, label_set)
    if spans_have_techniques:
        mask[:, reach] = True
    counts = counts if counts is not None else Counter()
    for sp in spans:
        a, b = _token_range(stream, sp)
        if a == b:
            continue
        y[a:b, 0] = 1.0
        if not spans_have_techniques or sp.label is None:
            continue
        m = taxonomy.map_label(label_set, sp.label)
        if m.kind in ("exact", "approximate"):
            k = space.unit(m.targets[0])
            y[a:b, k] = 1.0
            counts[m.targets[0]] += 1
        elif m.kind in ("merge", "split"):
            ks = [space.unit(t) for t in m.targets]
            group[a:b, ks] = True
            for t in m.targets:
                counts[f"{t} (one-of)"] += 1
        else:  # "none": the span says nothing about which technique
            mask[a:b, 1:] = False
    if spans_have_techniques:
        # Text outside every annotated span is free of persuasion under any scheme, so it is
        # a negative even for techniques the corpus's label set cannot name.
        mask[y[:, 0] == 0, 1:] = True
    # Exact positives win over a merged label on the same tokens.
    mask &= ~(group & (y == 0))
    targets = DocTargets(y=y, mask=mask, group=group)
    if not spans_have_techniques:  # post-level labels: multiple-instance supervision
        pos: list[tuple[int, ...]] = []
        for lab in post_labels:
            m = taxonomy.map_label(label_set, lab)
            if m.kind == "none" or not m.targets:
                continue
            pos.append(tuple(space.unit(t) for t in m.targets))
            for t in m.targets:
                counts[f"{t} (post{'' if len(m.targets) == 1 else ', one-of'})"] += 1
        present = {k for s in pos for k in s}
        targets.mil_pos = pos
        targets.mil_neg = tuple(k for k in reach if k not in present)
    return targets


def evidence(counts: Counter[str], technique: str) -> tuple[int, int]:
    """(span-level, post-level) positive examples that name ``technique`` alone."""
    return counts.get(technique, 0), counts.get(f"{technique} (post)", 0)


def covered_techniques(counts: Counter[str], space: LabelSpace, min_spans: int = 25,
                       min_posts: int = 60) -> tuple[str, ...]:
    """Techniques with enough direct training evidence to be emitted at all."""
    out = []
    for t in space.techniques:
        spans, posts = evidence(counts, t)
        if spans >= min_spans or posts >= min_posts:
            out.append(t)
    return tuple(out)
