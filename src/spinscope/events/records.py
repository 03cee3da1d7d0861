"""Values the event stage stores: events with their members, and manual edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["EventBuild", "EventEdit", "EventRecord"]


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event (story): the articles about it across outlets and languages.

    ``id`` is stable across re-runs while the event's earliest article stays the same
    (``ev-`` + a hash of that article's id), so ids in notes and papers keep working.
    """

    id: str
    name: str
    terms: tuple[str, ...]
    article_ids: tuple[str, ...]
    first_published: str | None = None
    last_published: str | None = None
    outlets: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    edited: bool = False  # shaped or named by a manual edit
    build_id: int | None = None

    @property
    def size(self) -> int:
        return len(self.article_ids)

    def to_dict(self, members: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "name": self.name, "terms": list(self.terms),
            "articles": self.size, "first_published": self.first_published,
            "last_published": self.last_published, "outlets": list(self.outlets),
            "langs": list(self.langs), "edited": self.edited,
        }
        if members:
            d["article_ids"] = list(self.article_ids)
        return d


@dataclass(frozen=True, slots=True)
class EventEdit:
    """A manual change, replayed after every automatic clustering (so it survives re-runs).

    Edits are stored by article ids, never by event ids (those change when clusters change):

    - ``merge``: ``groups`` are the member sets of the merged events; the events holding
      them after clustering become one.
    - ``split``: ``groups[0]`` are the articles moved out into a new event of their own.
    - ``rename``: ``groups[0]`` are the event's members when it was renamed; the event that
      holds most of them after clustering gets ``name``.
    """

    id: int
    action: str
    groups: tuple[tuple[str, ...], ...]
    name: str | None = None
    created_at: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "action": self.action, "groups": [list(g) for g in self.groups],
                "name": self.name, "created_at": self.created_at, "note": self.note}


@dataclass(frozen=True, slots=True)
class EventBuild:
    """Provenance of one event build: embedder, parameters, counts."""

    id: int
    created_at: str
    embedder: str
    params: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "created_at": self.created_at, "embedder": self.embedder,
                "params": dict(self.params), "counts": dict(self.counts)}
