"""Extraction in worker processes (``--jobs N``): CPU-bound work spread over cores.

Only extraction runs in the workers (decoding, trafilatura, language, MinHash keys); dedup and
every store write stay in the ingesting process, in source order, so results are the same as
with one process and the store still has a single writer.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from spinscope.errors import SpinscopeError
from spinscope.extract.lang import get_detector
from spinscope.ingest.build import Built, ItemBuilder
from spinscope.ingest.items import Failure, RawItem
from spinscope.outlets.registry import OutletRegistry

__all__ = ["build_in_worker", "build_or_fail", "extraction_pool"]

log = logging.getLogger(__name__)

_BUILDER: ItemBuilder | None = None


def build_or_fail(builder: ItemBuilder, item: RawItem) -> Built | Failure:
    """Extract ``item``; any error becomes a ``Failure`` with the reason."""
    try:
        return builder.build(item)
    except SpinscopeError as e:
        text = str(e)
        prefix = f"{item.location}: "
        return Failure(item.location, text[len(prefix):] if text.startswith(prefix) else text)
    except Exception as e:  # an extractor bug on one page must not stop the run
        log.debug("item %s failed", item.location, exc_info=True)
        return Failure(item.location, f"unexpected error: {type(e).__name__}: {e}")


def _init_worker(registry: OutletRegistry, languages: tuple[str, ...], outlet: str | None,
                 max_bytes: int) -> None:
    global _BUILDER
    _BUILDER = ItemBuilder(registry, get_detector(languages), outlet, max_bytes)


def build_in_worker(item: RawItem) -> Built | Failure:
    assert _BUILDER is not None, "worker not initialised"
    return build_or_fail(_BUILDER, item)


def extraction_pool(jobs: int, registry: OutletRegistry, languages: tuple[str, ...],
                    outlet: str | None, max_bytes: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` extraction processes (forkserver: safe beside download threads)."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=min(jobs, os.cpu_count() or 1) or 1,
                               mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker,
                               initargs=(registry, languages, outlet, max_bytes))
