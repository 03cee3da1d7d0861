"""PTC training labels for the baselines, and how they are emitted as taxonomy names.

The baselines learn PTC's 14 classes as they are. A class that maps onto one taxonomy
technique is emitted as that technique. The merged (``Whataboutism,Straw_Men,Red_Herring``)
and split (``Bandwagon,Reductio_ad_hitlerum``) classes cannot be told apart from PTC labels,
so they are emitted as their **first** target (``Whataboutism``, ``Appeal_to_Popularity``).
This keeps ``ptc-tc`` output exact (the first target maps back to the PTC class) and is a
guess for SemEval-2023 scoring; ``techniques`` of a baseline lists only what it can emit.
"""

from __future__ import annotations

from collections.abc import Iterable

from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora.base import CorpusSplit
from spinscope.errors import ModelError

__all__ = ["emitted_techniques", "ptc_to_technique", "require_label_set"]


def ptc_to_technique(ptc_label: str) -> str:
    """The taxonomy technique a PTC class is emitted as (its first target)."""
    mapping = load_taxonomy().map_label("ptc", ptc_label)
    if not mapping.targets:
        raise ModelError(f"PTC label {ptc_label!r} has no taxonomy target; cannot emit it")
    return mapping.targets[0]


def emitted_techniques(ptc_labels: Iterable[str]) -> tuple[str, ...]:
    """Taxonomy techniques reachable from the given PTC classes, in taxonomy order."""
    wanted = {ptc_to_technique(label) for label in ptc_labels}
    return tuple(name for name in load_taxonomy().names if name in wanted)


def require_label_set(split: CorpusSplit, label_set: str) -> None:
    """Fail with a clear message when a training split is not in the expected label set."""
    if split.label_set != label_set:
        raise ModelError(
            f"baselines train on {label_set!r} labels, got a {split.corpus}/{split.split} "
            f"split labelled {split.label_set!r}; read PTC with spinscope.corpora.read_ptc"
        )
    if split.corpus == "semeval2023":
        raise ModelError("SemEval-2023 Task 3 data is for evaluation only; never train on it")
