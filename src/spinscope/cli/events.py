"""``spinscope events``: build, list, show, merge, split, rename and score events."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from spinscope.cli.output import echo_json, format_table
from spinscope.cli.store import (
    filter_options,
    make_filter,
    open_for,
    resolve_settings,
    store_option,
)
from spinscope.errors import ConfigError
from spinscope.events.build import apply_edit_now, build_events
from spinscope.events.cluster import DEFAULT_THRESHOLD, DEFAULT_WINDOW, EventOptions
from spinscope.events.quality import score_clustering
from spinscope.events.records import EventRecord
from spinscope.store import CorpusStore


@click.group("events")
def events_group() -> None:
    """Events: the same story across outlets and languages."""


def _period(e: EventRecord) -> str:
    first = (e.first_published or "?")[:10]
    last = (e.last_published or "?")[:10]
    return first if first == last else f"{first} – {last}"


@events_group.command("build")
@store_option
@filter_options
@click.option("--threshold", type=float, default=DEFAULT_THRESHOLD, show_default=True,
              help="Cosine distance under which articles group (average linkage); lower = "
                   "stricter, more and smaller events.")
@click.option("--window-days", type=int, default=DEFAULT_WINDOW, show_default=True,
              help="Articles further apart than this are only linked through others.")
@click.option("--min-articles", type=int, default=2, show_default=True,
              help="Smallest group kept as an event.")
@click.option("--max-days", type=int, default=31, show_default=True,
              help="An event takes no article published later than this after its first.")
@click.option("--embedder", default=None, metavar="DIR",
              help="Embedding bundle folder (default: the packaged e5-small-events).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@click.option("--json", "as_json", is_flag=True)
def build_cmd(store: str | None, outlets: tuple[str, ...], langs: tuple[str, ...],
              tags: tuple[str, ...], date_from: Any, date_to: Any, originals: bool,
              threshold: float, window_days: int, min_articles: int, max_days: int,
              embedder: str | None, quiet: bool, as_json: bool) -> None:
    """Group articles into events (re-run any time: manual edits are replayed)."""
    from spinscope.events.embed import load_embedder

    options = EventOptions(threshold=threshold, window_days=window_days,
                           min_articles=min_articles, max_days=max_days)
    where = make_filter(outlets, langs, tags, date_from, date_to, originals)

    def progress(read: int, embedded: int) -> None:
        if not quiet:
            click.echo(f"\r\x1b[Kevents: {read:,} articles read, {embedded:,} embedded",
                       err=True, nl=False)

    with open_for(resolve_settings(store)) as st:
        result = build_events(st, options, load_embedder(embedder), where, progress)
    if not quiet:
        click.echo("", err=True)
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(f"{result.events:,} events holding {result.in_events:,} of {result.articles:,} "
               f"dated articles ({result.embedded:,} newly embedded, {result.undated:,} "
               f"undated left out, {result.edits_applied} manual edits replayed) in "
               f"{result.seconds:.1f} s")


@events_group.command("list")
@store_option
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def list_cmd(store: str | None, limit: int, as_json: bool) -> None:
    """Current events, largest first."""
    with open_for(resolve_settings(store)) as st:
        events = st.list_events()
    if as_json:
        echo_json([e.to_dict(members=False) for e in events[:limit]])
        return
    if not events:
        click.echo("no events: run `spinscope events build`", err=True)
        return
    click.echo(format_table(
        ["id", "name", "period", "articles", "outlets", "languages", "edited"],
        [[e.id, e.name, _period(e), e.size, len(e.outlets), ",".join(e.langs),
          "yes" if e.edited else ""] for e in events[:limit]]))
    if len(events) > limit:
        click.echo(f"... {len(events) - limit} more (--limit)", err=True)


@events_group.command("show")
@store_option
@click.argument("event_id")
@click.option("--json", "as_json", is_flag=True)
def show_cmd(store: str | None, event_id: str, as_json: bool) -> None:
    """One event with its articles."""
    with open_for(resolve_settings(store)) as st:
        e = st.get_event(event_id)
        articles = [st.get(a) for a in e.article_ids]
    if as_json:
        echo_json(e.to_dict() | {"members": [a.to_row(with_text=False) for a in articles]})
        return
    click.echo(f"{e.id}  {e.name}\n{_period(e)} · {e.size} articles · outlets: "
               f"{', '.join(e.outlets)} · languages: {', '.join(e.langs)}"
               f"{' · edited by hand' if e.edited else ''}\nterms: {', '.join(e.terms)}\n")
    click.echo(format_table(["article", "published", "outlet", "lang", "copy of", "title"],
                            [[a.id, (a.published or "")[:10], a.outlet, a.lang,
                              a.dup_of or "", (a.title or "")[:70]] for a in articles]))


def _edit(st: CorpusStore, action: str, groups: list[list[str]], name: str | None,
          note: str) -> list[EventRecord]:
    with st.transaction():
        edit = st.add_event_edit(action, groups, name, note)
    return apply_edit_now(st, edit)


@events_group.command("merge")
@store_option
@click.argument("event_ids", nargs=-1, required=True)
@click.option("--note", default="", help="Why (kept with the edit).")
def merge_cmd(store: str | None, event_ids: tuple[str, ...], note: str) -> None:
    """Merge two or more events into one (kept across rebuilds)."""
    if len(event_ids) < 2:
        raise ConfigError("give at least two event ids to merge")
    with open_for(resolve_settings(store)) as st:
        events = [st.get_event(i) for i in event_ids]
        records = _edit(st, "merge", [list(e.article_ids) for e in events], None, note)
    merged = next(r for r in records if events[0].article_ids[0] in r.article_ids)
    click.echo(f"merged {len(events)} events into {merged.id} ({merged.size} articles)")


@events_group.command("split")
@store_option
@click.argument("event_id")
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--note", default="", help="Why (kept with the edit).")
def split_cmd(store: str | None, event_id: str, article_ids: tuple[str, ...], note: str) -> None:
    """Move ARTICLE_IDS out of an event into a new event of their own."""
    with open_for(resolve_settings(store)) as st:
        event = st.get_event(event_id)
        moved = [st.get(a).id for a in article_ids]
        stray = [a for a in moved if a not in event.article_ids]
        if stray:
            raise ConfigError(f"articles {', '.join(stray)} are not in event {event.id}; "
                              f"`spinscope events show {event.id}` lists its articles")
        if len(moved) == event.size:
            raise ConfigError("that would move every article; nothing to split")
        records = _edit(st, "split", [moved], None, note)
    new = next(r for r in records if moved[0] in r.article_ids)
    rest_id = next(a for a in event.article_ids if a not in moved)
    rest = next(r for r in records if rest_id in r.article_ids)
    click.echo(f"moved {len(moved)} articles from {event.id} into {new.id}; the rest is "
               f"{rest.id}" + (" (event ids follow their earliest article)"
                               if rest.id != event.id else ""))


@events_group.command("rename")
@store_option
@click.argument("event_id")
@click.argument("name")
def rename_cmd(store: str | None, event_id: str, name: str) -> None:
    """Give an event a name of your own (kept across rebuilds)."""
    with open_for(resolve_settings(store)) as st:
        event = st.get_event(event_id)
        _edit(st, "rename", [list(event.article_ids)], name.strip(), "")
    click.echo(f"renamed {event.id} to {name.strip()!r}")


@events_group.command("edits")
@store_option
@click.option("--json", "as_json", is_flag=True)
def edits_cmd(store: str | None, as_json: bool) -> None:
    """Manual edits, in the order they are replayed."""
    with open_for(resolve_settings(store)) as st:
        edits = st.event_edits()
    if as_json:
        echo_json([e.to_dict() for e in edits])
        return
    click.echo(format_table(["#", "when", "action", "articles", "name", "note"],
                            [[e.id, e.created_at, e.action, sum(map(len, e.groups)),
                              e.name or "", e.note] for e in edits]))


@events_group.command("score")
@store_option
@click.option("--gold", default=None, type=click.Path(exists=True, dir_okay=False),
              help='JSON: {"articles": {KEY: EVENT_LABEL, ...}} (or the mapping itself).')
@click.option("--samples", is_flag=True,
              help="Use the bundled sample corpus's gold events (after `spinscope demo`).")
@click.option("--key", type=click.Choice(["id", "url"]), default="id", show_default=True,
              help="What the gold file's keys are: article ids or article URLs.")
@click.option("--json", "as_json", is_flag=True)
def score_cmd(store: str | None, gold: str | None, samples: bool, key: str,
              as_json: bool) -> None:
    """Score the current events against gold labels (adjusted Rand index, B-cubed)."""
    if samples:
        from spinscope.samples import load_events_gold, load_samples

        sample_gold = load_events_gold()
        labels = {a.url: sample_gold[a.id] for a in load_samples()}
        key = "url"
    elif gold is not None:
        raw = json.loads(Path(gold).read_text("utf-8"))
        labels = raw.get("articles", raw) if isinstance(raw, dict) else {}
        if not labels:
            raise ConfigError(f"{gold}: expected {{\"articles\": {{key: label}}}}")
    else:
        raise ConfigError("give --gold FILE or --samples")
    with open_for(resolve_settings(store)) as st:
        if key == "url":
            by_url = {a.url: a.id for a in st.iter_articles(with_text=False) if a.url}
            missing = [u for u in labels if u not in by_url]
            labels = {by_url[u]: lab for u, lab in labels.items() if u in by_url}
        else:
            missing = []
        groups = [list(e.article_ids) for e in st.list_events()]
    scores = score_clustering(groups, labels)
    if as_json:
        echo_json(scores.to_dict() | {"gold_keys_not_found": len(missing)})
        return
    for k, v in scores.to_dict().items():
        click.echo(f"{k:>18}  {v}")
    if missing:
        click.echo(f"{len(missing)} gold keys not found in the store", err=True)
    sys.stdout.flush()


commands = [events_group]
