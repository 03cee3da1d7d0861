"""The persuasion-technique taxonomy and mappings from older label sets onto it.

The taxonomy lives in a versioned data file (``spinscope/data/taxonomy``) so that a model
bundle can record exactly which version of the label set it was trained on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from spinscope.errors import TaxonomyError

MappingKind = Literal["exact", "approximate", "merge", "split", "none"]
DEFAULT_TAXONOMY = "semeval2023-v1"


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class Technique:
    name: str
    group: Group
    definition: str
    examples: tuple[str, ...]

    @property
    def title(self) -> str:
        """Human-readable name: ``Name_Calling-Labeling`` -> ``Name calling / labeling``."""
        t = self.name.replace("_", " ").replace("-", " / ")
        return t[0] + t[1:].lower()


@dataclass(frozen=True, slots=True)
class LabelMapping:
    """How one label of an older label set maps onto the taxonomy."""

    source: str
    kind: MappingKind
    targets: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Taxonomy:
    name: str
    version: str
    groups: tuple[Group, ...]
    techniques: tuple[Technique, ...]
    label_sets: dict[str, dict[str, LabelMapping]]

    @property
    def id(self) -> str:
        return f"{self.name}-v{self.version}"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.techniques)

    def __iter__(self) -> Iterator[Technique]:
        return iter(self.techniques)

    def __len__(self) -> int:
        return len(self.techniques)

    def __contains__(self, name: object) -> bool:
        return any(t.name == name for t in self.techniques)

    def get(self, name: str) -> Technique:
        for t in self.techniques:
            if t.name == name:
                return t
        raise TaxonomyError(
            f"unknown technique {name!r}; `spinscope techniques` lists the {len(self)} known ones"
        )

    def index(self, name: str) -> int:
        return self.names.index(self.get(name).name)

    def in_group(self, group_id: str) -> tuple[Technique, ...]:
        return tuple(t for t in self.techniques if t.group.id == group_id)

    def mapping(self, label_set: str) -> dict[str, LabelMapping]:
        try:
            return self.label_sets[label_set]
        except KeyError:
            raise TaxonomyError(
                f"unknown label set {label_set!r}; known: {', '.join(sorted(self.label_sets))}"
            ) from None

    def map_label(self, label_set: str, label: str) -> LabelMapping:
        """The mapping of one source label; raises ``TaxonomyError`` for an unknown label."""
        m = self.mapping(label_set)
        try:
            return m[label]
        except KeyError:
            raise TaxonomyError(
                f"label {label!r} is not in the {label_set} label set "
                f"({len(m)} labels: {', '.join(sorted(m))})"
            ) from None

    def to_source(self, label_set: str, technique: str) -> str | None:
        """The source label a taxonomy technique falls under (e.g. for PTC-format output)."""
        self.get(technique)
        for src, m in self.mapping(label_set).items():
            if technique in m.targets:
                return src
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "version": self.version,
            "groups": [{"id": g.id, "name": g.name, "definition": g.definition}
                       for g in self.groups],
            "techniques": [
                {"name": t.name, "title": t.title, "group": t.group.id,
                 "group_name": t.group.name, "definition": t.definition,
                 "examples": list(t.examples)}
                for t in self.techniques
            ],
        }


def _read_json(filename: str) -> dict[str, object]:
    try:
        text = resources.files("spinscope.data.taxonomy").joinpath(filename).read_text("utf-8")
    except FileNotFoundError:
        raise TaxonomyError(f"taxonomy file {filename} is missing from the package") from None
    data: dict[str, object] = json.loads(text)
    return data


@lru_cache(maxsize=4)
def load_taxonomy(taxonomy_id: str = DEFAULT_TAXONOMY) -> Taxonomy:
    """Load a taxonomy and its label-set mappings from the package data."""
    _name, _, version = taxonomy_id.rpartition("-v")
    raw = _read_json(f"{taxonomy_id}.json")
    maps = _read_json(f"mappings-v{version}.json")
    groups = {g["id"]: Group(g["id"], g["name"], g["definition"])
              for g in raw["groups"]}  # type: ignore[attr-defined]
    techniques = []
    for t in raw["techniques"]:  # type: ignore[attr-defined]
        if t["group"] not in groups:
            raise TaxonomyError(f"technique {t['name']} names unknown group {t['group']}")
        techniques.append(Technique(t["name"], groups[t["group"]], t["definition"],
                                    tuple(t["examples"])))
    names = {t.name for t in techniques}
    label_sets: dict[str, dict[str, LabelMapping]] = {}
    for set_name, spec in maps["label_sets"].items():  # type: ignore[attr-defined]
        entries: dict[str, LabelMapping] = {}
        for src, m in spec["mappings"].items():
            bad = [x for x in m["targets"] if x not in names]
            if bad:
                raise TaxonomyError(f"mapping {set_name}:{src} names unknown techniques {bad}")
            entries[src] = LabelMapping(src, m["kind"], tuple(m["targets"]), m.get("note", ""))
        label_sets[set_name] = entries
    return Taxonomy(str(raw["name"]), str(raw["version"]), tuple(groups.values()),
                    tuple(techniques), label_sets)
