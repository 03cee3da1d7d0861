"""Fixtures of the corpus-reader tests (defined in corpus_fixtures.py)."""

from corpus_fixtures import ptc_root, semeval2021_root, semeval2023_root

__all__ = ["ptc_root", "semeval2021_root", "semeval2023_root"]
