from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import TaxonomyError


def test_taxonomy_has_23_techniques_in_6_groups() -> None:
    tax = load_taxonomy()
    assert len(tax) == 23
    assert len(tax.groups) == 6
    assert sum(len(tax.in_group(g.id)) for g in tax.groups) == 23
    for t in tax:
        assert t.definition and t.examples, t.name


def test_matches_official_label_list_when_available(shared_data: Path) -> None:
    names = (shared_data / "semeval2023_task3/scorers/techniques_subtask3.txt").read_text()
    assert sorted(names.split()) == sorted(load_taxonomy().names)


def test_ptc_label_list_is_fully_mapped(shared_data: Path) -> None:
    path = shared_data / "ptc_semeval2020_task11/label_lists"
    labels = next(path.glob("*.txt")).read_text().split()
    assert sorted(labels) == sorted(load_taxonomy().mapping("ptc"))


def test_semeval2021_label_list_is_fully_mapped(shared_data: Path) -> None:
    lines = (shared_data / "semeval2021_task6/techniques_list_task1-2.txt").read_text("utf-8")
    labels = [x.strip() for x in lines.splitlines() if x.strip()]
    assert sorted(labels) == sorted(load_taxonomy().mapping("semeval2021"))


def test_label_set_sizes_and_merges() -> None:
    tax = load_taxonomy()
    assert len(tax.mapping("ptc")) == 14
    assert len(tax.mapping("semeval2021")) == 20
    assert len(tax.mapping("unlp2025")) == 10
    m = tax.map_label("ptc", "Whataboutism,Straw_Men,Red_Herring")
    assert m.kind == "merge" and set(m.targets) == {"Whataboutism", "Straw_Man", "Red_Herring"}
    assert tax.map_label("ptc", "Bandwagon,Reductio_ad_hitlerum").kind == "split"
    assert tax.map_label("unlp2025", "cherry_picking").targets == ()
    assert tax.to_source("ptc", "Red_Herring") == "Whataboutism,Straw_Men,Red_Herring"
    assert tax.to_source("ptc", "Appeal_to_Hypocrisy") is None


def test_unknown_names_give_helpful_errors() -> None:
    tax = load_taxonomy()
    with pytest.raises(TaxonomyError, match="spinscope techniques"):
        tax.get("Propaganda")
    with pytest.raises(TaxonomyError, match="not in the ptc label set"):
        tax.map_label("ptc", "Smears")
    with pytest.raises(TaxonomyError, match="unknown label set"):
        tax.mapping("nope")


def test_docs_list_every_mapping() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md").read_text("utf-8")
    tax = load_taxonomy()
    for label_set in ("ptc", "semeval2021", "unlp2025"):
        for src, m in tax.mapping(label_set).items():
            assert f"| {src} | {m.kind} |" in doc, f"docs/taxonomy.md misses {label_set}:{src}"
    for t in tax:
        assert f"`{t.name}`" in doc
