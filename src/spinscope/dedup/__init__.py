"""Deduplication: exact (normalised URL, content hash) and near-duplicate (SimHash)."""

from spinscope.dedup.deduper import Decision, Deduper
from spinscope.dedup.simhash import hamming, simhash
from spinscope.dedup.urls import canonical_url, registered_domain, url_key

__all__ = ["Decision", "Deduper", "canonical_url", "hamming", "registered_domain", "simhash",
           "url_key"]
