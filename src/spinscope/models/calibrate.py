"""Per-unit decision thresholds, chosen on the calibration hold-out with the shipped model.

* ``any``: the SI F1 of the "any persuasion" spans (SemEval-2020 metric), mean over the
  calibration corpora. Spans are decoded with hysteresis: runs of tokens at or above
  ``low`` that hold at least one token at or above ``peak``, optionally cut at sentence
  ends, optionally trimmed to their core (the tokens at or above ``core`` times the run's
  highest prob; see ``analyze.align.token_runs``). One (low, peak, split, core) choice per
  language is made on the corpus in that language
  (PTC for English, UNLP-2025 for Ukrainian and Russian) and a ``default`` one on the mean
  over corpora.
* a technique: token-level F1 on PTC calibration articles when they hold at least
  ``MIN_TOKENS`` positive tokens of it; otherwise post-level F1 (max over the post's tokens)
  on UNLP-2025 calibration posts when at least ``MIN_POSTS`` posts carry it; otherwise the
  median of the calibrated technique thresholds.

The hold-out is neither training data nor any evaluation split (see ``models.trainset``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from spinscope.core.taxonomy import Taxonomy
from spinscope.models.labels import LabelSpace, doc_targets
from spinscope.models.runtime import OnnxTagger
from spinscope.models.trainset import TrainCorpus

log = logging.getLogger(__name__)

GRID = np.round(np.concatenate([np.arange(0.005, 0.05, 0.005), np.arange(0.05, 0.951, 0.025)]),
                3)
MIN_TOKENS = 30
MIN_POSTS = 8
MIN_POST_F1 = 0.05


def _best(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``scores >= t`` against boolean ``gold``."""
    best_t, best_f = 0.5, -1.0
    g = gold.astype(bool)
    for t in GRID:
        p = scores >= t
        tp = float((p & g).sum())
        f = 2 * tp / max(float(p.sum() + g.sum()), 1.0)
        if f > best_f:
            best_t, best_f = float(t), f
    return best_t, best_f


LOW_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
PEAK_GRID = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
CORE_GRID = (0.0, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
# What the runtime reads of each language's calibrated "any" decoding.
DECODING_KEYS = ("low", "peak", "split_sentences", "core")
ANY_SOURCE = ("SemEval-2020 SI F1 on the calibration corpora, hysteresis decoding (low, peak, "
              "sentence split, core trimming) per language")
# Which languages a calibration corpus speaks for.
CORPUS_LANGS = {"ptc": ("en",), "unlp2025": ("uk", "ru")}


def _any_decoding(corpora: Sequence[TrainCorpus], runs: list[list[Any]]) -> dict[str, Any]:
    """(low, peak, split, core) per language and a default, each maximising the SI F1 (the
    metric the spans are scored by) on its calibration corpus / the mean over corpora."""
    from spinscope.analyze.align import token_runs
    from spinscope.core.span import Span
    from spinscope.metrics.spans import si_scores

    Key = tuple[float, float, bool, float]
    table: dict[Key, dict[str, float]] = {}
    gold = [{d.id: list(d.spans) for d, _ in docs} for docs in runs]
    for split in (False, True):
        for low in LOW_GRID:
            for peak in PEAK_GRID:
                if peak < low:
                    continue
                for core in CORE_GRID:
                    per = {}
                    for c, docs, g in zip(corpora, runs, gold, strict=True):
                        pred = {d.id: [Span(x.start, x.end) for x in token_runs(
                            r.stream, r.probs[:, 0], low, d.text,
                            peak if peak > low else None, split, core)] for d, r in docs}
                        per[c.name] = round(si_scores(pred, g, merge_predictions=True).f1, 4)
                    table[(low, peak, split, core)] = per

    def pick(score: Any) -> Key:
        # Ties: the simpler decoding (no trimming, no split, lower peak, lower low).
        return max(table, key=lambda k: (score(table[k]), -k[3], -k[2], -k[1], -k[0]))

    def entry(key: Key) -> dict[str, Any]:
        low, peak, split, core = key
        return {"low": low, "peak": peak, "split_sentences": split, "core": core}

    out: dict[str, Any] = {}
    for c in corpora:
        key = pick(lambda per, name=c.name: per[name])
        for lang in CORPUS_LANGS.get(c.label_set, ()):
            out[lang] = {**entry(key), "f1": table[key][c.name], "chosen_on": c.name,
                         "untrimmed_f1": max(v[c.name] for k, v in table.items()
                                             if k[3] == 0.0)}
    key = pick(lambda per: float(np.mean(list(per.values()))))
    out["default"] = {**entry(key),
                      "f1": round(float(np.mean(list(table[key].values()))), 4),
                      "chosen_on": "mean over " + ", ".join(c.name for c in corpora),
                      "per_corpus": table[key]}
    return out


def manifest_decoding(decoding: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The manifest's ``any_decoding``: per language, the keys the runtime reads."""
    return {lang: {k: d[k] for k in DECODING_KEYS} for lang, d in decoding.items()}


def calibrate(tagger: OnnxTagger, corpora: Sequence[TrainCorpus], taxonomy: Taxonomy,
              space: LabelSpace, covered: Sequence[str]) -> tuple[dict[str, float],
                                                                    dict[str, Any]]:
    """Thresholds per unit and a report of how each was chosen (``report["any"]["decoding"]``
    holds the per-language "any" decoding)."""
    tok_scores: list[np.ndarray] = []
    tok_gold: list[np.ndarray] = []
    post_scores: list[np.ndarray] = []
    post_gold: list[np.ndarray] = []
    any_runs: list[list[Any]] = []
    for c in corpora:
        results = tagger.token_probs([d.text for d in c.documents])
        any_runs.append([(d, r) for d, r in zip(c.documents, results, strict=True)])
        for d, r in zip(c.documents, results, strict=True):
            if not len(r.stream):
                continue
            tgt = doc_targets(r.stream, d.spans, d.labels, c.label_set, taxonomy, space,
                            c.spans_have_techniques)
            if c.spans_have_techniques:
                tok_scores.append(r.probs[:, 1:])
                tok_gold.append(tgt.y[:, 1:] > 0)
            else:
                post = np.zeros(len(space) - 1, dtype=bool)
                for unit_set in tgt.mil_pos:
                    if len(unit_set) == 1:
                        post[unit_set[0] - 1] = True
                post_scores.append(r.probs[:, 1:].max(axis=0))
                post_gold.append(post)
    thresholds: dict[str, float] = {}
    report: dict[str, Any] = {}
    decoding = _any_decoding(corpora, any_runs)
    thresholds["any"] = decoding["default"]["low"]
    report["any"] = {"source": ANY_SOURCE, "f1": decoding["default"]["f1"],
                     "decoding": decoding}
    ts = np.concatenate(tok_scores) if tok_scores else np.zeros((0, len(space) - 1))
    tg = np.concatenate(tok_gold) if tok_gold else np.zeros((0, len(space) - 1), bool)
    ps = np.stack(post_scores) if post_scores else np.zeros((0, len(space) - 1))
    pg = np.stack(post_gold) if post_gold else np.zeros((0, len(space) - 1), bool)
    chosen: list[float] = []
    pending: list[str] = []
    for j, tech in enumerate(space.techniques):
        if tech not in covered:
            continue
        if tg[:, j].sum() >= MIN_TOKENS:
            t, f = _best(ts[:, j], tg[:, j])
            report[tech] = {"source": "token F1, PTC calibration", "f1": round(f, 4),
                            "positives": int(tg[:, j].sum())}
        elif pg[:, j].sum() >= MIN_POSTS:
            t, f = _best(ps[:, j], pg[:, j])
            report[tech] = {"source": "post F1, UNLP calibration", "f1": round(f, 4),
                            "positives": int(pg[:, j].sum())}
        else:
            pending.append(tech)
            continue
        thresholds[tech] = t
        chosen.append(t)
    fallback = float(np.median(chosen)) if chosen else 0.5
    for tech in pending:
        thresholds[tech] = fallback
        report[tech] = {"source": "median of calibrated thresholds (too few calibration "
                                  "positives)"}
    for tech in space.techniques:
        thresholds.setdefault(tech, 1.0)  # not covered: never emitted
    report["by_language"] = _post_thresholds(corpora, space, covered, ps, pg, report)
    log.info("calibrated thresholds: %s; by language: %s", thresholds, report["by_language"])
    return thresholds, report


def recalibrate_decoding(bundle_dir: Path, corpora: Sequence[TrainCorpus],
                         command: str = "") -> dict[str, Any]:
    """Choose a bundle's "any" decoding again on ``corpora`` (the calibration hold-out) and
    rewrite its manifest and model card in place; the model and every other threshold stay.
    Returns the new decoding (per language, with its calibration F1)."""
    from spinscope.models.card import write_model_card
    from spinscope.models.runtime import load_bundle

    path = bundle_dir / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    tagger = OnnxTagger(load_bundle(bundle_dir))
    runs = [list(zip(c.documents, tagger.token_probs([d.text for d in c.documents]),
                     strict=True)) for c in corpora]
    decoding = _any_decoding(corpora, runs)
    before = manifest.get("calibration", {}).get("any", {})
    manifest["thresholds"]["any"] = decoding["default"]["low"]
    manifest["any_decoding"] = manifest_decoding(decoding)
    manifest.setdefault("calibration", {})["any"] = {
        "source": ANY_SOURCE, "f1": decoding["default"]["f1"], "decoding": decoding,
        "recalibrated": {"command": command, "previous_f1": before.get("f1"),
                         "previous_decoding": {
                             lang: {k: d[k] for k in (*DECODING_KEYS, "f1") if k in d}
                             for lang, d in before.get("decoding", {}).items()}}}
    path.write_text(json.dumps(manifest, indent=2), "utf-8")
    write_model_card(bundle_dir, manifest)
    log.info("decoding of %s recalibrated: %s", bundle_dir, manifest["any_decoding"])
    return decoding


def _post_thresholds(corpora: Sequence[TrainCorpus], space: LabelSpace,
                     covered: Sequence[str], ps: np.ndarray, pg: np.ndarray,
                     report: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Unit thresholds for the languages of the post-labelled corpus (UNLP: uk, ru), where
    it labels the technique: chosen by post F1 there (1.0 when it stays below
    ``MIN_POST_F1``: not emitted in those languages)."""
    langs = [lang for c in corpora if not c.spans_have_techniques
             for lang in CORPUS_LANGS.get(c.label_set, ())]
    over: dict[str, float] = {}
    for j, tech in enumerate(space.techniques):
        if tech in covered and pg[:, j].sum() >= MIN_POSTS:
            t, f = _best(ps[:, j], pg[:, j])
            over[tech] = t if f >= MIN_POST_F1 else 1.0
            report.setdefault(tech, {})["post_f1"] = round(f, 4)
    return {lang: dict(over) for lang in langs} if over else {}


def _label_groups(taxonomy: Taxonomy, label_set: str, labels: Sequence[str]) -> list[set[str]]:
    """Each source label as the set of taxonomy techniques it may stand for."""
    out = []
    for label in labels:
        targets = taxonomy.map_label(label_set, label).targets
        if targets:
            out.append(set(targets))
    return out


def technique_set_f1(units: Sequence[tuple[set[str], list[set[str]]]]) -> dict[str, float]:
    """Micro P/R/F1 of predicted technique sets against gold label groups, per unit (a
    line or a post): a gold label is found when one of its techniques is predicted; a
    predicted technique is wrong when no gold label of the unit allows it."""
    tp = fp = fn = 0
    for pred, gold in units:
        allowed = set().union(*gold) if gold else set()
        found = sum(1 for g in gold if pred & g)
        tp += found
        fn += len(gold) - found
        fp += len(pred - allowed)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"f1": round(2 * p * r / max(p + r, 1e-9), 4), "precision": round(p, 4),
            "recall": round(r, 4)}


MAX_LABELS_GRID = (1, 2, 3, 4, 99)


def choose_labelling(bundle: Any, corpora: Sequence[TrainCorpus],
                     taxonomy: Taxonomy) -> dict[str, Any]:
    """How "any" spans are named, per language: by the classification heads ("heads") or
    by the technique units ("units"), at most ``max_labels`` techniques per span (most
    probable / widest margin first); whichever gives the better technique-set F1 on the
    calibration corpus of that language (lines of PTC articles, UNLP posts)."""
    from spinscope.analyze.detector import SpanDetector
    from spinscope.baselines.segments import split_lines

    det = SpanDetector(bundle)
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for c in corpora:
        parts = det._probs([d.text for d in c.documents])
        for mode in ("heads", "units"):
            for k in MAX_LABELS_GRID:
                units: list[tuple[set[str], list[set[str]]]] = []
                for d, p in zip(c.documents, parts, strict=True):
                    spans = det._labelled(p, mode, k)
                    if c.spans_have_techniques:
                        for ln in split_lines(d.text):
                            def inside(start: int, ln: Any = ln) -> bool:
                                return bool(ln.start <= start < max(ln.end, ln.start + 1))
                            gold = [s.label for s in d.spans if s.label and inside(s.start)]
                            units.append(({s.label for s in spans
                                           if s.label and inside(s.start)},
                                          _label_groups(taxonomy, c.label_set, gold)))
                    else:
                        units.append(({s.label for s in spans if s.label},
                                      _label_groups(taxonomy, c.label_set, d.labels)))
                scores.setdefault(c.name, {})[f"{mode}/{k}"] = technique_set_f1(units)

    def best(score: Any) -> tuple[str, int]:
        keys = [(m, k) for m in ("heads", "units") for k in MAX_LABELS_GRID]
        # Ties: heads before units, fewer labels before more.
        return max(keys, key=lambda mk: (score(f"{mk[0]}/{mk[1]}"), mk[0] == "heads",
                                          -mk[1]))

    labelling: dict[str, str] = {}
    max_labels: dict[str, int] = {}
    for c in corpora:
        mode, k = best(lambda key, n=c.name: scores[n][key]["f1"])
        for lang in CORPUS_LANGS.get(c.label_set, ()):
            labelling[lang], max_labels[lang] = mode, k
    mode, k = best(lambda key: float(np.mean([scores[c.name][key]["f1"] for c in corpora])))
    labelling["default"], max_labels["default"] = mode, k
    return {"labelling": labelling, "max_labels": max_labels, "scores": scores}
