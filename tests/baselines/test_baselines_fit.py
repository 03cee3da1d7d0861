"""The baselines on a tiny fictional corpus: protocol, offsets, labels, determinism."""

from __future__ import annotations

import pytest
from fictional_corpus import fictional_article, fictional_split

from spinscope.baselines import TfidfBaseline, TrivialBaseline, fit_tfidf, fit_trivial
from spinscope.core.taxonomy import load_taxonomy
from spinscope.corpora.base import CorpusSplit
from spinscope.errors import ModelError
from spinscope.models.predictor import Predictor

NAMES = set(load_taxonomy().names)


@pytest.fixture(scope="module")
def trivial() -> TrivialBaseline:
    return fit_trivial(fictional_split())


@pytest.fixture(scope="module")
def tfidf() -> TfidfBaseline:
    return fit_tfidf(fictional_split(), fictional_split(si=True))


def test_both_are_predictors(trivial: TrivialBaseline, tfidf: TfidfBaseline) -> None:
    for model in (trivial, tfidf):
        assert isinstance(model, Predictor)
        assert model.version.startswith(model.name)
        assert set(model.techniques) <= NAMES


def test_random_spans_are_in_bounds_and_repeatable(trivial: TrivialBaseline) -> None:
    text, _ = fictional_article(3)
    first = trivial.identify([text, ""])
    assert first == trivial.identify([text, ""])
    assert first[1] == []
    assert first[0], "the SI baseline should emit some random spans"
    for s in first[0]:
        assert 0 <= s.start < s.end <= len(text) and len(s) <= 25


def test_length_classifier_returns_one_taxonomy_name_per_span(trivial: TrivialBaseline) -> None:
    text, spans = fictional_article(4)
    labels = trivial.classify(text, spans)
    assert len(labels) == len(spans) and set(labels) <= NAMES
    assert trivial.classify(text, []) == []


def test_line_classifier_spans_cover_whole_lines(trivial: TrivialBaseline) -> None:
    text, _ = fictional_article(0)  # BOM and CRLF
    spans = trivial.detect([text])[0]
    assert spans
    for s in spans:
        assert s.label in NAMES
        piece = text[s.start : s.end]
        assert piece == piece.strip() and "\n" not in piece and "\ufeff" not in piece


def test_tfidf_finds_the_loaded_sentences(tfidf: TfidfBaseline) -> None:
    text, gold = fictional_article(7)
    found = tfidf.identify([text])[0]
    assert found
    hit = sum(1 for g in gold if any(s.overlaps(g) for s in found))
    assert hit >= len(gold) // 2
    assert all("\n" not in text[s.start : s.end] for s in found)
    detected = tfidf.detect([text])[0]
    assert detected and all(d.label in NAMES and d.score is not None for d in detected)


def test_tfidf_classifies_seen_phrases(tfidf: TfidfBaseline) -> None:
    text, gold = fictional_article(11)
    labels = tfidf.classify(text, gold)
    expected = [load_taxonomy().map_label("ptc", str(g.label)).targets[0] for g in gold]
    agree = sum(a == b for a, b in zip(labels, expected, strict=True))
    assert agree >= len(gold) - 1


def test_merged_ptc_class_is_emitted_as_first_target() -> None:
    from spinscope.baselines.labels import ptc_to_technique

    assert ptc_to_technique("Whataboutism,Straw_Men,Red_Herring") == "Whataboutism"
    assert ptc_to_technique("Bandwagon,Reductio_ad_hitlerum") == "Appeal_to_Popularity"
    assert ptc_to_technique("Thought-terminating_Cliches") == "Conversation_Killer"


def test_refuses_semeval2023_and_wrong_label_sets() -> None:
    split = fictional_split()
    bad = CorpusSplit("semeval2023", "train", "ru", "ptc", split.documents)
    with pytest.raises(ModelError, match="evaluation only"):
        fit_trivial(bad)
    with pytest.raises(ModelError, match="ptc-si"):
        fit_tfidf(split, split)
