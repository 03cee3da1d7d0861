"""Fitting ``baseline-tfidf`` on PTC train (technique spans and SI spans).

Everything is deterministic: fixed hashing, fixed solver, fixed held-out articles (every
tenth article by sorted id), so a retrain gives the same model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier

from spinscope.baselines.labels import require_label_set
from spinscope.baselines.tfidf import (
    HASH_FEATURES,
    SpanClassifier,
    TfidfBaseline,
    TokenTagger,
    _stack,
    runs_to_spans,
    span_inputs,
    token_features,
)
from spinscope.core.span import Span
from spinscope.corpora.base import CorpusSplit, GoldDocument
from spinscope.errors import ModelError
from spinscope.metrics import si_scores

__all__ = ["THRESHOLDS", "fit_span_classifier", "fit_tfidf", "fit_token_tagger"]

log = logging.getLogger(__name__)

# Candidate tagger thresholds, tried on the held-out training articles.
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
# Tagger: logistic loss by SGD (a few seconds on 400k tokens; liblinear took minutes).
TAGGER_ALPHA = 1e-5
TAGGER_EPOCHS = 15
CLASSIFIER_C = 5.0


def _token_data(docs: Sequence[GoldDocument]) -> tuple[list[list[str]], list[int]]:
    feats: list[list[str]] = []
    ys: list[int] = []
    for doc in docs:
        tokens, f = token_features(doc.text)
        spans = sorted((s.start, s.end) for s in doc.spans)
        for tok in tokens:
            ys.append(int(any(s < tok.end and tok.start < e for s, e in spans)))
        feats.extend(f)
    return feats, ys


def _fit_tagger_model(docs: Sequence[GoldDocument]) -> SGDClassifier:
    feats, ys = _token_data(docs)
    if len(set(ys)) < 2:
        raise ModelError("the SI training split needs tokens both inside and outside spans")
    x = FeatureHasher(HASH_FEATURES, input_type="string").transform(feats)
    model = SGDClassifier(loss="log_loss", alpha=TAGGER_ALPHA, max_iter=TAGGER_EPOCHS, tol=None,
                          random_state=0)
    model.fit(x, np.array(ys))
    return model


def fit_token_tagger(si_train: CorpusSplit, tune: bool = True) -> TokenTagger:
    """Fit the SI tagger; with ``tune``, pick the threshold on every tenth article first."""
    require_label_set(si_train, "ptc-si")
    docs = sorted(si_train.documents, key=lambda d: d.id)
    threshold = 0.5
    if tune and len(docs) >= 10:
        held = docs[::10]
        rest = [d for i, d in enumerate(docs) if i % 10]
        tagger = TokenTagger(_fit_tagger_model(rest))
        probs = {d.id: tagger.probabilities(d.text) for d in held}
        gold = {d.id: list(d.spans) for d in held}
        best = -1.0
        for th in THRESHOLDS:
            pred = {d.id: [Span(s, e) for s, e, _ in
                           runs_to_spans(d.text, *probs[d.id], th, tagger.max_gap)]
                    for d in held}
            f1 = si_scores(pred, gold, merge_predictions=True).f1
            log.info("SI threshold %.2f: held-out F1 %.4f", th, f1)
            if f1 > best:
                best, threshold = f1, th
    return TokenTagger(_fit_tagger_model(docs), threshold=threshold)


def fit_span_classifier(tc_train: CorpusSplit) -> SpanClassifier:
    """Fit the TC classifier on the technique spans of a PTC split."""
    require_label_set(tc_train, "ptc")
    span_texts: list[str] = []
    contexts: list[str] = []
    nums: list[np.ndarray] = []
    labels: list[str] = []
    for doc in tc_train.documents:
        spans = [s for s in doc.spans if s.label is not None]
        if not spans:
            continue
        t, c, n = span_inputs(doc.text, spans)
        span_texts.extend(t)
        contexts.extend(c)
        nums.append(n)
        labels.extend(str(s.label) for s in spans)
    if len(set(labels)) < 2:
        raise ModelError("the TC training split needs spans of at least two techniques")
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=3)
    context = TfidfVectorizer(sublinear_tf=True, min_df=2)
    x: sparse.csr_matrix = _stack(word, char, context, span_texts, contexts, np.vstack(nums),
                                  fit=True)
    model = OneVsRestClassifier(LogisticRegression(C=CLASSIFIER_C, solver="liblinear"))
    model.fit(x, labels)
    return SpanClassifier(word, char, context, model)


def fit_tfidf(tc_train: CorpusSplit, si_train: CorpusSplit, fingerprint: str = "",
              tune: bool = True) -> TfidfBaseline:
    """Fit ``baseline-tfidf``: ``tc_train`` from ``read_ptc``, ``si_train`` from ``read_ptc_si``."""
    t0 = time.monotonic()
    classifier = fit_span_classifier(tc_train)
    log.info("TC classifier fitted in %.1f s", time.monotonic() - t0)
    tagger = fit_token_tagger(si_train, tune=tune)
    log.info("SI tagger fitted in %.1f s (threshold %.2f)", time.monotonic() - t0,
             tagger.threshold)
    return TfidfBaseline(tagger, classifier, fingerprint=fingerprint)
