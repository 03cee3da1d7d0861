"""Technique-classification heads stacked on the tagger: name the technique of a span.

The tagger's per-technique units answer "is this token X?" one technique at a time; naming
*the* technique of a span needs a decision among techniques. Two heads do that, both
multinomial logistic regressions fitted at export time on the gold technique spans of PTC
train (minus the calibration articles, which choose the regularisation and report the
accuracy; never an evaluation split):

* ``neural`` (any language): the span's mean and max unit logits, its length, and the
  mean and max of the encoder's last hidden states over its tokens (multilingual
  features, so a head fitted on English spans applies to Russian and Ukrainian text);
* ``english`` (English text only): the same features plus the log-probabilities of a
  lexical model (TF-IDF word and character n-grams of the span, words of its line, eight
  counts; one-vs-rest logistic regression, as ``baseline-tfidf``). Its stacking inputs
  are out-of-fold predictions (5 folds by article), so the head learns how far to trust
  the lexical model on spans it has not seen.

Classes are taxonomy techniques (a PTC class stands for its first target technique).
Heads are stored in the bundle's ``heads.npz`` (numbers and vocabularies only, no pickle);
run time needs numpy, and scikit-learn's vectorizers for the English head's features.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.span import Span

log = logging.getLogger(__name__)

EPS = 1e-4
HEADS_FILE = "heads.npz"
NEURAL_C = (0.02, 0.05, 0.2)
ENGLISH_C = (0.01, 0.03, 0.1)
LEXICAL_WEIGHTS = (1.0, 3.0)
LEXICAL_C = 5.0
FOLDS = 5
MIN_EXAMPLES = 50


def span_features(probs: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Features of a span from its tokens' probabilities (k, U) and hidden states (k, H)."""
    p = np.clip(probs, EPS, 1 - EPS)
    logit = np.log(p / (1 - p))
    h = hidden.astype(np.float32)
    return np.concatenate([logit.mean(0), logit.max(0), [np.log1p(len(probs))],
                           h.mean(0), h.max(0)]).astype(np.float32)


@dataclass
class LinearHead:
    """Standardised features -> softmax over ``classes``."""

    classes: list[str]
    coef: np.ndarray  # (k, d)
    intercept: np.ndarray  # (k,)
    mean: np.ndarray  # (d,)
    std: np.ndarray  # (d,)

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (n, k) for features ``x`` (n, d)."""
        z = ((x - self.mean) / self.std) @ self.coef.T + self.intercept
        if z.shape[1] == 1:  # binary regression: one row, for the second class
            z = np.hstack([-z, z]) / 2
        e = np.exp(z - z.max(axis=1, keepdims=True))
        out: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return out


def _fit_linear(x: np.ndarray, y: Sequence[str], c: float) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    mu, sd = x.mean(0), x.std(0) + 1e-6
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit((x - mu) / sd, list(y))
    return LinearHead([str(k) for k in clf.classes_], clf.coef_.astype(np.float32),
                      clf.intercept_.astype(np.float32), mu.astype(np.float32),
                      sd.astype(np.float32))


class LexicalModel:
    """TF-IDF span features + one-vs-rest logistic regression (the baseline's features)."""

    PARTS = ("word", "char", "context")

    def __init__(self, vectorizers: dict[str, Any], classes: list[str], coef: np.ndarray,
                 intercept: np.ndarray) -> None:
        self.vectorizers = vectorizers
        self.classes = classes
        self.coef = coef
        self.intercept = intercept

    @staticmethod
    def _new_vectorizers() -> dict[str, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        return {"word": TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                "char": TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                                        sublinear_tf=True, min_df=3),
                "context": TfidfVectorizer(sublinear_tf=True, min_df=2)}

    @classmethod
    def fit(cls, inputs: tuple[list[str], list[str], np.ndarray],
            y: Sequence[str]) -> LexicalModel:
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier

        from spinscope.baselines.tfidf import _stack

        vec = cls._new_vectorizers()
        x = _stack(vec["word"], vec["char"], vec["context"], *inputs, fit=True)
        clf = OneVsRestClassifier(LogisticRegression(C=LEXICAL_C, solver="liblinear"))
        clf.fit(x, list(y))
        coef = np.vstack([e.coef_ for e in clf.estimators_]).astype(np.float32)
        intercept = np.concatenate([e.intercept_ for e in clf.estimators_]).astype(np.float32)
        return cls(vec, [str(k) for k in clf.classes_], coef, intercept)

    def probs(self, inputs: tuple[list[str], list[str], np.ndarray]) -> np.ndarray:
        """One-vs-rest probabilities, normalised to sum to one (as scikit-learn does)."""
        from spinscope.baselines.tfidf import _stack

        v = self.vectorizers
        x = _stack(v["word"], v["char"], v["context"], *inputs, fit=False)
        z = np.asarray(x @ self.coef.T) + self.intercept
        p = 1.0 / (1.0 + np.exp(-z))
        out: np.ndarray = p / np.maximum(p.sum(axis=1, keepdims=True), 1e-12)
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}classes": np.array(self.classes), f"{prefix}coef": self.coef,
               f"{prefix}intercept": self.intercept}
        for part, v in self.vectorizers.items():
            terms = sorted(v.vocabulary_, key=v.vocabulary_.__getitem__)
            out[f"{prefix}{part}_terms"] = np.array(terms)
            out[f"{prefix}{part}_idf"] = v.idf_.astype(np.float64)
        return out

    @classmethod
    def from_arrays(cls, a: Any, prefix: str) -> LexicalModel:
        vec = cls._new_vectorizers()
        for part, v in vec.items():
            terms = a[f"{prefix}{part}_terms"].tolist()
            v.vocabulary_ = {t: i for i, t in enumerate(terms)}
            v.idf_ = a[f"{prefix}{part}_idf"]
        return cls(vec, a[f"{prefix}classes"].tolist(), a[f"{prefix}coef"],
                   a[f"{prefix}intercept"])


def _head_arrays(head: LinearHead, prefix: str) -> dict[str, np.ndarray]:
    return {f"{prefix}classes": np.array(head.classes), f"{prefix}coef": head.coef,
            f"{prefix}intercept": head.intercept, f"{prefix}mean": head.mean,
            f"{prefix}std": head.std}


def _head_from(a: Any, prefix: str) -> LinearHead:
    return LinearHead(a[f"{prefix}classes"].tolist(), a[f"{prefix}coef"],
                      a[f"{prefix}intercept"], a[f"{prefix}mean"], a[f"{prefix}std"])


def _log(p: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.log(np.clip(p, EPS, 1.0))
    return out


@dataclass
class TcHeads:
    """The neural head, and the English head with its lexical model (when fitted)."""

    neural: LinearHead
    english: LinearHead | None = None
    lexical: LexicalModel | None = None
    lexical_weight: float = 1.0

    @property
    def classes(self) -> list[str]:
        return self.neural.classes

    def scores(self, text: str, spans: Sequence[Span], feats: np.ndarray,
               lang: str) -> np.ndarray:
        """Class probabilities (n, k) of ``spans`` of ``text`` in the order of
        ``classes``; ``feats`` are their ``span_features``."""
        if not len(spans):
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        if lang != "en" or self.english is None or self.lexical is None:
            return self.neural.scores(feats)
        from spinscope.baselines.tfidf import span_inputs

        lex = _aligned(self.lexical.probs(span_inputs(text, spans)), self.lexical.classes,
                       self.english.classes)
        p = self.english.scores(np.hstack([self.lexical_weight * _log(lex), feats]))
        return _aligned(p, self.english.classes, self.classes)

    def save(self, path: Path) -> None:
        arrays = _head_arrays(self.neural, "neural_")
        if self.english is not None and self.lexical is not None:
            arrays |= _head_arrays(self.english, "english_")
            arrays |= self.lexical.arrays("lexical_")
            arrays["lexical_weight"] = np.array(self.lexical_weight)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> TcHeads:
        with np.load(path, allow_pickle=False) as a:
            neural = _head_from(a, "neural_")
            if "english_coef" not in a:
                return cls(neural)
            return cls(neural, _head_from(a, "english_"), LexicalModel.from_arrays(a, "lexical_"),
                       float(a["lexical_weight"]))


@dataclass
class SpanExample:
    """A gold span of a training or calibration article, with its tagger features."""

    doc_id: str
    text: str
    span: Span
    label: str  # taxonomy technique
    features: np.ndarray


def _accuracy(p: np.ndarray, classes: list[str], y: Sequence[str]) -> float:
    pred = [classes[i] for i in p.argmax(axis=1)]
    return float(np.mean([a == b for a, b in zip(pred, y, strict=True)])) if len(y) else 0.0


def _per_class_f1(p: np.ndarray, classes: list[str], y: Sequence[str]) -> dict[str, float]:
    pred = [classes[i] for i in p.argmax(axis=1)]
    out = {}
    for c in classes:
        tp = sum(1 for a, b in zip(pred, y, strict=True) if a == b == c)
        n = sum(1 for a in pred if a == c) + sum(1 for b in y if b == c)
        out[c] = round(2 * tp / n, 4) if n else 0.0
    return out


def _lexical_inputs(examples: Sequence[SpanExample]) -> tuple[list[str], list[str], np.ndarray]:
    """``span_inputs`` of every example, computed per article (counts need the article)."""
    from spinscope.baselines.tfidf import span_inputs

    texts: list[str] = []
    contexts: list[str] = []
    nums: list[np.ndarray] = []
    by_doc: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        by_doc.setdefault(e.doc_id, []).append(i)
    order = [i for idx in by_doc.values() for i in idx]
    for idx in by_doc.values():
        t, c, n = span_inputs(examples[idx[0]].text, [examples[i].span for i in idx])
        texts.extend(t)
        contexts.extend(c)
        nums.append(n)
    back = np.argsort(order)
    num = np.vstack(nums) if nums else np.zeros((0, 8))
    return [texts[i] for i in back], [contexts[i] for i in back], num[back]


def _subset(inputs: tuple[list[str], list[str], np.ndarray],
            idx: np.ndarray) -> tuple[list[str], list[str], np.ndarray]:
    return ([inputs[0][i] for i in idx], [inputs[1][i] for i in idx], inputs[2][idx])


def _aligned(p: np.ndarray, have: list[str], want: list[str]) -> np.ndarray:
    out = np.full((len(p), len(want)), EPS, dtype=np.float64)
    for j, c in enumerate(have):
        if c in want:
            out[:, want.index(c)] = p[:, j]
    return out


def fit_heads(train: Sequence[SpanExample], cal: Sequence[SpanExample],
              english: bool = True) -> tuple[TcHeads, dict[str, Any]] | None:
    """Fit the heads on ``train``; choose regularisation on ``cal`` and report on it.

    None when there are too few examples or classes to learn anything.
    """
    y = [e.label for e in train]
    yc = [e.label for e in cal]
    if len(train) < MIN_EXAMPLES or len(set(y)) < 2:
        return None
    x = np.stack([e.features for e in train])
    xc = np.stack([e.features for e in cal]) if cal else np.zeros((0, x.shape[1]))
    report: dict[str, Any] = {"fitted_on": f"{len(train)} gold spans of PTC train "
                              f"(calibration articles excluded)",
                              "chosen_on": f"{len(cal)} gold spans of the PTC calibration "
                              "articles"}
    best: tuple[float, LinearHead | None, float] = (-1.0, None, 0.0)
    for c in NEURAL_C:
        head = _fit_linear(x, y, c)
        acc = _accuracy(head.scores(xc), head.classes, yc) if cal else 0.0
        log.info("neural head C=%s: calibration accuracy %.4f", c, acc)
        if acc > best[0]:
            best = (acc, head, c)
    neural = best[1]
    assert neural is not None
    report["neural"] = {"C": best[2], "calibration_accuracy": round(best[0], 4),
                        "calibration_f1": _per_class_f1(neural.scores(xc), neural.classes, yc)
                        if cal else {}}
    heads = TcHeads(neural)
    if not english or not cal:
        return heads, report
    from sklearn.model_selection import GroupKFold

    inputs = _lexical_inputs(train)
    classes = sorted(set(y))
    oof = np.full((len(train), len(classes)), EPS)
    groups = [e.doc_id for e in train]
    folds = min(FOLDS, len(set(groups)))
    if folds < 2:
        return heads, report
    for fit_idx, out_idx in GroupKFold(folds).split(x, y, groups):
        m = LexicalModel.fit(_subset(inputs, fit_idx), [y[i] for i in fit_idx])
        oof[out_idx] = _aligned(m.probs(_subset(inputs, out_idx)), m.classes, classes)
    lexical = LexicalModel.fit(inputs, y)
    cal_lex = _aligned(lexical.probs(_lexical_inputs(cal)), lexical.classes, classes)
    best_en: tuple[float, LinearHead | None, float, float] = (-1.0, None, 0.0, 1.0)
    for c in ENGLISH_C:
        for w in LEXICAL_WEIGHTS:
            head = _fit_linear(np.hstack([w * _log(oof), x]), y, c)
            p = head.scores(np.hstack([w * _log(cal_lex), xc]))
            acc = _accuracy(p, head.classes, yc)
            log.info("English head C=%s weight=%s: calibration accuracy %.4f", c, w, acc)
            if acc > best_en[0]:
                best_en = (acc, head, c, w)
    if best_en[1] is None or best_en[0] <= best[0]:
        report["english"] = {"kept": False, "reason": "not better than the neural head on "
                             "the calibration spans"}
        return heads, report
    en_head = best_en[1]
    heads = TcHeads(neural, en_head, lexical, best_en[3])
    p = en_head.scores(np.hstack([best_en[3] * _log(cal_lex), xc]))
    report["english"] = {"kept": True, "C": best_en[2], "lexical_weight": best_en[3],
                         "calibration_accuracy": round(best_en[0], 4),
                         "calibration_f1": _per_class_f1(p, en_head.classes, yc),
                         "folds": folds}
    return heads, report

