"""``baseline-trivial``: the baselines the shared tasks' organisers published, rebuilt.

* ``identify`` (SemEval-2020 SI baseline): random spans of 1-25 characters at random
  positions; the generator is seeded from the text, so runs are repeatable.
* ``classify`` (SemEval-2020 TC baseline): logistic regression on one feature, the length
  of the span (``class_weight="balanced"``), trained on PTC train.
* ``detect`` (SemEval-2023 subtask 3 baseline): word 1-2-gram counts of each line and one
  linear SVM per technique, trained on the lines that carry at least one technique, every
  predicted technique emitted as a span over the whole line. The organisers trained it on
  SemEval-2023 train; that corpus is evaluation-only here, so this one is trained on PTC
  train lines (PTC has one sentence per line) with PTC classes; see ``labels``.
"""

from __future__ import annotations

import logging
import random
import zlib
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import SVC

from spinscope.baselines.labels import emitted_techniques, ptc_to_technique, require_label_set
from spinscope.baselines.segments import line_labels, split_lines
from spinscope.core.span import Span
from spinscope.corpora.base import CorpusSplit
from spinscope.errors import ModelError

__all__ = ["TrivialBaseline", "fit_trivial"]

log = logging.getLogger(__name__)

VERSION = "1"
MAX_RANDOM_SPAN = 25  # the SI baseline drew span lengths from 1..25 characters


class TrivialBaseline:
    """The organisers' trivial baselines behind the ``Predictor`` protocol."""

    def __init__(self, length_model: LogisticRegression, line_model: Pipeline,
                 line_classes: Sequence[str], seed: int = 10, fingerprint: str = "") -> None:
        self._length_model = length_model
        self._line_model = line_model
        self._line_classes = tuple(line_classes)
        self._seed = seed
        self.fingerprint = fingerprint

    @property
    def name(self) -> str:
        return "baseline-trivial"

    @property
    def version(self) -> str:
        suffix = f"+{self.fingerprint[:8]}" if self.fingerprint else ""
        return f"baseline-trivial-{VERSION}{suffix}"

    @property
    def techniques(self) -> tuple[str, ...]:
        classes = [str(c) for c in self._length_model.classes_] + list(self._line_classes)
        return emitted_techniques(classes)

    def identify(self, texts: Sequence[str]) -> list[list[Span]]:
        return [self._random_spans(t) for t in texts]

    def _random_spans(self, text: str) -> list[Span]:
        rng = random.Random(self._seed ^ zlib.crc32(text.encode("utf-8", "surrogatepass")))
        n = len(text)
        spans: list[Span] = []
        start = 0
        while n and start < n:
            start += rng.randint(0, max(1, n - start))
            end = min(start + rng.randint(1, MAX_RANDOM_SPAN), n)
            if start < end:
                spans.append(Span(start, end, None, None, self.version))
        return spans

    def classify(self, text: str, spans: Sequence[Span]) -> list[str]:
        if not spans:
            return []
        lengths = np.array([[len(s)] for s in spans], dtype=float)
        return [ptc_to_technique(str(c)) for c in self._length_model.predict(lengths)]

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        out: list[list[Span]] = []
        for text in texts:
            lines = [ln for ln in split_lines(text) if not ln.is_blank(text)]
            spans: list[Span] = []
            if lines:
                pred = self._line_model.predict([ln.text_of(text) for ln in lines])
                for line, row in zip(lines, np.asarray(pred), strict=True):
                    start, end = line.stripped(text)
                    for j in np.flatnonzero(row):
                        label = ptc_to_technique(self._line_classes[j])
                        spans.append(Span(start, end, label, None, self.version))
            out.append(spans)
        return out


def fit_trivial(train: CorpusSplit, seed: int = 10, fingerprint: str = "") -> TrivialBaseline:
    """Fit the trivial baselines on a PTC split read with ``read_ptc`` (technique spans)."""
    require_label_set(train, "ptc")
    lengths: list[list[float]] = []
    labels: list[str] = []
    line_texts: list[str] = []
    line_sets: list[list[str]] = []
    for doc in train.documents:
        for s in doc.spans:
            if s.label is not None:
                lengths.append([float(len(s))])
                labels.append(s.label)
        lines = split_lines(doc.text)
        for line, labs in zip(lines, line_labels(lines, doc.spans), strict=True):
            if labs and not line.is_blank(doc.text):
                line_texts.append(line.text_of(doc.text))
                line_sets.append(sorted(labs))
    if len(set(labels)) < 2 or not line_texts:
        raise ModelError("the training split has too few labelled spans to fit the baselines")
    length_model = LogisticRegression(class_weight="balanced", max_iter=1000)
    length_model.fit(np.array(lengths), labels)
    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform(line_sets)
    line_model = make_pipeline(
        CountVectorizer(ngram_range=(1, 2), analyzer="word"),
        MultiOutputClassifier(SVC(kernel="linear", C=1.0)),
    )
    log.info("fitting the line SVMs on %d lines, %d classes", len(line_texts), y.shape[1])
    line_model.fit(line_texts, y)
    return TrivialBaseline(length_model, line_model, [str(c) for c in binarizer.classes_],
                           seed=seed, fingerprint=fingerprint)
