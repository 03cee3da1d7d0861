"""analyze-corpus with the packaged detector on the sample corpus (needs the model bundle)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinscope.analyze import InlineEngine, analyze_corpus
from spinscope.analyze.analyser import DetectorFactory
from spinscope.demo import ingest_samples
from spinscope.errors import ModelError
from spinscope.store import open_store

pytestmark = pytest.mark.model


def test_detector_batch_on_samples(tmp_path: Path) -> None:
    factory = DetectorFactory()
    try:
        info = factory.info()
    except ModelError as e:
        pytest.skip(f"detector bundle not installed: {e}")
    with open_store(str(tmp_path / "m.sqlite")) as st:
        ingest_samples(st, tmp_path / "in")
        summary = analyze_corpus(st, factory, engine=InlineEngine())
        assert (summary.analysed, summary.failed) == (32, 0)
        assert summary.model_version == info.version
        for article, result in st.iter_analysed(info.version):
            assert result.word_count == len(article.text.split())
            for span in result.spans:
                assert 0 <= span.start < span.end <= len(article.text)
                assert span.label in info.techniques
        assert analyze_corpus(st, factory, engine=InlineEngine()).to_do == 0
