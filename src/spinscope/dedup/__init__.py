"""Deduplication: exact (normalised URL, content hash) and near-duplicate (MinHash LSH)."""

from spinscope.dedup.deduper import Decision, Deduper
from spinscope.dedup.minhash import jaccard, lsh_keys, shingles
from spinscope.dedup.urls import canonical_url, registered_domain, url_key

__all__ = ["Decision", "Deduper", "canonical_url", "jaccard", "lsh_keys", "registered_domain",
           "shingles", "url_key"]
