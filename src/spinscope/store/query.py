"""The search query language shared by every store backend.

Syntax (web-search style, the same on SQLite and PostgreSQL)::

    harbour pier            both words (AND)
    "old pier"              the exact phrase
    pier OR jetty           either; AND binds tighter: ``a b OR c`` = ``(a b) OR c``
    -ferry                  exclude articles with this word or "phrase" (applies to the whole query)

Words match whole tokens, case-insensitively, without stemming and without folding diacritics
(so Ukrainian ``й`` and ``и`` stay distinct).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinscope.errors import StoreError

__all__ = ["SearchQuery", "parse_query"]

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDISH = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """``any_of`` alternatives, each a list of phrases that must all match; minus ``exclude``."""

    any_of: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...]

    def to_fts5(self) -> str:
        """The query in SQLite FTS5 syntax, every phrase quoted so user text is never syntax."""
        groups = [" AND ".join(_fts5_phrase(p) for p in group) for group in self.any_of]
        expr = " OR ".join(f"({g})" for g in groups)
        for phrase in self.exclude:
            expr = f"({expr}) NOT {_fts5_phrase(phrase)}"
        return expr

    def to_tsquery_sql(self, config: str = "simple") -> tuple[str, list[str]]:
        """A PostgreSQL ``tsquery`` expression (with ``%s`` parameters) and its parameters."""
        params: list[str] = []

        def phrase(p: str) -> str:
            params.append(p)
            return f"phraseto_tsquery('{config}', %s)"

        groups = ["(" + " && ".join(phrase(p) for p in group) + ")" for group in self.any_of]
        expr = "(" + " || ".join(groups) + ")"
        for p in self.exclude:
            expr = f"({expr} && !!{phrase(p)})"
        return expr, params


def parse_query(text: str) -> SearchQuery:
    """Parse a user query; raises ``StoreError`` with a hint if nothing searchable is left."""
    groups: list[list[str]] = [[]]
    exclude: list[str] = []
    for m in _TOKEN.finditer(text):
        negate, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            if bare == "OR":
                if groups[-1]:
                    groups.append([])
                continue
            negate = "-" if bare.startswith("-") and len(bare) > 1 else ""
            phrase = bare[1:] if negate else bare
        else:
            phrase = quoted or ""
        phrase = phrase.replace("*", " ").strip()
        if not _WORDISH.search(phrase):
            continue  # punctuation only: nothing a word index could match
        (exclude if negate else groups[-1]).append(phrase)
    any_of = tuple(tuple(g) for g in groups if g)
    if not any_of:
        raise StoreError(f"search query {text!r} has no word to look for; give at least one "
                         "word or \"phrase\" that is not excluded with '-'")
    return SearchQuery(any_of, tuple(exclude))


def _fts5_phrase(phrase: str) -> str:
    return '"' + phrase.replace('"', '""') + '"'
