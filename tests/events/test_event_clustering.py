"""Clustering, chaining, quality scores, naming and edits on synthetic inputs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from spinscope.errors import ConfigError
from spinscope.events.cluster import EventDoc, EventOptions, cluster_documents, day_blocks
from spinscope.events.edits import apply_edits
from spinscope.events.naming import event_name, salient_terms, term_stats
from spinscope.events.quality import score_clustering
from spinscope.events.records import EventEdit

D0 = dt.date(2031, 3, 1)


def _topic(rng: np.random.Generator, centre: np.ndarray, n: int, day: int, tag: str,
           spread: float = 0.05) -> list[EventDoc]:
    out = []
    for i in range(n):
        v = centre + spread * rng.normal(size=centre.shape)
        out.append(EventDoc(f"{tag}{i}", D0 + dt.timedelta(days=day + i % 2),
                            v / np.linalg.norm(v)))
    return out


def _centres(rng: np.random.Generator, k: int, dim: int = 32) -> list[np.ndarray]:
    return [c / np.linalg.norm(c) for c in rng.normal(size=(k, dim))]


def test_topics_on_the_same_days_separate() -> None:
    rng = np.random.default_rng(0)
    a, b = _centres(rng, 2)
    docs = sorted(_topic(rng, a, 6, 0, "a") + _topic(rng, b, 5, 0, "b"), key=lambda d: d.day)
    groups = cluster_documents(docs, EventOptions(threshold=0.3))
    assert sorted(sorted(g) for g in groups) == [sorted(f"a{i}" for i in range(6)),
                                                 sorted(f"b{i}" for i in range(5))]


def test_time_windows_split_a_recurring_topic_and_chain_a_running_one() -> None:
    rng = np.random.default_rng(1)
    (a,) = _centres(rng, 1)
    far = sorted(_topic(rng, a, 4, 0, "early") + _topic(rng, a, 4, 20, "late"),
                 key=lambda d: d.day)
    groups = cluster_documents(far, EventOptions(threshold=0.3, window_days=4))
    assert len(groups) == 2
    running = [EventDoc(f"d{k}", D0 + dt.timedelta(days=k), a) for k in range(15)]
    groups = cluster_documents(running, EventOptions(threshold=0.3, window_days=3))
    assert len(groups) == 1 and len(groups[0]) == 15  # chained across five blocks
    capped = cluster_documents(running, EventOptions(threshold=0.3, window_days=3, max_days=6))
    assert [len(g) for g in capped] == [6, 6, 3]  # a story that runs on becomes a series


def test_block_size_cap_is_bridged_by_chaining() -> None:
    rng = np.random.default_rng(2)
    a, b = _centres(rng, 2)
    docs = sorted(_topic(rng, a, 30, 0, "a") + _topic(rng, b, 30, 0, "b"),
                  key=lambda d: d.day)
    capped = cluster_documents(docs, EventOptions(threshold=0.3, max_block=7))
    assert sorted(len(g) for g in capped) == [30, 30]


def test_day_blocks_need_sorted_input() -> None:
    v = np.ones(3) / np.sqrt(3)
    docs = [EventDoc("x", D0 + dt.timedelta(days=1), v), EventDoc("y", D0, v)]
    with pytest.raises(ValueError, match="sorted"):
        list(day_blocks(docs, 10, 100))
    with pytest.raises(ConfigError):
        EventOptions(threshold=0.0)


def test_scores_match_hand_computation() -> None:
    gold = {"a": "X", "b": "X", "c": "Y", "d": "Y"}
    perfect = score_clustering([["a", "b"], ["c", "d"]], gold)
    assert perfect.ari == pytest.approx(1.0) and perfect.bcubed_f1 == pytest.approx(1.0)
    lumped = score_clustering([["a", "b", "c", "d"]], gold)
    assert lumped.bcubed_precision == pytest.approx(0.5) and lumped.bcubed_recall == 1.0
    assert lumped.ari == pytest.approx(0.0)
    nothing = score_clustering([], gold)  # unclustered documents count as singletons
    assert nothing.bcubed_precision == 1.0 and nothing.bcubed_recall == pytest.approx(0.5)
    assert nothing.predicted_events == 0


def test_edits_merge_split_rename_in_order() -> None:
    groups = [["a", "b"], ["c", "d"], ["e"]]
    edits = [EventEdit(1, "merge", (("a", "b"), ("c", "d"))),
             EventEdit(2, "split", (("d",),)),
             EventEdit(3, "rename", (("a", "b", "c", "zz"),), name="Harbour strike"),
             EventEdit(4, "merge", (("gone",), ("also-gone",)))]  # articles no longer there
    out = apply_edits(groups, edits)
    live = [sorted(g) for g in out.groups if g]
    assert sorted(live) == [["a", "b", "c"], ["d"], ["e"]]
    renamed = next(i for i, g in enumerate(out.groups) if "a" in g)
    assert out.names[renamed] == "Harbour strike"
    assert out.applied == 3 and renamed in out.edited


def test_names_prefer_shared_terms_and_english() -> None:
    s1 = term_stats([("The harbour strike closed the harbour gates", "Harbour strike", "en"),
                     ("Dockers continue the harbour strike", "Strike goes on", "en"),
                     ("Портовая забастовка продолжается", "Забастовка в порту", "ru")])
    s2 = term_stats([("Election results were announced", "Election night", "en")])
    df: dict[str, int] = {}
    for s in (s1, s2):
        for stem in s.stems():
            df[stem] = df.get(stem, 0) + 1
    name = event_name(s1, df, 2)
    assert {"harbour", "strike"} <= {t.lower() for t in name.split(" · ")}
    assert "the" not in name.lower().split(" · ")
    assert any(t.startswith("Забастов") or t.startswith("забастов")
               for t in salient_terms(s1, df, 2, 10))
