"""The packaged multilingual embedder on the sample corpus (gold events)."""

from __future__ import annotations

import numpy as np
import pytest

from spinscope.events.cluster import EventDoc, EventOptions, cluster_documents
from spinscope.events.embed import OnnxEmbedder, bundle_path, event_text
from spinscope.events.quality import score_clustering
from spinscope.samples import load_events_gold, load_samples

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def embedder() -> OnnxEmbedder:
    if not (bundle_path() / "model.onnx").is_file():
        pytest.skip("the e5-small-events bundle is not installed")
    return OnnxEmbedder()


def test_vectors_are_unit_length_and_per_text(embedder: OnnxEmbedder) -> None:
    texts = ["Grain ships leave the port.", "Зерновые суда покидают порт.",
             "The election was close."]
    v = embedder.embed(texts)
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    again = embedder.embed(texts[::-1])[::-1]
    assert np.array_equal(v, again)  # a text's vector does not depend on its neighbours
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])  # cross-lingual paraphrase is closer


def test_sample_events_are_recovered(embedder: OnnxEmbedder) -> None:
    arts = sorted(load_samples(), key=lambda a: (a.published, a.id))
    vecs = embedder.embed([event_text(a.title, a.text) for a in arts])
    docs = [EventDoc(a.id, a.published, vecs[i]) for i, a in enumerate(arts)]
    scores = score_clustering(cluster_documents(docs, EventOptions()), load_events_gold())
    assert scores.ari >= 0.9 and scores.bcubed_f1 >= 0.9
