"""Event builds over the store (both backends): caching, edits that survive rebuilds."""

from __future__ import annotations

import pytest
from store_backends import BACKENDS

from spinscope.core.document import content_hash
from spinscope.events.build import apply_edit_now, build_events
from spinscope.events.cluster import EventOptions
from spinscope.events.embed import HashingEmbedder
from spinscope.store import Article, CorpusStore

pytestmark = pytest.mark.parametrize("store_location", BACKENDS, indirect=True)

TOPICS = {
    "strike": "Harbour dockers strike over wages; harbour cranes idle, dockers union demands",
    "flood": "River flood swamps village; floodwater rises, rescuers evacuate flooded homes",
    "vote": "Mayoral election recount; ballots contested, election commission recount votes",
}
OPTS = EventOptions(threshold=0.6, window_days=4)


def _fill(store: CorpusStore) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {t: [] for t in TOPICS}
    with store.transaction():
        for k in range(12):
            topic = list(TOPICS)[k % 3]
            day = 3 + k % 2 + (10 if topic == "vote" else 0)
            text = f"{TOPICS[topic]}. Report {k} from outlet {k % 4}."
            aid = f"{topic}-{k:02d}"
            store.insert(Article(id=aid, text=text, content_hash=content_hash(text),
                                 location=f"t:{k}", outlet=f"outlet-{k % 4}",
                                 lang="en" if k % 2 else "xx", published=f"2031-05-{day:02d}",
                                 title=f"{topic.title()} report {k}"))
            ids[topic].append(aid)
        text = "An undated flood report about the river flood"
        store.insert(Article(id="undated-1", text=text, content_hash=content_hash(text),
                             location="t:u", outlet="outlet-0"))
    return ids


def test_build_groups_topics_and_caches_embeddings(store: CorpusStore) -> None:
    ids = _fill(store)
    r = build_events(store, OPTS, HashingEmbedder())
    assert (r.articles, r.undated, r.embedded, r.events) == (12, 1, 12, 3)
    events = store.list_events()
    assert sorted(sorted(e.article_ids) for e in events) == sorted(sorted(v)
                                                                   for v in ids.values())
    strike = next(e for e in events if "strike-00" in e.article_ids)
    assert "dockers" in strike.name.lower() or "harbour" in strike.name.lower()
    assert strike.first_published == "2031-05-03" and set(strike.langs) == {"en", "xx"}
    assert store.get_event(strike.id[:6]).id == strike.id
    again = build_events(store, OPTS, HashingEmbedder())
    assert again.embedded == 0 and again.cached == 12
    assert {e.id for e in store.list_events()} == {e.id for e in events}  # stable ids


def test_manual_edits_survive_rebuilds(store: CorpusStore) -> None:
    ids = _fill(store)
    build_events(store, OPTS, HashingEmbedder())
    by_member = {e.article_ids[0]: e for e in store.list_events()}
    strike = next(e for e in by_member.values() if "strike-00" in e.article_ids)
    flood = next(e for e in by_member.values() if "flood-01" in e.article_ids)
    with store.transaction():
        merge = store.add_event_edit("merge", [strike.article_ids, flood.article_ids],
                                     note="same labour dispute")
    after = apply_edit_now(store, merge)
    assert len(after) == 2
    with store.transaction():
        split = store.add_event_edit("split", [[ids["strike"][0], ids["strike"][1]]])
    apply_edit_now(store, split)
    with store.transaction():
        store.add_event_edit("rename", [ids["vote"]], name="Recount in Carrow")
    r = build_events(store, OPTS, HashingEmbedder())  # a full rebuild replays the edits
    assert r.edits_applied == 3
    events = store.list_events()
    sizes = sorted(e.size for e in events)
    assert sizes == [2, 4, 6]  # strike+flood minus two, the two split off, vote
    vote = next(e for e in events if ids["vote"][0] in e.article_ids)
    assert vote.name == "Recount in Carrow" and vote.edited
    assert [e.action for e in store.event_edits()] == ["merge", "split", "rename"]
    assert store.event_edits()[0].note == "same labour dispute"
