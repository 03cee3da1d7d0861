"""The search query language, rendered for FTS5 and PostgreSQL."""

from __future__ import annotations

import pytest

from spinscope.errors import StoreError
from spinscope.store.query import parse_query


def test_parse_groups_phrases_and_exclusions() -> None:
    q = parse_query('harbour "old pier" OR ferry -strike -"night shift"')
    assert q.any_of == (("harbour", "old pier"), ("ferry",))
    assert q.exclude == ("strike", "night shift")
    assert q.to_fts5() == ('((("harbour" AND "old pier") OR ("ferry")) NOT "strike") '
                           'NOT "night shift"')
    sql, params = q.to_tsquery_sql()
    assert params == ["harbour", "old pier", "ferry", "strike", "night shift"]
    assert sql.count("phraseto_tsquery") == 5 and "!!" in sql


def test_quotes_in_user_text_are_escaped() -> None:
    assert parse_query('say "a""b"').to_fts5() == '("say" AND "a" AND "b")'
    assert parse_query('x"y').to_fts5() == '("x""y")'


@pytest.mark.parametrize("text", ["", "   ", "-only", "OR", "... !!"])
def test_empty_queries_are_refused_with_a_hint(text: str) -> None:
    with pytest.raises(StoreError, match="no word"):
        parse_query(text)
