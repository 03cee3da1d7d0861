"""Event clustering quality on the sample corpus's gold events (events_gold.json).

Embeds the 32 sample articles once with each embedder, then clusters them with every
threshold and window in the grid and scores the groups against the gold events (adjusted
Rand index, B-cubed F1). Also reports how well the raw similarities separate same-event from
different-event pairs (ROC AUC), overall and for cross-language pairs only.

    .venv/bin/python benchmarks/bench_events_quality.py --json
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

THRESHOLDS = (0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.25)
WINDOWS = (2, 4, 7, 365)


def main() -> None:
    from sklearn.metrics import roc_auc_score

    from spinscope.events.cluster import EventDoc, EventOptions, cluster_documents
    from spinscope.events.embed import HashingEmbedder, OnnxEmbedder, event_text
    from spinscope.events.quality import score_clustering
    from spinscope.samples import load_events_gold, load_samples

    p = argparse.ArgumentParser(description="event clustering quality on the sample corpus")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    arts = sorted(load_samples(), key=lambda a: (a.published, a.id))
    gold = load_events_gold()
    texts = [event_text(a.title, a.text) for a in arts]
    out: dict[str, object] = {"articles": len(arts), "gold_events": len(set(gold.values()))}
    for emb, grid in ((OnnxEmbedder(), THRESHOLDS),
                      (HashingEmbedder(), (0.5, 0.6, 0.7, 0.8, 0.9))):
        t0 = time.perf_counter()
        vecs = emb.embed(texts)
        rate = len(texts) / (time.perf_counter() - t0)
        sims = vecs @ vecs.T
        iu = np.triu_indices(len(arts), 1)
        same = np.array([[gold[a.id] == gold[b.id] for b in arts] for a in arts])[iu]
        cross = np.array([[a.lang != b.lang for b in arts] for a in arts])[iu]
        rows = []
        for w in WINDOWS:
            for th in grid:
                docs = [EventDoc(a.id, a.published, vecs[i]) for i, a in enumerate(arts)]
                opts = EventOptions(threshold=th, window_days=w, max_days=max(w, 31))
                s = score_clustering(cluster_documents(docs, opts), gold)
                rows.append({"window_days": w, "threshold": th, **s.to_dict()})
        out[emb.name] = {
            "docs_per_second": round(rate, 1),
            "auc_same_event": round(float(roc_auc_score(same, sims[iu])), 4),
            "auc_same_event_cross_language": round(float(roc_auc_score(same[cross],
                                                                       sims[iu][cross])), 4),
            "grid": rows}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for name, res in out.items():
        if not isinstance(res, dict):
            continue
        print(f"{name}: {res['docs_per_second']} docs/s, AUC {res['auc_same_event']} "
              f"(cross-language {res['auc_same_event_cross_language']})")
        for r in res["grid"]:
            print(f"  window {r['window_days']:>3}  threshold {r['threshold']:.2f}  "
                  f"ARI {r['ari']:.3f}  B3-F1 {r['bcubed_f1']:.3f}  events {r['predicted_events']}")


if __name__ == "__main__":
    main()
