"""SimHash fingerprints for near-duplicate detection (Charikar 2002; Manku et al. 2007).

A 64-bit fingerprint is computed from hashed word shingles; texts whose fingerprints differ in
at most ``MAX_DISTANCE`` bits are near-duplicate candidates. To find candidates without a scan,
the fingerprint is cut into ``BANDS`` 16-bit bands: two fingerprints within ``MAX_DISTANCE``
(< ``BANDS``) bits share at least one band exactly (pigeonhole), so an index on each band
finds every candidate.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

__all__ = [
    "BANDS",
    "MAX_DISTANCE",
    "MIN_TOKENS",
    "bands",
    "hamming",
    "jaccard",
    "shingles",
    "simhash",
    "to_signed",
    "to_unsigned",
]

SHINGLE = 3  # words per shingle
BANDS = 4  # 4 x 16 bits
MAX_DISTANCE = 3  # bits; must stay below BANDS for the band index to find every candidate
MIN_TOKENS = 30  # shorter texts get no fingerprint: too few shingles for a reliable one
MIN_JACCARD = 0.5  # shingle overlap a candidate must also reach to count as near-duplicate

_WORD = re.compile(r"\w+", re.UNICODE)
_BITS = np.arange(64, dtype=np.uint64)


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The set of ``size``-word shingles of ``text`` (case-folded words)."""
    words = tokens(text)
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def simhash(text: str) -> int | None:
    """The unsigned 64-bit SimHash of ``text``, or ``None`` if it has fewer than MIN_TOKENS."""
    if len(tokens(text)) < MIN_TOKENS:
        return None
    grams = shingles(text)
    digests = b"".join(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest()
                       for g in sorted(grams))
    hashes = np.frombuffer(digests, dtype="<u8")
    bits = (hashes[:, None] >> _BITS) & np.uint64(1)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(hashes)
    value = 0
    for i in np.nonzero(votes > 0)[0]:
        value |= 1 << int(i)
    return value


def bands(value: int) -> tuple[int, ...]:
    """The BANDS 16-bit pieces of a 64-bit fingerprint, low bits first."""
    return tuple((value >> (16 * i)) & 0xFFFF for i in range(BANDS))


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def to_signed(value: int) -> int:
    """Unsigned 64-bit → signed, for databases whose integers are signed 64-bit."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
