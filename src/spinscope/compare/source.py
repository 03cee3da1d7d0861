"""Run a comparison over the corpus store: pick the model version, blocs and techniques."""

from __future__ import annotations

import logging

from spinscope.compare.compare import CompareOptions, Comparison, compare_rows
from spinscope.core.taxonomy import load_taxonomy
from spinscope.errors import StoreError
from spinscope.outlets.registry import OutletRegistry
from spinscope.store.base import CorpusStore
from spinscope.store.records import ArticleFilter

__all__ = ["bloc_map", "compare_store", "model_techniques", "resolve_model_version"]

log = logging.getLogger(__name__)


def resolve_model_version(store: CorpusStore, model_version: str | None = None) -> str:
    """The requested model version, or the one whose results were written last."""
    sets = store.result_sets()
    if not sets:
        raise StoreError(f"{store.location} has no analyses yet; run `spinscope analyze-corpus` "
                         "first")
    if model_version is None:
        if len(sets) > 1:
            log.info("several model versions stored (%s); using the newest, %s",
                     ", ".join(s.model_version for s in sets), sets[0].model_version)
        return sets[0].model_version
    if model_version not in {s.model_version for s in sets}:
        raise StoreError(f"no analyses of model version {model_version!r}; stored versions: "
                         f"{', '.join(s.model_version for s in sets)}")
    return model_version


def model_techniques(store: CorpusStore, model_version: str) -> tuple[str, ...]:
    """Techniques the model version covers (from its runs), in taxonomy order."""
    names = load_taxonomy().names
    for run in store.analysis_runs(200):
        if run.model_version == model_version and run.techniques:
            covered = set(run.techniques)
            return tuple(t for t in names if t in covered)
    return names


def bloc_map(registry: OutletRegistry | None) -> dict[str, str]:
    """Outlet id → primary bloc (the first bloc listed in the registry)."""
    if registry is None:
        return {}
    return {o.id: o.blocs[0] for o in registry if o.blocs}


def compare_store(store: CorpusStore, options: CompareOptions | None = None,
                  where: ArticleFilter | None = None, event_id: str | None = None,
                  model_version: str | None = None,
                  registry: OutletRegistry | None = None) -> Comparison:
    """Compare stored results of one model version (default: the newest)."""
    options = options or CompareOptions()
    version = resolve_model_version(store, model_version)
    if event_id is not None:
        event_id = store.get_event(event_id).id
    rows = store.iter_analysis_rows(version, where, event_id, min_score=options.min_score)
    result = compare_rows(rows, model_techniques(store, version), options, bloc_map(registry),
                          version)
    result.meta.update({"store": store.location, "event": event_id,
                        "filter": _filter_dict(where)})
    return result


def _filter_dict(where: ArticleFilter | None) -> dict[str, object] | None:
    if where is None:
        return None
    return {"outlets": list(where.outlets), "langs": list(where.langs), "tags": list(where.tags),
            "from": where.date_from.isoformat() if where.date_from else None,
            "to": where.date_to.isoformat() if where.date_to else None}
