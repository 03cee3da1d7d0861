"""URL keys and MinHash LSH keys."""

from __future__ import annotations

import random

import pytest

from spinscope.dedup.minhash import BANDS, jaccard, lsh_keys, shingles
from spinscope.dedup.urls import canonical_url, registered_domain, url_key


@pytest.mark.parametrize("a,b", [
    ("https://www.Example.org/news/a/?utm_source=x&b=2&a=1#top",
     "http://example.org/news/a?a=1&b=2"),
    ("https://example.org:443/news/%61", "https://example.org/news/a"),
    ("https://example.org//news/a", "https://example.org/news/a"),
    ("https://user:pw@example.org/a?fbclid=1", "https://example.org/a"),
    ("https://пример.рф/статья", "https://xn--e1afmkfd.xn--p1ai/статья"),
])
def test_url_key_identifies_spellings(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize("a,b", [
    ("https://example.org/a?id=1", "https://example.org/a?id=2"),
    ("https://example.org/a", "https://example.org/b"),
    ("https://example.org/a", "https://other.example.org/a"),
    ("https://example.org:8080/a", "https://example.org/a"),
])
def test_url_key_keeps_different_articles_apart(a: str, b: str) -> None:
    assert url_key(a) != url_key(b)


def test_canonical_url_and_domains() -> None:
    assert canonical_url("HTTPS://WWW.Example.org/A?utm_medium=x#frag") == \
        "https://www.example.org/A"
    assert registered_domain("m.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("www.example.org") == "example.org"


def words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(500)]
    return [rng.choice(vocab) for _ in range(n)]


def test_lsh_keys_find_small_edits_not_unrelated_texts() -> None:
    base = words(300, 1)
    keys = set(lsh_keys(" ".join(base)))
    assert len(keys) == BANDS
    edited = base.copy()
    for i in (10, 120, 250):
        edited[i] = "changed"
    assert keys & set(lsh_keys(" ".join(edited)))
    assert not keys & set(lsh_keys(" ".join(words(300, 2))))
    assert lsh_keys("too short to fingerprint") == ()
    assert lsh_keys(" ".join(base)) == lsh_keys(" ".join(base))  # deterministic


def test_jaccard_of_shingles() -> None:
    a, b = shingles("a b c d e"), shingles("a b c d f")
    assert jaccard(a, b) == pytest.approx(2 / 4)
    assert jaccard(set(), set()) == 1.0
